/**
 * The provider algebra. A `Provider` is a lazy, repeatable action that yields a `Credential` or a
 * `CredentialsError`; everything here builds providers from providers:
 *
 * - constructors: `of`, `fail`, `fromTaskEither`, `protect`
 * - fallback: `alt` (left-biased, recovers only from `NotConfigured`, keeps every attempt), `firstOf`
 * - naming: `named`
 * - refresh: `cached` (stale and prefetch windows, single flight, stale fallback, bounded backoff)
 * - resilience: `withTimeout`, `retrying`
 * - observation: `traced`
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type * as TE from 'fp-ts/TaskEither'
import type { Clock } from './Clock.js'
import type { Credential } from './Credential.js'
import * as C from './Credential.js'
import type { CredentialsError } from './CredentialsError.js'
import * as CE from './CredentialsError.js'
import type { Random } from './Random.js'
import { webCrypto } from './Random.js'

/**
 * A source of credentials. Calling it starts nothing; running the returned `TaskEither` does the work and never
 * rejects.
 *
 * @since 0.1.0
 */
export type Provider = () => TE.TaskEither<CredentialsError, Credential>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A provider that always yields `credential`.
 *
 * @example
 * import { Credential, Provider } from '@alicred/core'
 * const p = Provider.of(Credential.accessKey({ accessKeyId: 'id', accessKeySecret: 's', source: 'static_ak' }))
 * const r = await p()()
 * assert.strictEqual(r._tag, 'Right')
 * @since 0.1.0
 */
export const of =
  (credential: Credential): Provider =>
  () =>
  () =>
    Promise.resolve(E.right(credential))

/**
 * A provider that always fails with `error`.
 *
 * @since 0.1.0
 */
export const fail =
  (error: CredentialsError): Provider =>
  () =>
  () =>
    Promise.resolve(E.left(error))

/**
 * A provider from a lazily built `TaskEither`.
 *
 * @since 0.1.0
 */
export const fromTaskEither = (f: () => TE.TaskEither<CredentialsError, Credential>): Provider => f

/**
 * Makes any provider total: a synchronous throw or a rejected promise becomes a `SourceFailure` named after
 * `name`, never an unhandled rejection. Every combinator here applies it to the providers it is given.
 *
 * @since 0.1.0
 */
export const protect =
  (name: string) =>
  (p: Provider): Provider =>
  () =>
  async () => {
    try {
      const r = await p()()
      if (E.isLeft(r) && !CE.isCredentialsError(r.left)) return E.left(CE.fromUnknown(name)(r.left))
      return r
    } catch (u) {
      return E.left(CE.fromUnknown(name)(u))
    }
  }

const run = (p: Provider, name = 'provider') => protect(name)(p)()()

// -------------------------------------------------------------------------------------
// fallback
// -------------------------------------------------------------------------------------

const attemptsOf = (e: CredentialsError): ReadonlyArray<CE.Attempt> =>
  e._tag === 'ChainExhausted' ? e.attempts : [{ provider: e.provider, error: e }]

/** The provider name a chain's `ChainExhausted` carries when nothing names the chain. @since 0.1.0 */
export const CHAIN = 'chain'

/**
 * Left-biased fallback: run `self`; if it says `NotConfigured` (or is itself an exhausted chain), run `that`.
 * Any other error stops. When both skip, the result is a `ChainExhausted` listing every attempt in order
 * (nested chains are flattened, so `alt` is associative).
 *
 * @example
 * import { CredentialsError, Provider } from '@alicred/core'
 * import { pipe } from 'fp-ts/function'
 * const none = Provider.fail(new CredentialsError.NotConfigured('env', 'unset'))
 * const r = await pipe(none, Provider.alt(() => none))()()
 * assert.strictEqual(r._tag === 'Left' && r.left._tag, 'ChainExhausted')
 * @since 0.1.0
 */
export const alt =
  (that: () => Provider) =>
  (self: Provider): Provider =>
  () =>
  async () => {
    const first = await run(self)
    if (E.isRight(first) || !CE.isSkippable(first.left)) return first
    const second = await run(that())
    if (E.isRight(second) || !CE.isSkippable(second.left)) return second
    return E.left(new CE.ChainExhausted(CHAIN, [...attemptsOf(first.left), ...attemptsOf(second.left)]))
  }

/**
 * n-ary `alt`: the first provider that does not skip wins. With no providers it fails with an empty
 * `ChainExhausted`.
 *
 * @since 0.1.0
 */
export const firstOf = (...providers: ReadonlyArray<Provider>): Provider =>
  providers.length === 0
    ? fail(new CE.ChainExhausted(CHAIN, []))
    : providers.slice(1).reduce((acc, p) => alt(() => p)(acc), providers[0]!)

/**
 * Names a provider: its credentials' `source` and its errors' `provider` get `name/` in front.
 *
 * @example
 * import { Credential, Provider } from '@alicred/core'
 * import { pipe } from 'fp-ts/function'
 * const p = pipe(Provider.of(Credential.bearer({ bearerToken: 't', source: 'bearer' })), Provider.named('default'))
 * const r = await p()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'default/bearer')
 * @since 0.1.0
 */
export const named =
  (name: string) =>
  (p: Provider): Provider =>
  () =>
  async () =>
    pipe(await run(p, name), E.bimap(CE.withProvider(name), C.withSource(name)))

// -------------------------------------------------------------------------------------
// resilience
// -------------------------------------------------------------------------------------

/**
 * Fails with a retryable `SourceFailure` if `p` takes longer than `ms` (measured on `clock`). The slow call is
 * abandoned, not cancelled: capabilities carry their own timeouts.
 *
 * @since 0.1.0
 */
export const withTimeout =
  (ms: number, clock: Clock, name = 'provider') =>
  (p: Provider): Provider =>
  () =>
  () =>
    Promise.race([
      run(p, name),
      clock
        .sleep(ms)()
        .then(() =>
          E.left<CredentialsError, Credential>(
            new CE.SourceFailure(name, `no answer within ${ms} ms; check the network or raise the timeout`, {
              retryable: true,
            }),
          ),
        ),
    ])

/** retry-ts style policy. @since 0.1.0 */
export interface RetryPolicy {
  /** Attempts after the first. */
  readonly retries: number
  /** First delay; doubles each retry. */
  readonly baseDelayMs: number
  /** Upper bound of any delay. */
  readonly maxDelayMs: number
  /** Full jitter: each delay is uniform in `[0, delay]`. Default true. */
  readonly jitter?: boolean
}

/** @since 0.1.0 */
export const defaultRetryPolicy: RetryPolicy = { retries: 2, baseDelayMs: 200, maxDelayMs: 2_000, jitter: true }

/**
 * The delay before retry number `attempt` (0-based) under `policy`.
 *
 * @since 0.1.0
 */
export const retryDelay = (policy: RetryPolicy, attempt: number, random: Random = webCrypto): number => {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  return policy.jitter === false ? exp : Math.floor(random.float() * exp)
}

/**
 * Retries `retryable` `SourceFailure`s with exponential backoff. Other errors return at once.
 *
 * @since 0.1.0
 */
export const retrying =
  (policy: RetryPolicy, clock: Clock, random: Random = webCrypto) =>
  (p: Provider): Provider =>
  () =>
  async () => {
    let result = await run(p)
    for (let attempt = 0; attempt < policy.retries; attempt++) {
      if (E.isRight(result) || result.left._tag !== 'SourceFailure' || !result.left.retryable) return result
      await clock.sleep(retryDelay(policy, attempt, random))()
      result = await run(p)
    }
    return result
  }

// -------------------------------------------------------------------------------------
// observation
// -------------------------------------------------------------------------------------

/** One traced attempt. Holds no secret: the credential is reduced to its printable view. @since 0.1.0 */
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
      readonly reason: string
      readonly error: CredentialsError
    }

/**
 * Emits one event per run of `p` to `sink`. A throwing sink is ignored.
 *
 * @since 0.1.0
 */
export const traced =
  (name: string, sink: (e: TraceEvent) => void, clock: Clock) =>
  (p: Provider): Provider =>
  () =>
  async () => {
    const start = clock.now()
    const r = await run(p, name)
    const durationMs = clock.now() - start
    const event: TraceEvent = E.isRight(r)
      ? { provider: name, outcome: 'success', durationMs, credential: C.view(r.right) }
      : {
          provider: name,
          outcome: CE.isSkippable(r.left) ? 'skipped' : 'failed',
          durationMs,
          reason: r.left.message,
          error: r.left,
        }
    try {
      sink(event)
    } catch {
      // a broken sink must not change the result
    }
    return r
  }

// -------------------------------------------------------------------------------------
// refresh
// -------------------------------------------------------------------------------------

/** Options of `cached`. @since 0.1.0 */
export interface CacheOptions {
  readonly clock: Clock
  readonly random?: Random
  /** Refresh (callers wait) once less than this is left. Default 15 min. */
  readonly staleMs?: number
  /** Refresh in the background (callers get the current credential) once less than this is left. Default 0: off. */
  readonly prefetchMs?: number
  /** Backoff after failed refreshes while the current credential is still valid. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number }
  /** Name used in errors. */
  readonly name?: string
  /** Told when a stale (still valid) credential is served because a refresh failed. */
  readonly onStale?: (event: StaleEvent) => void
}

/** @since 0.1.0 */
export interface StaleEvent {
  readonly provider: string
  readonly remainingMs: number
  readonly error: CredentialsError
}

/** A provider with a cache that can be bypassed. @since 0.1.0 */
export interface CachedProvider extends Provider {
  /** Fetches a new credential now (joining a refresh already under way) and caches it on success. */
  readonly forceRefresh: () => TE.TaskEither<CredentialsError, Credential>
  /** Drops the cached credential. */
  readonly invalidate: () => void
}

/** The reference's stale window. @since 0.1.0 */
export const DEFAULT_STALE_MS = 15 * 60_000
/** The reference's ECS prefetch window. @since 0.1.0 */
export const ECS_PREFETCH_MS = 60 * 60_000

/**
 * The refresh engine every expiring source is wrapped in.
 *
 * - Credentials without `expiration` are cached until `forceRefresh`/`invalidate`.
 * - More than `prefetchMs` left: served from cache.
 * - Between `staleMs` and `prefetchMs` left: served from cache while one background refresh runs; its failure is
 *   contained and retried with bounded, jittered backoff.
 * - Less than `staleMs` left: callers wait for one shared refresh; if it fails they get the current credential
 *   (reported to `onStale`) until it expires, then the failure.
 * - A failure is never cached and an expired credential is never returned.
 *
 * @example
 * import { Credential, Provider } from '@alicred/core'
 * const clock = { now: () => 0, sleep: () => () => Promise.resolve() }
 * let calls = 0
 * const upstream: Provider.Provider = () => async () => {
 *   calls++
 *   return { _tag: 'Right', right: Credential.sts({ accessKeyId: 'id', accessKeySecret: 's', securityToken: 't', source: 'sts', expiration: new Date(3_600_000) }) }
 * }
 * const p = Provider.cached({ clock })(upstream)
 * await Promise.all([p()(), p()(), p()()])
 * assert.strictEqual(calls, 1)
 * @since 0.1.0
 */
export const cached =
  (options: CacheOptions) =>
  (p: Provider): CachedProvider => {
    const { clock } = options
    const random = options.random ?? webCrypto
    const name = options.name ?? 'cached'
    const staleMs = options.staleMs ?? DEFAULT_STALE_MS
    const prefetchMs = Math.max(options.prefetchMs ?? 0, staleMs)
    const backoff = options.backoff ?? { baseMs: 1_000, maxMs: 5 * 60_000 }

    let current: Credential | undefined
    let inflight: Promise<E.Either<CredentialsError, Credential>> | undefined
    let failures = 0
    let nextAttemptAt = Number.NEGATIVE_INFINITY
    let lastNow = Number.NEGATIVE_INFINITY

    const now = (): number => {
      const t = clock.now()
      // A clock that jumps backwards must not postpone a retry by the size of the jump.
      if (t < lastNow) nextAttemptAt = Math.min(nextAttemptAt, t)
      lastNow = t
      return t
    }

    const scheduleRetry = (t: number): void => {
      const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(failures, 30))
      nextAttemptAt = t + exp / 2 + Math.floor(random.float() * (exp / 2))
      failures++
    }

    const refresh = (): Promise<E.Either<CredentialsError, Credential>> => {
      if (inflight !== undefined) return inflight
      const started = run(p, name).then((r) => {
        const t = now()
        if (E.isRight(r)) {
          if (C.isExpired(t)(r.right)) {
            scheduleRetry(t)
            return E.left<CredentialsError, Credential>(
              new CE.SourceFailure(
                name,
                `the source returned a credential that expired at ${r.right.expiration?.toISOString()}; check the server's clock or the source's configuration`,
                { retryable: true },
              ),
            )
          }
          current = r.right
          failures = 0
          const left = C.remainingMs(t)(r.right)
          // A credential that is already inside the stale window must not trigger a refresh on every call.
          nextAttemptAt = left <= staleMs ? t + Math.max(1_000, left / 2) : Number.NEGATIVE_INFINITY
          return r
        }
        scheduleRetry(t)
        return r
      })
      const settled = started.finally(() => {
        if (inflight === settled) inflight = undefined
      })
      inflight = settled
      return settled
    }

    const provider = (() => async () => {
      const t = now()
      const cur = current
      if (cur !== undefined) {
        const left = C.remainingMs(t)(cur)
        if (left > staleMs) {
          if (left <= prefetchMs && inflight === undefined && t >= nextAttemptAt) {
            void refresh() // contained: refresh never rejects and its result is only cached
          }
          return E.right(cur)
        }
        if (left > 0) {
          if (t < nextAttemptAt && inflight === undefined) return E.right(cur)
          const r = await refresh()
          if (E.isRight(r)) return r
          const t2 = now()
          if (!C.isExpired(t2)(cur)) {
            try {
              options.onStale?.({ provider: name, remainingMs: C.remainingMs(t2)(cur), error: r.left })
            } catch {
              // observers must not change the result
            }
            return E.right(cur)
          }
          return r
        }
      }
      const r = await refresh()
      if (E.isLeft(r) && cur !== undefined && C.isExpired(now())(cur)) {
        return E.left(
          new CE.SourceFailure(
            name,
            `the cached credential expired at ${cur.expiration?.toISOString()} and refreshing it failed: ${r.left.message}`,
            r.left._tag === 'SourceFailure' ? { retryable: r.left.retryable } : { retryable: false },
            r.left,
          ),
        )
      }
      return r
    }) as CachedProvider

    return Object.assign(provider, {
      forceRefresh: () => () => refresh(),
      invalidate: () => {
        current = undefined
        nextAttemptAt = Number.NEGATIVE_INFINITY
      },
    })
  }
