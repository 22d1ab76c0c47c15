import { Credential, CredentialsError, Providers } from '@alicred/core'
import { type FakeCapabilities, fakeCapabilities, json, text } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { badBodies, expectNoLeak, expectRedacted, leftOf, RAW, SECRET, TOKEN } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const HOUR = 3_600_000
const BASE = 'http://100.100.100.200'
const TOKEN_URL = `${BASE}/latest/api/token`
const ROLES_URL = `${BASE}/latest/meta-data/ram/security-credentials/`
const credsUrl = (role: string): string => `${ROLES_URL}${role}`
const IMDS_TOKEN = 'imds-token-1'

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
const block = (exp: number): Record<string, unknown> => ({
  AccessKeyId: 'STS.ecs-id',
  AccessKeySecret: SECRET,
  SecurityToken: TOKEN,
  Expiration: iso(exp),
})
const ecsBody = (exp: number, extra: Record<string, unknown> = {}) =>
  json(200, { Code: 'Success', ...block(exp), LastUpdated: iso(T0), ...extra })
const expected = (exp: number): Credential.Credential =>
  Credential.sts({
    accessKeyId: 'STS.ecs-id',
    accessKeySecret: SECRET,
    securityToken: TOKEN,
    expiration: new Date(exp),
    source: 'ecs_ram_role',
  })

const put = {
  method: 'PUT',
  url: TOKEN_URL,
  headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '21600' },
  connectTimeoutMs: 1000,
  readTimeoutMs: 1000,
}
const get = (url: string, token: string | null = IMDS_TOKEN) => ({
  method: 'GET',
  url,
  headers: token === null ? {} : { 'x-aliyun-ecs-metadata-token': token },
  connectTimeoutMs: 1000,
  readTimeoutMs: 1000,
})

const setup = (env: Record<string, string> = {}): FakeCapabilities => fakeCapabilities({ now: T0, env })

/** The routes of a healthy instance with role `my-role`. */
const healthy = (caps: FakeCapabilities, exp = T0 + 6 * HOUR): void => {
  caps.http
    .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN))
    .on('GET', ROLES_URL, text(200, 'my-role\n'))
    .on('GET', credsUrl('my-role'), ecsBody(exp))
}

const flush = (caps: FakeCapabilities) => caps.clock.advance(0)

describe('ecsRamRole: wire', () => {
  it('IMDSv2: PUT token, GET role list, GET credentials, each with the token', async () => {
    const caps = setup()
    healthy(caps)
    const r = await Providers.ecsRamRole()(caps)()()
    expect(r).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(caps.http.requests).toEqual([put, get(ROLES_URL), get(credsUrl('my-role'))])
    if (E.isRight(r)) expectRedacted(r.right)
  })

  it('uses a configured role name (option, then ALIBABA_CLOUD_ECS_METADATA) without discovery', async () => {
    const caps = setup({ ALIBABA_CLOUD_ECS_METADATA: ' env-role ' })
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN))
      .on('GET', credsUrl('opt-role'), ecsBody(T0 + 6 * HOUR))
      .on('GET', credsUrl('env-role'), ecsBody(T0 + 6 * HOUR))
    expect(await Providers.ecsRamRole({ roleName: 'opt-role' })(caps)()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(await Providers.ecsRamRole()(caps)()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(caps.http.requests).toEqual([put, get(credsUrl('opt-role')), put, get(credsUrl('env-role'))])
  })

  it('URL-encodes a configured role name with `/` or spaces as one path segment', async () => {
    const caps = setup()
    caps.http.on('PUT', TOKEN_URL, text(200, IMDS_TOKEN)).on('GET', credsUrl('a%2Fb%20c'), ecsBody(T0 + 6 * HOUR))
    expect(await Providers.ecsRamRole({ roleName: 'a/b c' })(caps)()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(caps.http.requests).toEqual([put, get(credsUrl('a%2Fb%20c'))])
  })

  it('refuses a discovered role name that is not a RAM role name (never used as a path, never shown)', async () => {
    const caps = setup()
    caps.http.on('PUT', TOKEN_URL, text(200, IMDS_TOKEN)).on('GET', ROLES_URL, text(200, `<html>${RAW}/x y</html>`))
    const e = leftOf(await Providers.ecsRamRole({ disableIMDSv1: true })(caps)()())
    expect(e).toEqual(
      new CredentialsError.SourceFailure(
        'ecs_ram_role',
        "ECS metadata GET /latest/meta-data/ram/security-credentials/ answered with an unexpected body (the answer is not a RAM role name; set roleName or ALIBABA_CLOUD_ECS_METADATA to the role's name)",
        { status: 200, retryable: false },
      ),
    )
    expect(caps.http.requests).toEqual([put, get(ROLES_URL)])
    expectNoLeak(e)
  })

  it.each([
    ['the option', { roleName: '..' }, {}, { key: 'roleName' }, 'roleName'],
    ['the option, padded', { roleName: ' . ' }, {}, { key: 'roleName' }, 'roleName'],
    [
      'ALIBABA_CLOUD_ECS_METADATA',
      {},
      { ALIBABA_CLOUD_ECS_METADATA: '..' },
      { envVar: 'ALIBABA_CLOUD_ECS_METADATA' },
      'ALIBABA_CLOUD_ECS_METADATA',
    ],
    [
      'ALIBABA_CLOUD_ECS_METADATA',
      {},
      { ALIBABA_CLOUD_ECS_METADATA: '.' },
      { envVar: 'ALIBABA_CLOUD_ECS_METADATA' },
      'ALIBABA_CLOUD_ECS_METADATA',
    ],
  ])(
    'refuses a configured role name `.` or `..` (from %s) before any request: it would leave the security-credentials path',
    async (_, options, env, location, where) => {
      const caps = setup(env)
      healthy(caps)
      caps.http.on('GET', `${BASE}/latest/meta-data/ram/`, ecsBody(T0 + 6 * HOUR))
      const e = leftOf(await Providers.ecsRamRole(options)(caps)()())
      expect(e).toEqual(
        new CredentialsError.InvalidConfiguration(
          'ecs_ram_role',
          `the role name (${where}) is not a RAM role name: \`.\` and \`..\` would leave the security-credentials path; set it to the name of the role attached to this instance`,
          location,
        ),
      )
      expect(caps.http.requests).toEqual([])
    },
  )

  it.each(['..', '.', '.\n'])('refuses a discovered role name %j: it is never requested', async (answer) => {
    const caps = setup()
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN))
      .on('GET', ROLES_URL, text(200, answer))
      .on('GET', `${BASE}/latest/meta-data/ram/`, ecsBody(T0 + 6 * HOUR))
    const e = leftOf(await Providers.ecsRamRole({ disableIMDSv1: true })(caps)()())
    expect(e).toEqual(
      new CredentialsError.SourceFailure(
        'ecs_ram_role',
        "ECS metadata GET /latest/meta-data/ram/security-credentials/ answered with an unexpected body (the answer is not a RAM role name; set roleName or ALIBABA_CLOUD_ECS_METADATA to the role's name)",
        { status: 200, retryable: false },
      ),
    )
    expect(caps.http.requests).toEqual([put, get(ROLES_URL)])
  })

  it('keeps names with dots that are one segment (`..a`, `a..`, `...`)', async () => {
    for (const role of ['..a', 'a..', '...', 'role.name']) {
      const caps = setup()
      caps.http.on('PUT', TOKEN_URL, text(200, IMDS_TOKEN)).on('GET', credsUrl(role), ecsBody(T0 + 6 * HOUR))
      expect(await Providers.ecsRamRole({ roleName: role })(caps)()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
      expect(caps.http.requests).toEqual([put, get(credsUrl(role))])
    }
  })

  it('answers from a configurable metadata base URL', async () => {
    const caps = setup()
    caps.http
      .on('PUT', 'http://127.0.0.1:1338/latest/api/token', text(200, IMDS_TOKEN))
      .on('GET', 'http://127.0.0.1:1338/latest/meta-data/ram/security-credentials/r', ecsBody(T0 + 6 * HOUR))
    const r = await Providers.ecsRamRole({ metadataBaseUrl: 'http://127.0.0.1:1338/', roleName: 'r' })(caps)()()
    expect(r).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(caps.http.requests.map((q) => q.url)).toEqual([
      'http://127.0.0.1:1338/latest/api/token',
      'http://127.0.0.1:1338/latest/meta-data/ram/security-credentials/r',
    ])
  })

  it('refuses a metadata base URL that is not an http(s) URL', async () => {
    const caps = setup()
    for (const metadataBaseUrl of ['not a url', 'file:///etc/passwd']) {
      expect(await Providers.ecsRamRole({ metadataBaseUrl })(caps)()()).toEqual(
        E.left(
          new CredentialsError.InvalidConfiguration(
            'ecs_ram_role',
            'metadataBaseUrl is not an absolute http(s) URL, e.g. http://100.100.100.200',
            { key: 'metadataBaseUrl' },
          ),
        ),
      )
    }
    expect(caps.http.requests).toEqual([])
  })

  it('passes configured timeouts to every call', async () => {
    const caps = setup()
    healthy(caps)
    await Providers.ecsRamRole({ connectTimeoutMs: 300, readTimeoutMs: 700 })(caps)()()
    expect(caps.http.requests.map((q) => [q.connectTimeoutMs, q.readTimeoutMs])).toEqual([
      [300, 700],
      [300, 700],
      [300, 700],
    ])
  })
})

describe('ecsRamRole: IMDSv1 fallback', () => {
  it('falls back to v1 (no token header) when the token PUT fails', async () => {
    const caps = setup()
    caps.http
      .on('PUT', TOKEN_URL, text(403, 'forbidden'))
      .on('GET', ROLES_URL, text(200, 'my-role'))
      .on('GET', credsUrl('my-role'), ecsBody(T0 + 6 * HOUR))
    expect(await Providers.ecsRamRole()(caps)()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(caps.http.requests).toEqual([put, get(ROLES_URL, null), get(credsUrl('my-role'), null)])
  })

  it('retries a failed token-bearing credential GET once without the token (2 GETs in total)', async () => {
    const caps = setup()
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN))
      .on('GET', credsUrl('r'), (req) =>
        req.headers?.['x-aliyun-ecs-metadata-token'] === undefined ? ecsBody(T0 + 6 * HOUR) : text(404, 'v2 failed'),
      )
    expect(await Providers.ecsRamRole({ roleName: 'r' })(caps)()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(caps.http.requests).toEqual([put, get(credsUrl('r')), get(credsUrl('r'), null)])
  })

  it('retries a Code error with the token once without it', async () => {
    const caps = setup()
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN))
      .on('GET', credsUrl('r'), ecsBody(0, { Code: 'Failed' }), ecsBody(T0 + 6 * HOUR))
    expect(await Providers.ecsRamRole({ roleName: 'r' })(caps)()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(caps.http.requestsTo(credsUrl('r'))).toHaveLength(2)
  })

  it.each([
    ['the option', { disableIMDSv1: true }, {}],
    ['ALIBABA_CLOUD_IMDSV1_DISABLED=TRUE', {}, { ALIBABA_CLOUD_IMDSV1_DISABLED: 'TRUE' }],
  ])('with v1 disabled by %s, a failed token PUT is fatal after exactly one request', async (_, opts, env) => {
    const caps = setup(env)
    caps.http.on('PUT', TOKEN_URL, text(400, RAW))
    const e = leftOf(await Providers.ecsRamRole({ roleName: 'r', ...opts })(caps)()())
    expect(e).toEqual(
      new CredentialsError.SourceFailure(
        'ecs_ram_role',
        'the IMDSv2 token request failed and IMDSv1 fallback is disabled (disableIMDSv1 or ALIBABA_CLOUD_IMDSV1_DISABLED=true): ECS metadata PUT /latest/api/token answered HTTP 400',
        { status: 400, retryable: false },
        new CredentialsError.SourceFailure('ecs_ram_role', 'ECS metadata PUT /latest/api/token answered HTTP 400', {
          status: 400,
          retryable: false,
        }),
      ),
    )
    expect(caps.http.requests).toEqual([put])
    expectNoLeak(e)
  })

  it('with v1 disabled, a 500 on the credential GET fails after exactly one GET', async () => {
    const caps = setup()
    caps.http.on('PUT', TOKEN_URL, text(200, IMDS_TOKEN)).on('GET', credsUrl('r'), text(500, 'v2 failed'))
    const e = leftOf(await Providers.ecsRamRole({ roleName: 'r', disableIMDSv1: true })(caps)()())
    expect(e).toEqual(
      new CredentialsError.SourceFailure(
        'ecs_ram_role',
        'ECS metadata GET /latest/meta-data/ram/security-credentials/r answered HTTP 500',
        { status: 500, retryable: true },
      ),
    )
    expect(caps.http.requests).toEqual([put, get(credsUrl('r'))])
  })

  it('the env var only turns the fallback off: IMDSV1_DISABLED=false does not undo the option', async () => {
    const caps = setup({ ALIBABA_CLOUD_IMDSV1_DISABLED: 'false' })
    caps.http.on('PUT', TOKEN_URL, text(500, ''))
    expect(leftOf(await Providers.ecsRamRole({ roleName: 'r', disableIMDSv1: true })(caps)()())._tag).toBe(
      'SourceFailure',
    )
    expect(caps.http.requests).toEqual([put])
  })
})

describe('ecsRamRole: token and role caching', () => {
  it('reuses the token and the discovered role: a later refresh is one GET; the token is renewed before its TTL', async () => {
    const caps = setup()
    let exp = T0 + 6 * HOUR
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN), text(200, 'imds-token-2'))
      .on('GET', ROLES_URL, text(200, 'my-role'))
      .on('GET', credsUrl('my-role'), () => ecsBody(exp))
    const p = Providers.ecsRamRole()(caps)
    expect(await p()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(caps.http.requests).toHaveLength(3)

    // 5 h 10 min later: inside the 60-min prefetch window, outside the 15-min stale window.
    await caps.clock.advance(5 * HOUR + 10 * 60_000)
    exp = T0 + 11 * HOUR
    expect(await p()()).toEqual(E.right(expected(T0 + 6 * HOUR))) // served at once
    await flush(caps)
    expect(caps.http.requests.slice(3)).toEqual([get(credsUrl('my-role'))]) // background: one GET, cached token
    expect(await p()()).toEqual(E.right(expected(T0 + 11 * HOUR)))

    // Next prefetch at ~10 h 10 min: the token (TTL 6 h from T0) has expired, so a new one is fetched first.
    await caps.clock.advance(5 * HOUR)
    exp = T0 + 16 * HOUR
    await p()()
    await flush(caps)
    expect(caps.http.requests.slice(4)).toEqual([put, get(credsUrl('my-role'), 'imds-token-2')])
    expect(await p()()).toEqual(E.right(expected(T0 + 16 * HOUR)))
  })

  it('renews the token when less than 5 minutes of its TTL are left', async () => {
    const caps = setup()
    caps.http.on('PUT', TOKEN_URL, text(200, IMDS_TOKEN)).on('GET', credsUrl('r'), ecsBody(T0 + 6 * HOUR))
    const p = Providers.ecsRamRole({ roleName: 'r' })(caps)
    await p()()
    await caps.clock.advance(6 * HOUR - 5 * 60_000 - 1)
    await p.forceRefresh()()
    expect(caps.http.requests.map((q) => q.method)).toEqual(['PUT', 'GET', 'GET'])
    await caps.clock.advance(1)
    await p.forceRefresh()()
    expect(caps.http.requests.map((q) => q.method)).toEqual(['PUT', 'GET', 'GET', 'PUT', 'GET'])
  })

  it('with v1 disabled, a cached token that is refused is replaced once and the call retried', async () => {
    const caps = setup()
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN), text(200, 'imds-token-2'))
      .on('GET', credsUrl('r'), ecsBody(T0 + 6 * HOUR), text(401, 'bad token'), ecsBody(T0 + 7 * HOUR))
    const p = Providers.ecsRamRole({ roleName: 'r', disableIMDSv1: true })(caps)
    await p()()
    await caps.clock.advance(HOUR)
    expect(await p.forceRefresh()()).toEqual(E.right(expected(T0 + 7 * HOUR)))
    expect(caps.http.requests).toEqual([
      put,
      get(credsUrl('r')),
      get(credsUrl('r')),
      put,
      get(credsUrl('r'), 'imds-token-2'),
    ])
  })

  it('a token refused during discovery is replaced before the credential GET', async () => {
    const caps = setup()
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN), text(200, 'imds-token-2'))
      .on('GET', ROLES_URL, (req) =>
        req.headers?.['x-aliyun-ecs-metadata-token'] === IMDS_TOKEN ? text(403, 'refused') : text(200, 'my-role'),
      )
      .on('GET', credsUrl('my-role'), ecsBody(T0 + 6 * HOUR))
    expect(await Providers.ecsRamRole()(caps)()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(caps.http.requests).toEqual([
      put,
      get(ROLES_URL),
      get(ROLES_URL, null),
      put,
      get(credsUrl('my-role'), 'imds-token-2'),
    ])
  })

  it('with v1 disabled, a cached token refused during discovery is replaced and the new one used for the credentials', async () => {
    const caps = setup()
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN), text(200, 'imds-token-2'))
      .on('GET', ROLES_URL, text(200, 'my-role'), text(403, 'refused'), text(200, 'my-role'))
      .on('GET', credsUrl('my-role'), ecsBody(T0 + 6 * HOUR), text(404, 'gone'), ecsBody(T0 + 7 * HOUR))
    const p = Providers.ecsRamRole({ disableIMDSv1: true })(caps)
    await p()()
    expect(leftOf(await p.forceRefresh()())._tag).toBe('SourceFailure') // 404: the role is forgotten
    expect(await p.forceRefresh()()).toEqual(E.right(expected(T0 + 7 * HOUR)))
    expect(caps.http.requests).toEqual([
      put,
      get(ROLES_URL),
      get(credsUrl('my-role')),
      get(credsUrl('my-role')),
      get(ROLES_URL),
      put,
      get(ROLES_URL, 'imds-token-2'),
      get(credsUrl('my-role'), 'imds-token-2'),
    ])
  })

  it('discovers the role again after the metadata service says the role is gone (404)', async () => {
    const caps = setup()
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN))
      .on('GET', ROLES_URL, text(200, 'old-role'), text(200, 'new-role'))
      .on('GET', credsUrl('old-role'), ecsBody(T0 + 6 * HOUR), text(404, 'gone'))
      .on('GET', credsUrl('new-role'), ecsBody(T0 + 7 * HOUR))
    const p = Providers.ecsRamRole({ disableIMDSv1: true })(caps)
    await p()()
    const e = leftOf(await p.forceRefresh()())
    expect(e).toEqual(
      new CredentialsError.SourceFailure(
        'ecs_ram_role',
        'ECS metadata GET /latest/meta-data/ram/security-credentials/old-role answered HTTP 404: the role is not attached to this instance; check roleName / ALIBABA_CLOUD_ECS_METADATA',
        { status: 404, retryable: false },
      ),
    )
    expect(await p.forceRefresh()()).toEqual(E.right(expected(T0 + 7 * HOUR)))
    expect(caps.http.requests.map((q) => `${q.method} ${q.url}`)).toEqual([
      `PUT ${TOKEN_URL}`,
      `GET ${ROLES_URL}`,
      `GET ${credsUrl('old-role')}`,
      `GET ${credsUrl('old-role')}`,
      `GET ${ROLES_URL}`,
      `GET ${credsUrl('new-role')}`,
    ])
  })

  it('says when no RAM role is attached (role list 404)', async () => {
    const caps = setup()
    caps.http.on('PUT', TOKEN_URL, text(200, IMDS_TOKEN)).on('GET', ROLES_URL, text(404, 'Not Found'))
    expect(leftOf(await Providers.ecsRamRole({ disableIMDSv1: true })(caps)()())).toEqual(
      new CredentialsError.SourceFailure(
        'ecs_ram_role',
        'ECS metadata GET /latest/meta-data/ram/security-credentials/ answered HTTP 404: no RAM role is attached to this instance; attach one, or set roleName / ALIBABA_CLOUD_ECS_METADATA',
        { status: 404, retryable: false },
      ),
    )
  })

  it('shares one refresh among concurrent callers', async () => {
    const caps = setup()
    healthy(caps)
    const p = Providers.ecsRamRole()(caps)
    const rs = await Promise.all([p()(), p()(), p()(), p()()])
    expect(rs).toEqual(Array(4).fill(E.right(expected(T0 + 6 * HOUR))))
    expect(caps.http.requests).toHaveLength(3)
  })
})

describe('ecsRamRole: off ECS', () => {
  it('is NotConfigured, without any request, when ALIBABA_CLOUD_ECS_METADATA_DISABLED=true', async () => {
    const caps = setup({ ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'True' })
    expect(await Providers.ecsRamRole()(caps)()()).toEqual(
      E.left(
        new CredentialsError.NotConfigured(
          'ecs_ram_role',
          'the ECS metadata source is turned off by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true',
        ),
      ),
    )
    expect(caps.http.requests).toEqual([])
  })

  it.each(['ConnectionRefused', 'ConnectTimeout', 'HostUnreachable'] as const)(
    '%s on the first probe: NotConfigured after one request, remembered for 5 minutes',
    async (kind) => {
      const caps = setup()
      caps.http.on('*', `${BASE}/*`, { error: kind })
      const p = Providers.ecsRamRole()(caps)
      expect(await p()()).toEqual(
        E.left(
          new CredentialsError.NotConfigured(
            'ecs_ram_role',
            `not running on ECS, or metadata unreachable (${kind} on PUT ${TOKEN_URL}); set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true to skip`,
          ),
        ),
      )
      expect(caps.http.requests).toEqual([put])
      await caps.clock.advance(60_000)
      expect(await p()()).toEqual(
        E.left(
          new CredentialsError.NotConfigured(
            'ecs_ram_role',
            'not running on ECS, or metadata unreachable (remembered from a probe 60 s ago; probing again in 240 s); set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true to skip',
          ),
        ),
      )
      expect(caps.http.requests).toHaveLength(1)
      await caps.clock.advance(240_000)
      expect(leftOf(await p()())._tag).toBe('NotConfigured')
      expect(caps.http.requests).toEqual([put, put])
    },
  )

  it('remembers for `unreachableTtlMs`', async () => {
    const caps = setup()
    const p = Providers.ecsRamRole({ unreachableTtlMs: 1_000 })(caps)
    await p()()
    await caps.clock.advance(999)
    await p()()
    expect(caps.http.requests).toHaveLength(1)
    await caps.clock.advance(1)
    await p()()
    expect(caps.http.requests).toHaveLength(2)
  })

  it('once the service has answered, a connection failure is a retryable SourceFailure, not a skip', async () => {
    const caps = setup()
    healthy(caps, T0 + HOUR)
    const p = Providers.ecsRamRole({ disableIMDSv1: true })(caps)
    await p()()
    caps.http.on('*', `${BASE}/*`, { error: 'ConnectionRefused' })
    await caps.clock.advance(HOUR)
    const e = leftOf(await p()())
    expect(e._tag).toBe('SourceFailure')
    expect(e._tag === 'SourceFailure' && e.retryable).toBe(true)
    expect(e.message).toMatch(/ConnectionRefused/)
  })

  it('a metadata address that answers with errors is a SourceFailure (reachable but erroring)', async () => {
    const caps = setup()
    caps.http.on('*', `${BASE}/*`, text(502, RAW))
    const e = leftOf(await Providers.ecsRamRole()(caps)()())
    expect(e).toEqual(
      new CredentialsError.SourceFailure(
        'ecs_ram_role',
        'ECS metadata GET /latest/meta-data/ram/security-credentials/ answered HTTP 502',
        { status: 502, retryable: true },
      ),
    )
    expect(caps.http.requests).toEqual([put, get(ROLES_URL, null)])
  })

  it('a server that never answers: each read timeout (1 s) fires, then a retryable SourceFailure', async () => {
    const caps = setup()
    caps.http.on('*', `${BASE}/*`, { hang: true })
    const pending = Providers.ecsRamRole()(caps)()()
    await caps.clock.advance(1_000) // token PUT times out → v1
    await caps.clock.advance(1_000) // role list GET times out
    const e = leftOf(await pending)
    expect(e).toEqual(
      new CredentialsError.SourceFailure(
        'ecs_ram_role',
        `ECS metadata GET /latest/meta-data/ram/security-credentials/ failed: no response within 1000 ms (ReadTimeout on ${ROLES_URL})`,
        { retryable: true },
      ),
    )
    expect(caps.clock.now()).toBe(T0 + 2_000)
  })
})

describe('ecsRamRole: bad answers on the credential GET', () => {
  const cases = badBodies((b) => ({ Code: 'Success', ...b }), block(T0 + 6 * HOUR))
  it.each(cases)('$name → typed error, no secret, no raw body', async (c) => {
    const caps = setup()
    caps.http.on('PUT', TOKEN_URL, text(200, IMDS_TOKEN)).on('GET', credsUrl('r'), c.reply)
    const p = Providers.ecsRamRole({ roleName: 'r', disableIMDSv1: true })(caps)
    const e = leftOf(await p()())
    expect(e._tag).toBe('SourceFailure')
    if (e._tag !== 'SourceFailure') return
    expect({ status: e.status, retryable: e.retryable, code: e.code }).toEqual({
      status: c.expect.status,
      retryable: c.expect.retryable,
      code: c.expect.code,
    })
    expect(e.message).toMatch(/^ECS metadata GET \/latest\/meta-data\/ram\/security-credentials\/r /)
    expect(e.message).toMatch(c.expect.message)
    expectNoLeak(e)
  })

  it('extra fields are ignored', async () => {
    const caps = setup()
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN))
      .on('GET', credsUrl('r'), ecsBody(T0 + 6 * HOUR, { Extra: { nested: true }, LastUpdated: 'whatever' }))
    expect(await Providers.ecsRamRole({ roleName: 'r' })(caps)()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
  })

  it.each([
    ['Failed', { Code: 'Failed' }, 'answered Code Failed instead of Code Success', 'Failed'],
    ['missing', { Code: undefined }, 'answered without a Code instead of Code Success', undefined],
    [
      'not an identifier',
      { Code: `${RAW} ${SECRET}` },
      'answered Code (not an identifier) instead of Code Success',
      undefined,
    ],
  ])('Code %s → SourceFailure', async (_, extra, message, code) => {
    const caps = setup()
    caps.http.on('PUT', TOKEN_URL, text(200, IMDS_TOKEN)).on('GET', credsUrl('r'), ecsBody(T0 + 6 * HOUR, extra))
    const e = leftOf(await Providers.ecsRamRole({ roleName: 'r', disableIMDSv1: true })(caps)()())
    expect(e).toEqual(
      new CredentialsError.SourceFailure(
        'ecs_ram_role',
        `ECS metadata GET /latest/meta-data/ram/security-credentials/r ${message}; the instance's role credentials are not available`,
        code === undefined ? { status: 200, retryable: true } : { status: 200, code, retryable: true },
      ),
    )
    expectNoLeak(e)
  })

  it('static stability: credentials already past their Expiration are served, warned about once, refreshed with backoff', async () => {
    const caps = setup()
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN))
      .on('GET', credsUrl('r'), ecsBody(T0 - 10 * 60_000), ecsBody(T0 + 6 * HOUR))
    const p = Providers.ecsRamRole({ roleName: 'r', disableIMDSv1: true })(caps)
    expect(await p()()).toEqual(E.right(expected(T0 - 10 * 60_000)))
    expect(caps.reporter.warnings).toEqual([
      "alicred: ecs_ram_role: the source answered with a credential that had already expired (at 2023-12-31T23:50:00.000Z, 600 s before this machine's time: the clocks of this machine and of the source disagree); serving it anyway, as the source vouches for it, and refreshing with backoff until one arrives that this clock accepts; check both clocks (NTP)",
    ])
    expect(caps.reporter.warnings.join('\n')).not.toContain('secret')
    expect(await p()()).toEqual(E.right(expected(T0 - 10 * 60_000))) // inside the backoff step: no request
    expect(caps.http.requestsTo(credsUrl('r'))).toHaveLength(1)
    await caps.clock.advance(1_000)
    expect(await p()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(caps.http.requestsTo(credsUrl('r'))).toHaveLength(2)
  })

  it('an empty token answer counts as a failed token request', async () => {
    const caps = setup()
    caps.http.on('PUT', TOKEN_URL, text(200, '')).on('GET', credsUrl('r'), ecsBody(T0 + 6 * HOUR))
    expect(await Providers.ecsRamRole({ roleName: 'r' })(caps)()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    expect(caps.http.requests).toEqual([put, get(credsUrl('r'), null)])
  })
})

describe('ecsRamRole: cache', () => {
  it('serves the cached credential until the prefetch window, then refreshes in the background', async () => {
    const caps = setup()
    let exp = T0 + 6 * HOUR
    caps.http.on('PUT', TOKEN_URL, text(200, IMDS_TOKEN)).on('GET', credsUrl('r'), () => ecsBody(exp))
    const p = Providers.ecsRamRole({ roleName: 'r' })(caps)
    await p()()
    await caps.clock.advance(5 * HOUR - 1)
    await p()()
    await flush(caps)
    expect(caps.http.requestsTo(credsUrl('r'))).toHaveLength(1) // 60 min + 1 ms left: no refresh
    await caps.clock.advance(1)
    exp = T0 + 12 * HOUR
    expect(await p()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    await flush(caps)
    expect(caps.http.requestsTo(credsUrl('r'))).toHaveLength(2)
    expect(await p()()).toEqual(E.right(expected(T0 + 12 * HOUR)))
  })

  it('a failed background refresh is contained and the still-valid credential keeps being served (with backoff)', async () => {
    const caps = setup()
    caps.http
      .on('PUT', TOKEN_URL, text(200, IMDS_TOKEN))
      .on('GET', credsUrl('r'), ecsBody(T0 + 6 * HOUR), text(500, RAW), text(500, RAW), ecsBody(T0 + 12 * HOUR))
    const p = Providers.ecsRamRole({ roleName: 'r', disableIMDSv1: true })(caps)
    await p()()
    await caps.clock.advance(5 * HOUR + 30 * 60_000)
    expect(await p()()).toEqual(E.right(expected(T0 + 6 * HOUR)))
    await flush(caps)
    expect(caps.http.requestsTo(credsUrl('r'))).toHaveLength(2) // failed in the background
    expect(await p()()).toEqual(E.right(expected(T0 + 6 * HOUR))) // inside the backoff: no new request
    await flush(caps)
    expect(caps.http.requestsTo(credsUrl('r'))).toHaveLength(2)
    await caps.clock.advance(1_000) // first backoff step is at most 1 s
    await p()()
    await flush(caps)
    expect(caps.http.requestsTo(credsUrl('r'))).toHaveLength(3)
    await caps.clock.advance(2_000)
    await p()()
    await flush(caps)
    expect(await p()()).toEqual(E.right(expected(T0 + 12 * HOUR)))
  })

  it('after expiry, a failing refresh is an error, never the expired credential', async () => {
    const caps = setup()
    caps.http.on('PUT', TOKEN_URL, text(200, IMDS_TOKEN)).on('GET', credsUrl('r'), ecsBody(T0 + HOUR), text(503, RAW))
    const p = Providers.ecsRamRole({ roleName: 'r', disableIMDSv1: true })(caps)
    await p()()
    await caps.clock.advance(HOUR)
    const e = leftOf(await p()())
    expect(e._tag).toBe('SourceFailure')
    expect(e.message).toMatch(/^the cached credential expired at 2024-01-01T01:00:00.000Z and refreshing it failed: /)
  })
})
