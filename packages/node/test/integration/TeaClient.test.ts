// A real generated Tea SDK client (@alicloud/sts20150401 on @alicloud/openapi-client) calling GetCallerIdentity on the
// emulator, which verifies the ACS3-HMAC-SHA256 (V3) signature the client computed from `credential`. The reference
// @alicloud/credentials Client proves the emulator's V3 verifier; ours must then work the same way as a drop-in.
// The Tea client stamps x-acs-date from the wall clock, so this emulator keeps the default clock.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ref, { Config as RefConfig } from '@alicloud/credentials'
import { Config as OpenApiConfig } from '@alicloud/openapi-client'
import Sts from '@alicloud/sts20150401'
import { Env } from '@alicred/core'
import Client, { Config, type LiveCapabilities, liveCapabilities } from '@alicred/node'
import { type Emulator, openHandles, startEmulator } from '@alicred/testing/emulator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const ACCOUNT = '1234567890123456'
const ROLE = `acs:ram::${ACCOUNT}:role/reader`
const AK = { accessKeyId: 'LTAI5tTea', accessKeySecret: 'tea-user-secret' }

// CommonJS modules with `exports.default`: Node's ESM loader hands over the exports object, bundlers the class.
type StsCtor = typeof Sts.default
const StsClient = ((Sts as unknown as { default?: StsCtor }).default ?? Sts) as StsCtor
type RefCtor = typeof Ref.default
const RefCredential = ((Ref as unknown as { default?: RefCtor }).default ?? Ref) as RefCtor

let emu: Emulator
let home: string
let caps: LiveCapabilities
let leaks: Awaited<ReturnType<typeof openHandles>>

beforeEach(async () => {
  leaks = await openHandles()
  emu = await startEmulator({ accessKeys: [{ ...AK, userName: 'tea' }], roles: [{ roleArn: ROLE }] })
  home = await mkdtemp(join(tmpdir(), 'alicred-tea-'))
  caps = liveCapabilities({ env: { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }, home })
})
afterEach(async () => {
  caps.close()
  await emu.stop()
  await rm(home, { recursive: true, force: true })
  await leaks.check()
})

// The Tea client takes any object with getCredential().
const tea = (credential: any) =>
  new StsClient(new OpenApiConfig({ credential, endpoint: emu.host, protocol: 'http', readTimeout: 5000 }))

const who = async (credential: unknown) => {
  const r = await tea(credential).getCallerIdentity()
  const { requestId: _, ...body } = r.body as unknown as Record<string, unknown>
  return { statusCode: r.statusCode, body }
}

const userIdentity = {
  statusCode: 200,
  body: {
    accountId: ACCOUNT,
    arn: `acs:ram::${ACCOUNT}:user/tea`,
    identityType: 'RAMUser',
    principalId: expect.stringMatching(/^2\d{15}$/),
    userId: expect.stringMatching(/^2\d{15}$/),
  },
}

describe('the reference @alicloud/credentials as credential (proves the V3 verifier)', () => {
  it('signs GetCallerIdentity with an AccessKey', async () => {
    const credential = new RefCredential(new RefConfig({ type: 'access_key', ...AK }))
    expect(await who(credential)).toEqual(userIdentity)
    expect(emu.requests()).toEqual([
      {
        seq: 1,
        at: expect.any(Number),
        route: 'sts.GetCallerIdentity',
        method: 'POST',
        path: '/',
        status: 200,
        accessKeyId: 'LTAI****',
      },
    ])
  })

  it('signs with STS credentials (x-acs-security-token)', async () => {
    emu.addStsCredentials({
      accessKeyId: 'STS.tea',
      accessKeySecret: 'sts-secret',
      securityToken: 'CAIStea',
      roleArn: ROLE,
    })
    const credential = new RefCredential(
      new RefConfig({ type: 'sts', accessKeyId: 'STS.tea', accessKeySecret: 'sts-secret', securityToken: 'CAIStea' }),
    )
    expect((await who(credential)).body).toMatchObject({ identityType: 'AssumedRoleUser', roleId: expect.any(String) })
  })

  it('gets SignatureDoesNotMatch for a wrong secret', async () => {
    const credential = new RefCredential(new RefConfig({ type: 'access_key', ...AK, accessKeySecret: 'wrong' }))
    await expect(who(credential)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 400 })
  })
})

describe('our @alicred/node Client as credential (drop-in)', () => {
  const options = () => ({ capabilities: { env: caps.env, fs: caps.fs, http: caps.http, clock: caps.clock } })

  it('signs GetCallerIdentity with an AccessKey', async () => {
    expect(await who(new Client(new Config({ type: 'access_key', ...AK }), null, options()))).toEqual(userIdentity)
  })

  it('signs with STS credentials', async () => {
    emu.addStsCredentials({
      accessKeyId: 'STS.tea',
      accessKeySecret: 'sts-secret',
      securityToken: 'CAIStea',
      roleArn: ROLE,
    })
    const credential = new Client(
      new Config({ type: 'sts', accessKeyId: 'STS.tea', accessKeySecret: 'sts-secret', securityToken: 'CAIStea' }),
      null,
      options(),
    )
    expect((await who(credential)).body).toMatchObject({ identityType: 'AssumedRoleUser' })
  })

  it('signs with credentials it assumed from the emulator (ram_role_arn)', async () => {
    const credential = new Client(
      new Config({ type: 'ram_role_arn', ...AK, roleArn: ROLE, roleSessionName: 'tea', stsEndpoint: emu.stsEndpoint }),
      null,
      options(),
    )
    expect((await who(credential)).body).toMatchObject({
      arn: `acs:ram::${ACCOUNT}:assumed-role/reader/tea`,
      identityType: 'AssumedRoleUser',
    })
    expect(emu.counts()).toEqual({ 'sts.AssumeRole': 1, 'sts.GetCallerIdentity': 1 })
  })

  it('signs with the default chain over a temp HOME (credentials URI)', async () => {
    const credential = new Client(null, null, {
      capabilities: {
        ...options().capabilities,
        env: Env.fromRecord({
          ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
          ALIBABA_CLOUD_CREDENTIALS_URI: emu.credentialsUri,
        }),
      },
    })
    expect((await who(credential)).body).toMatchObject({
      arn: `acs:ram::${ACCOUNT}:assumed-role/credentials-uri/credentials-uri`,
    })
  })
})
