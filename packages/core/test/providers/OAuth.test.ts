import { Credential, CredentialsError, Providers } from '@alicred/core'
import { type FakeCapabilities, fakeCapabilities, json } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it, vi } from 'vitest'
import { badBodies, expectNoLeak, expectRedacted, leftOf, RAW, SECRET, TOKEN } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const T0S = T0 / 1000
const HOUR = 3_600_000
const ORIGIN = 'http://127.0.0.1:9100'
const TOKEN_URL = `${ORIGIN}/v1/token`
const EXCHANGE_URL = `${ORIGIN}/v1/exchange`
const ACCESS = 'oauth-ACCESS-1'
const REFRESH = 'oauth-REFRESH-1'

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
const block = (exp: number): Record<string, unknown> => ({
  accessKeyId: 'STS.oauth-id',
  accessKeySecret: SECRET,
  securityToken: TOKEN,
  expiration: iso(exp),
})
const exchangeAnswer = (exp: number) => json(200, { ...block(exp), requestId: 'req-x' })
const tokenAnswer = (n: number, expiresIn?: number) =>
  json(200, {
    access_token: `oauth-ACCESS-${n}`,
    refresh_token: `oauth-REFRESH-${n}`,
    ...(expiresIn === undefined ? {} : { expires_in: expiresIn }),
  })
const expected = (exp: number): Credential.Credential =>
  Credential.sts({
    accessKeyId: 'STS.oauth-id',
    accessKeySecret: SECRET,
    securityToken: TOKEN,
    expiration: new Date(exp),
    source: 'oauth',
  })

const exchange = (access: string, origin = ORIGIN) => ({
  method: 'POST',
  url: `${origin}/v1/exchange`,
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${access}` },
  connectTimeoutMs: 5000,
  readTimeoutMs: 10000,
})
const refresh = (rt: string, at: number, clientId = 'client-1', origin = ORIGIN) => ({
  method: 'POST',
  url: `${origin}/v1/token`,
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: `grant_type=refresh_token&refresh_token=${rt}&client_id=${clientId}&Timestamp=${encodeURIComponent(iso(at))}`,
  connectTimeoutMs: 5000,
  readTimeoutMs: 10000,
})

const base: Providers.OAuthOptions = {
  signInUrl: `${ORIGIN}/ignored/path`,
  clientId: 'client-1',
  accessToken: ACCESS,
  refreshToken: REFRESH,
  accessTokenExpire: T0S + 2 * 3600,
}

const setup = (): FakeCapabilities => fakeCapabilities({ now: T0 })

describe('oauth: wire', () => {
  it('with a fresh access token: one exchange, then onUpdate with tokens and credentials', async () => {
    const caps = setup()
    caps.http.on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
    const onUpdate = vi.fn(async (_: Providers.OAuthTokenUpdate) => {})
    const r = await Providers.oauth({ ...base, onUpdate })(caps)()()
    expect(r).toEqual(E.right(expected(T0 + HOUR)))
    expect(caps.http.requests).toEqual([exchange(ACCESS)])
    expect(onUpdate.mock.calls).toEqual([
      [
        {
          refreshToken: REFRESH,
          accessToken: ACCESS,
          accessTokenExpire: T0S + 2 * 3600,
          accessKeyId: 'STS.oauth-id',
          accessKeySecret: SECRET,
          securityToken: TOKEN,
          stsExpiration: T0S + 3600,
        },
      ],
    ])
    if (E.isRight(r)) expectRedacted(r.right)
  })

  it('refreshes an access token that expired 100 s ago, rotates both tokens, and exchanges the new one', async () => {
    const caps = setup()
    caps.http.on('POST', TOKEN_URL, tokenAnswer(2, 3600)).on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
    const onUpdate = vi.fn(async (_: Providers.OAuthTokenUpdate) => {})
    const r = await Providers.oauth({ ...base, accessTokenExpire: T0S - 100, onUpdate })(caps)()()
    expect(r).toEqual(E.right(expected(T0 + HOUR)))
    expect(caps.http.requests).toEqual([refresh(REFRESH, T0), exchange('oauth-ACCESS-2')])
    expect(onUpdate.mock.calls[0]?.[0]).toEqual({
      refreshToken: 'oauth-REFRESH-2',
      accessToken: 'oauth-ACCESS-2',
      accessTokenExpire: T0S + 3600,
      accessKeyId: 'STS.oauth-id',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      stsExpiration: T0S + 3600,
    })
  })

  it('refreshes at 1200 s left but not at 1201 s', async () => {
    for (const [left, refreshed] of [
      [1201, false],
      [1200, true],
    ] as const) {
      const caps = setup()
      caps.http.on('POST', TOKEN_URL, tokenAnswer(2)).on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
      await Providers.oauth({ ...base, accessTokenExpire: T0S + left })(caps)()()
      expect(caps.http.requestsTo(TOKEN_URL)).toHaveLength(refreshed ? 1 : 0)
    }
  })

  it('refreshes when the access token or its expiry is missing; without expires_in the token lives 3600 s', async () => {
    for (const patch of [{ accessToken: '' }, { accessTokenExpire: undefined }]) {
      const caps = setup()
      caps.http.on('POST', TOKEN_URL, tokenAnswer(2)).on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
      const onUpdate = vi.fn(async (_: Providers.OAuthTokenUpdate) => {})
      const { accessTokenExpire: _drop, ...rest } = base
      const opts = 'accessToken' in patch ? { ...base, ...patch } : rest
      await Providers.oauth({ ...opts, onUpdate })(caps)()()
      expect(caps.http.requests).toEqual([refresh(REFRESH, T0), exchange('oauth-ACCESS-2')])
      expect(onUpdate.mock.calls[0]?.[0].accessTokenExpire).toBe(T0S + 3600)
    }
  })

  it('later refreshes use the rotated refresh token', async () => {
    const caps = setup()
    caps.http
      .on('POST', TOKEN_URL, tokenAnswer(2, 1800), tokenAnswer(3, 1800))
      .on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR), exchangeAnswer(T0 + 2 * HOUR))
    const p = Providers.oauth({ ...base, accessTokenExpire: T0S })(caps)
    await p()()
    await caps.clock.advance(45 * 60_000)
    expect(await p()()).toEqual(E.right(expected(T0 + 2 * HOUR)))
    expect(caps.http.requests).toEqual([
      refresh(REFRESH, T0),
      exchange('oauth-ACCESS-2'),
      refresh('oauth-REFRESH-2', T0 + 45 * 60_000),
      exchange('oauth-ACCESS-3'),
    ])
  })

  it.each([
    ['cn', 'https://oauth.aliyun.com', '4038181954557748008'],
    ['CN', 'https://oauth.aliyun.com', '4038181954557748008'],
    ['intl', 'https://oauth.alibabacloud.com', '4103531455503354461'],
  ])('site type %s gives origin %s and client id %s', async (siteType, origin, clientId) => {
    const caps = setup()
    caps.http
      .on('POST', `${origin}/v1/token`, tokenAnswer(2))
      .on('POST', `${origin}/v1/exchange`, exchangeAnswer(T0 + HOUR))
    const r = await Providers.oauth({ siteType, refreshToken: REFRESH })(caps)()()
    expect(r).toEqual(E.right(expected(T0 + HOUR)))
    expect(caps.http.requests).toEqual([refresh(REFRESH, T0, clientId, origin), exchange('oauth-ACCESS-2', origin)])
  })

  it('explicit signInUrl and clientId win over the site type', async () => {
    const caps = setup()
    caps.http.on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
    await Providers.oauth({ ...base, siteType: 'CN' })(caps)()()
    expect(caps.http.requests).toEqual([exchange(ACCESS)])
  })
})

describe("oauth: a stored STS credential (the CLI profile's sts_* fields)", () => {
  const stored = { accessKeyId: 'STS.stored', accessKeySecret: SECRET, securityToken: TOKEN }
  const storedCredential = (exp: number) => Credential.sts({ ...stored, expiration: new Date(exp), source: 'oauth' })

  it('unexpired, it is the first answer: no request, no write-back; the refresh that replaces it exchanges', async () => {
    const caps = setup()
    caps.http.on('POST', EXCHANGE_URL, exchangeAnswer(T0 + 2 * HOUR))
    const onUpdate = vi.fn(async (_: Providers.OAuthTokenUpdate) => {})
    const p = Providers.oauth({ ...base, stored: { ...stored, expiration: T0S + 3600 }, onUpdate })(caps)
    expect(await p()()).toEqual(E.right(storedCredential(T0 + HOUR)))
    expect(await p()()).toEqual(E.right(storedCredential(T0 + HOUR)))
    expect([caps.http.requests, onUpdate.mock.calls]).toEqual([[], []])
    await caps.clock.advance(45 * 60_000)
    expect(await p()()).toEqual(E.right(expected(T0 + 2 * HOUR)))
    expect(caps.http.requests).toEqual([exchange(ACCESS)])
    expect(onUpdate).toHaveBeenCalledTimes(1)
  })

  it('with 60 s left it is still used as it is (the CLI reuses it until it expires)', async () => {
    const caps = setup()
    const r = await Providers.oauth({ ...base, stored: { ...stored, expiration: T0S + 60 } })(caps)()()
    expect([r, caps.http.requests]).toEqual([E.right(storedCredential(T0 + 60_000)), []])
  })

  it.each([
    ['expired', { ...stored, expiration: T0S }],
    ['without its token', { accessKeyId: 'STS.stored', accessKeySecret: SECRET, expiration: T0S + 3600 }],
    ['with a blank secret', { ...stored, accessKeySecret: ' ', expiration: T0S + 3600 }],
    ['without an expiration', stored],
  ])('%s, it is ignored and the exchange runs', async (_name, s) => {
    const caps = setup()
    caps.http.on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
    expect(await Providers.oauth({ ...base, stored: s })(caps)()()).toEqual(E.right(expected(T0 + HOUR)))
    expect(caps.http.requests).toEqual([exchange(ACCESS)])
  })

  it('a broken configuration is still reported first', async () => {
    const caps = setup()
    const e = leftOf(await Providers.oauth({ siteType: 'XX', stored: { ...stored, expiration: T0S + 3600 } })(caps)()())
    expect(e._tag).toBe('InvalidConfiguration')
  })
})

describe('oauth: configuration', () => {
  it.each([
    [
      'an invalid site type',
      { siteType: 'EU', refreshToken: REFRESH },
      'invalid OAuth site type; use CN or INTL (oauth_site_type); re-login with `aliyun configure --mode OAuth`',
      'oauth_site_type',
    ],
    [
      'no site type and no sign-in URL',
      { refreshToken: REFRESH, clientId: 'c' },
      'the url for sign-in is empty; set oauth_site_type to CN or INTL, or signInUrl',
      'oauth_site_type',
    ],
    [
      'no client id',
      { refreshToken: REFRESH, signInUrl: ORIGIN },
      'the clientId is empty; set oauth_site_type to CN or INTL, or clientId',
      'oauth_site_type',
    ],
    [
      'no tokens at all',
      { siteType: 'CN' },
      'there is neither an OAuth access token nor a refresh token; re-login with `aliyun configure --mode OAuth`',
      'oauth_access_token',
    ],
    [
      'an expired access token and no refresh token',
      { siteType: 'CN', accessToken: ACCESS, accessTokenExpire: T0S },
      'the OAuth access token expired at 2024-01-01T00:00:00.000Z and there is no refresh token; re-login with `aliyun configure --mode OAuth`',
      'oauth_access_token_expire',
    ],
  ])('%s is InvalidConfiguration, before any request', async (_, opts, message, key) => {
    const caps = setup()
    const e = leftOf(await Providers.oauth(opts)(caps)()())
    expect(e).toEqual(new CredentialsError.InvalidConfiguration('oauth', message, { key }))
    expect(caps.http.requests).toEqual([])
    expectNoLeak(e, ACCESS, REFRESH)
  })

  it('without a refresh token, an access token close to (but not past) expiry is still exchanged', async () => {
    const caps = setup()
    caps.http.on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
    const { refreshToken: _, ...opts } = base
    expect(await Providers.oauth({ ...opts, accessTokenExpire: T0S + 60 })(caps)()()).toEqual(
      E.right(expected(T0 + HOUR)),
    )
    expect(caps.http.requests).toEqual([exchange(ACCESS)])
  })

  it('refuses plain http to a remote sign-in host', async () => {
    const caps = setup()
    const e = leftOf(await Providers.oauth({ ...base, signInUrl: 'http://oauth.example.com' })(caps)()())
    expect(e._tag).toBe('InvalidConfiguration')
    expect(caps.http.requests).toEqual([])
  })
})

describe('oauth: write-back failures never fail the refresh', () => {
  it.each([
    ['rejects', async () => Promise.reject(new Error(`disk full ${SECRET}`)), 'the callback failed with Error'],
    [
      'throws synchronously',
      (() => {
        throw new TypeError('boom')
      }) as () => Promise<void>,
      'the callback failed with TypeError',
    ],
    [
      'rejects with one of our errors',
      async () =>
        Promise.reject(
          new CredentialsError.InvalidConfiguration('cli_profile', '~/.aliyun/config.json is locked', {
            file: '~/.aliyun/config.json',
          }),
        ),
      'InvalidConfiguration: ~/.aliyun/config.json is locked',
    ],
  ])('a callback that %s is reported to onUpdateError', async (_, onUpdate, why) => {
    const caps = setup()
    caps.http.on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
    const reported: Array<CredentialsError.SourceFailure> = []
    const r = await Providers.oauth({ ...base, onUpdate, onUpdateError: (e) => reported.push(e) })(caps)()()
    expect(r).toEqual(E.right(expected(T0 + HOUR)))
    expect(reported.map((e) => [e._tag, e.provider, e.message])).toEqual([
      [
        'SourceFailure',
        'oauth',
        `writing the refreshed credentials back failed (${why}); the new credentials are used but were not saved`,
      ],
    ])
    for (const e of reported) expectNoLeak(e)
  })

  it('a callback that never settles is abandoned after 10 s', async () => {
    const caps = setup()
    caps.http.on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
    const reported: Array<string> = []
    const pending = Providers.oauth({
      ...base,
      onUpdate: () => new Promise<void>(() => {}),
      onUpdateError: (e) => reported.push(e.message),
    })(caps)()()
    await caps.clock.advance(10_000)
    expect(await pending).toEqual(E.right(expected(T0 + HOUR)))
    expect(reported).toEqual([
      'writing the refreshed credentials back failed (the callback did not finish within 10000 ms); the new credentials are used but were not saved',
    ])
  })

  it('a throwing onUpdateError is contained too; a quick callback leaves no timer behind', async () => {
    const caps = setup()
    caps.http.on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
    const r = await Providers.oauth({
      ...base,
      onUpdate: async () => Promise.reject(new Error('x')),
      onUpdateError: () => {
        throw new Error('reporter broke')
      },
    })(caps)()()
    expect(r).toEqual(E.right(expected(T0 + HOUR)))
    const ok = await Providers.oauth({ ...base, onUpdate: async () => {} })(caps)()()
    expect(E.isRight(ok)).toBe(true)
    expect(caps.clock.pending()).toBe(0)
  })
})

describe('oauth: bad answers', () => {
  const exchangeCases = badBodies((b) => b, block(T0 + HOUR))
  it.each(exchangeCases)('exchange: $name → typed error, no secret, no raw body', async (c) => {
    const caps = setup()
    caps.http.on('POST', EXCHANGE_URL, c.reply)
    const onUpdate = vi.fn(async () => {})
    const e = leftOf(await Providers.oauth({ ...base, onUpdate })(caps)()())
    expect(e._tag).toBe('SourceFailure')
    if (e._tag !== 'SourceFailure') return
    expect({ status: e.status, retryable: e.retryable, code: e.code }).toEqual({
      status: c.expect.status,
      retryable: c.expect.retryable,
      code: c.expect.code,
    })
    expect(e.message).toMatch(new RegExp(`^OAuth exchange POST ${EXCHANGE_URL} `))
    expect(e.message).toMatch(c.expect.message)
    expect(onUpdate).not.toHaveBeenCalled()
    expectNoLeak(e, ACCESS, REFRESH)
  })

  const tokenGood = { access_token: 'a2', refresh_token: 'r2' }
  it.each([
    ['non-JSON', { status: 200, body: RAW }, /unexpected body \(not valid JSON/],
    ['null', { status: 200, body: 'null' }, /unexpected body \(<root>: expected OAuth token answer, got null/],
    ['no access_token', json(200, { refresh_token: 'r2' }), /access_token: expected non-empty string, got missing/],
    ['no refresh_token', json(200, { access_token: 'a2' }), /refresh_token: expected non-empty string, got missing/],
    [
      'expires_in as text',
      json(200, { ...tokenGood, expires_in: '3600' }),
      /expires_in: expected a number of seconds up to 315360000, got string/,
    ],
    [
      'expires_in out of range (1e400 parses as Infinity)',
      {
        status: 200,
        body: JSON.stringify({ ...tokenGood, expires_in: 1 }).replace('"expires_in":1', '"expires_in":1e400'),
      },
      /expires_in: expected a number of seconds up to 315360000, got number/,
    ],
    [
      'expires_in of a thousand years',
      json(200, { ...tokenGood, expires_in: 1000 * 365 * 86_400 }),
      /expires_in: expected a number of seconds up to 315360000, got number/,
    ],
    [
      '400 invalid_grant',
      json(400, { error: 'invalid_grant', error_description: RAW }),
      /answered HTTP 400: code invalid_grant: the OAuth token was refused; re-login with `aliyun configure --mode OAuth`$/,
    ],
    ['503', { status: 503, body: RAW }, /answered HTTP 503$/],
  ])('token refresh: %s → SourceFailure, no exchange', async (_, reply, message) => {
    const caps = setup()
    caps.http.on('POST', TOKEN_URL, reply).on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
    const e = leftOf(await Providers.oauth({ ...base, accessTokenExpire: T0S })(caps)()())
    expect(e._tag).toBe('SourceFailure')
    expect(e.message).toMatch(new RegExp(`^OAuth token refresh POST ${TOKEN_URL} `))
    expect(e.message).toMatch(message)
    expect(caps.http.requestsTo(EXCHANGE_URL)).toEqual([])
    expectNoLeak(e, ACCESS, REFRESH)
  })

  it('a failed refresh keeps the old tokens: the next attempt uses the same refresh token', async () => {
    const caps = setup()
    caps.http
      .on('POST', TOKEN_URL, { status: 500, body: '' }, tokenAnswer(2))
      .on('POST', EXCHANGE_URL, exchangeAnswer(T0 + HOUR))
    const p = Providers.oauth({ ...base, accessTokenExpire: T0S })(caps)
    expect(E.isLeft(await p()())).toBe(true)
    expect(await p()()).toEqual(E.right(expected(T0 + HOUR)))
    expect(caps.http.requests).toEqual([refresh(REFRESH, T0), refresh(REFRESH, T0), exchange('oauth-ACCESS-2')])
  })

  it('a refresh followed by a failed exchange keeps the rotated tokens: the next attempt exchanges the new one', async () => {
    const caps = setup()
    caps.http
      .on('POST', TOKEN_URL, tokenAnswer(2))
      .on('POST', EXCHANGE_URL, { status: 500, body: '' }, exchangeAnswer(T0 + HOUR))
    const onUpdate = vi.fn(async (_: Providers.OAuthTokenUpdate) => {})
    const p = Providers.oauth({ ...base, accessTokenExpire: T0S, onUpdate })(caps)
    expect(E.isLeft(await p()())).toBe(true)
    expect(await p()()).toEqual(E.right(expected(T0 + HOUR)))
    expect(caps.http.requests).toEqual([refresh(REFRESH, T0), exchange('oauth-ACCESS-2'), exchange('oauth-ACCESS-2')])
    expect(onUpdate.mock.calls.map(([u]) => [u.refreshToken, u.accessToken, u.accessTokenExpire])).toEqual([
      ['oauth-REFRESH-2', 'oauth-ACCESS-2', T0S + 3600],
    ])
  })
  it('a server that never answers fails after the 10 s read timeout', async () => {
    const caps = setup()
    caps.http.on('POST', EXCHANGE_URL, { hang: true })
    const pending = Providers.oauth(base)(caps)()()
    await caps.clock.advance(10_000)
    const e = leftOf(await pending)
    expect(e._tag === 'SourceFailure' && e.retryable).toBe(true)
    expect(e.message).toMatch(/ReadTimeout/)
  })

  it('static stability: STS credentials already past their expiration are served, with one warning', async () => {
    const caps = setup()
    caps.http.on('POST', EXCHANGE_URL, exchangeAnswer(T0 - 1000))
    expect(E.isRight(await Providers.oauth(base)(caps)()())).toBe(true)
    expect(caps.reporter.warnings).toEqual([
      expect.stringMatching(/^alicred: oauth: the source answered with a credential that had already expired/),
    ])
  })
})
