// The static-stability matrix: the credential-refresh conformance cases AWS SDKs (smithy) test their IMDS and STS
// clients against, run here against three wire sources (STS AssumeRole, ECS metadata, credentials URI) on fakeHttp:
//
// 1. the first call gets a credential that is already expired (clock skew): it is served, with one warning naming
//    the source and the skew, and refreshed with backoff — one upstream call per backoff step — as AWS SDKs do;
// 2. many concurrent callers hold an expired credential: one upstream call serves them all;
// 3. a read timeout, then success (with and without a cached credential);
// 4. HTTP 500, then success (with and without a cached credential);
// 5. a warning whenever a stale credential is served.
//
// Our answers differ from AWS's on purpose in one place: a credential that was valid when it arrived and has expired
// while cached is never handed out silently; if its refresh fails the caller gets a retryable SourceFailure (serving
// it past expiry while the source is down is opt-in, see the last block).
import { Credential, CredentialsError, Provider, Providers } from '@alicred/core'
import { type FakeCapabilities, fakeCapabilities, fakeRandom, json, type Reply, text } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const T0 = Date.UTC(2024, 0, 1)
const MIN = 60_000
const HOUR = 60 * MIN
const LIFETIME = 6 * HOUR
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')

interface Source {
  readonly name: string
  /** Where credential requests go (the URL counted as "upstream calls"). */
  readonly url: string
  readonly method: 'GET' | 'POST'
  readonly source: string
  /** A 200 answer carrying credential `n`, expiring at `exp`. */
  readonly answer: (n: number, exp: number) => Reply
  /** Sets up anything else the source needs (a metadata token). */
  readonly prepare: (caps: FakeCapabilities) => void
  readonly build: (caps: FakeCapabilities) => Provider.CachedProvider
}

const STS_URL = 'https://sts.aliyuncs.com/'
const ECS_BASE = 'http://100.100.100.200'
const URI = 'http://127.0.0.1:8080/credentials'

const sources: ReadonlyArray<Source> = [
  {
    name: 'ram_role_arn (STS AssumeRole)',
    url: STS_URL,
    method: 'POST',
    source: 'ram_role_arn/static_ak',
    answer: (n, exp) =>
      json(200, {
        RequestId: `req-${n}`,
        AssumedRoleUser: { Arn: 'acs:ram::1:role/r/s', AssumedRoleId: `3:${n}` },
        Credentials: {
          AccessKeyId: `STS.key-${n}`,
          AccessKeySecret: `secret-${n}`,
          SecurityToken: `token-${n}`,
          Expiration: iso(exp),
        },
      }),
    prepare: () => {},
    build: (caps) =>
      Providers.ramRoleArn({
        source: Providers.staticAccessKey({ accessKeyId: 'LTAI5tUser', accessKeySecret: 'user-secret' }),
        roleArn: 'acs:ram::1:role/r',
        roleSessionName: 's',
      })(caps),
  },
  {
    name: 'ecs_ram_role (metadata, IMDSv2 only)',
    url: `${ECS_BASE}/latest/meta-data/ram/security-credentials/r`,
    method: 'GET',
    source: 'ecs_ram_role',
    answer: (n, exp) =>
      json(200, {
        Code: 'Success',
        AccessKeyId: `STS.key-${n}`,
        AccessKeySecret: `secret-${n}`,
        SecurityToken: `token-${n}`,
        Expiration: iso(exp),
        LastUpdated: iso(T0),
      }),
    prepare: (caps) => {
      caps.http.on('PUT', `${ECS_BASE}/latest/api/token`, text(200, 'imds-token'))
    },
    build: (caps) => Providers.ecsRamRole({ roleName: 'r', disableIMDSv1: true })(caps),
  },
  {
    name: 'credentials_uri',
    url: URI,
    method: 'GET',
    source: 'credential_uri',
    answer: (n, exp) =>
      json(200, {
        Code: 'Success',
        AccessKeyId: `STS.key-${n}`,
        AccessKeySecret: `secret-${n}`,
        SecurityToken: `token-${n}`,
        Expiration: iso(exp),
      }),
    prepare: () => {},
    build: (caps) => Providers.credentialsUri({ uri: URI })(caps),
  },
]

const credential = (s: Source, n: number, exp: number): Credential.Credential =>
  Credential.sts({
    accessKeyId: `STS.key-${n}`,
    accessKeySecret: `secret-${n}`,
    securityToken: `token-${n}`,
    expiration: new Date(exp),
    source: s.source,
  })

const setup = (s: Source, ...replies: ReadonlyArray<Reply>) => {
  const caps = fakeCapabilities({ now: T0, random: fakeRandom(0) })
  s.prepare(caps)
  caps.http.on(s.method, s.url, ...replies)
  const p = s.build(caps)
  const upstream = () => caps.http.requestsTo(s.url).length
  return { caps, p, upstream }
}

const READ_TIMEOUT: Reply = { error: 'ReadTimeout' }
const HTTP_500: Reply = text(500, 'Internal Server Error')

// Warnings go to the capabilities' reporter; the console is never written to.
let consoleWarn: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  expect(consoleWarn).not.toHaveBeenCalled()
  consoleWarn.mockRestore()
})

const expectRetryableFailure = (
  r: E.Either<CredentialsError.CredentialsError, Credential.Credential>,
  provider: string,
) => {
  expect(r).toEqual(E.left(expect.any(CredentialsError.SourceFailure)))
  expect(
    E.isLeft(r) && { provider: r.left.provider, retryable: r.left._tag === 'SourceFailure' && r.left.retryable },
  ).toEqual({
    provider,
    retryable: true,
  })
}

describe.each(sources)('static stability: $name', (s) => {
  const provider = s.source.split('/')[0] as string

  it('first call, the server hands out an expired credential: served with one warning naming the source and the skew', async () => {
    const { caps, p, upstream } = setup(s, s.answer(1, T0 - MIN), s.answer(2, T0 + LIFETIME))
    expect(await p()()).toEqual(E.right(credential(s, 1, T0 - MIN)))
    expect(caps.reporter.warnings).toEqual([
      `alicred: ${provider}: the source answered with a credential that had already expired (at 2023-12-31T23:59:00.000Z, 60 s before this machine's time: the clocks of this machine and of the source disagree); serving it anyway, as the source vouches for it, and refreshing with backoff until one arrives that this clock accepts; check both clocks (NTP)`,
    ])
    // within the first backoff step (500 ms with jitter 0): served again, without asking
    await caps.clock.advance(499)
    expect(await p()()).toEqual(E.right(credential(s, 1, T0 - MIN)))
    expect(upstream()).toBe(1)
    // then one refresh brings a credential this clock accepts
    await caps.clock.advance(1)
    expect(await p()()).toEqual(E.right(credential(s, 2, T0 + LIFETIME)))
    expect(upstream()).toBe(2)
    expect(caps.reporter.warnings).toHaveLength(1)
    expect(caps.clock.pending()).toBe(0)
  })

  it('a source that keeps answering expired credentials is asked once per backoff step, and never fails a call', async () => {
    const { caps, p, upstream } = setup(s, s.answer(1, T0 - HOUR))
    const calls: Array<number> = []
    for (let t = 0; t <= 20_000; t += 250) {
      const rs = await Promise.all(Array.from({ length: 5 }, () => p()()))
      expect(rs.every((r) => E.isRight(r))).toBe(true)
      if (upstream() > calls.length) calls.push(t)
      await caps.clock.advance(250)
    }
    // Steps of 0.5, 1, 2, 4, 8 s (equal jitter, fraction 0), each longer than the last.
    expect(calls).toEqual([0, 500, 1_500, 3_500, 7_500, 15_500])
    expect(caps.reporter.warnings).toHaveLength(1)
  })

  it('a failed refresh while serving an expired answer keeps serving it, warned once per failure', async () => {
    const { caps, p, upstream } = setup(s, s.answer(1, T0 - MIN), HTTP_500, s.answer(2, T0 + LIFETIME))
    await p()()
    await caps.clock.advance(500)
    expect(await p()()).toEqual(E.right(credential(s, 1, T0 - MIN)))
    expect(await p()()).toEqual(E.right(credential(s, 1, T0 - MIN)))
    expect(upstream()).toBe(2)
    expect(caps.reporter.warnings[1]).toMatch(
      new RegExp(
        `^alicred: ${provider}: serving a cached credential that expired 61 s ago because refreshing it failed`,
      ),
    )
    await caps.clock.advance(1_000)
    expect(await p()()).toEqual(E.right(credential(s, 2, T0 + LIFETIME)))
    expect(caps.reporter.warnings).toHaveLength(2)
  })

  it('50 concurrent callers holding an expired credential cause exactly one upstream call', async () => {
    const { caps, p, upstream } = setup(s, s.answer(1, T0 + LIFETIME), s.answer(2, T0 + 2 * LIFETIME))
    expect(await p()()).toEqual(E.right(credential(s, 1, T0 + LIFETIME)))
    await caps.clock.advance(LIFETIME + MIN)
    const results = await Promise.all(Array.from({ length: 50 }, () => p()()))
    expect(results).toEqual(Array.from({ length: 50 }, () => E.right(credential(s, 2, T0 + 2 * LIFETIME))))
    expect(upstream()).toBe(2)
  })

  it.each([
    ['a read timeout', READ_TIMEOUT],
    ['HTTP 500', HTTP_500],
  ])(
    '%s then success, with a credential in its stale window: served stale with one warning, then refreshed',
    async (_, bad) => {
      const { caps, p, upstream } = setup(s, s.answer(1, T0 + LIFETIME), bad, s.answer(2, T0 + 2 * LIFETIME))
      const first = credential(s, 1, T0 + LIFETIME)
      expect(await p()()).toEqual(E.right(first))
      await caps.clock.advance(LIFETIME - 10 * MIN)
      // the refresh fails: the caller still gets the valid credential, and is warned once
      expect(await p()()).toEqual(E.right(first))
      expect(upstream()).toBe(2)
      // within the backoff: served at once, without asking again
      expect(await p()()).toEqual(E.right(first))
      expect(upstream()).toBe(2)
      expect(caps.reporter.warnings).toHaveLength(1)
      expect(caps.reporter.warnings[0]).toMatch(
        new RegExp(
          `^alicred: ${provider}: serving a cached credential that expires in 600 s because refreshing it failed`,
        ),
      )
      await caps.clock.advance(2_000)
      expect(await p()()).toEqual(E.right(credential(s, 2, T0 + 2 * LIFETIME)))
      expect(upstream()).toBe(3)
      expect(caps.reporter.warnings).toHaveLength(1)
    },
  )

  it.each([
    ['a read timeout', READ_TIMEOUT],
    ['HTTP 500', HTTP_500],
  ])('%s then success, with nothing cached: a retryable SourceFailure, then the credential', async (_, bad) => {
    const { caps, p, upstream } = setup(s, bad, s.answer(1, T0 + LIFETIME))
    expectRetryableFailure(await p()(), provider)
    expect(await p()()).toEqual(E.right(credential(s, 1, T0 + LIFETIME)))
    expect(upstream()).toBe(2)
    expect(caps.reporter.warnings).toEqual([])
    expect(caps.clock.pending()).toBe(0)
  })

  it('an expired credential and a failing source: a SourceFailure naming the expiry, never the expired credential', async () => {
    const { caps, p } = setup(s, s.answer(1, T0 + LIFETIME), HTTP_500)
    await p()()
    await caps.clock.advance(LIFETIME + 1)
    const r = await p()()
    expectRetryableFailure(r, provider)
    expect(E.isLeft(r) && r.left.message).toMatch(/^the cached credential expired at .* and refreshing it failed/)
  })
})

describe.each(sources)('static stability through Provider.cached: $name', (s) => {
  // `forceRefresh` is the source's own wire refresh, so the outer cache decides what callers get.
  const outer = (caps: FakeCapabilities, inner: Provider.CachedProvider, staticStabilityMs?: number) => {
    const stale: Array<Provider.StaleEvent> = []
    const p = Provider.cached(
      {
        name: 'outer',
        backoff: { baseMs: MIN, maxMs: MIN },
        onStale: (e) => stale.push(e),
        ...(staticStabilityMs === undefined ? {} : { staticStabilityMs }),
      },
      { clock: caps.clock, random: fakeRandom(0) },
    )(() => inner.forceRefresh())
    return { p, stale }
  }

  it('reports every stale serve to onStale, with the time left and the failure', async () => {
    const { caps, p: inner, upstream } = setup(s, s.answer(1, T0 + LIFETIME), HTTP_500, s.answer(2, T0 + 2 * LIFETIME))
    const { p, stale } = outer(caps, inner)
    const first = credential(s, 1, T0 + LIFETIME)
    await p()()
    await caps.clock.advance(LIFETIME - 10 * MIN)
    for (let i = 0; i < 3; i++) {
      expect(await p()()).toEqual(E.right(first))
      await caps.clock.advance(1_000)
    }
    expect(stale.map((e) => ({ provider: e.provider, remainingMs: e.remainingMs, tag: e.error._tag }))).toEqual([
      { provider: 'outer', remainingMs: 10 * MIN, tag: 'SourceFailure' },
      { provider: 'outer', remainingMs: 10 * MIN - 1_000, tag: 'SourceFailure' },
      { provider: 'outer', remainingMs: 10 * MIN - 2_000, tag: 'SourceFailure' },
    ])
    expect(upstream()).toBe(2)
    await caps.clock.advance(MIN)
    expect(await p()()).toEqual(E.right(credential(s, 2, T0 + 2 * LIFETIME)))
    expect(stale).toHaveLength(3)
  })

  it('opt-in static stability serves an expired credential while the source is down, reporting each serve, within its bound', async () => {
    const { caps, p: inner } = setup(s, s.answer(1, T0 + LIFETIME), HTTP_500)
    const { p, stale } = outer(caps, inner, 30 * MIN)
    const first = credential(s, 1, T0 + LIFETIME)
    await p()()
    await caps.clock.advance(LIFETIME + MIN)
    expect(await p()()).toEqual(E.right(first))
    expect(stale.map((e) => e.remainingMs)).toEqual([-MIN])
    await caps.clock.advance(30 * MIN)
    const r = await p()()
    expectRetryableFailure(r, 'outer')
  })
})

describe('static stability: a chainable role (Aliyun CLI ChainableRamRoleArn)', () => {
  const config = JSON.stringify({
    current: 'chained',
    profiles: [
      { name: 'base', mode: 'AK', access_key_id: 'LTAI5tUser', access_key_secret: 'user-secret' },
      { name: 'chained', mode: 'ChainableRamRoleArn', source_profile: 'base', ram_role_arn: 'acs:ram::1:role/r' },
    ],
  })
  const sts = sources[0] as Source

  it('an AssumeRole answer already past its Expiration is served, with one warning, then refreshed with backoff', async () => {
    const caps = fakeCapabilities({ now: T0, random: fakeRandom(0), files: { '~/.aliyun/config.json': config } })
    caps.http.on('POST', STS_URL, sts.answer(1, T0 - 10 * MIN), sts.answer(2, T0 + LIFETIME))
    const p = Providers.cliProfile()(caps)
    const first = await p()()
    expect(E.isRight(first) && [first.right.source, first.right.expiration?.getTime()]).toEqual([
      'cli_profile/ram_role_arn/static_ak',
      T0 - 10 * MIN,
    ])
    expect(caps.reporter.warnings).toEqual([
      expect.stringMatching(
        /^alicred: ram_role_arn: the source answered with a credential that had already expired \(at 2023-12-31T23:50:00.000Z, 600 s before this machine's time/,
      ),
    ])
    expect(caps.http.requestsTo(STS_URL)).toHaveLength(1)
    await caps.clock.advance(500)
    const second = await p()()
    expect(E.isRight(second) && second.right.expiration?.getTime()).toBe(T0 + LIFETIME)
    expect(caps.http.requestsTo(STS_URL)).toHaveLength(2)
    expect(caps.reporter.warnings).toHaveLength(1)
  })
})
