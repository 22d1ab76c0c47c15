import { CredentialsError as CE, Credential, Provider } from '@alicred/core'
import { fakeRandom, fakeReporter, type ManualClock, manualClock } from '@alicred/testing'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

type Result = E.Either<CE.CredentialsError, Credential.Credential>

const MIN = 60_000
const HOUR = 60 * MIN

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

const ak = (id: string, source = id): Credential.Credential =>
  Credential.accessKey({ accessKeyId: id, accessKeySecret: `secret-${id}`, source })

const sts = (id: string, expiresAt: number): Credential.Credential =>
  Credential.sts({
    accessKeyId: id,
    accessKeySecret: `secret-${id}`,
    securityToken: `token-${id}`,
    expiration: new Date(expiresAt),
    source: 'sts',
  })

const nc = (p: string) => new CE.NotConfigured(p, `${p} is not set up`)
const invalid = (p: string) => new CE.InvalidConfiguration(p, `${p} is wrong`)
const failure = (p: string, retryable = true) =>
  new CE.SourceFailure(p, `${p} answered HTTP 503`, { status: 503, retryable })

/** A provider that counts its runs. */
const counting = (result: Result) => {
  const self = {
    calls: 0,
    p: (() => () => {
      self.calls++
      return Promise.resolve(result)
    }) as Provider.Provider,
  }
  return self
}

let unhandled: Array<unknown> = []
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason)
}
beforeEach(() => {
  unhandled = []
  process.on('unhandledRejection', onUnhandled)
})
afterEach(async () => {
  // Give any stray rejection time to be reported before checking.
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
  process.off('unhandledRejection', onUnhandled)
  expect(unhandled).toEqual([])
})

// -------------------------------------------------------------------------------------
// constructors and protect
// -------------------------------------------------------------------------------------

describe('constructors', () => {
  it('of and fail answer the same on every run', async () => {
    const c = ak('LTAI5tA')
    const e = nc('env')
    expect(await Promise.all([Provider.of(c)()(), Provider.of(c)()()])).toEqual([E.right(c), E.right(c)])
    expect(await Provider.fail(e)()()).toEqual(E.left(e))
  })

  it('fromTaskEither is lazy', async () => {
    let built = 0
    const p = Provider.fromTaskEither(() => {
      built++
      return () => Promise.resolve(E.right(ak('x')))
    })
    expect(built).toBe(0)
    await p()()
    expect(built).toBe(1)
  })
})

describe('protect', () => {
  const bug = (what: string) =>
    new CE.SourceFailure('custom', `the provider ${what}; this is a bug in that provider`, { retryable: false })

  it('passes a valid result through untouched', async () => {
    const c = ak('LTAI5tA')
    const r = await Provider.protect('custom')(Provider.of(c))()()
    expect(E.isRight(r) && r.right).toBe(c)
  })

  it('turns throws and rejections into SourceFailure', async () => {
    const thrown = new RangeError('boom')
    const cases: ReadonlyArray<Provider.Provider> = [
      () => {
        throw thrown
      },
      () => () => {
        throw thrown
      },
      () => () => Promise.reject(thrown),
    ]
    for (const p of cases) {
      expect(await Provider.protect('custom')(p)()()).toEqual(E.left(CE.fromUnknown('custom')(thrown)))
    }
  })

  it('turns anything that is not an Either of our types into SourceFailure', async () => {
    const cases: ReadonlyArray<readonly [unknown, CE.CredentialsError]> = [
      [undefined, bug('resolved with something that is not an Either')],
      [{ ok: true }, bug('resolved with something that is not an Either')],
      [E.left(new Error('x')), bug('failed with a value that is not a CredentialsError')],
      [
        E.right({ type: 'access_key', accessKeyId: 'id' }),
        bug('returned an unusable credential (accessKeySecret is missing)'),
      ],
      [E.right(ak('')), bug('returned an unusable credential (accessKeyId is empty)')],
    ]
    for (const [value, expected] of cases) {
      const p: Provider.Provider = () => () => Promise.resolve(value as Result)
      expect(await Provider.protect('custom')(p)()()).toEqual(E.left(expected))
    }
  })
})

// -------------------------------------------------------------------------------------
// alt, firstOf, named
// -------------------------------------------------------------------------------------

describe('alt', () => {
  it('is left-biased: a success never evaluates the alternative', async () => {
    const c = ak('first')
    let evaluated = 0
    const r = await pipe(
      Provider.of(c),
      Provider.alt(() => {
        evaluated++
        return Provider.of(ak('second'))
      }),
    )()()
    expect([r, evaluated]).toEqual([E.right(c), 0])
  })

  it.each([
    ['InvalidConfiguration', invalid('profile')],
    ['SourceFailure', failure('sts')],
  ])('stops on %s without running the alternative', async (_, e) => {
    const second = counting(E.right(ak('second')))
    const r = await pipe(
      Provider.fail(e),
      Provider.alt(() => second.p),
    )()()
    expect([r, second.calls]).toEqual([E.left(e), 0])
  })

  it('recovers from NotConfigured', async () => {
    const c = ak('second')
    expect(
      await pipe(
        Provider.fail(nc('env')),
        Provider.alt(() => Provider.of(c)),
      )()(),
    ).toEqual(E.right(c))
  })

  it('a stop after skips returns the stopping error itself', async () => {
    const e = invalid('profile')
    expect(
      await pipe(
        Provider.fail(nc('env')),
        Provider.alt(() => Provider.fail(e)),
      )()(),
    ).toEqual(E.left(e))
  })

  it('accumulates every skip into ChainExhausted, flattening nested chains', async () => {
    const [a, b, c] = [nc('env'), nc('profile'), nc('ecs_ram_role')]
    const r = await pipe(
      Provider.fail(a),
      Provider.alt(() =>
        pipe(
          Provider.fail(b),
          Provider.alt(() => Provider.fail(c)),
        ),
      ),
    )()()
    expect(r).toEqual(
      E.left(
        new CE.ChainExhausted('chain', [
          { provider: 'env', error: a },
          { provider: 'profile', error: b },
          { provider: 'ecs_ram_role', error: c },
        ]),
      ),
    )
  })

  it('a throwing alternative thunk becomes a SourceFailure', async () => {
    const thrown = new Error('x')
    const r = await pipe(
      Provider.fail(nc('env')),
      Provider.alt(() => {
        throw thrown
      }),
    )()()
    expect(r).toEqual(E.left(CE.fromUnknown('provider')(thrown)))
  })
})

// Outcomes for the laws: every kind of answer a link can give.
const outcomeArb: fc.Arbitrary<Result> = fc.oneof(
  fc.nat(99).map((i) => E.right(ak(`ok${i}`))),
  fc.nat(99).map((i) => E.left(nc(`skip${i}`))),
  fc.nat(99).map((i) => E.left(invalid(`invalid${i}`))),
  fc.nat(99).map((i) => E.left(failure(`fail${i}`))),
  fc.array(fc.nat(99), { maxLength: 3 }).map((is) =>
    E.left(
      new CE.ChainExhausted(
        'chain',
        is.map((i) => ({ provider: `n${i}`, error: nc(`n${i}`) })),
      ),
    ),
  ),
)

const isStop = (r: Result): boolean => E.isRight(r) || !CE.isSkippable(r.left)

describe('laws (fast-check)', () => {
  it('alt is associative', async () => {
    await fc.assert(
      fc.asyncProperty(outcomeArb, outcomeArb, outcomeArb, async (a, b, c) => {
        const [pa, pb, pc] = [a, b, c].map((r) => () => () => Promise.resolve(r)) as [
          Provider.Provider,
          Provider.Provider,
          Provider.Provider,
        ]
        const left = await pipe(
          pipe(
            pa,
            Provider.alt(() => pb),
          ),
          Provider.alt(() => pc),
        )()()
        const right = await pipe(
          pa,
          Provider.alt(() =>
            pipe(
              pb,
              Provider.alt(() => pc),
            ),
          ),
        )()()
        expect(left).toEqual(right)
      }),
    )
  })

  it('a chain answers with the first link that does not skip, and never runs the links after it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(outcomeArb, { maxLength: 8 }), async (outcomes) => {
        const links = outcomes.map(counting)
        const r = await Provider.firstOf(...links.map((l) => l.p))()()
        const stop = outcomes.findIndex(isStop)
        if (stop !== -1) expect(r).toEqual(outcomes[stop])
        const ran = stop === -1 ? outcomes.length : stop + 1
        expect(links.map((l) => l.calls)).toEqual(outcomes.map((_, i) => (i < ran ? 1 : 0)))
      }),
    )
  })

  it("a chain's error lists every attempt in order", async () => {
    const skipArb = fc.oneof(
      fc.nat(99).map((i) => [nc(`skip${i}`)]),
      fc.array(fc.nat(99), { minLength: 0, maxLength: 3 }).map((is) => is.map((i) => nc(`nested${i}`))),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(skipArb, { maxLength: 8 }), async (groups) => {
        const providers = groups.map((g) =>
          g.length === 1 && g[0]!.provider.startsWith('skip')
            ? Provider.fail(g[0]!)
            : Provider.fail(
                new CE.ChainExhausted(
                  'chain',
                  g.map((e) => ({ provider: e.provider, error: e })),
                ),
              ),
        )
        const r = await Provider.firstOf(...providers)()()
        if (E.isRight(r)) throw new Error('expected a skip')
        // A chain of one is that one link.
        const attempts =
          r.left._tag === 'ChainExhausted' ? r.left.attempts : [{ provider: r.left.provider, error: r.left }]
        expect(attempts).toEqual(groups.flat().map((e) => ({ provider: e.provider, error: e })))
        if (r.left._tag !== 'ChainExhausted') return
        const lines = r.left.message.split('\n').slice(1)
        expect(lines.map((l) => l.replace(/^[├└]─ /, '').split(':')[0])).toEqual(groups.flat().map((e) => e.provider))
      }),
    )
  })
})

describe('firstOf', () => {
  it('with no providers fails with an empty ChainExhausted', async () => {
    expect(await Provider.firstOf()()()).toEqual(E.left(new CE.ChainExhausted('chain', [])))
  })

  it('with one provider is that provider', async () => {
    const e = nc('env')
    expect(await Provider.firstOf(Provider.fail(e))()()).toEqual(E.left(e))
  })
})

describe('named', () => {
  it('nested names read as a source path', async () => {
    const p = pipe(
      Provider.of(ak('LTAI5tA', 'static_ak')),
      Provider.named('ram_role_arn'),
      Provider.named('profile'),
      Provider.named('default'),
    )
    const r = await p()()
    expect(E.isRight(r) && r.right.source).toBe('default/profile/ram_role_arn/static_ak')
    expect(E.isRight(r) && Credential.isCredential(r.right)).toBe(true)
  })

  it('prefixes errors', async () => {
    const r = await pipe(Provider.fail(invalid('profile')), Provider.named('default'))()()
    expect(r).toEqual(E.left(new CE.InvalidConfiguration('default/profile', 'profile is wrong')))
  })

  it('an exhausted anonymous chain reads as the name, its attempts prefixed', async () => {
    const p = pipe(
      Provider.firstOf(Provider.fail(nc('env')), pipe(Provider.fail(nc('ini')), Provider.named('profile'))),
      Provider.named('default'),
    )
    expect(await p()()).toEqual(
      E.left(
        new CE.ChainExhausted('default', [
          { provider: 'default/env', error: new CE.NotConfigured('default/env', 'env is not set up') },
          {
            provider: 'default/profile/ini',
            error: new CE.NotConfigured('default/profile/ini', 'ini is not set up'),
          },
        ]),
      ),
    )
  })

  it('a throwing provider becomes a SourceFailure named after the provider', async () => {
    const thrown = new Error('x')
    const p: Provider.Provider = () => {
      throw thrown
    }
    const r = await pipe(p, Provider.named('custom'), Provider.named('default'))()()
    expect(r).toEqual(E.left(CE.withProvider('default')(CE.fromUnknown('custom')(thrown))))
    expect(E.isLeft(r) && r.left.provider).toBe('default/custom')
  })
})

// -------------------------------------------------------------------------------------
// withTimeout, retrying, traced
// -------------------------------------------------------------------------------------

/** A provider that answers `result` after `ms` on `clock`. */
const slow =
  (clock: ManualClock, ms: number, result: Result): Provider.Provider =>
  () =>
  async () => {
    await clock.sleep(ms)()
    return result
  }

describe('withTimeout', () => {
  it('fails with a retryable SourceFailure when the clock passes the limit', async () => {
    const clock = manualClock(0)
    const pending = pipe(
      slow(clock, 5_000, E.right(ak('x'))),
      Provider.withTimeout({ ms: 1_000, name: 'imds' }, { clock }),
    )()()
    let settledAt: number | undefined
    void pending.then(() => {
      settledAt = clock.now()
    })
    await clock.advance(999)
    expect(settledAt).toBeUndefined()
    await clock.advance(1)
    expect(await pending).toEqual(
      E.left(
        new CE.SourceFailure('imds', 'no answer within 1000 ms; check the network or raise the timeout', {
          retryable: true,
        }),
      ),
    )
    expect(settledAt).toBe(1_000)
  })

  it('answers with the result when in time, and leaves no timer behind', async () => {
    const clock = manualClock(0)
    const c = ak('x')
    const pending = pipe(slow(clock, 500, E.right(c)), Provider.withTimeout({ ms: 1_000 }, { clock }))()()
    await clock.advance(500)
    expect(await pending).toEqual(E.right(c))
    expect(clock.pending()).toBe(0)
  })

  it('a non-finite limit sets no timer', async () => {
    const clock = manualClock(0)
    const c = ak('x')
    const pending = pipe(
      slow(clock, 10 * HOUR, E.right(c)),
      Provider.withTimeout({ ms: Number.POSITIVE_INFINITY }, { clock }),
    )()()
    expect(clock.pending()).toBe(1)
    await clock.advance(10 * HOUR)
    expect(await pending).toEqual(E.right(c))
  })

  it('a clock whose aborted sleep rejects leaves no unhandled rejection', async () => {
    const rejecting = {
      now: () => 0,
      sleep: (_: number, signal?: AbortSignal) => () =>
        new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')))),
    }
    const c = ak('x')
    expect(await pipe(Provider.of(c), Provider.withTimeout({ ms: 1_000 }, { clock: rejecting }))()()).toEqual(
      E.right(c),
    )
  })
})

describe('retrying', () => {
  const policy: Provider.RetryPolicy = { retries: 3, baseDelayMs: 100, maxDelayMs: 250, jitter: false }

  /** Answers the given results in turn, recording the clock at each call. */
  const scripted = (clock: ManualClock, results: ReadonlyArray<Result>) => {
    const self = {
      at: [] as Array<number>,
      p: (() => () => {
        self.at.push(clock.now())
        return Promise.resolve(results[Math.min(self.at.length - 1, results.length - 1)]!)
      }) as Provider.Provider,
    }
    return self
  }

  const drive = async (clock: ManualClock, pending: Promise<Result>): Promise<Result> => {
    let done = false
    void pending.then(() => {
      done = true
    })
    while (!done) await clock.next()
    return pending
  }

  it('retries retryable failures with capped exponential delays, then gives up', async () => {
    const clock = manualClock(0)
    const e = failure('sts')
    const s = scripted(clock, [E.left(e)])
    const r = await drive(clock, pipe(s.p, Provider.retrying(policy, { clock, random: fakeRandom() }))()())
    expect(r).toEqual(E.left(e))
    expect(s.at).toEqual([0, 100, 300, 550])
  })

  it('stops at the first success', async () => {
    const clock = manualClock(0)
    const c = ak('x')
    const s = scripted(clock, [E.left(failure('sts')), E.right(c)])
    expect(await drive(clock, pipe(s.p, Provider.retrying(policy, { clock, random: fakeRandom() }))()())).toEqual(
      E.right(c),
    )
    expect(s.at).toEqual([0, 100])
  })

  it.each([
    ['a non-retryable SourceFailure', failure('sts', false)],
    ['InvalidConfiguration', invalid('profile')],
    ['NotConfigured', nc('env')],
  ])('returns %s at once', async (_, e) => {
    const clock = manualClock(0)
    const s = scripted(clock, [E.left(e)])
    expect(await pipe(s.p, Provider.retrying(policy, { clock, random: fakeRandom() }))()()).toEqual(E.left(e))
    expect(s.at).toEqual([0])
  })

  it('full jitter scales each delay by the random fraction', async () => {
    const clock = manualClock(0)
    const s = scripted(clock, [E.left(failure('sts'))])
    const jittered = { ...policy, jitter: true }
    await drive(clock, pipe(s.p, Provider.retrying(jittered, { clock, random: fakeRandom([0.5, 0, 0.99]) }))()())
    expect(s.at).toEqual([0, 50, 50, 297])
  })

  it('property: every delay lies in [0, min(cap, base · 2^n)]', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.nat(100_000),
        fc.nat(40),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.boolean(),
        (base, cap, n, f, jitter) => {
          const d = Provider.retryDelay({ retries: 1, baseDelayMs: base, maxDelayMs: cap, jitter }, n, {
            nonce: () => '',
            float: () => f,
          })
          const bound = Math.min(cap, base * 2 ** n)
          expect(d).toBeGreaterThanOrEqual(0)
          expect(d).toBeLessThanOrEqual(bound)
          if (!jitter) expect(d).toBe(bound)
        },
      ),
    )
  })
})

describe('traced', () => {
  it('emits one event per run with outcome, reason and duration', async () => {
    const clock = manualClock(0)
    const events: Array<Provider.TraceEvent> = []
    const c = ak('LTAI5tA', 'env')
    const sink = (e: Provider.TraceEvent) => events.push(e)
    const ok = pipe(slow(clock, 30, E.right(c)), Provider.traced({ name: 'env', sink }, { clock }))()()
    await clock.advance(30)
    await ok
    await pipe(Provider.fail(nc('env')), Provider.traced({ name: 'env', sink }, { clock }))()()
    await pipe(Provider.fail(invalid('profile')), Provider.traced({ name: 'profile', sink }, { clock }))()()
    expect(events).toEqual([
      { provider: 'env', outcome: 'success', durationMs: 30, credential: Credential.view(c) },
      { provider: 'env', outcome: 'skipped', durationMs: 0, reason: 'env is not set up', error: nc('env') },
      { provider: 'profile', outcome: 'failed', durationMs: 0, reason: 'profile is wrong', error: invalid('profile') },
    ])
  })

  it('one event per link when each link of a chain is traced', async () => {
    const clock = manualClock(0)
    const events: Array<Provider.TraceEvent> = []
    const t = (name: string) => Provider.traced({ name, sink: (e) => events.push(e) }, { clock })
    await Provider.firstOf(
      pipe(Provider.fail(nc('env')), t('env')),
      pipe(Provider.of(ak('LTAI5tA')), t('profile')),
      pipe(Provider.of(ak('never')), t('ecs_ram_role')),
    )()()
    expect(events.map((e) => [e.provider, e.outcome])).toEqual([
      ['env', 'skipped'],
      ['profile', 'success'],
    ])
  })

  it('a throwing or rejecting sink changes nothing', async () => {
    const clock = manualClock(0)
    const c = ak('x')
    const throwing = () => {
      throw new Error('sink')
    }
    const rejecting = () => Promise.reject(new Error('sink'))
    for (const sink of [throwing, rejecting]) {
      expect(await pipe(Provider.of(c), Provider.traced({ name: 'x', sink }, { clock }))()()).toEqual(E.right(c))
    }
  })

  it('never reports a negative duration when the clock jumps back', async () => {
    const clock = manualClock(HOUR)
    const events: Array<Provider.TraceEvent> = []
    const jumpy: Provider.Provider = () => async () => {
      await clock.set(0)
      return E.right(ak('x'))
    }
    await pipe(jumpy, Provider.traced({ name: 'x', sink: (e) => events.push(e) }, { clock }))()()
    expect(events.map((e) => e.durationMs)).toEqual([0])
  })
})

// -------------------------------------------------------------------------------------
// memoBy
// -------------------------------------------------------------------------------------

describe('memoBy', () => {
  /** A memo over a mutable key whose builds are counted; each built provider answers with a credential naming its build. */
  const setup = (keep?: 'built' | 'succeeded', answers: (n: number) => Result = (n) => E.right(ak(`LTAI5t${n}`))) => {
    const self = {
      key: E.right('a') as E.Either<CE.CredentialsError, string>,
      builds: [] as Array<string>,
      runs: 0,
      build: (k: string) => async () => {
        self.builds.push(k)
        const n = self.builds.length
        return E.right<CE.CredentialsError, Provider.Provider>(() => async () => {
          self.runs++
          return answers(n)
        })
      },
    }
    const p = Provider.memoBy({
      key: () => self.key,
      build: (k: string) => self.build(k),
      ...(keep === undefined ? {} : { keep }),
    })
    return { self, p }
  }

  it('builds once per key, and again when the key changes', async () => {
    const { self, p } = setup()
    expect([await p()(), await p()()]).toEqual([E.right(ak('LTAI5t1')), E.right(ak('LTAI5t1'))])
    self.key = E.right('b')
    expect(await p()()).toEqual(E.right(ak('LTAI5t2')))
    self.key = E.right('a')
    expect(await p()()).toEqual(E.right(ak('LTAI5t3'))) // only the last key is remembered
    expect(self.builds).toEqual(['a', 'b', 'a'])
  })

  it('a Left key is the answer, and builds nothing', async () => {
    const { self, p } = setup()
    self.key = E.left(nc('env'))
    expect(await p()()).toEqual(E.left(nc('env')))
    expect(self.builds).toEqual([])
  })

  it('concurrent first runs share one build', async () => {
    for (const keep of ['built', 'succeeded'] as const) {
      const { self, p } = setup(keep)
      await Promise.all([p()(), p()(), p()()])
      expect(self.builds).toEqual(['a'])
    }
  })

  it("keep 'built' keeps a provider whose runs fail; keep 'succeeded' builds again until one yields a credential", async () => {
    const failing = (n: number): Result => (n < 3 ? E.left(failure('sts')) : E.right(ak(`LTAI5t${n}`)))
    const built = setup('built', failing)
    await built.p()()
    await built.p()()
    expect(built.self.builds).toEqual(['a'])
    const succeeded = setup('succeeded', failing)
    expect(await succeeded.p()()).toEqual(E.left(failure('sts')))
    expect(await succeeded.p()()).toEqual(E.left(failure('sts')))
    expect(await succeeded.p()()).toEqual(E.right(ak('LTAI5t3')))
    expect(await succeeded.p()()).toEqual(E.right(ak('LTAI5t3')))
    expect(succeeded.self.builds).toEqual(['a', 'a', 'a'])
  })

  it('a failed build is the answer and is not kept', async () => {
    let builds = 0
    const p = Provider.memoBy({
      key: () => E.right('a'),
      build: () => async () => (++builds === 1 ? E.left(invalid('profile')) : E.right(Provider.of(ak('LTAI5tA')))),
    })
    expect(await p()()).toEqual(E.left(invalid('profile')))
    expect(await p()()).toEqual(E.right(ak('LTAI5tA')))
    expect(builds).toBe(2)
  })

  it('an Eq decides when two keys are the same', async () => {
    let builds = 0
    let key = { path: '/x', note: 1 }
    const p = Provider.memoBy({
      key: () => E.right(key),
      eq: { equals: (a, b) => a.path === b.path },
      build: () => async () => E.right(Provider.of(ak(`LTAI5t${++builds}`))),
    })
    await p()()
    key = { path: '/x', note: 2 }
    await p()()
    expect(builds).toBe(1)
  })

  it('a throwing key or build is a SourceFailure, never a rejection', async () => {
    const boom = () => {
      throw new Error('boom')
    }
    const byKey = await Provider.memoBy({ key: boom, build: () => async () => E.right(Provider.of(ak('LTAI5tA'))) })()()
    const byBuild = await Provider.memoBy({ key: () => E.right(1), build: boom })()()
    const byTask = await Provider.memoBy({
      key: () => E.right(1),
      build: () => () => Promise.reject(new Error('boom')),
    })()()
    for (const r of [byKey, byBuild, byTask]) expect(E.isLeft(r) && r.left._tag).toBe('SourceFailure')
  })
})

// -------------------------------------------------------------------------------------
// cached
// -------------------------------------------------------------------------------------

type Step =
  | { readonly result: Result; readonly delayMs?: number }
  | { readonly throws: unknown; readonly delayMs?: number }
  | { readonly make: (now: number) => Result; readonly delayMs?: number }

interface Upstream {
  steps: Array<Step>
  calls: number
  active: number
  maxActive: number
  readonly script: (...steps: ReadonlyArray<Step>) => void
  readonly p: Provider.Provider
}

/** A scripted upstream: steps answer in turn, the last repeats; counts calls and concurrency. */
const upstream = (clock: ManualClock, ...initial: ReadonlyArray<Step>): Upstream => {
  const self: Upstream = {
    steps: [...initial],
    calls: 0,
    active: 0,
    maxActive: 0,
    script: (...steps: ReadonlyArray<Step>) => {
      self.steps = [...steps]
    },
    p: (() => async () => {
      self.calls++
      self.active++
      self.maxActive = Math.max(self.maxActive, self.active)
      const step: Step = self.steps.length > 1 ? self.steps.shift()! : self.steps[0]!
      try {
        if (step.delayMs !== undefined) await clock.sleep(step.delayMs)()
        if ('throws' in step) throw step.throws
        return 'make' in step ? step.make(clock.now()) : step.result
      } finally {
        self.active--
      }
    }) as Provider.Provider,
  }
  return self
}

const ok = (c: Credential.Credential, delayMs?: number): Step =>
  delayMs === undefined ? { result: E.right(c) } : { result: E.right(c), delayMs }
const err = (e: CE.CredentialsError, delayMs?: number): Step =>
  delayMs === undefined ? { result: E.left(e) } : { result: E.left(e), delayMs }

/** Collects the events `cached` reports. */
const observers = () => {
  const stale: Array<Provider.StaleEvent> = []
  const failures: Array<Provider.RefreshFailureEvent> = []
  return {
    stale,
    failures,
    options: {
      onStale: (e: Provider.StaleEvent) => stale.push(e),
      onRefreshFailure: (e: Provider.RefreshFailureEvent) => failures.push(e),
    },
  }
}

describe('cached: single flight', () => {
  it('N concurrent first callers share one upstream call (N = 10 000)', async () => {
    const clock = manualClock(0)
    const c = sts('STS.a', 6 * HOUR)
    const u = upstream(clock, ok(c, 100))
    const p = Provider.cached({}, { clock })(u.p)
    const all = Promise.all(Array.from({ length: 10_000 }, () => p()()))
    await clock.advance(100)
    const rs = await all
    expect(u.calls).toBe(1)
    expect(rs.every((r) => E.isRight(r) && r.right === c)).toBe(true)
  })

  it('property: N concurrent callers in any refresh state share one upstream call', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom('empty', 'stale', 'expired'),
        fc.boolean(),
        async (n, state, fails) => {
          const clock = manualClock(0)
          const u = upstream(clock, ok(sts('STS.a', 20 * MIN)))
          const p = Provider.cached({ onStale: () => {} }, { clock })(u.p)
          if (state !== 'empty') {
            await p()()
            await clock.advance(state === 'stale' ? 10 * MIN : 30 * MIN)
          }
          u.script(fails ? err(failure('sts'), 50) : ok(sts('STS.b', clock.now() + HOUR), 50))
          const before = u.calls
          const all = Promise.all(Array.from({ length: n }, () => p()()))
          await clock.advance(50)
          const rs = await all
          expect(u.calls - before).toBe(1)
          expect(new Set(rs.map((r) => JSON.stringify(r))).size).toBe(1)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('cached: windows', () => {
  it('serves a fresh credential from cache', async () => {
    const clock = manualClock(0)
    const c = sts('STS.a', 6 * HOUR)
    const u = upstream(clock, ok(c))
    const p = Provider.cached({}, { clock })(u.p)
    await p()()
    await clock.advance(5 * HOUR)
    expect(await p()()).toEqual(E.right(c))
    expect(u.calls).toBe(1)
  })

  it('inside the stale window callers wait for the refresh and get the new credential', async () => {
    const clock = manualClock(0)
    const [a, b] = [sts('STS.a', HOUR), sts('STS.b', 2 * HOUR)]
    const u = upstream(clock, ok(a), ok(b, 200))
    const p = Provider.cached({ staleMs: 15 * MIN }, { clock })(u.p)
    await p()()
    await clock.advance(45 * MIN)
    const pending = p()()
    let settled = false
    void pending.then(() => {
      settled = true
    })
    await clock.advance(199)
    expect(settled).toBe(false)
    await clock.advance(1)
    expect(await pending).toEqual(E.right(b))
    expect(u.calls).toBe(2)
  })

  it('inside the prefetch window callers get the current credential at once while one refresh runs behind', async () => {
    const clock = manualClock(0)
    const [a, b] = [sts('STS.a', 6 * HOUR), sts('STS.b', 12 * HOUR)]
    const u = upstream(clock, ok(a), ok(b, 1_000))
    const p = Provider.cached({ prefetchMs: Provider.ECS_PREFETCH_MS }, { clock })(u.p)
    await p()()
    await clock.advance(5 * HOUR + 30 * MIN)
    expect(await Promise.all([p()(), p()(), p()()])).toEqual([E.right(a), E.right(a), E.right(a)])
    expect(u.calls).toBe(2)
    await clock.advance(1_000)
    expect(await p()()).toEqual(E.right(b))
    expect(u.calls).toBe(2)
  })

  it('a prefetch window smaller than the stale window is the stale window', async () => {
    const clock = manualClock(0)
    const u = upstream(clock, ok(sts('STS.a', HOUR)), ok(sts('STS.b', 2 * HOUR), 10))
    const p = Provider.cached({ staleMs: 20 * MIN, prefetchMs: 5 * MIN }, { clock })(u.p)
    await p()()
    await clock.advance(35 * MIN)
    expect(await p()()).toEqual(E.right(sts('STS.a', HOUR)))
    expect(u.calls).toBe(1)
    await clock.advance(5 * MIN)
    const pending = p()()
    await clock.advance(10)
    expect(await pending).toEqual(E.right(sts('STS.b', 2 * HOUR)))
  })

  it('a credential without expiration is re-checked in the background after maxAgeMs', async () => {
    const clock = manualClock(0)
    const [a, b] = [ak('LTAI5tA'), ak('LTAI5tB')]
    const u = upstream(clock, ok(a), ok(b))
    const p = Provider.cached({ maxAgeMs: HOUR }, { clock })(u.p)
    await p()()
    await clock.advance(HOUR - 1)
    expect([await p()(), u.calls]).toEqual([E.right(a), 1])
    await clock.advance(1)
    expect([await p()(), u.calls]).toEqual([E.right(a), 2])
    await clock.advance(0)
    expect(await p()()).toEqual(E.right(b))
  })

  it('an Expiration far in the future does not pin the credential forever', async () => {
    const clock = manualClock(0)
    const far = sts('STS.far', Date.UTC(9999, 0, 1))
    const next = sts('STS.next', 6 * HOUR + Provider.DEFAULT_MAX_AGE_MS)
    const u = upstream(clock, ok(far), ok(next))
    const p = Provider.cached({}, { clock })(u.p)
    await p()()
    await clock.advance(Provider.DEFAULT_MAX_AGE_MS)
    await p()()
    await clock.advance(0)
    expect([await p()(), u.calls]).toEqual([E.right(next), 2])
  })
})

describe('cached: failures', () => {
  it('never caches a failure: the next call asks again', async () => {
    const clock = manualClock(0)
    const e = failure('sts')
    const c = sts('STS.a', HOUR)
    const u = upstream(clock, err(e), ok(c))
    const p = Provider.cached({}, { clock })(u.p)
    expect(await p()()).toEqual(E.left(e))
    expect(await p()()).toEqual(E.right(c))
    expect(u.calls).toBe(2)
  })

  it('a failed refresh in the stale window serves the current credential and reports it', async () => {
    const clock = manualClock(0)
    const a = sts('STS.a', HOUR)
    const e = failure('sts')
    const u = upstream(clock, ok(a), err(e))
    const o = observers()
    const p = Provider.cached({ name: 'ram_role_arn', ...o.options }, { clock, random: fakeRandom(0) })(u.p)
    await p()()
    await clock.advance(50 * MIN)
    expect(await p()()).toEqual(E.right(a))
    expect(o.stale).toEqual([{ provider: 'ram_role_arn', remainingMs: 10 * MIN, error: e }])
    expect(o.failures).toEqual([{ provider: 'ram_role_arn', error: e, failures: 1, retryInMs: 500 }])
  })

  it('after a failed refresh, later callers get the current credential at once until the backoff elapses, each serve reported', async () => {
    const clock = manualClock(0)
    const a = sts('STS.a', HOUR)
    const e = failure('sts')
    // The upstream now hangs for a minute before failing: if a caller waited on it, the test would see it.
    const u = upstream(clock, ok(a), err(e, MIN))
    const o = observers()
    const p = Provider.cached(
      { backoff: { baseMs: 10_000, maxMs: 60_000 }, ...o.options },
      { clock, random: fakeRandom(0) },
    )(u.p)
    await p()()
    await clock.advance(50 * MIN)
    const first = p()()
    await clock.advance(MIN)
    expect(await first).toEqual(E.right(a))
    expect(u.calls).toBe(2)
    // Backoff of the first failure: between 5 s and 10 s (jitter 0 gives 5 s).
    await clock.advance(4_999)
    expect(await Promise.all([p()(), p()()])).toEqual([E.right(a), E.right(a)])
    expect(u.calls).toBe(2)
    expect(o.stale.length).toBe(3)
    await clock.advance(1)
    void p()()
    await clock.advance(0)
    expect(u.calls).toBe(3)
  })

  it('backoff grows exponentially, is jittered by Random and capped', async () => {
    const clock = manualClock(0)
    const u = upstream(clock, ok(sts('STS.a', 10 * HOUR)), err(failure('sts')))
    const o = observers()
    const p = Provider.cached(
      { prefetchMs: 9 * HOUR, backoff: { baseMs: 1_000, maxMs: 8_000 }, ...o.options },
      { clock, random: fakeRandom([0, 0.5, 0.999]) },
    )(u.p)
    await p()()
    await clock.advance(HOUR + 1) // into the prefetch window: each call may start a background refresh
    for (let i = 0; i < 7; i++) {
      await p()()
      await clock.advance(0)
      await clock.advance(8_000)
    }
    expect(o.failures.map((f) => f.retryInMs)).toEqual([500, 1_500, 3_998, 4_000, 6_000, 7_996, 4_000])
    expect(u.calls).toBe(8)
  })

  it('property: backoff stays within [step/2, step] with step = min(cap, base · 2^(n-1))', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 12 }),
        async (baseMs, maxMs, floats) => {
          const clock = manualClock(0)
          const u = upstream(clock, ok(sts('STS.a', 100 * HOUR)), err(failure('sts')))
          const o = observers()
          const p = Provider.cached(
            { prefetchMs: 90 * HOUR, backoff: { baseMs, maxMs }, ...o.options },
            { clock, random: fakeRandom(floats) },
          )(u.p)
          await p()()
          await clock.advance(10 * HOUR + 1)
          for (let i = 0; i < floats.length; i++) {
            await p()()
            await clock.advance(0)
            await clock.advance(Math.max(baseMs, maxMs))
          }
          o.failures.forEach((f, i) => {
            const step = Math.min(Math.max(baseMs, maxMs), baseMs * 2 ** i)
            expect(f.failures).toBe(i + 1)
            expect(f.retryInMs).toBeGreaterThanOrEqual(step / 2)
            expect(f.retryInMs).toBeLessThanOrEqual(step)
          })
          expect(o.failures.length).toBe(floats.length)
        },
      ),
      { numRuns: 40 },
    )
  })

  it('after expiry a failed refresh is a SourceFailure saying so, with the details kept', async () => {
    const clock = manualClock(0)
    const e = new CE.SourceFailure('sts', 'STS AssumeRole answered HTTP 503', {
      status: 503,
      code: 'ServiceUnavailable',
      requestId: 'R1',
      retryable: true,
    })
    const u = upstream(clock, ok(sts('STS.a', HOUR)), err(e))
    const p = Provider.cached({ name: 'ram_role_arn', onStale: () => {} }, { clock })(u.p)
    await p()()
    await clock.advance(HOUR)
    expect(await p()()).toEqual(
      E.left(
        new CE.SourceFailure(
          'ram_role_arn',
          'the cached credential expired at 1970-01-01T01:00:00.000Z and refreshing it failed: STS AssumeRole answered HTTP 503',
          { status: 503, code: 'ServiceUnavailable', requestId: 'R1', retryable: true },
          e,
        ),
      ),
    )
  })

  it('after expiry a skip stays a skip, so a chain behind the cache still falls through', async () => {
    const clock = manualClock(0)
    const e = nc('env')
    const u = upstream(clock, ok(sts('STS.a', HOUR)), err(e))
    const p = Provider.cached({}, { clock })(u.p)
    await p()()
    await clock.advance(2 * HOUR)
    expect(await p()()).toEqual(E.left(e))
  })

  it('a throwing upstream is a SourceFailure, never a rejection', async () => {
    const clock = manualClock(0)
    const thrown = new Error('boom')
    const u = upstream(clock, { throws: thrown })
    const p = Provider.cached({ name: 'custom' }, { clock })(u.p)
    expect(await p()()).toEqual(E.left(CE.fromUnknown('custom')(thrown)))
  })

  it('a background refresh that throws is contained', async () => {
    const clock = manualClock(0)
    const a = sts('STS.a', 6 * HOUR)
    const u = upstream(clock, ok(a), { throws: new Error('boom'), delayMs: 10 })
    const o = observers()
    const p = Provider.cached({ prefetchMs: HOUR, ...o.options }, { clock })(u.p)
    await p()()
    await clock.advance(5 * HOUR + 1)
    expect(await p()()).toEqual(E.right(a))
    await clock.advance(10)
    expect(o.failures.map((f) => f.error._tag)).toEqual(['SourceFailure'])
  })
})

describe('cached: static stability (a credential that arrives already expired)', () => {
  const SKEW_WARNING =
    "alicred: ecs_ram_role: the source answered with a credential that had already expired (at 1970-01-01T00:50:00.000Z, 600 s before this machine's time: the clocks of this machine and of the source disagree); serving it anyway, as the source vouches for it, and refreshing with backoff until one arrives that this clock accepts; check both clocks (NTP)"

  it('is served, with one warning naming the source and the skew', async () => {
    const clock = manualClock(HOUR)
    const old = sts('STS.old', HOUR - 10 * MIN)
    const u = upstream(clock, ok(old))
    const reporter = fakeReporter()
    const p = Provider.cached({ name: 'ecs_ram_role' }, { clock, reporter })(u.p)
    expect(await p()()).toEqual(E.right(old))
    expect(reporter.warnings).toEqual([SKEW_WARNING])
  })

  it('is refreshed with backoff: one upstream call per step, each step longer, one warning in all', async () => {
    const clock = manualClock(HOUR)
    const u = upstream(clock, { make: (now) => E.right(sts(`STS.${now}`, now - 10 * MIN)) })
    const reporter = fakeReporter()
    const o = observers()
    const p = Provider.cached(
      { name: 'ecs_ram_role', backoff: { baseMs: 1_000, maxMs: 8_000 }, ...o.options },
      { clock, random: fakeRandom(0), reporter },
    )(u.p)
    const seen: Array<number> = []
    // Steps of 500, 1 000, 2 000, 4 000, 4 000 ms (equal jitter, fraction 0, capped at 8 s): a call every 100 ms.
    for (let t = 0; t <= 11_500; t += 100) {
      const r = await Promise.all([p()(), p()(), p()()])
      expect(r.every((x) => E.isRight(x))).toBe(true)
      if (u.calls > seen.length) seen.push(t)
      await clock.advance(100)
    }
    expect(seen).toEqual([0, 500, 1_500, 3_500, 7_500, 11_500])
    expect(reporter.warnings).toEqual([
      expect.stringMatching(/^alicred: ecs_ram_role: the source answered with a credential that had already expired/),
    ])
    // Not a failure: nothing is told to onRefreshFailure or onStale.
    expect([o.failures, o.stale]).toEqual([[], []])
  })

  it('is replaced as soon as a refresh brings a credential this clock accepts; a later expired answer warns again', async () => {
    const clock = manualClock(HOUR)
    const [old, good] = [sts('STS.old', HOUR - 10 * MIN), sts('STS.good', 3 * HOUR)]
    const u = upstream(clock, ok(old), ok(good))
    const reporter = fakeReporter()
    const p = Provider.cached({ name: 'ecs_ram_role' }, { clock, random: fakeRandom(0), reporter })(u.p)
    expect(await p()()).toEqual(E.right(old))
    await clock.advance(499)
    expect([await p()(), u.calls]).toEqual([E.right(old), 1])
    await clock.advance(1)
    expect([await p()(), u.calls]).toEqual([E.right(good), 2])
    expect(await p()()).toEqual(E.right(good))
    expect(reporter.warnings).toHaveLength(1)
    // The good one expires; the source answers with an expired one again: served, warned about again.
    const again = sts('STS.again', 3 * HOUR - MIN)
    u.script(ok(again))
    await clock.set(3 * HOUR)
    expect(await p()()).toEqual(E.right(again))
    expect(reporter.warnings).toHaveLength(2)
  })

  it('a failed refresh while holding one keeps serving it, stale, warned once per failure, and backs off', async () => {
    const clock = manualClock(HOUR)
    const old = sts('STS.old', HOUR - 10 * MIN)
    const e = failure('imds')
    const u = upstream(clock, ok(old), err(e))
    const reporter = fakeReporter()
    const o = observers()
    const p = Provider.cached(
      { name: 'ecs_ram_role', backoff: { baseMs: 1_000, maxMs: 60_000 }, ...o.options },
      { clock, random: fakeRandom(0), reporter },
    )(u.p)
    await p()()
    await clock.advance(500)
    expect(await p()()).toEqual(E.right(old)) // the refresh fails: still served
    expect([await p()(), u.calls]).toEqual([E.right(old), 2]) // within the backoff: no new call
    expect(o.failures.map((f) => [f.failures, f.retryInMs])).toEqual([[2, 1_000]])
    expect(o.stale.map((s) => s.remainingMs)).toEqual([-(10 * MIN + 500), -(10 * MIN + 500)])
    expect(reporter.warnings.slice(1)).toEqual([
      `alicred: ecs_ram_role: serving a cached credential that expired 601 s ago because refreshing it failed (${CE.render(e)})`,
    ])
    await clock.advance(1_000)
    expect([await p()(), u.calls]).toEqual([E.right(old), 3])
    expect(reporter.warnings).toHaveLength(3)
  })

  it('while a valid credential is cached, an expired answer is a failed refresh and the valid one is served', async () => {
    const clock = manualClock(0)
    const a = sts('STS.a', HOUR)
    const u = upstream(clock, ok(a), { make: (now) => E.right(sts('STS.old', now - MIN)) })
    const o = observers()
    const p = Provider.cached({ name: 'ram_role_arn', ...o.options }, { clock, random: fakeRandom(0) })(u.p)
    await p()()
    await clock.advance(50 * MIN)
    expect(await p()()).toEqual(E.right(a))
    expect(o.failures.map((f) => f.error.message)).toEqual([
      "the source returned a credential that had already expired (at 1970-01-01T00:49:00.000Z, 60 s before this machine's time); check the clocks of this machine and of the source",
    ])
    // Once the valid one has expired, the next expired answer is taken under static stability.
    await clock.advance(10 * MIN)
    expect(await p()()).toEqual(E.right(sts('STS.old', HOUR - MIN)))
  })

  it('forceRefresh answers with it too', async () => {
    const clock = manualClock(HOUR)
    const old = sts('STS.old', HOUR - 10 * MIN)
    const p = Provider.cached({}, { clock })(upstream(clock, ok(old)).p)
    expect(await p.forceRefresh()()).toEqual(E.right(old))
  })

  it('caches stacked on one another warn once between them', async () => {
    const clock = manualClock(HOUR)
    const old = sts('STS.old', HOUR - 10 * MIN)
    const reporter = fakeReporter()
    const inner = Provider.cached({ name: 'ecs_ram_role' }, { clock, reporter })(upstream(clock, ok(old)).p)
    const outer = Provider.cached({ name: 'default' }, { clock, reporter })(pipe(inner, Provider.named('chain')))
    expect(await outer()()).toEqual(E.right(Credential.withSource('chain')(old)))
    expect(reporter.warnings).toEqual([SKEW_WARNING])
  })

  it('a throwing reporter changes nothing', async () => {
    const clock = manualClock(HOUR)
    const old = sts('STS.old', HOUR - 10 * MIN)
    const reporter = {
      warn: () => {
        throw new Error('reporter')
      },
    }
    const p = Provider.cached({}, { clock, reporter })(upstream(clock, ok(old)).p)
    expect(await p()()).toEqual(E.right(old))
  })
})

describe('cached: bad credentials from the source', () => {
  it('an invalid expiration is a failed refresh', async () => {
    const clock = manualClock(0)
    const bad = Credential.sts({
      accessKeyId: 'id',
      accessKeySecret: 's',
      securityToken: 't',
      expiration: new Date(Number.NaN),
      source: 'sts',
    })
    const u = upstream(clock, { result: E.right(bad) })
    const p = Provider.cached({ name: 'x' }, { clock })(u.p)
    expect(await p()()).toEqual(
      E.left(
        new CE.SourceFailure(
          'x',
          'the provider returned an unusable credential (expiration is not a valid Date); this is a bug in that provider',
          { retryable: false },
        ),
      ),
    )
  })

  it('a credential that arrives inside the stale window does not cause a refresh on every call', async () => {
    const clock = manualClock(0)
    const u = upstream(clock, { make: (now) => E.right(sts(`STS.${now}`, now + 10 * MIN)) })
    const p = Provider.cached({ staleMs: 15 * MIN, onStale: () => {} }, { clock })(u.p)
    await p()()
    for (let i = 0; i < 1_000; i++) await p()()
    expect(u.calls).toBe(1)
    // Half of what is left: the next refresh comes 5 min later, and the new one is served.
    await clock.advance(5 * MIN - 1)
    await p()()
    expect(u.calls).toBe(1)
    await clock.advance(1)
    expect(await p()()).toEqual(E.right(sts(`STS.${5 * MIN}`, 15 * MIN)))
    expect(u.calls).toBe(2)
  })

  it('a credential that arrives inside the prefetch window is not prefetched on every call', async () => {
    const clock = manualClock(0)
    // IMDS-like: the same credential until it rotates, with 50 min left (less than the 60 min prefetch window).
    const same = sts('STS.same', 50 * MIN)
    const u = upstream(clock, ok(same))
    const p = Provider.cached({ prefetchMs: Provider.ECS_PREFETCH_MS }, { clock })(u.p)
    await p()()
    for (let i = 0; i < 100; i++) {
      await p()()
      await clock.advance(MIN / 10)
    }
    // 10 minutes of calls; the first re-check is due (50 - 15) / 2 = 17.5 min after the fetch.
    expect(u.calls).toBe(1)
    let t = 10 * MIN
    while (t < 50 * MIN - 1) {
      await p()()
      await clock.advance(1_000)
      t += 1_000
    }
    // Halving what is left each time keeps the count logarithmic, not one per call (2 400 calls here).
    expect(u.calls).toBeLessThan(25)
  })
})

describe('cached: the clock', () => {
  it('a clock jumping backwards does not postpone a retry', async () => {
    const clock = manualClock(0)
    const a = sts('STS.a', HOUR)
    const u = upstream(clock, ok(a), err(failure('sts')))
    const p = Provider.cached(
      { staleMs: 15 * MIN, backoff: { baseMs: 60_000, maxMs: 60_000 }, onStale: () => {} },
      { clock, random: fakeRandom(0) },
    )(u.p)
    await p()()
    await clock.advance(50 * MIN)
    await p()() // fails: the next retry is due 30 s later (equal jitter, fraction 0)
    expect(u.calls).toBe(2)
    await clock.set(clock.now() - 2 * MIN) // the wall clock is set back 2 min: 12 min left, still stale
    await clock.advance(30_000 - 1)
    await p()()
    expect(u.calls).toBe(2)
    await clock.advance(1)
    await p()()
    expect(u.calls).toBe(3)
  })

  it('without Clock.monotonic, a backward jump makes a pending retry due at once', async () => {
    const manual = manualClock(0)
    const clock = { now: manual.now, sleep: manual.sleep }
    const a = sts('STS.a', HOUR)
    const u = upstream(manual, ok(a), err(failure('sts')))
    const p = Provider.cached(
      { backoff: { baseMs: HOUR, maxMs: HOUR }, onStale: () => {} },
      { clock, random: fakeRandom(0) },
    )(u.p)
    await p()()
    await manual.advance(50 * MIN)
    await p()() // fails: the next retry is due 30 min later
    await manual.advance(MIN)
    await p()()
    expect(u.calls).toBe(2)
    await manual.set(manual.now() - 2 * MIN)
    await p()()
    expect(u.calls).toBe(3)
  })

  it('a credential that expires within the minimum refresh interval is never served expired', async () => {
    const clock = manualClock(0)
    const u = upstream(clock, { make: (now) => E.right(sts(`STS.${now}`, now + 400)) })
    const p = Provider.cached({ onStale: () => {} }, { clock })(u.p)
    await p()()
    await clock.advance(400)
    expect(await p()()).toEqual(E.right(sts('STS.400', 800)))
    expect(u.calls).toBe(2)
  })

  it('a failed refresh just before expiry does not serve the credential past it during the backoff', async () => {
    const clock = manualClock(0)
    const e = failure('sts')
    const u = upstream(clock, ok(sts('STS.a', HOUR)), err(e))
    const p = Provider.cached(
      { backoff: { baseMs: MIN, maxMs: MIN }, onStale: () => {} },
      { clock, random: fakeRandom(0) },
    )(u.p)
    await p()()
    await clock.advance(HOUR - 100)
    expect(E.isRight(await p()())).toBe(true) // failed refresh, 100 ms left: served
    await clock.advance(100)
    const r = await p()()
    expect(E.isLeft(r) && r.left._tag).toBe('SourceFailure')
    expect(u.calls).toBe(3)
  })

  it('a clock jumping forward past expiry refreshes at once', async () => {
    const clock = manualClock(0)
    const b = sts('STS.b', 100 * HOUR)
    const u = upstream(clock, ok(sts('STS.a', HOUR)), ok(b))
    const p = Provider.cached({}, { clock })(u.p)
    await p()()
    await clock.set(50 * HOUR)
    expect(await p()()).toEqual(E.right(b))
  })

  it('sets no timer at all', async () => {
    const clock = manualClock(0)
    const u = upstream(clock, ok(sts('STS.a', HOUR)), err(failure('sts')))
    const p = Provider.cached({ prefetchMs: HOUR, onStale: () => {} }, { clock })(u.p)
    await p()()
    await p()()
    await clock.advance(55 * MIN)
    await p()()
    expect(clock.pending()).toBe(0)
  })
})

describe('cached: forceRefresh and invalidate', () => {
  it('forceRefresh joins a refresh under way', async () => {
    const clock = manualClock(0)
    const c = sts('STS.a', HOUR)
    const u = upstream(clock, ok(c, 100))
    const p = Provider.cached({}, { clock })(u.p)
    const first = p()()
    const forced = p.forceRefresh()()
    await clock.advance(100)
    expect(await Promise.all([first, forced])).toEqual([E.right(c), E.right(c)])
    expect(u.calls).toBe(1)
  })

  it('forceRefresh ignores the backoff and caches the new credential', async () => {
    const clock = manualClock(0)
    const [a, b] = [sts('STS.a', HOUR), sts('STS.b', 2 * HOUR)]
    const u = upstream(clock, ok(a), err(failure('sts')), ok(b))
    const p = Provider.cached({ backoff: { baseMs: HOUR, maxMs: HOUR }, onStale: () => {} }, { clock })(u.p)
    await p()()
    await clock.advance(50 * MIN)
    expect(await p()()).toEqual(E.right(a))
    expect(await p.forceRefresh()()).toEqual(E.right(b))
    expect(await p()()).toEqual(E.right(b))
    expect(u.calls).toBe(3)
  })

  it('a failed forceRefresh returns the failure and keeps the cache', async () => {
    const clock = manualClock(0)
    const a = sts('STS.a', HOUR)
    const e = failure('sts')
    const u = upstream(clock, ok(a), err(e))
    const p = Provider.cached({}, { clock })(u.p)
    await p()()
    expect(await p.forceRefresh()()).toEqual(E.left(e))
    expect(await p()()).toEqual(E.right(a))
  })

  it('invalidate drops the cache; a refresh under way answers its callers but is not cached', async () => {
    const clock = manualClock(0)
    const [a, b, c] = [sts('STS.a', HOUR), sts('STS.b', HOUR), sts('STS.c', HOUR)]
    const u = upstream(clock, ok(a), ok(b, 100), ok(c))
    const p = Provider.cached({}, { clock })(u.p)
    await p()()
    const forced = p.forceRefresh()()
    p.invalidate()
    const after = p()()
    await clock.advance(100)
    expect(await forced).toEqual(E.right(b))
    expect(await after).toEqual(E.right(c))
    expect(await p()()).toEqual(E.right(c))
    expect(u.calls).toBe(3)
  })
})

describe('cached: onStale', () => {
  let warn: ReturnType<typeof vi.spyOn>
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  })
  afterEach(() => {
    warn.mockRestore()
  })

  it('the reporter is warned once per failed refresh, naming the provider and the failure; the console never', async () => {
    const clock = manualClock(0)
    const u = upstream(clock, ok(sts('STS.a', HOUR)), { make: () => E.left(failure('sts')) })
    const reporter = fakeReporter()
    const p = Provider.cached({ name: 'ram_role_arn' }, { clock, random: fakeRandom(0), reporter })(u.p)
    await p()()
    await clock.advance(50 * MIN)
    await p()()
    await p()()
    await p()()
    expect(reporter.warnings).toEqual([
      'alicred: ram_role_arn: serving a cached credential that expires in 600 s because refreshing it failed (SourceFailure [sts]: sts answered HTTP 503)',
    ])
    await clock.advance(MIN)
    await p()()
    expect(reporter.warnings).toHaveLength(2)
    expect(warn).not.toHaveBeenCalled()
  })

  it('without a reporter nothing is printed', async () => {
    const clock = manualClock(0)
    const u = upstream(clock, ok(sts('STS.a', HOUR)), err(failure('sts')))
    const p = Provider.cached({}, { clock })(u.p)
    await p()()
    await clock.advance(50 * MIN)
    await p()()
    expect(warn).not.toHaveBeenCalled()
  })

  it('a throwing observer changes nothing', async () => {
    const clock = manualClock(0)
    const a = sts('STS.a', HOUR)
    const u = upstream(clock, ok(a), err(failure('sts')))
    const boom = () => {
      throw new Error('observer')
    }
    const p = Provider.cached({ onStale: boom, onRefreshFailure: boom }, { clock })(u.p)
    await p()()
    await clock.advance(50 * MIN)
    expect(await p()()).toEqual(E.right(a))
  })
})

describe('cached: static stability (opt-in)', () => {
  const setup = (staticStabilityMs: number | undefined, e: CE.CredentialsError) => {
    const clock = manualClock(0)
    const a = sts('STS.a', HOUR)
    const u = upstream(clock, ok(a), err(e))
    const o = observers()
    const p = Provider.cached(
      {
        backoff: { baseMs: MIN, maxMs: MIN },
        ...(staticStabilityMs === undefined ? {} : { staticStabilityMs }),
        ...o.options,
      },
      { clock, random: fakeRandom(0) },
    )(u.p)
    return { clock, a, u, o, p }
  }

  it('is off by default: an expired credential is never served', async () => {
    const { clock, p } = setup(undefined, failure('sts'))
    await p()()
    await clock.advance(HOUR + 1)
    const r = await p()()
    expect(E.isLeft(r) && r.left._tag).toBe('SourceFailure')
  })

  it('serves the expired credential while the source is down, within the bound, reporting each serve', async () => {
    const { clock, a, u, o, p } = setup(30 * MIN, failure('sts'))
    await p()()
    await clock.advance(HOUR + 1)
    expect(await p()()).toEqual(E.right(a))
    expect(o.stale.map((s) => s.remainingMs)).toEqual([-1])
    // Within the backoff, served at once without asking the source.
    await clock.advance(10_000)
    expect(await p()()).toEqual(E.right(a))
    expect(u.calls).toBe(2)
    await clock.advance(30 * MIN)
    const r = await p()()
    expect(E.isLeft(r) && r.left._tag).toBe('SourceFailure')
  })

  it('does not apply when the source answers with a non-retryable failure', async () => {
    const { clock, p } = setup(30 * MIN, failure('sts', false))
    await p()()
    await clock.advance(HOUR + 1)
    const r = await p()()
    expect(E.isLeft(r) && r.left._tag).toBe('SourceFailure')
  })
})

// -------------------------------------------------------------------------------------
// cached: the law over random schedules
// -------------------------------------------------------------------------------------

type Outcome =
  | { readonly kind: 'ok'; readonly lifetimeMs: number | null; readonly delayMs: number }
  | { readonly kind: 'badDate'; readonly delayMs: number }
  | { readonly kind: 'fail'; readonly tag: 'nc' | 'retryable' | 'fatal' | 'invalid'; readonly delayMs: number }
  | { readonly kind: 'throw'; readonly delayMs: number }

type Command =
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'jump'; readonly ms: number }
  | { readonly kind: 'call'; readonly count: number }
  | { readonly kind: 'force' }
  | { readonly kind: 'invalidate' }
  | { readonly kind: 'script'; readonly outcome: Outcome }

// Times mix sub-second values (where rounding, minimum intervals and backoff floors bite) with large ones.
const timeArb = (max: number) => fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max }))
const delayArb = fc.oneof(fc.constant(0), timeArb(20 * MIN))
const outcomeStepArb: fc.Arbitrary<Outcome> = fc.oneof(
  fc.record({
    kind: fc.constant('ok' as const),
    lifetimeMs: fc.oneof(
      fc.constant(null),
      timeArb(3 * HOUR),
      timeArb(HOUR).map((t) => -t),
    ),
    delayMs: delayArb,
  }),
  fc.record({ kind: fc.constant('badDate' as const), delayMs: delayArb }),
  fc.record({
    kind: fc.constant('fail' as const),
    tag: fc.constantFrom('nc' as const, 'retryable' as const, 'fatal' as const, 'invalid' as const),
    delayMs: delayArb,
  }),
  fc.record({ kind: fc.constant('throw' as const), delayMs: delayArb }),
)
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: timeArb(2 * HOUR) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('jump' as const),
      ms: fc.oneof(
        timeArb(3 * HOUR),
        timeArb(3 * HOUR).map((t) => -t),
      ),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('call' as const), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('force' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalidate' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('script' as const), outcome: outcomeStepArb }) },
)

// `bornExpired` collects the ids of credentials that were already past their expiration when the upstream answered.
const stepOf = (o: Outcome, serial: () => number, bornExpired: Set<string> = new Set()): Step => {
  switch (o.kind) {
    case 'ok':
      return {
        delayMs: o.delayMs,
        make: (now) => {
          const id = `STS.${serial()}`
          if (o.lifetimeMs !== null && o.lifetimeMs <= 0) bornExpired.add(id)
          return E.right(
            o.lifetimeMs === null
              ? ak(id)
              : Credential.sts({
                  accessKeyId: id,
                  accessKeySecret: 's',
                  securityToken: 't',
                  expiration: new Date(now + o.lifetimeMs),
                  source: 'sts',
                }),
          )
        },
      }
    case 'badDate':
      return {
        delayMs: o.delayMs,
        result: E.right(Credential.bearer({ bearerToken: 't', source: 'x', expiration: new Date(Number.NaN) })),
      }
    case 'fail':
      return {
        delayMs: o.delayMs,
        result: E.left(
          o.tag === 'nc' ? nc('u') : o.tag === 'invalid' ? invalid('u') : failure('u', o.tag === 'retryable'),
        ),
      }
    case 'throw':
      return { delayMs: o.delayMs, throws: new Error('boom') }
  }
}

describe('cached: law over random schedules (fast-check)', () => {
  it('never returns a credential that expired while cached, keeps one upstream call per refresh, never rejects', async () => {
    await fc.assert(
      fc.asyncProperty(
        outcomeStepArb,
        fc.array(commandArb, { maxLength: 40, size: 'medium' }),
        fc.oneof(fc.constant(Provider.DEFAULT_STALE_MS), timeArb(30 * MIN)),
        fc.oneof(fc.constant(0), fc.constant(Provider.ECS_PREFETCH_MS), timeArb(2 * HOUR)),
        async (initial, commands, staleMs, prefetchMs) => {
          const clock = manualClock(Date.UTC(2024, 0, 1))
          let n = 0
          const serial = () => ++n
          // Static stability: these may be served although expired (the source vouched for them); no other may.
          const bornExpired = new Set<string>()
          const u = upstream(clock, stepOf(initial, serial, bornExpired))
          const p = Provider.cached(
            { staleMs, prefetchMs, onStale: () => {} },
            { clock, random: fakeRandom([0, 0.3, 0.9]) },
          )(u.p)
          const violations: Array<string> = []
          const calls: Array<Promise<void>> = []
          let settled = 0
          let invalidations = 0
          const track = (pending: Promise<Result>) => {
            calls.push(
              pending.then(
                (r) => {
                  settled++
                  if (
                    E.isRight(r) &&
                    Credential.isExpired(clock.now())(r.right) &&
                    !(r.right.type === 'sts' && bornExpired.has(r.right.accessKeyId))
                  ) {
                    violations.push(`expired credential served at ${clock.now()}`)
                  }
                },
                (u: unknown) => {
                  settled++
                  violations.push(`rejected: ${String(u)}`)
                },
              ),
            )
          }
          for (const c of commands) {
            switch (c.kind) {
              case 'advance':
                await clock.advance(c.ms)
                break
              case 'jump':
                await clock.set(clock.now() + c.ms)
                break
              case 'call':
                for (let i = 0; i < c.count; i++) track(p()())
                break
              case 'force':
                track(p.forceRefresh()())
                break
              case 'invalidate':
                invalidations++
                p.invalidate()
                break
              case 'script':
                u.script(stepOf(c.outcome, serial, bornExpired))
                break
            }
          }
          // Let every delayed upstream answer, background refreshes included.
          for (let i = 0; i < 200 && (settled < calls.length || clock.pending() > 0); i++) {
            if (!(await clock.next())) await clock.advance(0)
          }
          await Promise.all(calls)
          expect(settled).toBe(calls.length)
          expect(violations).toEqual([])
          // One upstream call at a time, except that invalidate lets a new refresh start beside a detached one.
          expect(u.maxActive).toBeLessThanOrEqual(1 + invalidations)
          expect(clock.pending()).toBe(0)
        },
      ),
      { numRuns: 1000 },
    )
  })
})

// -------------------------------------------------------------------------------------
// the hot path
// -------------------------------------------------------------------------------------

/** A clock that counts its reads. */
const counted = (clock: ManualClock, monotonic = true) => {
  const self = {
    now: 0,
    monotonic: 0,
    clock: {
      now: () => {
        self.now++
        return clock.now()
      },
      sleep: clock.sleep,
      ...(monotonic
        ? {
            monotonic: () => {
              self.monotonic++
              return clock.monotonic()
            },
          }
        : {}),
    },
  }
  return self
}

describe('hot path: providers that answer the same every time', () => {
  it('of and fail answer every run with one frozen, resolved result', async () => {
    const c = ak('LTAI5tA')
    const e = nc('env')
    for (const [p, expected] of [
      [Provider.of(c), E.right(c)],
      [Provider.fail(e), E.left(e)],
    ] as const) {
      const first = p()()
      expect(p()()).toBe(first)
      expect(await first).toEqual(expected)
      expect(Object.isFrozen(await first)).toBe(true)
    }
  })

  it('protect hands back a provider that is already total, and wraps anything else once', async () => {
    const clock = manualClock(0)
    const totals = [
      Provider.of(ak('LTAI5tA')),
      Provider.fail(nc('env')),
      Provider.cached({}, { clock })(Provider.of(ak('LTAI5tA'))),
    ]
    for (const p of totals) expect(Provider.protect('x')(p)).toBe(p)
    const custom = counting(E.right(ak('LTAI5tA'))).p
    const once = Provider.protect('x')(custom)
    expect(once).not.toBe(custom)
    expect(Provider.protect('y')(once)).toBe(once)
  })

  it('of a hand-made object still goes through the checks of protect on every run', async () => {
    const plain = {
      type: 'access_key',
      accessKeyId: 'id',
      accessKeySecret: ' ',
      source: 's',
    } as unknown as Credential.Credential
    const r = await Provider.protect('mine')(Provider.of(plain))()()
    expect(E.isLeft(r) && [r.left._tag, r.left.provider, r.left.message]).toEqual([
      'SourceFailure',
      'mine',
      'the provider returned an unusable credential (accessKeySecret is empty); this is a bug in that provider',
    ])
  })

  it('toTask runs a custom provider again on every run, and takes a total provider’s task as it is', async () => {
    const c = ak('LTAI5tA')
    const u = counting(E.right(c))
    const run = Provider.toTask('mine')(u.p)
    expect([await run(), await run(), u.calls]).toEqual([E.right(c), E.right(c), 2])
    const p = Provider.of(c)
    expect(Provider.toTask('mine')(p)).toBe(p())
  })
})

describe('hot path: cached', () => {
  it('a call served from cache outside every window reads the wall clock once and returns the same promise', async () => {
    const manual = manualClock(0)
    const c = sts('STS.a', 6 * HOUR)
    const u = upstream(manual, ok(c))
    const reads = counted(manual)
    const p = Provider.cached({}, { clock: reads.clock })(u.p)
    await p()()
    await manual.advance(HOUR)
    const [now, monotonic] = [reads.now, reads.monotonic]
    const first = p()()
    const again = Array.from({ length: 100 }, () => p()())
    expect(again.every((r) => r === first)).toBe(true)
    expect([reads.now - now, reads.monotonic - monotonic]).toEqual([101, 0])
    expect(await first).toEqual(E.right(c))
    expect(u.calls).toBe(1)
  })

  it('a new credential gets a new shared promise', async () => {
    const clock = manualClock(0)
    const [a, b] = [sts('STS.a', HOUR), sts('STS.b', 3 * HOUR)]
    const u = upstream(clock, ok(a), ok(b))
    const p = Provider.cached({}, { clock })(u.p)
    await p()()
    const before = p()()
    await clock.advance(50 * MIN)
    expect(await p()()).toEqual(E.right(b))
    const after = p()()
    expect(after).not.toBe(before)
    expect([await before, await after, p()() === after]).toEqual([E.right(a), E.right(b), true])
  })

  it('the prefetch window starts on time on the hot path', async () => {
    const clock = manualClock(0)
    const [a, b] = [sts('STS.a', 2 * HOUR), sts('STS.b', 4 * HOUR)]
    const u = upstream(clock, ok(a), ok(b, 10))
    const p = Provider.cached({ prefetchMs: HOUR }, { clock })(u.p)
    await p()()
    await clock.advance(HOUR - 1)
    expect([await p()(), u.calls]).toEqual([E.right(a), 1])
    await clock.advance(1)
    expect([await p()(), u.calls]).toEqual([E.right(a), 2])
    await clock.advance(10)
    expect(await p()()).toEqual(E.right(b))
  })

  it('without Clock.monotonic the max-age re-check is exact on the hot path', async () => {
    const manual = manualClock(0)
    const clock = { now: manual.now, sleep: manual.sleep }
    const [a, b] = [ak('LTAI5tA'), ak('LTAI5tB')]
    const u = upstream(manual, ok(a), ok(b))
    const p = Provider.cached({ maxAgeMs: HOUR }, { clock })(u.p)
    await p()()
    for (let i = 0; i < 59; i++) {
      await manual.advance(MIN)
      await p()()
    }
    await manual.advance(MIN - 1)
    expect([await p()(), u.calls]).toEqual([E.right(a), 1])
    await manual.advance(1)
    expect([await p()(), u.calls]).toEqual([E.right(a), 2])
    await manual.advance(0)
    expect(await p()()).toEqual(E.right(b))
  })

  it('a wall clock set back, seen by a call, does not postpone the max-age re-check', async () => {
    const clock = manualClock(0)
    const [a, b] = [ak('LTAI5tA'), ak('LTAI5tB')]
    const u = upstream(clock, ok(a), ok(b))
    const p = Provider.cached({ maxAgeMs: HOUR }, { clock })(u.p)
    await p()()
    await clock.advance(30 * MIN)
    await p()()
    await clock.set(clock.now() - 20 * MIN) // wall 10 min, monotonic 30 min
    expect([await p()(), u.calls]).toEqual([E.right(a), 1])
    await clock.advance(30 * MIN - 1) // monotonic 60 min - 1 ms: not yet
    expect([await p()(), u.calls]).toEqual([E.right(a), 1])
    await clock.advance(1)
    expect([await p()(), u.calls]).toEqual([E.right(a), 2])
  })

  it('a clock that throws gives a SourceFailure on the hot path too, never a throw or a rejection', async () => {
    const manual = manualClock(0)
    let broken = false
    const clock = {
      now: () => {
        if (broken) throw new Error('clock is gone')
        return manual.now()
      },
      sleep: manual.sleep,
    }
    const p = Provider.cached({ name: 'sts' }, { clock })(Provider.of(sts('STS.a', HOUR)))
    await p()()
    broken = true
    const r = await p()()
    expect(E.isLeft(r) && [r.left._tag, r.left.provider]).toEqual(['SourceFailure', 'sts'])
  })

  it('invalidate drops the shared promise', async () => {
    const clock = manualClock(0)
    const [a, b] = [sts('STS.a', HOUR), sts('STS.b', 2 * HOUR)]
    const u = upstream(clock, ok(a), ok(b))
    const p = Provider.cached({}, { clock })(u.p)
    await p()()
    const before = p()()
    p.invalidate()
    expect(await p()()).toEqual(E.right(b))
    expect(p()()).not.toBe(before)
    expect(u.calls).toBe(2)
  })
})
