// Every credential type and every error, printed every way a program prints things, never shows a secret.
import { format, inspect } from 'node:util'
import {
  CredentialsError as CE,
  Credential,
  Decode,
  Failure,
  maskId,
  Provider,
  REDACTED,
  redactUrl,
  redactUrlIn,
} from '@alicred/core'
import { manualClock } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'

const SECRET = 'sk-REDACT-SECRET-3b9f1c'
const TOKEN = 'st-REDACT-TOKEN-a17e42'
const BEARER = 'bt-REDACT-BEARER-6d20'
const SECRETS = [SECRET, TOKEN, BEARER]

const renderings = (u: unknown): ReadonlyArray<string> => [
  String(u),
  `${u}`,
  JSON.stringify(u),
  JSON.stringify({ nested: [u] }),
  inspect(u),
  inspect(u, { depth: Number.POSITIVE_INFINITY }),
  inspect({ nested: { deeper: [u] } }),
  format('%s %o %O %j', u, u, u, u),
  u instanceof Error ? (u.stack ?? '') : '',
  u instanceof Error ? u.message : '',
]

const expectClean = (u: unknown): void => {
  for (const r of renderings(u)) for (const s of SECRETS) expect(r).not.toContain(s)
}

const credentials: ReadonlyArray<Credential.Credential> = [
  Credential.accessKey({ accessKeyId: 'LTAI5tExample', accessKeySecret: SECRET, source: 'static_ak' }),
  Credential.sts({
    accessKeyId: 'STS.NUexample',
    accessKeySecret: SECRET,
    securityToken: TOKEN,
    expiration: new Date('2024-01-01T06:00:00Z'),
    source: 'default/profile/ram_role_arn/static_ak',
  }),
  Credential.bearer({ bearerToken: BEARER, source: 'bearer' }),
]

// A cause holding a secret, as an HTTP library's error or a thrown provider error might.
const leaky = new Error(`request failed: AccessKeySecret=${SECRET}&SecurityToken=${TOKEN}`)

const leaves: ReadonlyArray<CE.CredentialsError> = [
  new CE.NotConfigured('env', 'ALIBABA_CLOUD_ACCESS_KEY_ID is not set', leaky),
  new CE.InvalidConfiguration('profile', 'type is missing', { file: '/home/u/.alibabacloud/credentials' }, leaky),
  new CE.SourceFailure('sts', 'STS AssumeRole answered HTTP 403', { status: 403, retryable: false }, leaky),
  CE.fromUnknown('custom')(leaky),
  CE.fromUnknown('custom')(SECRET),
]

const chain = new CE.ChainExhausted('default', [
  ...leaves.map((e) => ({ provider: e.provider, error: e })),
  {
    provider: 'profile',
    error: new CE.ChainExhausted('profile', [{ provider: 'profile/ini', error: leaves[0]! }]),
  },
])

describe('credentials', () => {
  it.each(credentials.map((c) => [c.type, c] as const))('%s prints no secret', (_, c) => {
    expectClean(c)
    for (const r of [String(c), JSON.stringify(c), inspect(c)]) expect(r).toContain(REDACTED)
  })

  it('the fields still give the values', () => {
    expect(credentials.flatMap(Credential.secretsOf)).toEqual([SECRET, SECRET, TOKEN, BEARER])
  })

  it('so do credentials renamed, modified or rebuilt from plain objects', () => {
    for (const c of credentials) {
      expectClean(Credential.withSource('default')(c))
      expectClean(Credential.modify({ expiration: undefined })(c))
      const plain = E.getOrElseW(() => undefined)(Credential.validate({ ...c }))
      expect(plain).toBeDefined()
      expectClean(plain)
    }
  })
})

describe('errors', () => {
  it.each(leaves.map((e) => [e._tag, e] as const))('%s prints no secret, not even from its cause', (_, e) => {
    expectClean(e)
  })

  it('ChainExhausted holding errors prints no secret', () => {
    expectClean(chain)
    expectClean(CE.withProvider('outer')(chain))
  })

  it('maskId shows at most four characters of an id', () => {
    expect(['LTAI5tExample', 'abcd', '', 'STS.NU'].map(maskId)).toEqual(['LTAI****', '****', '****', 'STS.****'])
  })
})

describe('URLs whose path is a secret', () => {
  it('redactUrl shows scheme, host and port only', () => {
    expect(
      [
        'http://127.0.0.1:8080/0f1e2d3c?token=x#frag',
        'https://user:pass@sidecar.example.com/creds',
        'http://[::1]:9/a/b/c',
        'not a url',
      ].map(redactUrl),
    ).toEqual(['http://127.0.0.1:8080/…', 'https://sidecar.example.com/…', 'http://[::1]:9/…', '<invalid url>'])
  })

  it('redactUrlIn removes the URL, its path and its query from a text, encoded or decoded', () => {
    const url = 'http://127.0.0.1:8080/0f1e2d3c/x%20y?token=a%2Bb'
    expect(
      redactUrlIn(`GET ${url}; path /0f1e2d3c/x%20y, /0f1e2d3c/x y; query ?token=a%2Bb ?token=a+b; the rest`, url),
    ).toBe('GET http://127.0.0.1:8080/…; path /…, /…; query ?… ?…; the rest')
    expect(redactUrlIn('nothing here', url)).toBe('nothing here')
  })
})

describe('errors the algebra makes from misbehaving providers', () => {
  const run = (p: Provider.Provider) => p()()

  it('a provider that throws, rejects or returns a leaky plain object', async () => {
    const misbehaving: ReadonlyArray<Provider.Provider> = [
      () => {
        throw leaky
      },
      () => () => Promise.reject(leaky),
      () => () => Promise.resolve({ _tag: 'Left', left: leaky }) as never,
      () => () => Promise.resolve(E.right({ type: 'access_key', accessKeyId: 'id', accessKeySecret: ' ' }) as never),
      () => () => Promise.resolve({ secret: SECRET } as never),
    ]
    for (const p of misbehaving) {
      const r = await run(pipe(p, Provider.named('custom')))
      expect(E.isLeft(r)).toBe(true)
      expectClean(E.isLeft(r) ? r.left : undefined)
    }
  })

  it('a leaky plain credential comes out redacted', async () => {
    const p: Provider.Provider = () => () =>
      Promise.resolve(
        E.right({ type: 'sts', accessKeyId: 'id', accessKeySecret: SECRET, securityToken: TOKEN }) as never,
      )
    const r = await run(pipe(p, Provider.named('custom')))
    expect(E.isRight(r) && r.right.source).toBe('custom')
    expectClean(E.isRight(r) ? r.right : undefined)
  })

  it('cached, after expiry, wrapping a failure that holds a cause', async () => {
    const clock = manualClock(0)
    let n = 0
    const upstream: Provider.Provider = () => async () =>
      n++ === 0
        ? E.right(Credential.modify({ expiration: new Date(60_000) })(credentials[1]!))
        : E.left(new CE.SourceFailure('sts', 'HTTP 503', { status: 503, retryable: true }, leaky))
    const p = Provider.cached({ clock, onStale: () => {} })(upstream)
    await p()()
    await clock.advance(61_000)
    const r = await p()()
    expect(E.isLeft(r) && r.left._tag).toBe('SourceFailure')
    expectClean(E.isLeft(r) ? r.left : undefined)
  })

  it('traced events hold no secret', async () => {
    const events: Array<Provider.TraceEvent> = []
    const clock = manualClock(0)
    await pipe(
      Provider.of(credentials[1]!),
      Provider.traced('sts', (e) => events.push(e), clock),
    )()()
    await pipe(
      Provider.fail(chain),
      Provider.traced('default', (e) => events.push(e), clock),
    )()()
    expect(events.map((e) => e.outcome)).toEqual(['success', 'skipped'])
    expectClean(events)
  })
})

describe('helpers that build messages from outside data', () => {
  it('Decode reports paths and types, never values', () => {
    const codec = t.type({ Credentials: t.type({ AccessKeySecret: t.number, SecurityToken: t.number }) })
    const r = Decode.decode(codec)({ Credentials: { AccessKeySecret: SECRET, SecurityToken: TOKEN } })
    expect(r).toEqual(
      E.left(
        'Credentials.AccessKeySecret: expected number, got string; Credentials.SecurityToken: expected number, got string',
      ),
    )
  })

  it('parseJson never echoes the text', () => {
    for (const text of [`{"AccessKeySecret": ${SECRET}}`, `${TOKEN}`, `{"a":"${SECRET}"`]) {
      const r = Decode.parseJson(text)
      expect(E.isLeft(r)).toBe(true)
      for (const s of SECRETS) expect(E.isLeft(r) ? r.left : '').not.toContain(s)
    }
  })

  it("Failure.fromStatus cuts STS's string to sign, which carries the security token", () => {
    const e = Failure.fromStatus('ram_role_arn', 'STS AssumeRole', 400, {
      code: 'SignatureDoesNotMatch',
      message: `Specified signature is not matched with our calculation. server string to sign is:POST&%2F&SecurityToken%3D${TOKEN}`,
      requestId: 'R1',
    })
    expectClean(e)
  })
})
