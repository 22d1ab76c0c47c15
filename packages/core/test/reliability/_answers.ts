// Arbitrary answers of remote endpoints for the fuzzers: any status, any body — random JSON, random text, and an
// answer shaped like the sources' own with fields dropped, retyped, emptied, cut short or stuffed with secrets.
import { Expiration } from '@alicred/core'
import { type FakeCapabilities, fakeCapabilities as fakes, type Reply } from '@alicred/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkOutcome, RESPONSE_SECRET, RESPONSE_TOKEN, RUNS, run } from './_support.js'

export const T0 = Date.UTC(2024, 0, 1)
const HOUR = 3_600_000

const expiration = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 12 }).map((h) => Expiration.formatTimestamp(T0 + h * HOUR)) },
  fc.constantFrom('2024-01-01T06:00:00+08:00', '2024-13-01T00:00:00Z', '', 'never', '2024-02-30T00:00:00Z'),
  fc.integer(),
  fc.string({ maxLength: 24 }),
)
/**
 * Answers that may echo `echo`: the secrets this source sends (a token in a query or a header), which a server can
 * repeat in an error `Message`. The library knows them and must scrub them. The credential fields carry
 * RESPONSE_SECRET / RESPONSE_TOKEN, which must never be quoted whatever the answer looks like.
 */
export const answers = (echo: ReadonlyArray<string>) => {
  const echoed =
    echo.length === 0
      ? fc.string({ maxLength: 12 })
      : fc
          .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...echo), fc.string({ maxLength: 6 }))
          .map(([a, x, b]) => `${a}${x}${b}`)
  const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), echoed)
  /** A field of the source's answer: usually right, sometimes gone, retyped, emptied or replaced. */
  const field = (good: fc.Arbitrary<unknown>) =>
    fc.oneof(
      { weight: 12, arbitrary: good },
      fc.constant(undefined),
      fc.constant(''),
      scalar,
      fc.jsonValue({ maxDepth: 1 }),
    )
  const credentialBlock = (keys: { id: string; secret: string; token: string; exp: string }) =>
    fc.record({
      [keys.id]: field(fc.constantFrom('STS.fuzz-id', 'LTAI5tFuzz')),
      [keys.secret]: field(fc.constant(RESPONSE_SECRET)),
      [keys.token]: field(fc.constant(RESPONSE_TOKEN)),
      [keys.exp]: field(expiration),
    })
  const PASCAL = { id: 'AccessKeyId', secret: 'AccessKeySecret', token: 'SecurityToken', exp: 'Expiration' }
  const CAMEL = { id: 'accessKeyId', secret: 'accessKeySecret', token: 'securityToken', exp: 'expiration' }
  const SNAKE = { id: 'access_key_id', secret: 'access_key_secret', token: 'sts_token', exp: 'expiration' }
  // One answer shape that serves every source: each takes the parts it knows (STS `Credentials`, CloudSSO
  // `CloudCredential`, flat ECS/URI fields, OAuth token and exchange fields, External's CLI fields).
  const kitchenSink = fc
    .record({
      Code: field(fc.constantFrom('Success', 'Failed', 'Throttling', 'InvalidParameter')),
      Message: field(echoed),
      RequestId: field(fc.constantFrom('req-1', 'ABCD-1234')),
      flat: credentialBlock(PASCAL),
      Credentials: field(credentialBlock(PASCAL)),
      CloudCredential: field(credentialBlock(PASCAL)),
      SessionAccessKey: field(
        fc.record({
          SessionAccessKeyId: field(fc.constant('TMPSK.fuzz-id')),
          SessionAccessKeySecret: field(fc.constant(RESPONSE_SECRET)),
          Expiration: field(expiration),
        }),
      ),
      camel: credentialBlock(CAMEL),
      snake: credentialBlock(SNAKE),
      mode: field(fc.constantFrom('StsToken', 'AK', 'RamRoleArn')),
      access_token: field(fc.constant(RESPONSE_TOKEN)),
      refresh_token: field(fc.constant(RESPONSE_SECRET)),
      expires_in: field(fc.integer({ min: -10, max: 7200 })),
      error: field(fc.constantFrom('invalid_grant', 'server_error')),
      error_description: field(echoed),
    })
    .map(
      ({ flat, camel, snake, ...rest }) =>
        JSON.parse(JSON.stringify({ ...flat, ...camel, ...snake, ...rest })) as unknown,
    )
  const body = fc.oneof(
    { weight: 8, arbitrary: kitchenSink.map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: kitchenSink.chain((o) => fc.nat().map((n) => JSON.stringify(o).slice(0, n % 200))) },
    { weight: 1, arbitrary: fc.json({ depthSize: 'small' }) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 40 }),
        echoed,
        fc.constantFrom(
          '',
          'my-role',
          'a/b',
          'token-1',
          `${RESPONSE_SECRET}`,
          `{"AccessKeySecret":"${RESPONSE_SECRET}"`,
        ),
      ),
    },
  )
  const status = fc.oneof(
    { weight: 8, arbitrary: fc.constant(200) },
    fc.constantFrom(204, 302, 400, 403, 404, 429, 500, 503),
    fc.integer({ min: 100, max: 599 }),
  )
  const reply: fc.Arbitrary<Reply> = fc.oneof(
    { weight: 12, arbitrary: fc.record({ status, body }) },
    fc.constantFrom<Reply>(
      { error: 'ReadTimeout' },
      { error: 'ConnectionReset' },
      { error: 'ConnectionRefused' },
      { error: 'TooLarge' },
    ),
  )
  return { body, echoed, reply }
}

/** The answers, in turn, to the requests of one run (a source may make several: a token, a role name, ...). */
export const replies = (echo: ReadonlyArray<string>) => fc.array(answers(echo).reply, { minLength: 1, maxLength: 4 })

export const routed = (caps: FakeCapabilities, rs: ReadonlyArray<Reply>): FakeCapabilities => {
  caps.http.on('*', /.*/, (_req, n) => rs[n % rs.length] as Reply)
  return caps
}

/** A source driven by fuzzed answers. */
export interface Remote {
  readonly name: string
  readonly run: (caps: FakeCapabilities) => Promise<unknown>
  /** Secrets the source sends, which its server may echo back. */
  readonly echo: () => ReadonlyArray<string>
  /** Secrets that must never show (every secret of the suite, plus the source's own). */
  readonly secrets: () => ReadonlyArray<string>
}

/** The outcomes `remote` reaches over a fixed sample of answers (to show a property over it is not vacuous). */
export const outcomes = async (remote: Remote, n = 600): Promise<ReadonlyArray<string>> => {
  const seen = new Set<string>()
  for (const rs of fc.sample(replies(remote.echo()), { numRuns: n, seed: 42 })) {
    seen.add(checkOutcome((await run(() => remote.run(routed(fakes({ now: T0 }), rs)))) as never, remote.secrets()))
  }
  return [...seen].sort()
}

/**
 * For each remote: `RUNS` arbitrary answer sequences end in a credential or a typed error with no secret in it, and
 * the generated answers do reach both outcomes (so the property is not vacuous).
 */
export const fuzzAnswers = (title: string, remotes: ReadonlyArray<Remote>): void =>
  describe.each(remotes)(title, (remote) => {
    it(`${RUNS.toLocaleString('en')} arbitrary answers: a credential or a typed error, never a secret in the error`, async () => {
      await fc.assert(
        fc.asyncProperty(replies(remote.echo()), async (rs) => {
          const caps = routed(fakes({ now: T0 }), rs)
          checkOutcome((await run(() => remote.run(caps))) as never, remote.secrets())
          expect(caps.http.unrouted).toEqual([])
        }),
        { numRuns: RUNS },
      )
    }, 60_000)

    it('the answers reach both a credential and a SourceFailure (the property is not vacuous)', async () => {
      expect(await outcomes(remote)).toEqual(expect.arrayContaining(['Right', 'SourceFailure']))
    }, 20_000)
  })
