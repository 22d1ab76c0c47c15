import { Credential, defaultChain } from '@alicred/core'
import { describe, expect, it } from 'vitest'
import { ACCOUNT, AK, callerIdentity, left, ROLE, right, T0, useWorld } from './_setup.js'

// Every env here switches ECS off: the chain must never probe 100.100.100.200 from a test. No OIDC variables are
// set either (that link's endpoint cannot be pointed at the emulator through the environment).
const OFF = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }
const w = useWorld()

const ini = (secret: string = AK.accessKeySecret) =>
  w.file(
    '.alibabacloud/credentials',
    [
      '[default]',
      'type = ram_role_arn',
      `access_key_id = ${AK.accessKeyId}`,
      `access_key_secret = ${secret}`,
      `role_arn = ${ROLE}`,
      'role_session_name = ini',
      `sts_endpoint = ${w.emu.stsEndpoint}`,
      '',
    ].join('\n'),
  )

describe('the default chain with a temp HOME', () => {
  it('uses the INI profile (ram_role_arn) from ~/.alibabacloud/credentials', async () => {
    await ini()
    const c = right(await defaultChain()(w.caps(OFF))()())
    expect(Credential.view(c)).toEqual({
      type: 'sts',
      source: 'default/profile/ram_role_arn/static_ak',
      accessKeyId: 'STS.****',
      expiration: '2024-01-01T01:00:00.000Z',
    })
    expect(await callerIdentity(w.emu, c, T0)).toMatchObject({ Arn: `acs:ram::${ACCOUNT}:assumed-role/reader/ini` })
  })

  it('prefers the Aliyun CLI profile in ~/.aliyun/config.json', async () => {
    await ini()
    await w.file(
      '.aliyun/config.json',
      JSON.stringify({
        current: 'dev',
        profiles: [
          {
            name: 'dev',
            mode: 'RamRoleArn',
            access_key_id: AK.accessKeyId,
            access_key_secret: AK.accessKeySecret,
            ram_role_arn: ROLE,
            ram_session_name: 'cli',
            expired_seconds: 900,
            sts_endpoint: w.emu.stsEndpoint,
          },
        ],
      }),
    )
    const c = right(await defaultChain()(w.caps(OFF))()())
    expect(Credential.view(c)).toMatchObject({
      source: 'default/cli_profile/ram_role_arn/static_ak',
      expiration: '2024-01-01T00:15:00.000Z',
    })
    expect(await callerIdentity(w.emu, c, T0)).toMatchObject({ Arn: `acs:ram::${ACCOUNT}:assumed-role/reader/cli` })
  })

  it('falls through to the credentials URI when no profile exists', async () => {
    const c = right(await defaultChain()(w.caps({ ...OFF, ALIBABA_CLOUD_CREDENTIALS_URI: w.emu.credentialsUri }))()())
    expect(c.source).toBe('default/credential_uri')
    expect(await callerIdentity(w.emu, c, T0)).toMatchObject({ IdentityType: 'AssumedRoleUser' })
  })

  it('stops at a configured profile that fails, instead of trying the URI', async () => {
    await ini('wrong-secret-value')
    const e = left(await defaultChain()(w.caps({ ...OFF, ALIBABA_CLOUD_CREDENTIALS_URI: w.emu.credentialsUri }))()())
    expect(e).toMatchObject({ _tag: 'SourceFailure', code: 'SignatureDoesNotMatch' })
    expect(e.message).not.toContain('wrong-secret-value')
    expect(w.emu.counts()).toEqual({ 'sts.AssumeRole': 1 })
  })

  it('says ChainExhausted, listing every link, when nothing is configured', async () => {
    const e = left(await defaultChain()(w.caps(OFF))()())
    expect(e._tag).toBe('ChainExhausted')
    expect(e.message).toContain('ALIBABA_CLOUD_ECS_METADATA_DISABLED')
    expect(w.emu.counts()).toEqual({})
  })
})
