import { CredentialsError } from '@alicred/core'
import { liveCapabilities } from '@alicred/node'
import { fakeCapabilities, json } from '@alicred/testing'
import { openHandles, startEmulator } from '@alicred/testing/emulator'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { main } from './fp-ts-program.js'

const ACCOUNT = '1234567890123456'
const AK = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tAlice', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'alice-secret' }

describe('an fp-ts ReaderTaskEither program over the capabilities', () => {
  it('runs against live capabilities and the emulator, which verifies the signature', async () => {
    const leaks = await openHandles()
    const emu = await startEmulator({
      accessKeys: [{ accessKeyId: AK.ALIBABA_CLOUD_ACCESS_KEY_ID, accessKeySecret: 'alice-secret', userName: 'alice' }],
    })
    // An environment snapshot, never process.env; ECS metadata is switched off so nothing probes 100.100.100.200.
    const caps = liveCapabilities({ env: { ...AK, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' } })
    try {
      expect(await main({ caps, stsEndpoint: emu.stsEndpoint })).toEqual(
        E.right(`RAMUser acs:ram::${ACCOUNT}:user/alice`),
      )
      expect(emu.counts()).toEqual({ 'sts.GetCallerIdentity': 1 })
    } finally {
      caps.close()
      await emu.stop()
    }
    await leaks.check()
  })

  it('runs against fakes: the request is recorded, the answer scripted', async () => {
    const caps = fakeCapabilities({ env: AK })
    caps.http.on(
      'GET',
      'https://sts.cn-hangzhou.aliyuncs.com/',
      json(200, {
        RequestId: 'R1',
        AccountId: ACCOUNT,
        Arn: `acs:ram::${ACCOUNT}:user/alice`,
        IdentityType: 'RAMUser',
      }),
    )
    expect(await main({ caps, stsEndpoint: 'sts.cn-hangzhou.aliyuncs.com' })).toEqual(
      E.right(`RAMUser acs:ram::${ACCOUNT}:user/alice`),
    )
    const [request] = caps.http.requests
    const url = new URL(request?.url ?? '')
    expect({ method: request?.method, origin: url.origin, params: Object.fromEntries(url.searchParams) }).toEqual({
      method: 'GET',
      origin: 'https://sts.cn-hangzhou.aliyuncs.com',
      params: {
        Version: '2015-04-01',
        Action: 'GetCallerIdentity',
        Format: 'JSON',
        Timestamp: '2024-01-01T00:00:00Z',
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        SignatureNonce: 'nonce-0001',
        AccessKeyId: 'LTAI5tAlice',
        Signature: expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/),
      },
    })
  })

  it('stops at the first failing step: no credential, no STS call', async () => {
    const caps = fakeCapabilities({ env: { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' } })
    const r = await main({ caps, stsEndpoint: 'sts.aliyuncs.com' })
    expect(r._tag === 'Left' && r.left._tag).toBe('ChainExhausted')
    expect(caps.http.requests).toEqual([])
  })

  it('turns an STS refusal into a SourceFailure', async () => {
    const caps = fakeCapabilities({ env: AK })
    caps.http.on('GET', 'https://sts.aliyuncs.com/', json(404, { Code: 'InvalidAccessKeyId.NotFound' }))
    expect(await main({ caps, stsEndpoint: 'sts.aliyuncs.com' })).toEqual(
      E.left(
        new CredentialsError.SourceFailure('whoami', 'STS GetCallerIdentity answered HTTP 404', {
          status: 404,
          retryable: false,
        }),
      ),
    )
  })

  it('refuses an STS endpoint that would send the signed request in clear text', async () => {
    const caps = fakeCapabilities({ env: AK })
    expect(await main({ caps, stsEndpoint: 'http://sts.example.com' })).toEqual(
      E.left(
        new CredentialsError.InvalidConfiguration(
          'whoami',
          'the STS endpoint uses plain http:// to sts.example.com, which would carry credentials unencrypted; use https:// (plain http is allowed only for loopback hosts, or with allowInsecureHttp)',
          { key: 'stsEndpoint' },
        ),
      ),
    )
    expect(caps.http.requests).toEqual([])
  })
})
