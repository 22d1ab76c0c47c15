import { type Emulator, openHandles, startEmulator } from '@alicred/testing/emulator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from './_support.js'
import { main } from './tea-client.js'

const ACCOUNT = '1234567890123456'
const ROLE = `acs:ram::${ACCOUNT}:role/reader`
const AK = { accessKeyId: 'LTAI5tTea', accessKeySecret: 'tea-user-secret' }

// The Tea client stamps x-acs-date from the wall clock, so the emulator keeps its default (wall) clock.
let emu: Emulator
let home: Awaited<ReturnType<typeof tempDir>>
let leaks: Awaited<ReturnType<typeof openHandles>>

beforeEach(async () => {
  leaks = await openHandles()
  emu = await startEmulator({ accessKeys: [{ ...AK, userName: 'tea' }], roles: [{ roleArn: ROLE }] })
  home = await tempDir('tea')
})
afterEach(async () => {
  await emu.stop()
  await home.remove()
  await leaks.check()
})

// No AccessKey in the environment, no CLI config, and ECS metadata switched off: the chain ends at the INI profile.
const env = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }

describe('a Tea SDK client with the default chain (emulator)', () => {
  it('signs GetCallerIdentity with the role the INI profile assumes', async () => {
    await home.file(
      '.alibabacloud/credentials',
      [
        '[default]',
        'type = ram_role_arn',
        `access_key_id = ${AK.accessKeyId}`,
        `access_key_secret = ${AK.accessKeySecret}`,
        `role_arn = ${ROLE}`,
        'role_session_name = tea-example',
        `sts_endpoint = ${emu.stsEndpoint}`,
        '',
      ].join('\n'),
    )
    expect(await main({ env, home: home.path, sts: { endpoint: emu.host, protocol: 'http' } })).toEqual({
      arn: `acs:ram::${ACCOUNT}:assumed-role/reader/tea-example`,
      // The reference names a default-chain credential after the link only (`default/profile`).
      providerName: 'default/profile',
    })
    // One AssumeRole, then the Tea client's call; the credential is cached, so getCredential() made no second one.
    expect(emu.counts()).toEqual({ 'sts.AssumeRole': 1, 'sts.GetCallerIdentity': 1 })
  })

  it('signs with a credentials URI named by ALIBABA_CLOUD_CREDENTIALS_URI', async () => {
    expect(
      await main({
        env: { ...env, ALIBABA_CLOUD_CREDENTIALS_URI: emu.credentialsUri },
        home: home.path,
        sts: { endpoint: emu.host, protocol: 'http' },
      }),
    ).toEqual({
      arn: `acs:ram::${ACCOUNT}:assumed-role/credentials-uri/credentials-uri`,
      providerName: 'default/credential_uri',
    })
  })

  it('fails before any request when the chain finds nothing, saying why for each source', async () => {
    await expect(main({ env, home: home.path, sts: { endpoint: emu.host, protocol: 'http' } })).rejects.toMatchObject({
      _tag: 'ChainExhausted',
      message: expect.stringMatching(/^no credentials found by default: every source was skipped\n├─ default\/env: /),
    })
    expect(emu.counts()).toEqual({})
  })
})
