import { Credential, CredentialsError, Providers } from '@alicred/core'
import { type FakeCapabilities, fakeCapabilities, json } from '@alicred/testing'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { badBodies, expectNoLeak, expectRedacted, leftOf, RAW, SECRET, TOKEN } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const HOUR = 3_600_000
const URI = 'http://127.0.0.1:8080/creds'
// What messages show of it: the path of a credentials URI is a secret.
const SHOWN = 'http://127.0.0.1:8080/…'

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
const block = (exp: number): Record<string, unknown> => ({
  AccessKeyId: 'STS.uri-id',
  AccessKeySecret: SECRET,
  SecurityToken: TOKEN,
  Expiration: iso(exp),
})
const expected = (exp: number): Credential.Credential =>
  Credential.sts({
    accessKeyId: 'STS.uri-id',
    accessKeySecret: SECRET,
    securityToken: TOKEN,
    expiration: new Date(exp),
    source: 'credential_uri',
  })
const request = (url = URI) => ({ method: 'GET', url, connectTimeoutMs: 5000, readTimeoutMs: 10000 })

const setup = (env: Record<string, string> = {}): FakeCapabilities => fakeCapabilities({ now: T0, env })

describe('credentialsUri: configuration', () => {
  it('is NotConfigured, with no request, when neither the option nor ALIBABA_CLOUD_CREDENTIALS_URI is set', async () => {
    const caps = setup({ ALIBABA_CLOUD_CREDENTIALS_URI: '  ' })
    expect(await Providers.credentialsUri()(caps)()()).toEqual(
      E.left(
        new CredentialsError.NotConfigured(
          'credential_uri',
          'ALIBABA_CLOUD_CREDENTIALS_URI is not set (and no `uri` option was given)',
        ),
      ),
    )
    expect(caps.http.requests).toEqual([])
  })

  it('GETs the URL from ALIBABA_CLOUD_CREDENTIALS_URI as is (query kept), 5 s connect / 10 s read', async () => {
    const caps = setup({ ALIBABA_CLOUD_CREDENTIALS_URI: `${URI}?role=a&x=1` })
    caps.http.on('GET', URI, json(200, block(T0 + HOUR)))
    const r = await Providers.credentialsUri()(caps)()()
    expect(r).toEqual(E.right(expected(T0 + HOUR)))
    expect(caps.http.requests).toEqual([request(`${URI}?role=a&x=1`)])
    if (E.isRight(r)) expectRedacted(r.right)
  })

  it('the option wins over the environment; timeouts are configurable', async () => {
    const caps = setup({ ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:1/env' })
    caps.http.on('GET', URI, json(200, block(T0 + HOUR)))
    await Providers.credentialsUri({ uri: URI, connectTimeoutMs: 1, readTimeoutMs: 2 })(caps)()()
    expect(caps.http.requests).toEqual([{ method: 'GET', url: URI, connectTimeoutMs: 1, readTimeoutMs: 2 }])
  })

  it.each([
    'http://127.0.0.1/c',
    'http://127.200.3.4:9/c',
    'http://localhost:8080/c',
    'http://LOCALHOST/c',
    'http://[::1]:8080/c',
    'http://[0:0:0:0:0:0:0:1]/c',
    'http://169.254.170.2/v2/credentials',
    'http://[fe80::1]/c',
    'http://[febf::1]/c',
    'http://[::ffff:127.0.0.1]/c',
    'http://2130706433/c', // 127.0.0.1 as one number; `new URL` normalises it
    'https://sidecar.example.com/c',
    'https://10.0.0.1/c',
  ])('allows %s', async (uri) => {
    const caps = setup()
    caps.http.on('GET', /.*/, json(200, block(T0 + HOUR)))
    expect(await Providers.credentialsUri({ uri })(caps)()()).toEqual(E.right(expected(T0 + HOUR)))
  })

  it.each([
    'http://10.0.0.1/c',
    'http://example.com/c',
    'http://localhost.example.com/c',
    'http://128.0.0.1/c',
    'http://169.253.1.1/c',
    'http://[fec0::1]/c',
    'http://[::2]/c',
    'http://[::ffff:10.0.0.1]/c',
  ])('refuses plain http to %s, naming the env var, unless allowInsecureHttp', async (uri) => {
    const caps = setup({ ALIBABA_CLOUD_CREDENTIALS_URI: `${uri}?token=${SECRET}` })
    caps.http.on('GET', /.*/, json(200, block(T0 + HOUR)))
    const e = leftOf(await Providers.credentialsUri()(caps)()())
    expect(e).toEqual(
      new CredentialsError.InvalidConfiguration(
        'credential_uri',
        `ALIBABA_CLOUD_CREDENTIALS_URI (${new URL(uri).origin}/…) uses plain http to a host that is neither loopback nor link-local; credentials would cross the network unencrypted. Use https, or set allowInsecureHttp: true if this is intended`,
        { envVar: 'ALIBABA_CLOUD_CREDENTIALS_URI' },
      ),
    )
    expectNoLeak(e)
    expect(caps.http.requests).toEqual([])
    expect(await Providers.credentialsUri({ allowInsecureHttp: true })(caps)()()).toEqual(E.right(expected(T0 + HOUR)))
  })

  it('names the option when the URI came from it', async () => {
    const e = leftOf(await Providers.credentialsUri({ uri: 'http://example.com/c' })(setup())()())
    expect(e._tag === 'InvalidConfiguration' && e.location).toEqual({ key: 'uri' })
    expect(e.message).toMatch(/^the credentials URI \(option `uri`\) \(http:\/\/example.com\/…\) uses plain http/)
  })

  it.each([
    [
      'not a URL',
      'no scheme here',
      'ALIBABA_CLOUD_CREDENTIALS_URI is not an absolute URL; set it to https://host/path',
    ],
    [
      'another scheme',
      'file:///etc/creds',
      'ALIBABA_CLOUD_CREDENTIALS_URI uses the scheme file:; only https: (or http: to a loopback or link-local host) is allowed',
    ],
  ])('refuses %s', async (_, uri, message) => {
    const caps = setup({ ALIBABA_CLOUD_CREDENTIALS_URI: uri })
    expect(await Providers.credentialsUri()(caps)()()).toEqual(
      E.left(
        new CredentialsError.InvalidConfiguration('credential_uri', message, {
          envVar: 'ALIBABA_CLOUD_CREDENTIALS_URI',
        }),
      ),
    )
  })

  it('plain http is allowed exactly for 127.0.0.0/8 and 169.254.0.0/16 among IPv4 hosts', async () => {
    const caps = setup()
    caps.http.on('GET', /.*/, json(200, block(T0 + HOUR)))
    await fc.assert(
      fc.asyncProperty(fc.ipV4(), async (ip) => {
        const [a, b] = ip.split('.').map(Number)
        const local = a === 127 || (a === 169 && b === 254)
        const r = await Providers.credentialsUri({ uri: `http://${ip}/c` })(caps)()()
        expect(E.isRight(r)).toBe(local)
        if (!local) expect(leftOf(r)._tag).toBe('InvalidConfiguration')
      }),
      { numRuns: 300 },
    )
  })
})

describe('credentialsUri: answers', () => {
  it.each([
    ['absent', {}],
    ['Success', { Code: 'Success' }],
  ])('accepts Code %s, ignoring extra fields', async (_, extra) => {
    const caps = setup()
    caps.http.on('GET', URI, json(200, { ...block(T0 + HOUR), ...extra, LastUpdated: 'x', Nested: { a: 1 } }))
    expect(await Providers.credentialsUri({ uri: URI })(caps)()()).toEqual(E.right(expected(T0 + HOUR)))
  })

  it('refuses a Code other than Success', async () => {
    const caps = setup()
    caps.http.on('GET', URI, json(200, { ...block(T0 + HOUR), Code: 'Failed', RequestId: 'r-1' }))
    const e = leftOf(await Providers.credentialsUri({ uri: URI })(caps)()())
    expect(e).toEqual(
      new CredentialsError.SourceFailure(
        'credential_uri',
        `credentials URI GET ${SHOWN} answered Code Failed instead of Success; check the credentials server`,
        { status: 200, code: 'Failed', requestId: 'r-1', retryable: false },
      ),
    )
  })

  const cases = badBodies((b) => b, block(T0 + HOUR))
  it.each(cases)('$name → typed error, no secret, no raw body', async (c) => {
    const caps = setup()
    caps.http.on('GET', URI, c.reply)
    const e = leftOf(await Providers.credentialsUri({ uri: `${URI}?sig=${SECRET}` })(caps)()())
    expect(e._tag).toBe('SourceFailure')
    if (e._tag !== 'SourceFailure') return
    expect({ status: e.status, retryable: e.retryable, code: e.code }).toEqual({
      status: c.expect.status,
      retryable: c.expect.retryable,
      code: c.expect.code,
    })
    expect(e.message).toMatch(new RegExp(`^credentials URI GET ${SHOWN} `))
    expect(e.message).toMatch(c.expect.message)
    expectNoLeak(e)
  })

  it('static stability: credentials already past their Expiration are served, with one warning naming the skew', async () => {
    const caps = setup()
    caps.http.on('GET', URI, json(200, block(T0 - 1_000)))
    expect(await Providers.credentialsUri({ uri: URI })(caps)()()).toEqual(E.right(expected(T0 - 1_000)))
    expect(caps.reporter.warnings).toEqual([
      expect.stringMatching(
        /^alicred: credential_uri: the source answered with a credential that had already expired \(at 2023-12-31T23:59:59.000Z, 1 s before this machine's time/,
      ),
    ])
  })

  it('connection refused is a retryable SourceFailure (the URI is configured, so it is not a skip)', async () => {
    const caps = setup()
    const e = leftOf(await Providers.credentialsUri({ uri: URI })(caps)()())
    expect(e._tag === 'SourceFailure' && e.retryable).toBe(true)
    expect(e.message).toMatch(/^credentials URI GET http:\/\/127.0.0.1:8080\/… failed: .*ConnectionRefused/)
  })

  it('a server that never answers fails when the 10 s read timeout fires', async () => {
    const caps = setup()
    caps.http.on('GET', URI, { hang: true })
    const pending = Providers.credentialsUri({ uri: URI })(caps)()()
    await caps.clock.advance(9_999)
    let settled = false
    void pending.then(() => {
      settled = true
    })
    await caps.clock.advance(0)
    expect(settled).toBe(false)
    await caps.clock.advance(1)
    expect(leftOf(await pending)).toEqual(
      new CredentialsError.SourceFailure(
        'credential_uri',
        `credentials URI GET ${SHOWN} failed: no response within 10000 ms (ReadTimeout on ${SHOWN})`,
        { retryable: true },
      ),
    )
  })
})

describe('credentialsUri: cache', () => {
  it('caches until 15 minutes before expiry, then refreshes (one request for concurrent callers)', async () => {
    const caps = setup()
    let exp = T0 + HOUR
    caps.http.on('GET', URI, () => json(200, block(exp)))
    const p = Providers.credentialsUri({ uri: URI })(caps)
    await Promise.all([p()(), p()()])
    expect(caps.http.requests).toHaveLength(1)
    await caps.clock.advance(45 * 60_000 - 1)
    expect(await p()()).toEqual(E.right(expected(T0 + HOUR)))
    expect(caps.http.requests).toHaveLength(1)
    await caps.clock.advance(1)
    exp = T0 + 2 * HOUR
    expect(await Promise.all([p()(), p()(), p()()])).toEqual(Array(3).fill(E.right(expected(T0 + 2 * HOUR))))
    expect(caps.http.requests).toHaveLength(2)
  })

  it('serves the still-valid credential when a refresh fails, then backs off; fails once it has expired', async () => {
    const caps = setup()
    caps.http.on('GET', URI, json(200, block(T0 + HOUR)), { status: 500, body: RAW })
    const p = Providers.credentialsUri({ uri: URI, staleMs: 10 * 60_000 })(caps)
    await p()()
    await caps.clock.advance(55 * 60_000)
    expect(await p()()).toEqual(E.right(expected(T0 + HOUR))) // refresh failed: stale fallback
    // the reporter is told once, without the body the endpoint answered
    expect(caps.reporter.warnings).toEqual([
      `alicred: credential_uri: serving a cached credential that expires in 300 s because refreshing it failed (SourceFailure [credential_uri]: credentials URI GET ${SHOWN} answered HTTP 500)`,
    ])
    expect(caps.http.requests).toHaveLength(2)
    expect(await p()()).toEqual(E.right(expected(T0 + HOUR))) // inside the backoff: no request
    expect(caps.http.requests).toHaveLength(2)
    await caps.clock.advance(5 * 60_000)
    const e = leftOf(await p()())
    expect(e._tag).toBe('SourceFailure')
    expect(e.message).toMatch(/^the cached credential expired at 2024-01-01T01:00:00.000Z and refreshing it failed/)
    expectNoLeak(e)
  })
})

describe('credentialsUri: the path and query are secrets (D1)', () => {
  const PATH = '/0f1e2d3c4b5a69788796a5b4c3d2e1f0'
  const SECRET_URI = `http://127.0.0.1:8080${PATH}?auth=${encodeURIComponent(TOKEN)}`
  const REMOTE_URI = `http://203.0.113.9${PATH}?auth=x`
  const parts = [PATH.slice(1), PATH.slice(1, 9), 'auth=', TOKEN, encodeURIComponent(TOKEN)]
  const shownEverywhere = (e: Error): ReadonlyArray<string> => [e.message, String(e), JSON.stringify(e), e.stack ?? '']
  const expectNoPath = (e: Error): void => {
    for (const text of shownEverywhere(e)) for (const p of parts) expect(text).not.toContain(p)
  }

  it.each<[string, (caps: FakeCapabilities) => void]>([
    ['connection refused', (c) => void c.http.on('GET', SECRET_URI, { error: 'ConnectionRefused' })],
    ['a read timeout', (c) => void c.http.on('GET', SECRET_URI, { error: 'ReadTimeout' })],
    ['HTTP 500', (c) => void c.http.on('GET', SECRET_URI, { status: 500, body: `${SECRET_URI} failed` })],
    ['HTTP 404 with a JSON error', (c) => void c.http.on('GET', SECRET_URI, json(404, { Code: 'NotFound' }))],
    ['a body that is not JSON', (c) => void c.http.on('GET', SECRET_URI, { status: 200, body: SECRET_URI })],
    ['a Code other than Success', (c) => void c.http.on('GET', SECRET_URI, json(200, { Code: 'Failed' }))],
    ['no route at all (the fake quotes the URL)', () => {}],
  ])('%s: the message shows scheme, host and port only', async (_, answer) => {
    for (const env of [true, false]) {
      const caps = setup(env ? { ALIBABA_CLOUD_CREDENTIALS_URI: SECRET_URI } : {})
      answer(caps)
      const e = leftOf(await Providers.credentialsUri(env ? {} : { uri: SECRET_URI })(caps)()())
      expect(e.message).toMatch(/^credentials URI GET http:\/\/127\.0\.0\.1:8080\/… /)
      expectNoPath(e)
    }
  })

  it('a custom Http whose errors quote the URL, its path and its query', async () => {
    const caps = setup()
    const http = {
      request: (req: { readonly url: string }) => async () => {
        const u = new URL(req.url)
        return E.left({
          _tag: 'HttpError' as const,
          kind: 'Network' as const,
          url: req.url,
          message: `GET ${req.url} failed (path ${u.pathname}, query ${u.search}, decoded ${decodeURIComponent(u.search)})`,
        })
      },
    }
    const e = leftOf(await Providers.credentialsUri({ uri: SECRET_URI })({ ...caps, http })()())
    expect(e.message).toBe(
      'credentials URI GET http://127.0.0.1:8080/… failed: GET http://127.0.0.1:8080/… failed (path /…, query ?…, decoded ?…) (Network on http://127.0.0.1:8080/…)',
    )
    expectNoPath(e)
  })

  it('refusing plain http to a remote host shows the host, not the path', async () => {
    const e = leftOf(await Providers.credentialsUri({ uri: REMOTE_URI })(setup())()())
    expect(e.message).toMatch(/^the credentials URI \(option `uri`\) \(http:\/\/203\.0\.113\.9\/…\) uses plain http/)
    expectNoPath(e)
  })
})

describe('credentialsUri: a bearer token (alicred serve --token)', () => {
  const BEARER_TOKEN = 'serve-TOKEN-9a8b7c6d5e4f3a2b1c0d'
  it('sends Authorization: Bearer from the option, else from ALICRED_CREDENTIALS_URI_TOKEN, else nothing', async () => {
    for (const [options, env, header] of [
      [{ token: BEARER_TOKEN }, {}, `Bearer ${BEARER_TOKEN}`],
      [{ token: ' ' }, { ALICRED_CREDENTIALS_URI_TOKEN: BEARER_TOKEN }, `Bearer ${BEARER_TOKEN}`],
      [{}, { ALICRED_CREDENTIALS_URI_TOKEN: BEARER_TOKEN }, `Bearer ${BEARER_TOKEN}`],
      [{}, {}, undefined],
    ] as const) {
      const caps = setup(env)
      caps.http.on('GET', URI, json(200, block(T0 + HOUR)))
      expect(await Providers.credentialsUri({ uri: URI, ...options })(caps)()()).toEqual(E.right(expected(T0 + HOUR)))
      expect(caps.http.requests.map((r) => r.headers)).toEqual([
        header === undefined ? undefined : { Authorization: header },
      ])
    }
  })

  it('a 401 says what to set, and the token is never shown', async () => {
    const cases = [
      [
        {},
        {},
        'the server wants a bearer token; set ALICRED_CREDENTIALS_URI_TOKEN (`alicred serve --token` prints it)',
      ],
      [
        {},
        { ALICRED_CREDENTIALS_URI_TOKEN: BEARER_TOKEN },
        'the server refused the token in ALICRED_CREDENTIALS_URI_TOKEN; is it the one this server printed?',
      ],
      [
        { token: BEARER_TOKEN },
        {},
        'the server refused the token in the token option; is it the one this server printed?',
      ],
    ] as const
    for (const [options, env, hint] of cases) {
      const caps = setup(env)
      caps.http.on('GET', URI, (req) => json(401, { Code: 'Unauthorized', Message: JSON.stringify(req.headers) }))
      const e = leftOf(await Providers.credentialsUri({ uri: URI, ...options })(caps)()())
      expect(e.message).toBe(`credentials URI GET ${SHOWN} answered HTTP 401: code Unauthorized: ${hint}`)
      for (const text of [e.message, JSON.stringify(e), e.stack ?? '']) expect(text).not.toContain(BEARER_TOKEN)
    }
  })
})
