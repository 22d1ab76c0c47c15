/**
 * The provider algebra. A `Provider` is a lazy, repeatable action that yields a `Credential` or a
 * `CredentialsError`; everything here builds providers from providers:
 *
 * - constructors: `of`, `fail`, `fromTaskEither`, `protect`, `toTask`
 * - fallback: `alt` (left-biased, recovers only from skippable errors, keeps every attempt), `firstOf`
 * - naming: `named`
 * - memoisation: `memoBy` (one provider per key read at run time)
 * - refresh: `cached` (stale and prefetch windows, single flight, stale fallback, bounded backoff)
 * - resilience: `withTimeout`, `retrying`
 * - observation: `traced`
 *
 * Every combinator runs the providers it is given through `protect`, so a provider that throws, rejects or returns
 * something that is not a valid credential becomes a `SourceFailure` and never an unhandled rejection.
 *
 * @since 0.1.0
 */
import type { Either } from 'fp-ts/Either'
import type { Eq } from 'fp-ts/Eq'
import type * as TE from 'fp-ts/TaskEither'
import type { Clock } from './Clock.js'
import type { Credential } from './Credential.js'
import * as C from './Credential.js'
import type { CredentialsError } from './CredentialsError.js'
import * as CE from './CredentialsError.js'
import * as E from './internal/Either.js'
import * as Refresh from './internal/Refresh.js'
import * as RefreshDefaults from './internal/RefreshDefaults.js'
import type { Random } from './Random.js'
import type { Reporter } from './Reporter.js'
import * as R from './Reporter.js'

/**
 * A source of credentials. Calling it starts nothing; running the returned `TaskEither` does the work and never
 * rejects.
 *
 * @category model
 * @since 0.1.0
 */
export type Provider = () => TE.TaskEither<CredentialsError, Credential>

type Result = E.Either<CredentialsError, Credential>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

// Providers whose task never throws or rejects and always resolves with a `CredentialsError` or a credential that
// passed `Credential.validate` are registered here by this module's constructors (`of`, `fail`, `protect`, `cached`),
// so `protect` (and every combinator running them) can call them as they are instead of adding an async hop and a
// re-validation to every call. Calling such a provider does nothing but hand back the same task every time (see
// `toTask`), which is what lets a client answer a cache hit with the promise it answered last time. Measured with
// `npm run bench` (hot paths, 5 rounds): without it, a cached STS credential through the facade's `getCredential()`
// drops from 12.8 M/s to 3.5 M/s (under the reference's 5× target). A registry rather than a mark on the function:
// nothing is written onto the providers, and only this module can register one.
const totals = new WeakSet<Provider>()

const markTotal = <P extends Provider>(p: P): P => {
  totals.add(p)
  return p
}

const isTotal = (p: Provider): boolean => totals.has(p)

// One resolved task shared by every call: a provider whose answer never changes builds it once. The Either is frozen
// because every caller gets the same object.
const constant = (r: Result): Provider => {
  const answer = Promise.resolve(Object.freeze(r))
  const task = (): Promise<Result> => answer
  return () => task
}

/**
 * A provider that always yields `credential`. A credential built by `Credential` is checked once here and every run
 * answers with the same resolved promise; anything else is checked on each run like any custom provider's answer.
 *
 * @example
 * import { Credential, Provider } from '@alicred/core'
 * const p = Provider.of(Credential.accessKey({ accessKeyId: 'id', accessKeySecret: 's', source: 'static_ak' }))
 * const r = await p()()
 * assert.strictEqual(r._tag, 'Right')
 * @category constructors
 * @since 0.1.0
 */
export const of = (credential: Credential): Provider => {
  const checked = C.validate(credential)
  if (E.isRight(checked) && checked.right === credential) return markTotal(constant(E.right(credential)))
  return () => () => Promise.resolve(E.right(credential))
}

/**
 * A provider that always fails with `error`. Every run answers with the same resolved promise.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fail = (error: CredentialsError): Provider => {
  const p = constant(E.left(error))
  return CE.isCredentialsError(error) ? markTotal(p) : p
}

/**
 * A provider from a lazily built `TaskEither`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromTaskEither = (f: () => TE.TaskEither<CredentialsError, Credential>): Provider => f

const misbehaved = (name: string, what: string): CE.SourceFailure =>
  new CE.SourceFailure(name, `the provider ${what}; this is a bug in that provider`, { retryable: false })

// The shape check of whatever a provider's task resolved with. Plain JavaScript providers, or TypeScript ones
// that cast, can hand back anything.
const checkShape = (name: string, r: unknown): Result => {
  if (typeof r !== 'object' || r === null)
    return E.left(misbehaved(name, 'resolved with something that is not an Either'))
  const tagged = r as { _tag?: unknown; left?: unknown; right?: unknown }
  if (tagged._tag === 'Left') {
    return E.left(
      CE.isCredentialsError(tagged.left)
        ? tagged.left
        : misbehaved(name, 'failed with a value that is not a CredentialsError'),
    )
  }
  if (tagged._tag !== 'Right') return E.left(misbehaved(name, 'resolved with something that is not an Either'))
  // No fallback source: `named` supplies the path, and a duplicate `custom/custom` would read worse than `custom`.
  return E.mapLeft((reason: string) => misbehaved(name, `returned an unusable credential (${reason})`))(
    C.validate(tagged.right),
  )
}

/**
 * Makes any provider total: a synchronous throw, a rejected promise, a `Left` that is not a `CredentialsError` or a
 * `Right` that is not a valid credential (see `Credential.validate`) becomes a `SourceFailure` named after `name`,
 * never an unhandled rejection or a silently wrong credential. Every combinator here applies it to the providers it
 * is given. A provider that is already total (`of`, `fail`, `cached`, the static sources, or the result of `protect`
 * itself) is returned as it is, so protecting twice costs nothing on each call.
 *
 * @category combinators
 * @since 0.1.0
 */
export const protect =
  (name: string) =>
  (p: Provider): Provider => {
    if (isTotal(p)) return p
    const task = async (): Promise<Result> => {
      let r: unknown
      try {
        r = await p()()
      } catch (u) {
        return E.left(CE.fromUnknown(name)(u))
      }
      return checkShape(name, r)
    }
    return markTotal(() => task)
  }

/**
 * The task of `protect(name)(p)`, taken once: running it runs `p` again each time (a `TaskEither` is repeatable), and
 * for a provider that is already total it is that provider's own task, so a caller that runs one provider again and
 * again (a client's `getCredential()`) pays one call per run and nothing more.
 *
 * @example
 * import { Credential, Provider } from '@alicred/core'
 * const run = Provider.toTask('mine')(Provider.of(Credential.bearer({ bearerToken: 't', source: 'bearer' })))
 * const [a, b] = await Promise.all([run(), run()])
 * assert.strictEqual(a._tag === 'Right' && b._tag === 'Right' && a.right === b.right, true)
 * @category model
 * @since 0.1.0
 */
export const toTask =
  (name: string) =>
  (p: Provider): TE.TaskEither<CredentialsError, Credential> =>
    protect(name)(p)()

const run = (p: Provider, name = 'provider'): Promise<Result> => (isTotal(p) ? p()() : protect(name)(p)()())

// Callbacks given by users (trace sinks, stale observers) must not change a result or leak a rejection.
const notify = <A>(f: ((a: A) => unknown) | undefined, a: A): void => {
  if (f === undefined) return
  try {
    const out = f(a)
    if (typeof out === 'object' && out !== null && typeof (out as PromiseLike<unknown>).then === 'function') {
      ;(out as PromiseLike<unknown>).then(undefined, () => {})
    }
  } catch {
    // observers must not change the result
  }
}

// -------------------------------------------------------------------------------------
// fallback
// -------------------------------------------------------------------------------------

/**
 * The provider name a chain's `ChainExhausted` carries when nothing names the chain. `named` replaces it.
 *
 * @category errors
 * @since 0.1.0
 */
export const CHAIN = CE.CHAIN

/**
 * Left-biased fallback: run `self`; if it says `NotConfigured` (or is itself an exhausted chain), run `that`.
 * Any other error stops. When both skip, the result is a `ChainExhausted` listing every attempt in order.
 *
 * An exhausted chain is skippable and its attempts are spliced in rather than nested, so `alt` is associative:
 * `alt(alt(a, b), c)` and `alt(a, alt(b, c))` give the same credential or the same error with the same attempts.
 *
 * @example
 * import { CredentialsError, Provider } from '@alicred/core'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const none = Provider.fail(new CredentialsError.NotConfigured('env', 'unset'))
 * const r = await pipe(none, Provider.alt(() => none))()()
 * assert.strictEqual(r._tag === 'Left' && r.left._tag, 'ChainExhausted')
 * @category combinators
 * @since 0.1.0
 */
export const alt =
  (that: () => Provider) =>
  (self: Provider): Provider =>
  () =>
  async () => {
    const first = await run(self)
    if (E.isRight(first) || !CE.isSkippable(first.left)) return first
    let next: Provider
    try {
      next = that()
    } catch (u) {
      return E.left(CE.fromUnknown('provider')(u))
    }
    const second = await run(next)
    if (E.isRight(second) || !CE.isSkippable(second.left)) return second
    return E.left(new CE.ChainExhausted(CHAIN, [...CE.attemptsOf(first.left), ...CE.attemptsOf(second.left)]))
  }

/**
 * n-ary `alt`: the first provider that does not skip wins. With no providers it fails with an empty
 * `ChainExhausted`.
 *
 * @example
 * import { CredentialsError, Provider } from '@alicred/core'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const skip = (name: string) => Provider.fail(new CredentialsError.NotConfigured(name, `${name} is not set up`))
 * const r = await pipe(Provider.firstOf(skip('env'), skip('profile')), Provider.named('default'))()()
 * assert.deepStrictEqual(r._tag === 'Left' && r.left.provider, 'default')
 * @category combinators
 * @since 0.1.0
 */
export const firstOf = (...providers: ReadonlyArray<Provider>): Provider =>
  providers.length === 0
    ? fail(new CE.ChainExhausted(CHAIN, []))
    : providers.slice(1).reduce((acc, p) => alt(() => p)(acc), providers[0]!)

/**
 * Names a provider: its credentials' `source` and its errors' `provider` (and every attempt of an exhausted chain)
 * get `name/` in front, so nested names read as a path, e.g. `default/profile/ram_role_arn/static_ak`. An anonymous
 * chain takes the name itself: a named chain's error reads `default`, its attempts `default/env`, ….
 *
 * @example
 * import { Credential, Provider } from '@alicred/core'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const p = pipe(Provider.of(Credential.bearer({ bearerToken: 't', source: 'bearer' })), Provider.named('default'))
 * const r = await p()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'default/bearer')
 * @category combinators
 * @since 0.1.0
 */
export const named =
  (name: string) =>
  (p: Provider): Provider =>
  () =>
  async () =>
    // Protected under an empty name: a throw inside reads `name`, not `name/name`, once prefixed.
    E.bimap(CE.withProvider(name), C.withSource(name))(await run(p, ''))

// -------------------------------------------------------------------------------------
// memoisation
// -------------------------------------------------------------------------------------

/** What `memoBy` needs. @category combinators @since 0.1.0 */
export interface Memo<K> {
  /** Which provider is wanted, read on every run (from env vars, a file path, a profile name). A `Left` is the answer. */
  readonly key: () => E.Either<CredentialsError, K>
  /** Builds the provider for a key. A `Left` is the answer, and nothing is kept. */
  readonly build: (key: K) => TE.TaskEither<CredentialsError, Provider>
  /** When two keys name the same provider. Default `===`. */
  readonly eq?: Eq<K>
  /**
   * When a built provider starts being kept for its key: `'built'` (default) at once, so concurrent first runs share
   * it; `'succeeded'` once it has yielded a credential — for a build that reads something the key does not capture
   * (a file's contents), so that a fix to that file is picked up until it works. Either way, runs that arrive while the
   * first one is under way share its provider.
   */
  readonly keep?: 'built' | 'succeeded'
}

const strict: Eq<unknown> = { equals: (a, b) => a === b }

/**
 * One provider per key: each run reads `key()`, and runs the provider built for that key last time, or builds one
 * with `build` when the key changed (the old one, and its cache, is dropped). This is how a source whose settings are
 * read at run time (environment variables, a profile in a file) keeps its inner provider — and the cache in it —
 * while the settings stay the same.
 *
 * @example
 * import { Credential, CredentialsError, Provider } from '@alicred/core'
 * import * as E from 'fp-ts/lib/Either.js'
 * let region = 'cn-hangzhou'
 * let builds = 0
 * const p = Provider.memoBy({
 *   key: () => (region === '' ? E.left(new CredentialsError.NotConfigured('mine', 'no region')) : E.right(region)),
 *   build: (r) => async () => {
 *     builds++
 *     return E.right(Provider.of(Credential.bearer({ bearerToken: `token-${r}`, source: 'mine' })))
 *   },
 * })
 * await p()()
 * await p()()
 * region = 'cn-beijing'
 * await p()()
 * assert.strictEqual(builds, 2)
 * @category combinators
 * @since 0.1.0
 */
export const memoBy = <K>(m: Memo<K>): Provider => {
  const eq: Eq<K> = m.eq ?? strict
  const keepOnSuccess = m.keep === 'succeeded'
  let memo:
    | { readonly key: K; readonly built: Promise<Either<CredentialsError, Provider>>; readonly kept: boolean }
    | undefined
  const build = (key: K): Promise<Either<CredentialsError, Provider>> => {
    try {
      return Promise.resolve(m.build(key)()).catch((u: unknown) => E.left(CE.fromUnknown('provider')(u)))
    } catch (u) {
      return Promise.resolve(E.left(CE.fromUnknown('provider')(u)))
    }
  }
  return () => async () => {
    let key: Either<CredentialsError, K>
    try {
      key = m.key()
    } catch (u) {
      return E.left(CE.fromUnknown('provider')(u))
    }
    if (E.isLeft(key)) return key
    let entry = memo
    if (entry === undefined || !eq.equals(entry.key, key.right)) {
      entry = { key: key.right, built: build(key.right), kept: !keepOnSuccess }
      memo = entry
    }
    const built = await entry.built
    if (E.isLeft(built)) {
      if (memo === entry) memo = undefined // a failed build is never kept
      return built
    }
    const r = await run(built.right)
    // Kept from its first credential on; until then, a failure drops it so that the next run builds afresh.
    if (!entry.kept && memo === entry) memo = E.isRight(r) ? { ...entry, kept: true } : undefined
    return r
  }
}

// -------------------------------------------------------------------------------------
// resilience
// -------------------------------------------------------------------------------------

/** Options of `withTimeout`. @category combinators @since 0.1.0 */
export interface TimeoutOptions {
  /** How long to wait for an answer; `Infinity` (or any non-finite value) waits for ever. */
  readonly ms: number
  /** Names the provider in the `SourceFailure`. Default `provider`. */
  readonly name?: string
}

/**
 * Fails with a retryable `SourceFailure` named `name` if `p` takes longer than `ms` (measured on the capabilities'
 * `clock`; a non-finite `ms` means no limit). The slow call is abandoned, not cancelled: capabilities carry their own
 * timeouts. When `p` answers first the timer is aborted, so nothing stays pending (and a live clock's timer never
 * holds the process open: see `Clock.sleep`).
 *
 * @example
 * import { Provider } from '@alicred/core'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const clock = { now: () => 0, sleep: () => () => Promise.resolve() }
 * const never: Provider.Provider = () => () => new Promise(() => {})
 * const r = await pipe(never, Provider.withTimeout({ ms: 1000, name: 'imds' }, { clock }))()()
 * assert.strictEqual(r._tag === 'Left' && r.left._tag, 'SourceFailure')
 * @category combinators
 * @since 0.1.0
 */
export const withTimeout =
  (options: TimeoutOptions, caps: { readonly clock: Clock }) =>
  (p: Provider): Provider =>
  () =>
  async () => {
    const { ms } = options
    const name = options.name ?? 'provider'
    const { clock } = caps
    if (!Number.isFinite(ms)) return run(p, name)
    const abort = typeof AbortController === 'function' ? new AbortController() : undefined
    const timedOut = (): Result =>
      E.left(
        new CE.SourceFailure(name, `no answer within ${ms} ms; check the network or raise the timeout`, {
          retryable: true,
        }),
      )
    let timer: Promise<Result>
    try {
      // Both branches map to a value: a clock whose aborted sleep rejects must not leave a rejection behind.
      timer = clock.sleep(Math.max(0, ms), abort?.signal)().then(timedOut, timedOut)
    } catch (u) {
      return E.left(CE.fromUnknown(name)(u))
    }
    try {
      return await Promise.race([run(p, name), timer])
    } finally {
      abort?.abort()
    }
  }

/**
 * A retry policy, retry-ts style: a limit, exponential growth from a base, a cap, full jitter.
 *
 * @category combinators
 * @since 0.1.0
 */
export interface RetryPolicy {
  /** Attempts after the first. */
  readonly retries: number
  /** First delay; doubles each retry. */
  readonly baseDelayMs: number
  /** Upper bound of any delay. */
  readonly maxDelayMs: number
  /** Full jitter: each delay is uniform in `[0, delay)`. Default true. */
  readonly jitter?: boolean
}

/**
 * The policy `retrying` is usually given: 2 retries, 200 ms doubling up to 2 s, with jitter.
 *
 * @category combinators
 * @since 0.1.0
 */
export const defaultRetryPolicy: RetryPolicy = { retries: 2, baseDelayMs: 200, maxDelayMs: 2_000, jitter: true }

const nonNegative = (x: number, fallback: number): number => (Number.isNaN(x) || x < 0 ? fallback : x)

// A `Random` from outside (a test fake, a user's seeded one) may return anything; jitter stays inside [0, 1).
const unit = (random: Random): number => {
  try {
    const f = random.float()
    return Number.isFinite(f) ? Math.min(Math.max(f, 0), 1) : 0.5
  } catch {
    return 0.5
  }
}

/**
 * The delay before retry number `attempt` (0-based) under `policy`: `min(maxDelayMs, baseDelayMs · 2^attempt)`,
 * scaled by a uniform random factor in `[0, 1)` drawn from `random` unless `jitter` is `false`.
 *
 * @example
 * import { Provider, Random } from '@alicred/core'
 * const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000, jitter: false }
 * const delays = [0, 1, 2, 3, 4].map((n) => Provider.retryDelay(policy, n, Random.webCrypto))
 * assert.deepStrictEqual(delays, [100, 200, 400, 800, 1000])
 * @category combinators
 * @since 0.1.0
 */
export const retryDelay = (policy: RetryPolicy, attempt: number, random: Random): number => {
  const base = nonNegative(policy.baseDelayMs, 0)
  const cap = nonNegative(policy.maxDelayMs, base)
  const exp = Math.min(cap, base * 2 ** Math.max(0, attempt))
  return policy.jitter === false ? exp : Math.floor(unit(random) * exp)
}

/**
 * Retries `retryable` `SourceFailure`s (timeouts, throttling, 5xx) with capped exponential backoff and full
 * jitter drawn from the capabilities' `random`, sleeping on their `clock`. Every other error, and a non-retryable
 * failure, returns at once: retrying a wrong configuration or a 403 cannot help.
 *
 * @example
 * import { CredentialsError, Provider, Random } from '@alicred/core'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const clock = { now: () => 0, sleep: () => () => Promise.resolve() }
 * let calls = 0
 * const flaky: Provider.Provider = () => async () => {
 *   calls++
 *   return { _tag: 'Left', left: new CredentialsError.SourceFailure('sts', 'HTTP 503', { status: 503, retryable: true }) }
 * }
 * await pipe(flaky, Provider.retrying({ retries: 2, baseDelayMs: 100, maxDelayMs: 1000 }, { clock, random: Random.webCrypto }))()()
 * assert.strictEqual(calls, 3)
 * @category combinators
 * @since 0.1.0
 */
export const retrying =
  (policy: RetryPolicy, caps: { readonly clock: Clock; readonly random: Random }) =>
  (p: Provider): Provider =>
  () =>
  async () => {
    const { clock, random } = caps
    const retries = Number.isFinite(policy.retries) ? Math.max(0, Math.floor(policy.retries)) : 0
    let result = await run(p)
    for (let attempt = 0; attempt < retries; attempt++) {
      if (E.isRight(result) || result.left._tag !== 'SourceFailure' || !result.left.retryable) return result
      try {
        await clock.sleep(retryDelay(policy, attempt, random))()
      } catch {
        // a broken clock must not turn into a rejection; retry at once
      }
      result = await run(p)
    }
    return result
  }

// -------------------------------------------------------------------------------------
// observation
// -------------------------------------------------------------------------------------

/**
 * One traced attempt. Holds no secret: the credential is reduced to its printable view.
 *
 * @category combinators
 * @since 0.1.0
 */
export type TraceEvent =
  | {
      readonly provider: string
      readonly outcome: 'success'
      readonly durationMs: number
      readonly credential: C.CredentialView
    }
  | {
      readonly provider: string
      readonly outcome: 'skipped' | 'failed'
      readonly durationMs: number
      /** The error's message (for an exhausted chain, its tree of attempts). */
      readonly reason: string
      readonly error: CredentialsError
    }

/** Options of `traced`. @category combinators @since 0.1.0 */
export interface TraceOptions {
  /** The provider name events carry. */
  readonly name: string
  /** Told about every run; a throwing or rejecting sink is ignored. */
  readonly sink: (e: TraceEvent) => void
}

/**
 * Emits one event per run of `p` to `sink`: the provider, the outcome (`success`, `skipped` for `NotConfigured` or
 * an exhausted chain, `failed`), the reason and the duration on the capabilities' `clock`. A throwing or rejecting
 * sink is ignored. Wrap each link of a chain to see every attempt (this is what `alicred explain` prints).
 *
 * @example
 * import { Credential, Provider } from '@alicred/core'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const clock = { now: () => 0, sleep: () => () => Promise.resolve() }
 * const events: Array<Provider.TraceEvent> = []
 * const p = Provider.of(Credential.accessKey({ accessKeyId: 'LTAI5tExample', accessKeySecret: 's', source: 'env' }))
 * await pipe(p, Provider.traced({ name: 'env', sink: (e) => events.push(e) }, { clock }))()()
 * assert.strictEqual(events[0]?.outcome, 'success')
 * @category combinators
 * @since 0.1.0
 */
export const traced =
  (options: TraceOptions, caps: { readonly clock: Clock }) =>
  (p: Provider): Provider =>
  () =>
  async () => {
    const { name, sink } = options
    const { clock } = caps
    const start = clock.now()
    const r = await run(p, name)
    // A clock that jumped backwards must not report a negative duration.
    const durationMs = Math.max(0, clock.now() - start)
    const event: TraceEvent = E.isRight(r)
      ? { provider: name, outcome: 'success', durationMs, credential: C.view(r.right) }
      : {
          provider: name,
          outcome: CE.isSkippable(r.left) ? 'skipped' : 'failed',
          durationMs,
          reason: r.left.message,
          error: r.left,
        }
    notify(sink, event)
    return r
  }

// -------------------------------------------------------------------------------------
// refresh
// -------------------------------------------------------------------------------------

/**
 * The capabilities `cached` uses. Any `Capabilities` record will do.
 *
 * @category combinators
 * @since 0.1.0
 */
export interface CacheCapabilities {
  /** Expiry, refresh windows and backoff. */
  readonly clock: Clock
  /** Jitter of the backoff. Without it every backoff waits its whole step (core has no randomness of its own). */
  readonly random?: Random | undefined
  /**
   * Where warnings go: one line per failed refresh whose stale credential is served, and one when a credential
   * arrives already past its expiration (static stability). Without it nothing is reported.
   */
  readonly reporter?: Reporter | undefined
}

/** Options of `cached`. @category combinators @since 0.1.0 */
export interface CacheOptions {
  /** Refresh (callers wait) once less than this is left. Default 15 min (the reference's). */
  readonly staleMs?: number | undefined
  /**
   * Refresh in the background (callers get the current credential at once) once less than this is left. Default
   * 0: off; the reference prefetches ECS credentials 60 min ahead (`ECS_PREFETCH_MS`).
   */
  readonly prefetchMs?: number | undefined
  /**
   * Backoff between refresh attempts after failures while a usable credential is cached: the n-th consecutive
   * failure waits between half and all of `min(maxMs, baseMs · 2^(n-1))`. Default 1 s, capped at 5 min.
   */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number }
  /**
   * Refresh in the background once a credential has been cached this long, whatever its expiration says: a
   * credential without expiration, or with one far in the future (a bad server clock), is still re-checked. Default
   * 24 h.
   */
  readonly maxAgeMs?: number
  /**
   * Opt-in: when the source is down (a retryable `SourceFailure`), keep serving a credential that expired while
   * cached for up to this long past its expiration, reporting every such serve to `onStale`. Default 0: off. (A
   * credential that arrives already expired is another matter: see `cached`.)
   */
  readonly staticStabilityMs?: number
  /** Name used in errors, events and warnings. Default `cached`. */
  readonly name?: string
  /** Told every time a stale credential is served because the last refresh failed. */
  readonly onStale?: (event: StaleEvent) => void
  /** Told about every failed refresh, background ones included, with the backoff that follows. */
  readonly onRefreshFailure?: (event: RefreshFailureEvent) => void
}

/** A stale credential was served. @category combinators @since 0.1.0 */
export interface StaleEvent {
  readonly provider: string
  /** Time left before the served credential expires; negative when an expired one is served. */
  readonly remainingMs: number
  /** Why the refresh failed. */
  readonly error: CredentialsError
}

/** A refresh failed. @category combinators @since 0.1.0 */
export interface RefreshFailureEvent {
  readonly provider: string
  readonly error: CredentialsError
  /** Consecutive refreshes without a credential valid by this machine's clock, this one included. */
  readonly failures: number
  /** How long until the next refresh may start while a usable credential is cached. */
  readonly retryInMs: number
}

/** A provider with a cache that can be bypassed. @category model @since 0.1.0 */
export interface CachedProvider extends Provider {
  /**
   * Fetches a new credential now, ignoring the backoff, and caches it on success. Joins a refresh already under way
   * rather than starting a second one. A failure is returned as is and leaves the cache alone.
   */
  readonly forceRefresh: () => TE.TaskEither<CredentialsError, Credential>
  /** Drops the cached credential; a refresh under way still answers its callers but is not cached. */
  readonly invalidate: () => void
}

/** The reference's stale window. @category combinators @since 0.1.0 */
export const DEFAULT_STALE_MS = RefreshDefaults.DEFAULT_STALE_MS
/** The reference's ECS prefetch window. @category combinators @since 0.1.0 */
export const ECS_PREFETCH_MS = 60 * 60_000
/**
 * How long `cached` trusts a credential before re-checking it, whatever its expiration.
 *
 * @category combinators
 * @since 0.1.0
 */
export const DEFAULT_MAX_AGE_MS = RefreshDefaults.DEFAULT_MAX_AGE_MS
/**
 * How long `cached` waits after failed refreshes before the next: from 1 s, growing up to 5 minutes.
 *
 * @category combinators
 * @since 0.1.0
 */
export const DEFAULT_BACKOFF = RefreshDefaults.DEFAULT_BACKOFF

// Answers already warned about as arriving expired, so that caches stacked on one another (a source's own, the
// default chain's) warn once between them rather than once each. Keyed by the answer's `expiration` Date: renaming a
// credential on its way up (`named`, `Credential.withSource`) copies the fields but shares that object, while every
// answer decoded from a source has one of its own.
const skewReported = new WeakSet<Date>()

/**
 * The refresh engine every expiring source is wrapped in. Let `left` be the time before the cached credential
 * expires:
 *
 * - `left > prefetchMs`: served from cache (and refreshed in the background once older than `maxAgeMs`).
 * - `staleMs < left ≤ prefetchMs`: served from cache while one background refresh runs; its failure is contained
 *   and retried with bounded, jittered backoff.
 * - `0 < left ≤ staleMs`: callers wait for one shared refresh. If it fails they get the current credential (each
 *   serve reported to `onStale`, one warning per failure to `reporter`) and, until the backoff elapses, later callers
 *   get it at once without a refresh.
 * - expired, or nothing cached: callers wait for one shared refresh; its failure is returned (a `SourceFailure`
 *   saying the cached credential expired, if there was one). Never a credential that expired while cached (unless
 *   `staticStabilityMs` is set and the source is down).
 *
 * Static stability: a credential that arrives already past its expiration, with nothing valid cached, is served — the
 * source vouches for it, and the clocks of this machine and of the source disagree (AWS SDKs treat IMDS answers the
 * same way). `reporter` is warned once, naming the source and the skew; refresh is retried with backoff, one upstream
 * call per step, until a credential arrives that this clock accepts; if a retry fails, the held credential is still
 * served (stale, warned about once per failure). While a valid credential is cached, such an answer counts as a failed
 * refresh instead.
 *
 * Any number of concurrent callers share one upstream call. A failure is never cached. A credential that arrives
 * already inside a refresh window is refreshed again after half of what is left in that window, not on every call.
 * Backoff is measured on a clock that only moves forward (`Clock.monotonic` when available), so a wall clock jumping
 * backwards never postpones a retry. No timer is ever set: refreshes start from calls, so nothing keeps a process
 * alive.
 *
 * The rules are the pure `decide` and `settle` of an internal module; this is the shell that reads the clock, holds
 * their state and the refresh in flight, and reports. A call served from cache outside every window reads
 * `clock.now()` once and returns the same resolved promise as the previous such call. On that path the `maxAgeMs`
 * deadline is followed on the wall clock; a call that sees the wall clock go back re-reads the monotonic clock, so only
 * a backward jump that no call sees (a quiet process) can delay that background re-check, by at most the size of the
 * jump. Expiry is always judged on `clock.now()`.
 *
 * @example
 * import { Credential, Provider } from '@alicred/core'
 * const clock = { now: () => 0, sleep: () => () => Promise.resolve() }
 * let calls = 0
 * const upstream: Provider.Provider = () => async () => {
 *   calls++
 *   return { _tag: 'Right', right: Credential.sts({ accessKeyId: 'id', accessKeySecret: 's', securityToken: 't', source: 'sts', expiration: new Date(3_600_000) }) }
 * }
 * const p = Provider.cached({}, { clock })(upstream)
 * await Promise.all([p()(), p()(), p()()])
 * assert.strictEqual(calls, 1)
 * @category combinators
 * @since 0.1.0
 */
export const cached =
  (options: CacheOptions, caps: CacheCapabilities) =>
  (p: Provider): CachedProvider => {
    const { clock, random, reporter } = caps
    const policy = Refresh.policy(options)
    const { name } = policy
    const monotonic = clock.monotonic
    // Only drawn when a backoff starts, so a seeded `Random` is consumed once per failure.
    const jitter = random === undefined ? () => 1 : () => unit(random)
    const toLeft = (u: unknown): Result => E.left(CE.fromUnknown(name)(u))

    let state = Refresh.initial
    let inflight: Promise<Ended> | undefined
    // The hot path: `served` is one resolved `Right` of the held credential, shared by every call that is served it
    // from cache; until the wall time `quiet` (`Refresh.quietUntil`), and while the wall clock has not gone back since
    // the last call, a call reads the clock once and returns it.
    let served: Promise<Result> | undefined
    let quiet = Number.NEGATIVE_INFINITY
    // The clock that never goes back: `clock.monotonic` when there is one, else the wall clock plus `offset`, which
    // grows by the size of every backward jump (so it stands still across one). `lastWall` is the last wall reading.
    let lastWall = Number.NaN
    let offset = 0
    let mono = 0

    const instant = (wall: number): Refresh.Instant => {
      if (monotonic !== undefined) {
        mono = Math.max(mono, monotonic())
      } else if (!Number.isNaN(wall)) {
        const wentBack = wall < lastWall
        if (Number.isNaN(lastWall)) offset = mono - wall
        else if (wentBack) offset += lastWall - wall
        mono = wall + offset
        if (wentBack) state = Refresh.clockWentBack(state, { wall, mono })
      }
      if (!Number.isNaN(wall)) lastWall = wall
      return { wall, mono }
    }

    const commit = (next: Refresh.RefreshState, now: Refresh.Instant, effects: ReadonlyArray<Refresh.Effect>): void => {
      if (next.credential !== state.credential) {
        served = next.credential === undefined ? undefined : Promise.resolve(Object.freeze(E.right(next.credential)))
      }
      state = next
      quiet = Refresh.quietUntil(next, now, policy)
      perform(options, reporter, effects)
    }

    const refresh = (): Promise<Ended> => {
      if (inflight !== undefined) return inflight
      const started = state.generation
      const ended: Promise<Ended> = run(p, name)
        .then((r) => {
          const now = instant(clock.now())
          const s = Refresh.settle(state, started, r, now, jitter, policy)
          commit(s.state, now, s.effects)
          return s
        })
        .catch((u: unknown) => crashed(CE.fromUnknown(name)(u)))
        .finally(() => {
          if (inflight === ended) inflight = undefined
        })
      inflight = ended
      return ended
    }

    const decide = (wall: number): Promise<Result> => {
      const now = instant(wall)
      const d = Refresh.decide(state, now, policy)
      commit(d.state, now, d.effects)
      const x = d.decision
      if (x._tag === 'AwaitRefresh') return refresh().then((s) => deliver(options, s.reply), toLeft)
      if (x._tag === 'Fail') return Promise.resolve(E.left(x.error))
      if (x._tag === 'ServeAndRefresh' && inflight === undefined) void refresh() // contained: it never rejects
      if (x._tag === 'ServeStale') notify(options.onStale, x.stale)
      return served as Promise<Result>
    }

    const task = (): Promise<Result> => {
      let wall: number
      try {
        wall = clock.now()
      } catch (u) {
        return Promise.resolve(toLeft(u))
      }
      // Nothing to decide before `quiet`: the same answer as last time. Without a monotonic clock, `mono` is the wall
      // clock plus `offset`, so moving `lastWall` forward is all the bookkeeping there is.
      if (wall < quiet && wall >= lastWall) {
        lastWall = wall
        return served as Promise<Result>
      }
      try {
        return decide(wall)
      } catch (u) {
        return Promise.resolve(toLeft(u))
      }
    }

    const forceRefresh = (): TE.TaskEither<CredentialsError, Credential> => () =>
      refresh().then((s) => s.outcome, toLeft)

    const invalidate = (): void => {
      state = Refresh.invalidated(state)
      served = undefined
      quiet = Number.NEGATIVE_INFINITY
      inflight = undefined
    }

    return markTotal(Object.assign(() => task, { forceRefresh, invalidate }))
  }

// How a refresh ended for its callers: what they get, and what `forceRefresh` answers.
type Ended = Pick<Refresh.Settled, 'reply' | 'outcome'>

const crashed = (e: CredentialsError): Ended => ({ reply: { _tag: 'Fail', error: e }, outcome: E.left(e) })

// Carries out what the engine asks to tell: refresh failures to `onRefreshFailure`, warnings to the reporter — a
// warning about an answer that arrived expired once, however many caches it passes through.
const perform = (o: CacheOptions, reporter: Reporter | undefined, effects: ReadonlyArray<Refresh.Effect>): void => {
  for (const e of effects) {
    if (e._tag === 'RefreshFailed') notify(o.onRefreshFailure, e.event)
    else if (e.credential?.expiration === undefined) R.warn(e.message, reporter)
    else if (!skewReported.has(e.credential.expiration)) {
      skewReported.add(e.credential.expiration)
      R.warn(e.message, reporter)
    }
  }
}

// What one caller of a refresh gets; every stale serve is told to `onStale`.
const deliver = (o: CacheOptions, d: Refresh.Reply): Result => {
  if (d._tag === 'Fail') return E.left(d.error)
  if (d._tag === 'ServeStale') notify(o.onStale, d.stale)
  return E.right(d.credential)
}

/** Refresh windows a source lets its users set. @category combinators @since 0.1.0 */
export interface SourceWindows {
  readonly staleMs?: number | undefined
  readonly prefetchMs?: number | undefined
}

/**
 * `cached` as every built-in expiring source applies it: named after the source, on the capabilities' clock,
 * randomness and reporter, with the windows the user set (the defaults of `cached` otherwise).
 *
 * @example
 * import { Credential, Provider } from '@alicred/core'
 * const clock = { now: () => 0, sleep: () => () => Promise.resolve() }
 * const upstream = Provider.of(Credential.bearer({ bearerToken: 't', source: 'my_source' }))
 * const p = Provider.cachedSource('my_source', { staleMs: 60_000 }, { clock })(upstream)
 * assert.strictEqual(typeof p.forceRefresh, 'function')
 * @category combinators
 * @since 0.1.0
 */
export const cachedSource =
  (name: string, windows: SourceWindows, caps: CacheCapabilities) =>
  (p: Provider): CachedProvider =>
    cached({ name, staleMs: windows.staleMs, prefetchMs: windows.prefetchMs }, caps)(p)
