import { Credential, CredentialsError, Providers } from '@alicred/core'
import { type FakeCapabilities, fakeCapabilities, json } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it, vi } from 'vitest'
import { badBodies, expectNoLeak, expectRedacted, leftOf, RAW, SECRET, TOKEN } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const HOUR = 3_600_000
const SSO_TOKEN = 'sso-ACCESS-TOKEN-77aa'
const ORIGIN = 'http://127.0.0.1:9000'
const URL_ = `${ORIGIN}/cloud-credentials`

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
const block = (exp: number): Record<string, unknown> => ({
  AccessKeyId: 'STS.sso-id',
  AccessKeySecret: SECRET,
  SecurityToken: TOKEN,
  Expiration: iso(exp),
})
const answer = (exp: number) => json(200, { CloudCredential: block(exp), RequestId: 'req-sso' })
const expected = (exp: number): Credential.Credential =>
  Credential.sts({
    accessKeyId: 'STS.sso-id',
    accessKeySecret: SECRET,
    securityToken: TOKEN,
    expiration: new Date(exp),
    source: 'cloud_sso',
  })

const options: Providers.CloudSsoOptions = {
  signInUrl: `${ORIGIN}/some/sign-in/path?x=1`,
  accountId: '1234567890',
  accessConfig: 'ac-abc',
  accessToken: SSO_TOKEN,
  accessTokenExpire: (T0 + 8 * HOUR) / 1000,
}
const request = {
  method: 'POST',
  url: URL_,
  headers: {
    Accept: 'application/json',
    'Content-Type': 'application/json',
    Authorization: `Bearer ${SSO_TOKEN}`,
  },
  body: '{"AccountId":"1234567890","AccessConfigurationId":"ac-abc"}',
  connectTimeoutMs: 5000,
  readTimeoutMs: 10000,
}

const setup = (): FakeCapabilities => fakeCapabilities({ now: T0 })

describe('cloudSso: wire', () => {
  it('POSTs the JSON body to <origin of signInUrl>/cloud-credentials with Bearer auth', async () => {
    const caps = setup()
    caps.http.on('POST', URL_, answer(T0 + HOUR))
    const r = await Providers.cloudSso(options)(caps)()()
    expect(r).toEqual(E.right(expected(T0 + HOUR)))
    expect(caps.http.requests).toEqual([request])
    if (E.isRight(r)) expectRedacted(r.right)
  })

  it('passes configured timeouts', async () => {
    const caps = setup()
    caps.http.on('POST', URL_, answer(T0 + HOUR))
    await Providers.cloudSso({ ...options, connectTimeoutMs: 10, readTimeoutMs: 20 })(caps)()()
    expect(caps.http.requests).toEqual([{ ...request, connectTimeoutMs: 10, readTimeoutMs: 20 }])
  })

  it('caches, refreshing 15 minutes before expiry', async () => {
    const caps = setup()
    caps.http.on('POST', URL_, answer(T0 + HOUR), answer(T0 + 2 * HOUR))
    const p = Providers.cloudSso(options)(caps)
    await p()()
    await caps.clock.advance(45 * 60_000 - 1)
    await p()()
    expect(caps.http.requests).toHaveLength(1)
    await caps.clock.advance(1)
    expect(await p()()).toEqual(E.right(expected(T0 + 2 * HOUR)))
    expect(caps.http.requests).toEqual([request, request])
  })
})

describe('cloudSso: a stored STS credential and the write-back', () => {
  const stored = { accessKeyId: 'STS.stored', accessKeySecret: SECRET, securityToken: TOKEN }

  it('unexpired, it is the first answer without a request; the refresh that replaces it asks the portal', async () => {
    const caps = setup()
    caps.http.on('POST', URL_, answer(T0 + 2 * HOUR))
    const onUpdate = vi.fn(async (_: Providers.CloudSsoUpdate) => {})
    const p = Providers.cloudSso({ ...options, stored: { ...stored, expiration: (T0 + HOUR) / 1000 }, onUpdate })(caps)
    expect(await p()()).toEqual(
      E.right(Credential.sts({ ...stored, expiration: new Date(T0 + HOUR), source: 'cloud_sso' })),
    )
    expect([caps.http.requests, onUpdate.mock.calls]).toEqual([[], []])
    await caps.clock.advance(45 * 60_000)
    expect(await p()()).toEqual(E.right(expected(T0 + 2 * HOUR)))
    expect(caps.http.requests).toEqual([request])
    expect(onUpdate.mock.calls).toEqual([
      [
        {
          accessKeyId: 'STS.sso-id',
          accessKeySecret: SECRET,
          securityToken: TOKEN,
          expiration: (T0 + 2 * HOUR) / 1000,
        },
      ],
    ])
  })

  it('an expired one is ignored', async () => {
    const caps = setup()
    caps.http.on('POST', URL_, answer(T0 + HOUR))
    const r = await Providers.cloudSso({ ...options, stored: { ...stored, expiration: T0 / 1000 - 1 } })(caps)()()
    expect([r, caps.http.requests]).toEqual([E.right(expected(T0 + HOUR)), [request]])
  })

  it('an expired access token is refused even with a stored credential (as the CLI does)', async () => {
    const caps = setup()
    const r = await Providers.cloudSso({
      ...options,
      accessTokenExpire: T0 / 1000 - 1,
      stored: { ...stored, expiration: (T0 + HOUR) / 1000 },
    })(caps)()()
    expect([leftOf(r)._tag, caps.http.requests]).toEqual(['InvalidConfiguration', []])
  })

  it('a failing write-back never fails the exchange', async () => {
    const caps = setup()
    caps.http.on('POST', URL_, answer(T0 + HOUR))
    const onUpdateError = vi.fn()
    const r = await Providers.cloudSso({
      ...options,
      onUpdate: async () => {
        throw new Error('disk full')
      },
      onUpdateError,
    })(caps)()()
    expect(r).toEqual(E.right(expected(T0 + HOUR)))
    expect(onUpdateError).toHaveBeenCalledTimes(1)
  })
})

describe('cloudSso: configuration', () => {
  it.each([
    [
      'expired',
      { accessTokenExpire: T0 / 1000 },
      'the CloudSSO access token expired at 2024-01-01T00:00:00.000Z; re-login with `aliyun configure --mode CloudSSO` (or `aliyun configure`)',
      'cloud_sso_access_token_expire',
    ],
    [
      'without expiry',
      { accessTokenExpire: Number.NaN },
      'the CloudSSO access token has no valid expiry (cloud_sso_access_token_expire); re-login with `aliyun configure --mode CloudSSO` (or `aliyun configure`)',
      'cloud_sso_access_token_expire',
    ],
    [
      'empty',
      { accessToken: ' ' },
      'the CloudSSO access token is empty; re-login with `aliyun configure --mode CloudSSO` (or `aliyun configure`)',
      'access_token',
    ],
  ])('an access token %s is InvalidConfiguration, before any request', async (_, patch, message, key) => {
    const caps = setup()
    const e = leftOf(await Providers.cloudSso({ ...options, ...patch })(caps)()())
    expect(e).toEqual(new CredentialsError.InvalidConfiguration('cloud_sso', message, { key }))
    expect(caps.http.requests).toEqual([])
    expectNoLeak(e, SSO_TOKEN)
  })

  it('checks the access token expiry before every refresh, against the clock', async () => {
    const caps = setup()
    caps.http.on('POST', URL_, answer(T0 + HOUR))
    const p = Providers.cloudSso({ ...options, accessTokenExpire: (T0 + 30 * 60_000) / 1000 })(caps)
    expect(await p()()).toEqual(E.right(expected(T0 + HOUR)))
    await caps.clock.advance(50 * 60_000)
    // Inside the stale window the refresh is refused, and the still-valid credential is served, with a warning…
    expect(await p()()).toEqual(E.right(expected(T0 + HOUR)))
    expect(caps.reporter.warnings).toEqual([
      'alicred: cloud_sso: serving a cached credential that expires in 600 s because refreshing it failed (InvalidConfiguration [cloud_sso]: the CloudSSO access token expired at 2024-01-01T00:30:00.000Z; re-login with `aliyun configure --mode CloudSSO` (or `aliyun configure`))',
    ])
    await caps.clock.advance(10 * 60_000)
    // …until it expires: then the re-login error, and never a request with the expired token.
    expect(await p()()).toEqual(
      E.left(
        new CredentialsError.InvalidConfiguration(
          'cloud_sso',
          'the CloudSSO access token expired at 2024-01-01T00:30:00.000Z; re-login with `aliyun configure --mode CloudSSO` (or `aliyun configure`)',
          { key: 'cloud_sso_access_token_expire' },
        ),
      ),
    )
    expect(caps.http.requests).toHaveLength(1)
  })

  it('names every empty field with its CLI key', async () => {
    const e = leftOf(await Providers.cloudSso({ ...options, accountId: '', accessConfig: ' ' })(setup())()())
    expect(e).toEqual(
      new CredentialsError.InvalidConfiguration(
        'cloud_sso',
        'accountId (cloud_sso_account_id), accessConfig (cloud_sso_access_config) are empty; re-login with `aliyun configure --mode CloudSSO` (or `aliyun configure`)',
        { key: 'cloud_sso_account_id' },
      ),
    )
  })

  it('refuses plain http to a remote sign-in host (the bearer token would travel in clear)', async () => {
    const caps = setup()
    const e = leftOf(await Providers.cloudSso({ ...options, signInUrl: 'http://signin.example.com/x' })(caps)()())
    expect(e._tag).toBe('InvalidConfiguration')
    expect(e.message).toMatch(
      /^the CloudSSO sign-in URL \(cloud_sso_sign_in_url\) \(http:\/\/signin.example.com\/…\) uses plain http/,
    )
    expect(caps.http.requests).toEqual([])
    caps.http.on('POST', 'https://signin.example.com/cloud-credentials', answer(T0 + HOUR))
    const ok = await Providers.cloudSso({ ...options, signInUrl: 'https://signin.example.com/x' })(caps)()()
    expect(ok).toEqual(E.right(expected(T0 + HOUR)))
  })
})

describe('cloudSso: bad answers', () => {
  const cases = badBodies((b) => ({ CloudCredential: b }), block(T0 + HOUR))
  it.each(cases)('$name → typed error, no secret, no raw body', async (c) => {
    const caps = setup()
    caps.http.on('POST', URL_, c.reply)
    const e = leftOf(await Providers.cloudSso(options)(caps)()())
    expect(e._tag).toBe('SourceFailure')
    if (e._tag !== 'SourceFailure') return
    expect({ status: e.status, retryable: e.retryable, code: e.code }).toEqual({
      status: c.expect.status,
      retryable: c.expect.retryable,
      code: c.expect.code,
    })
    expect(e.message).toMatch(new RegExp(`^CloudSSO POST ${URL_} `))
    expect(e.message).toMatch(c.expect.message)
    expectNoLeak(e, SSO_TOKEN)
  })

  it('a body without CloudCredential is refused, naming the field', async () => {
    const caps = setup()
    caps.http.on('POST', URL_, json(200, block(T0 + HOUR)))
    expect(leftOf(await Providers.cloudSso(options)(caps)()())).toEqual(
      new CredentialsError.SourceFailure(
        'cloud_sso',
        `CloudSSO POST ${URL_} answered with an unexpected body (CloudCredential: expected credentials object, got missing)`,
        { status: 200, retryable: false },
      ),
    )
  })

  it('401 says the token was refused and how to fix it', async () => {
    const caps = setup()
    caps.http.on('POST', URL_, json(401, { ErrorCode: 'InvalidToken', RequestId: 'r-9', Message: RAW }))
    expect(leftOf(await Providers.cloudSso(options)(caps)()())).toEqual(
      new CredentialsError.SourceFailure(
        'cloud_sso',
        `CloudSSO POST ${URL_} answered HTTP 401: code InvalidToken: the access token was refused (revoked, or no access to this account / access configuration); re-login with \`aliyun configure --mode CloudSSO\` (or \`aliyun configure\`): request id r-9`,
        { status: 401, code: 'InvalidToken', requestId: 'r-9', retryable: false },
      ),
    )
  })

  it('static stability: credentials already past their expiration are served, with one warning', async () => {
    const caps = setup()
    caps.http.on('POST', URL_, answer(T0 - 1))
    expect(await Providers.cloudSso(options)(caps)()()).toEqual(E.right(expected(T0 - 1)))
    expect(caps.reporter.warnings).toEqual([
      expect.stringMatching(/^alicred: cloud_sso: the source answered with a credential that had already expired/),
    ])
  })

  it('a server that never answers fails after the 10 s read timeout', async () => {
    const caps = setup()
    caps.http.on('POST', URL_, { hang: true })
    const pending = Providers.cloudSso(options)(caps)()()
    await caps.clock.advance(10_000)
    const e = leftOf(await pending)
    expect(e._tag === 'SourceFailure' && e.retryable).toBe(true)
    expect(e.message).toMatch(/ReadTimeout/)
  })

  it('connection refused is a retryable SourceFailure', async () => {
    const e = leftOf(await Providers.cloudSso(options)(setup())()())
    expect(e._tag === 'SourceFailure' && e.retryable).toBe(true)
  })
})
