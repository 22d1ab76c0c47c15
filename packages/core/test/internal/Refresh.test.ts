// The laws of the refresh engine as synchronous properties of `decide` and `settle`: no clock, no promise, no shell.
// Provider.test.ts checks the same laws end to end through `Provider.cached`.
import { CredentialsError as CE, Credential, Provider } from '@alicred/core'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import * as R from '../../src/internal/Refresh.js'

const MIN = 60_000
const HOUR = 60 * MIN
const T0 = Date.UTC(2024, 0, 1)

let serial = 0
const sts = (expiresAt: number | undefined): Credential.Credential =>
  Credential.sts({
    accessKeyId: `STS.${++serial}`,
    accessKeySecret: 's',
    securityToken: 't',
    ...(expiresAt === undefined ? {} : { expiration: new Date(expiresAt) }),
    source: 'sts',
  })

const failure = (retryable = true) => new CE.SourceFailure('u', 'u answered HTTP 503', { status: 503, retryable })

const at = (wall: number, mono = wall - T0): R.Instant => ({ wall, mono })

const left = (c: Credential.Credential, now: R.Instant): number => Credential.remainingMs(now.wall)(c)

const served = (d: R.Decision): Credential.Credential | undefined =>
  d._tag === 'Serve' || d._tag === 'ServeStale' || d._tag === 'ServeAndRefresh' ? d.credential : undefined

const starts = (d: R.Decision): boolean => d._tag === 'ServeAndRefresh' || d._tag === 'AwaitRefresh'

const stepOf = (failures: number, p: R.Policy): number =>
  Math.min(p.backoffMaxMs, p.backoffBaseMs * 2 ** Math.max(failures - 1, 0))

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

const timeArb = (max: number) => fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max }))

const policyArb: fc.Arbitrary<R.Policy> = fc
  .record({
    staleMs: fc.oneof(fc.constant(Provider.DEFAULT_STALE_MS), timeArb(30 * MIN)),
    prefetchMs: fc.oneof(fc.constant(0), fc.constant(Provider.ECS_PREFETCH_MS), timeArb(2 * HOUR)),
    maxAgeMs: fc.oneof(fc.constant(Provider.DEFAULT_MAX_AGE_MS), timeArb(3 * HOUR)),
    staticStabilityMs: fc.oneof(fc.constant(0), timeArb(HOUR)),
    backoff: fc.record({ baseMs: timeArb(MIN), maxMs: timeArb(10 * MIN) }),
  })
  .map((o) => R.policy({ ...o, name: 'src' }))

type Answer =
  | { readonly kind: 'ok'; readonly lifetimeMs: number | null }
  | { readonly kind: 'fail'; readonly tag: 'nc' | 'retryable' | 'fatal' }

const answerArb: fc.Arbitrary<Answer> = fc.oneof(
  fc.record({
    kind: fc.constant('ok' as const),
    lifetimeMs: fc.oneof(
      fc.constant(null),
      timeArb(3 * HOUR),
      timeArb(HOUR).map((t) => -t),
    ),
  }),
  fc.record({
    kind: fc.constant('fail' as const),
    tag: fc.constantFrom('nc' as const, 'retryable' as const, 'fatal' as const),
  }),
)

type Event =
  | { readonly kind: 'advance'; readonly ms: number }
  /** The wall clock alone moves (either way); the monotonic one does not. */
  | { readonly kind: 'jump'; readonly ms: number }
  /** The shell saw the wall clock go back without a monotonic clock. */
  | { readonly kind: 'wentBack' }
  | { readonly kind: 'call' }
  | { readonly kind: 'settle'; readonly answer: Answer; readonly jitter: number }
  | { readonly kind: 'invalidate' }

const eventArb: fc.Arbitrary<Event> = fc.oneof(
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
  { weight: 1, arbitrary: fc.constant({ kind: 'wentBack' as const }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'call' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      answer: answerArb,
      jitter: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'invalidate' as const }) },
)

const resultOf = (a: Answer, now: R.Instant): E.Either<CE.CredentialsError, Credential.Credential> =>
  a.kind === 'ok'
    ? E.right(sts(a.lifetimeMs === null ? undefined : now.wall + a.lifetimeMs))
    : E.left(a.tag === 'nc' ? new CE.NotConfigured('u', 'u is not set up') : failure(a.tag === 'retryable'))

// -------------------------------------------------------------------------------------
// a synchronous shell: the machine driven by random events
// -------------------------------------------------------------------------------------

interface Violation {
  readonly law: string
  readonly detail: string
}

/**
 * Runs `events` through `decide`/`settle` the way `Provider.cached` does (one refresh in flight, a detached one after
 * `invalidate`), checking every law at every step. Returns the broken laws.
 */
const drive = (p: R.Policy, events: ReadonlyArray<Event>): ReadonlyArray<Violation> => {
  const broken: Array<Violation> = []
  const check = (ok: boolean, law: string, detail: () => string) => {
    if (!ok) broken.push({ law, detail: detail() })
  }
  let s = R.initial
  let now = at(T0)
  let inflight: number | undefined // the generation a refresh started under
  let detached: number | undefined
  // Credentials that arrived already past their expiration: static stability may serve them, nothing else expired.
  const bornExpired = new Set<Credential.Credential>()
  // Usable past expiry under the opt-in bound: an ordinary credential, a retryable failure, inside the bound.
  const optIn = (st: R.RefreshState, c: Credential.Credential, e: CE.CredentialsError | undefined) =>
    p.staticStabilityMs > 0 &&
    left(c, now) > -p.staticStabilityMs &&
    e?._tag === 'SourceFailure' &&
    e.retryable &&
    st.credential === c

  const lawOfServing = (before: R.RefreshState, d: R.Decision, e: CE.CredentialsError | undefined) => {
    const c = served(d)
    if (c === undefined) return
    check(left(c, now) > 0 || bornExpired.has(c) || optIn(before, c, e), 'never an expired credential', () =>
      JSON.stringify({ now, c: Credential.view(c) }),
    )
  }

  for (const ev of events) {
    switch (ev.kind) {
      case 'advance':
        now = { wall: now.wall + ev.ms, mono: now.mono + ev.ms }
        break
      case 'jump':
        now = { wall: now.wall + ev.ms, mono: now.mono }
        break
      case 'wentBack':
        s = R.clockWentBack(s, now)
        check(s.retryAt <= now.mono, 'a wall clock going back makes a pending retry due', () => `${s.retryAt}`)
        break
      case 'invalidate':
        s = R.invalidated(s)
        detached = inflight
        inflight = undefined
        check(s.credential === undefined, 'invalidate forgets the credential', () => '')
        break
      case 'call': {
        const d = R.decide(s, now, p)
        // Single flight: every caller in the same state at the same time is told the same, so they share one refresh.
        const again = R.decide(d.state, now, p)
        check(again.decision._tag === d.decision._tag && again.state === d.state, 'decide is idempotent', () =>
          JSON.stringify([d.decision._tag, again.decision._tag]),
        )
        check(
          JSON.stringify({ ...d.state, warned: s.warned }) === JSON.stringify(s),
          'decide changes only `warned`',
          () => '',
        )
        check(d.decision._tag !== 'Fail', 'decide never fails a caller without asking the source', () => '')
        lawOfServing(s, d.decision, s.lastError)
        // Static stability: no upstream call inside a backoff step.
        if (s.skewMs !== undefined && now.mono < s.retryAt) {
          check(!starts(d.decision), 'one upstream call per backoff step while serving a skewed credential', () =>
            JSON.stringify({ mono: now.mono, retryAt: s.retryAt }),
          )
        }
        // The hot path: until `quietUntil`, every call is `Serve` with nothing to do.
        const q = R.quietUntil(d.state, now, p)
        if (q > now.wall && Number.isFinite(q)) {
          for (const w of [now.wall, Math.floor((now.wall + q) / 2), q - 1]) {
            const later = R.decide(d.state, { wall: w, mono: now.mono + (w - now.wall) }, p)
            check(later.decision._tag === 'Serve' && later.state === d.state, 'quietUntil is quiet', () =>
              JSON.stringify({ w, q, tag: later.decision._tag }),
            )
          }
        }
        s = d.state
        if (starts(d.decision) && inflight === undefined) inflight = s.generation
        break
      }
      case 'settle': {
        const started = detached ?? inflight
        if (started === undefined) break
        if (detached !== undefined) detached = undefined
        else inflight = undefined
        const result = resultOf(ev.answer, now)
        if (E.isRight(result) && left(result.right, now) <= 0) bornExpired.add(result.right)
        let draws = 0
        const draw = () => {
          draws++
          return ev.jitter
        }
        const r = R.settle(s, started, result, now, draw, p)
        check(draws <= 1, 'at most one jitter draw per refresh', () => `${draws}`)
        if (started !== s.generation) {
          check(r.state === s, 'a detached refresh changes nothing', () => '')
          lawOfServing(R.initial, r.reply, undefined)
          break
        }
        lawOfServing(s, r.reply, E.isLeft(result) ? result.left : undefined)
        const c = E.isRight(result) ? result.right : undefined
        if (c !== undefined) {
          // No call fails only because the local clock says a fresh answer is expired.
          check(r.reply._tag !== 'Fail', 'a credential answer never fails its callers', () => r.reply._tag)
        }
        if (E.isLeft(r.outcome)) {
          // A failure is never cached, and leaves the credential alone; the next attempt waits a backoff step.
          check(r.state.credential === s.credential, 'a failed refresh keeps the cache', () => '')
          const step = stepOf(r.state.failures, p)
          const wait = r.state.retryAt - now.mono
          check(wait >= step / 2 && wait <= step, 'backoff within [step/2, step]', () =>
            JSON.stringify({ wait, step, failures: r.state.failures }),
          )
          check(
            r.effects.filter((e) => e._tag === 'RefreshFailed').length === 1,
            'every failed refresh is told once',
            () => '',
          )
          if (s.credential === undefined) {
            check(r.reply._tag === 'Fail', 'nothing cached: the failure is returned', () => r.reply._tag)
            check(R.decide(r.state, now, p).decision._tag === 'AwaitRefresh', 'a failure is never cached', () => '')
          }
        } else {
          check(r.state.credential === c && r.state.failures >= 0, 'a credential answer is taken', () => '')
          if (r.state.skewMs !== undefined) {
            const step = stepOf(r.state.failures, p)
            const wait = r.state.retryAt - now.mono
            check(wait >= step / 2 && wait <= step, 'a skewed credential is re-checked after a backoff step', () =>
              JSON.stringify({ wait, step }),
            )
            check(
              r.effects.filter((e) => e._tag === 'Warn').length === (s.skewMs === undefined ? 1 : 0),
              'one warning per spell of skewed credentials',
              () => JSON.stringify(r.effects),
            )
          } else {
            check(r.state.failures === 0 && r.state.lastError === undefined, 'success resets the failures', () => '')
          }
        }
        s = r.state
        break
      }
    }
  }
  return broken
}

describe('Refresh: laws over random event sequences', () => {
  it('every law holds at every step', () => {
    fc.assert(
      fc.property(policyArb, fc.array(eventArb, { maxLength: 60 }), (p, events) => {
        expect(drive(p, events)).toEqual([])
      }),
      { numRuns: 3_000 },
    )
  })
})

// -------------------------------------------------------------------------------------
// each law on its own
// -------------------------------------------------------------------------------------

const defaults = R.policy({ name: 'src' })
const ecs = R.policy({ name: 'ecs_ram_role', prefetchMs: Provider.ECS_PREFETCH_MS })

const holding = (c: Credential.Credential, now: R.Instant, p = defaults): R.RefreshState =>
  R.settle(R.initial, 0, E.right(c), now, () => 0.5, p).state

describe('Refresh: windows', () => {
  it('the defaults are the reference values: stale 15 min, no prefetch; ECS prefetch 60 min', () => {
    expect([defaults.staleMs, defaults.prefetchMs, ecs.staleMs, ecs.prefetchMs]).toEqual([
      15 * MIN,
      15 * MIN,
      15 * MIN,
      60 * MIN,
    ])
  })

  it('property: serve outside the windows, refresh behind inside the prefetch window, wait inside the stale window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 * HOUR }),
        fc.integer({ min: 0, max: 6 * HOUR - 1 }),
        (lifetime, elapsed) => {
          for (const p of [defaults, ecs]) {
            const c = sts(T0 + lifetime)
            const s = holding(c, at(T0), p)
            const now = at(T0 + elapsed)
            const remaining = lifetime - elapsed
            const tag = R.decide(s, now, p).decision._tag
            const inside = lifetime <= p.prefetchMs // arrived inside a window: re-checked later, never on every call
            if (remaining > p.prefetchMs) expect(tag).toBe('Serve')
            else if (remaining > p.staleMs)
              expect(tag).toBe(inside && now.mono < s.retryAt ? 'Serve' : 'ServeAndRefresh')
            else if (remaining > 0 && now.mono < s.retryAt) expect(tag).toBe('Serve')
            else expect(tag).toBe('AwaitRefresh')
          }
        },
      ),
      { numRuns: 2_000 },
    )
  })

  it('a credential without expiration is re-checked in the background after maxAgeMs', () => {
    const p = R.policy({ maxAgeMs: HOUR })
    const s = holding(sts(undefined), at(T0), p)
    expect(R.decide(s, at(T0 + HOUR - 1), p).decision._tag).toBe('Serve')
    expect(R.decide(s, at(T0 + HOUR), p).decision._tag).toBe('ServeAndRefresh')
  })
})

describe('Refresh: failures', () => {
  it('property: a failed refresh serves a still-valid credential stale (warned once) and fails after expiry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 * MIN }),
        fc.integer({ min: -HOUR, max: 15 * MIN }),
        fc.constantFrom<CE.CredentialsError>(failure(true), failure(false), new CE.NotConfigured('u', 'gone')),
        (lifetime, remaining, e) => {
          const c = sts(T0 + lifetime)
          const s = holding(c, at(T0))
          const now = at(T0 + lifetime - remaining)
          const r = R.settle(s, s.generation, E.left(e), now, () => 0, defaults)
          expect(r.outcome).toEqual(E.left(e))
          expect(r.state.credential).toBe(c)
          if (remaining > 0) {
            expect(r.reply).toEqual({
              _tag: 'ServeStale',
              credential: c,
              stale: { provider: 'src', remainingMs: remaining, error: e },
            })
            expect(r.effects.map((x) => x._tag)).toEqual(['RefreshFailed', 'Warn'])
            // Later serves within the backoff are stale too, and not warned about again.
            const d = R.decide(r.state, { wall: now.wall, mono: now.mono + 1 }, defaults)
            expect([d.decision._tag, d.effects]).toEqual(['ServeStale', []])
          } else if (e._tag === 'SourceFailure') {
            expect(r.reply._tag === 'Fail' && [r.reply.error._tag, r.reply.error.message]).toEqual([
              'SourceFailure',
              `the cached credential expired at ${new Date(T0 + lifetime).toISOString()} and refreshing it failed: ${e.message}`,
            ])
          } else {
            expect(r.reply).toEqual({ _tag: 'Fail', error: e }) // a skip stays a skip
          }
        },
      ),
    )
  })

  it('property: the opt-in bound serves an expired credential only while the source is down, within the bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 * HOUR }), fc.boolean(), (pastExpiry, retryable) => {
        const p = R.policy({ staticStabilityMs: HOUR })
        const c = sts(T0 + HOUR)
        const s = holding(c, at(T0), p)
        const r = R.settle(s, 0, E.left(failure(retryable)), at(T0 + HOUR + pastExpiry), () => 0, p)
        expect(r.reply._tag).toBe(retryable && pastExpiry < HOUR ? 'ServeStale' : 'Fail')
      }),
    )
  })

  it('property: backoff stays within [step/2, step] and grows with consecutive failures up to the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (baseMs, maxMs, jitters) => {
          const p = R.policy({ backoff: { baseMs, maxMs } })
          let s = R.initial
          jitters.forEach((j, i) => {
            const r = R.settle(s, s.generation, E.left(failure()), at(T0), () => j, p)
            const step = Math.min(Math.max(baseMs, maxMs), baseMs * 2 ** i)
            expect(r.state.failures).toBe(i + 1)
            expect(r.state.retryAt - at(T0).mono).toBe(step / 2 + (j * step) / 2)
            s = r.state
          })
        },
      ),
    )
  })

  it('without randomness a backoff waits its whole step', () => {
    expect(R.backoffMs(3, 1, R.policy({ backoff: { baseMs: 1_000, maxMs: 60_000 } }))).toBe(4_000)
  })
})

describe('Refresh: static stability', () => {
  it('property: an answer already past its expiration is served, warned about once with the skew, and retried after a backoff step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * HOUR }),
        fc.array(fc.integer({ min: 0, max: 10 * HOUR }), { maxLength: 5 }),
        (skew, later) => {
          const now = at(T0 + HOUR)
          const c = sts(now.wall - skew)
          const r = R.settle(R.initial, 0, E.right(c), now, () => 0, defaults)
          expect([r.reply, r.outcome, r.state.skewMs]).toEqual([{ _tag: 'Serve', credential: c }, E.right(c), skew])
          expect(r.effects).toEqual([
            {
              _tag: 'Warn',
              credential: c,
              message: expect.stringContaining(
                `alicred: src: the source answered with a credential that had already expired (at ${new Date(now.wall - skew).toISOString()}, ${Math.round(skew / 1000)} s before this machine's time`,
              ),
            },
          ])
          // Inside the step: served without asking; then one refresh; further expired answers replace it silently.
          expect(R.decide(r.state, { wall: now.wall + 499, mono: now.mono + 499 }, defaults).decision).toEqual({
            _tag: 'Serve',
            credential: c,
          })
          expect(R.decide(r.state, { wall: now.wall + 500, mono: now.mono + 500 }, defaults).decision._tag).toBe(
            'AwaitRefresh',
          )
          let s = r.state
          for (const k of later) {
            const t = { wall: now.wall + 1_000 + k, mono: now.mono + 1_000 + k }
            const next = R.settle(s, 0, E.right(sts(t.wall - skew)), t, () => 0, defaults)
            expect([next.reply._tag, next.effects]).toEqual(['Serve', []])
            expect(next.state.failures).toBe(s.failures + 1)
            s = next.state
          }
        },
      ),
    )
  })

  it('a failed refresh while holding a skewed credential serves it stale, with a warning, and backs off', () => {
    const now = at(T0 + HOUR)
    const c = sts(now.wall - MIN)
    const s = R.settle(R.initial, 0, E.right(c), now, () => 0, defaults).state
    const e = failure(false)
    const r = R.settle(s, 0, E.left(e), { wall: now.wall + 500, mono: now.mono + 500 }, () => 0, defaults)
    expect(r.reply).toEqual({
      _tag: 'ServeStale',
      credential: c,
      stale: { provider: 'src', remainingMs: -MIN - 500, error: e },
    })
    expect(r.state.retryAt - (now.mono + 500)).toBe(1_000)
    expect(r.effects.map((x) => x._tag)).toEqual(['RefreshFailed', 'Warn'])
  })

  it('an expired answer while a valid credential is held is a failed refresh', () => {
    const held = sts(T0 + HOUR)
    const s = holding(held, at(T0))
    const now = at(T0 + 50 * MIN)
    const r = R.settle(s, 0, E.right(sts(now.wall - MIN)), now, () => 0, defaults)
    expect(r.reply._tag === 'ServeStale' && r.reply.credential).toBe(held)
    expect(E.isLeft(r.outcome) && r.outcome.left.message).toMatch(
      /^the source returned a credential that had already expired/,
    )
  })

  it('the warning holds no secret', () => {
    const now = at(T0)
    const c = Credential.sts({
      accessKeyId: 'STS.visible-id',
      accessKeySecret: 'very-secret',
      securityToken: 'very-secret-token',
      expiration: new Date(T0 - MIN),
      source: 'sts',
    })
    const r = R.settle(R.initial, 0, E.right(c), now, () => 0, defaults)
    const text = JSON.stringify(r.effects)
    expect(text).not.toContain('very-secret')
    expect(text).not.toContain('STS.visible-id')
  })
})

describe('Refresh: invalidate and the clock', () => {
  it('a refresh of an older generation answers its callers and changes nothing', () => {
    const s = R.invalidated(holding(sts(T0 + HOUR), at(T0)))
    const c = sts(T0 + 2 * HOUR)
    const r = R.settle(s, 0, E.right(c), at(T0), () => 0, defaults)
    expect([r.state, r.reply]).toEqual([s, { _tag: 'Serve', credential: c }])
  })

  it('a wall clock going back makes a pending retry due at once, and changes nothing else', () => {
    const s = R.settle(
      holding(sts(T0 + HOUR), at(T0)),
      0,
      E.left(failure()),
      at(T0 + 50 * MIN),
      () => 0,
      defaults,
    ).state
    const now = at(T0 + 50 * MIN)
    expect(R.clockWentBack(s, now)).toEqual({ ...s, retryAt: now.mono })
    const idle = holding(sts(T0 + HOUR), at(T0))
    expect(R.clockWentBack(idle, now)).toBe(idle)
  })

  it('policy: negative and NaN values fall back to the defaults; the prefetch window is never below the stale one', () => {
    expect(
      R.policy({ staleMs: -1, prefetchMs: 5, maxAgeMs: Number.NaN, backoff: { baseMs: 10_000, maxMs: 1 } }),
    ).toEqual({
      name: 'cached',
      staleMs: 15 * MIN,
      prefetchMs: 15 * MIN,
      maxAgeMs: Provider.DEFAULT_MAX_AGE_MS,
      staticStabilityMs: 0,
      backoffBaseMs: 10_000,
      backoffMaxMs: 10_000,
    })
  })
})
