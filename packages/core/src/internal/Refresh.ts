/**
 * The refresh engine's rules as data: what a cache holds (`RefreshState`), what a call does with it (`decide`), and
 * what a finished refresh changes (`settle`). Both functions are pure and synchronous: time comes in as an `Instant`,
 * randomness as a jitter draw, and whatever must be told to someone comes out as data (a `Decision` to deliver,
 * `Effect`s to carry out). Every law of `Provider.cached` is therefore a property of these functions, checked
 * without a clock or a promise (test/internal/Refresh.test.ts). `Provider.cached` is the shell: it reads the clock,
 * holds one state and the refresh in flight, runs the upstream provider and carries out the effects.
 *
 * Times: `wall` is `Clock.now()`, against which expiry is judged (expiry is a wall-clock fact); `mono` never goes
 * backwards and measures waits (backoff, re-check intervals, the maximum age), so a wall clock set back an hour
 * cannot push a retry an hour away.
 *
 * @internal
 */
import type { Credential } from '../Credential.js'
import { remainingMs } from '../Credential.js'
import type { CredentialsError } from '../CredentialsError.js'
import { detailsOf, render, SourceFailure } from '../CredentialsError.js'
import type { RefreshFailureEvent, StaleEvent } from '../Provider.js'
import * as E from './Either.js'
import { DEFAULT_BACKOFF, DEFAULT_MAX_AGE_MS, DEFAULT_STALE_MS } from './RefreshDefaults.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The windows, bounds and name a cache runs with (see `Provider.CacheOptions`), already checked by `policy`. */
export interface Policy {
  /** Used in errors, events and warnings. */
  readonly name: string
  /** Callers wait for a refresh once less than this is left. */
  readonly staleMs: number
  /** A refresh runs in the background once less than this is left; never below `staleMs`. */
  readonly prefetchMs: number
  /** A credential is re-checked in the background once it has been held this long. */
  readonly maxAgeMs: number
  /** Opt-in: how long past its expiration a valid credential may still be served while the source is down. */
  readonly staticStabilityMs: number
  /** Backoff step of the first failure; doubles per consecutive failure. */
  readonly backoffBaseMs: number
  /** Largest backoff step; never below `backoffBaseMs`. */
  readonly backoffMaxMs: number
}

/** When something happens: the wall clock as read, and a clock that never goes backwards. */
export interface Instant {
  readonly wall: number
  readonly mono: number
}

/** Everything a cache knows between calls. */
export interface RefreshState {
  readonly credential: Credential | undefined
  /**
   * Static stability: set when `credential` was already past its expiration when it arrived (clock skew between this
   * machine and the source), to how far past. Such a credential is served, and refreshed with backoff, until a
   * refresh brings one that this machine's clock accepts.
   */
  readonly skewMs: number | undefined
  /** Consecutive refreshes that brought no credential valid by this machine's clock. */
  readonly failures: number
  /** Why the last refresh failed, until one succeeds. */
  readonly lastError: CredentialsError | undefined
  /** Whether the warning about serving a stale credential since `lastError` has been given. */
  readonly warned: boolean
  /** `mono` before which no refresh starts while a usable credential is held. */
  readonly retryAt: number
  /** `mono` after which the credential is re-checked whatever its expiration says (`maxAgeMs`). */
  readonly refreshAfter: number
  /** Bumped by `invalidate`: a refresh started under an older generation changes nothing. */
  readonly generation: number
}

/** An empty cache. */
export const initial: RefreshState = {
  credential: undefined,
  skewMs: undefined,
  failures: 0,
  lastError: undefined,
  warned: false,
  retryAt: Number.NEGATIVE_INFINITY,
  refreshAfter: Number.POSITIVE_INFINITY,
  generation: 0,
}

/** What a caller gets. `decide` never answers `Fail`; the callers of a refresh never get `AwaitRefresh` or `ServeAndRefresh`. */
export type Decision =
  /** The held credential, nothing else to do. */
  | { readonly _tag: 'Serve'; readonly credential: Credential }
  /** The held credential, and a refresh should start in the background (unless one is under way). */
  | { readonly _tag: 'ServeAndRefresh'; readonly credential: Credential }
  /** The held credential although its last refresh failed; `stale` is what `onStale` is told. */
  | { readonly _tag: 'ServeStale'; readonly credential: Credential; readonly stale: StaleEvent }
  /** Wait for the refresh (start one unless one is under way), then take what `settle` replies. */
  | { readonly _tag: 'AwaitRefresh' }
  | { readonly _tag: 'Fail'; readonly error: CredentialsError }

/** What the callers of a refresh get. */
export type Reply = Extract<Decision, { readonly _tag: 'Serve' | 'ServeStale' | 'Fail' }>

/** Something to tell the outside world. */
export type Effect =
  /** One line for the reporter. `credential`: the warning is about that credential, and once said of it is enough. */
  | { readonly _tag: 'Warn'; readonly message: string; readonly credential?: Credential }
  /** For `onRefreshFailure`. */
  | { readonly _tag: 'RefreshFailed'; readonly event: RefreshFailureEvent }

/** The outcome of a call. */
export interface Decided {
  readonly decision: Decision
  readonly state: RefreshState
  readonly effects: ReadonlyArray<Effect>
}

/** The outcome of a refresh. */
export interface Settled {
  readonly state: RefreshState
  /** What every caller waiting for this refresh gets. */
  readonly reply: Reply
  /** The refresh's own result: the credential taken, or why none was (what `forceRefresh` answers). */
  readonly outcome: E.Either<CredentialsError, Credential>
  readonly effects: ReadonlyArray<Effect>
}

// -------------------------------------------------------------------------------------
// policy
// -------------------------------------------------------------------------------------

// The defaults are in RefreshDefaults.ts, which Provider reads when it loads (this module loads on first use).
/** Shortest wait before re-refreshing a credential that arrived already inside a refresh window. */
export const MIN_REFRESH_INTERVAL_MS = 1_000

const nonNegative = (x: number | undefined, fallback: number): number =>
  x === undefined || Number.isNaN(x) || x < 0 ? fallback : x

/** The policy of some options: defaults filled in, negative or NaN values replaced by the defaults, bounds ordered. */
export const policy = (o: {
  readonly name?: string | undefined
  readonly staleMs?: number | undefined
  readonly prefetchMs?: number | undefined
  readonly maxAgeMs?: number | undefined
  readonly staticStabilityMs?: number | undefined
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number } | undefined
}): Policy => {
  const staleMs = nonNegative(o.staleMs, DEFAULT_STALE_MS)
  const backoffBaseMs = nonNegative(o.backoff?.baseMs, DEFAULT_BACKOFF.baseMs)
  return {
    name: o.name ?? 'cached',
    staleMs,
    prefetchMs: Math.max(nonNegative(o.prefetchMs, 0), staleMs),
    maxAgeMs: nonNegative(o.maxAgeMs, DEFAULT_MAX_AGE_MS),
    staticStabilityMs: nonNegative(o.staticStabilityMs, 0),
    backoffBaseMs,
    backoffMaxMs: Math.max(backoffBaseMs, nonNegative(o.backoff?.maxMs, DEFAULT_BACKOFF.maxMs)),
  }
}

/**
 * The wait after the `failures`-th consecutive failure: equal jitter over `step = min(max, base · 2^(failures-1))`,
 * i.e. `step/2 + jitter · step/2` — at least half a step, so a flapping source is never hammered, and spread over the
 * other half so many processes do not retry in lockstep. `jitter` is clamped to [0, 1]; 1 (no randomness at hand)
 * waits the whole step.
 */
export const backoffMs = (failures: number, jitter: number, p: Policy): number => {
  const step = Math.min(p.backoffMaxMs, p.backoffBaseMs * 2 ** Math.min(Math.max(failures - 1, 0), 52))
  const j = Number.isFinite(jitter) ? Math.min(Math.max(jitter, 0), 1) : 1
  return step / 2 + (j * step) / 2
}

// -------------------------------------------------------------------------------------
// messages
// -------------------------------------------------------------------------------------

const seconds = (ms: number): string => `${Math.round(Math.abs(ms) / 1000)} s`

const iso = (c: Credential): string => c.expiration?.toISOString() ?? 'never'

const staleWarning = (name: string, remaining: number, error: CredentialsError): string =>
  `alicred: ${name}: serving a cached credential that ${
    remaining > 0 ? `expires in ${seconds(remaining)}` : `expired ${seconds(remaining)} ago`
  } because refreshing it failed (${render(error)})`

const skewWarning = (name: string, c: Credential, skewMs: number): string =>
  `alicred: ${name}: the source answered with a credential that had already expired (at ${iso(c)}, ${seconds(skewMs)} before this machine's time: the clocks of this machine and of the source disagree); serving it anyway, as the source vouches for it, and refreshing with backoff until one arrives that this clock accepts; check both clocks (NTP)`

const expiredAnswer = (name: string, c: Credential, remaining: number): CredentialsError =>
  new SourceFailure(
    name,
    `the source returned a credential that had already expired (at ${iso(c)}, ${seconds(remaining)} before this machine's time); check the clocks of this machine and of the source`,
    { retryable: true },
  )

const invalidExpiration = (name: string): CredentialsError =>
  new SourceFailure(name, 'the source returned a credential with an invalid expiration time', { retryable: false })

const expiredAndFailed = (name: string, c: Credential, e: SourceFailure): CredentialsError =>
  new SourceFailure(
    name,
    `the cached credential expired at ${iso(c)} and refreshing it failed: ${e.message}`,
    detailsOf(e),
    e,
  )

// -------------------------------------------------------------------------------------
// decide
// -------------------------------------------------------------------------------------

const NO_EFFECTS: ReadonlyArray<Effect> = []

const isOutage = (e: CredentialsError | undefined): boolean => e?._tag === 'SourceFailure' && e.retryable

// The opt-in bound: an ordinarily valid credential, expired `-remaining` ago, while the source is down.
const usablePastExpiry = (remaining: number, e: CredentialsError | undefined, p: Policy): boolean =>
  p.staticStabilityMs > 0 && remaining > -p.staticStabilityMs && isOutage(e)

// Serving the held credential without a refresh: stale (reported) if its last refresh failed.
const serveHeld = (s: RefreshState, c: Credential, remaining: number, p: Policy): Decided => {
  const error = s.lastError
  if (error === undefined) return { decision: { _tag: 'Serve', credential: c }, state: s, effects: NO_EFFECTS }
  const decision: Decision = {
    _tag: 'ServeStale',
    credential: c,
    stale: { provider: p.name, remainingMs: remaining, error },
  }
  if (s.warned) return { decision, state: s, effects: NO_EFFECTS }
  return {
    decision,
    state: { ...s, warned: true },
    effects: [{ _tag: 'Warn', message: staleWarning(p.name, remaining, error) }],
  }
}

const AWAIT: Decision = { _tag: 'AwaitRefresh' }

/**
 * What a call at `now` does. Let `left` be the time before the held credential expires:
 *
 * - nothing held: await a refresh;
 * - held under static stability (it arrived expired): serve it until `retryAt`, then await a refresh;
 * - `left > staleMs`: serve; also refresh in the background when inside the prefetch window or past the maximum age,
 *   and past `retryAt`;
 * - otherwise, before `retryAt`: serve while it is valid (or usable under the opt-in bound), stale if its last
 *   refresh failed;
 * - otherwise: await a refresh.
 *
 * The state changes only to remember that a stale serve has been warned about.
 */
export const decide = (s: RefreshState, now: Instant, p: Policy): Decided => {
  const c = s.credential
  if (c === undefined) return { decision: AWAIT, state: s, effects: NO_EFFECTS }
  const left = remainingMs(now.wall)(c)
  if (s.skewMs !== undefined) {
    return now.mono < s.retryAt ? serveHeld(s, c, left, p) : { decision: AWAIT, state: s, effects: NO_EFFECTS }
  }
  if (left > p.staleMs) {
    const due = (left <= p.prefetchMs || now.mono >= s.refreshAfter) && now.mono >= s.retryAt
    return { decision: { _tag: due ? 'ServeAndRefresh' : 'Serve', credential: c }, state: s, effects: NO_EFFECTS }
  }
  if (now.mono < s.retryAt && (left > 0 || usablePastExpiry(left, s.lastError, p))) return serveHeld(s, c, left, p)
  return { decision: AWAIT, state: s, effects: NO_EFFECTS }
}

/**
 * The wall time before which `decide(s, ·, p)` answers `Serve` with nothing else to do, as far as `now` can tell
 * (before the prefetch window and before the maximum age): a shell may serve from memory until then without asking,
 * as long as the wall clock does not go back. `-Infinity` when every call must be decided.
 */
export const quietUntil = (s: RefreshState, now: Instant, p: Policy): number => {
  const c = s.credential
  if (c === undefined || s.skewMs !== undefined) return Number.NEGATIVE_INFINITY
  const expiry = c.expiration?.getTime() ?? Number.POSITIVE_INFINITY
  return Math.min(expiry - p.prefetchMs, now.wall + (s.refreshAfter - now.mono))
}

/**
 * The wall clock went back (seen without a clock that cannot): how long it really went back is unknown, so a pending
 * retry becomes due now rather than possibly much later.
 */
export const clockWentBack = (s: RefreshState, now: Instant): RefreshState =>
  s.retryAt > now.mono ? { ...s, retryAt: now.mono } : s

/** `invalidate`: forget everything, and disown refreshes under way. */
export const invalidated = (s: RefreshState): RefreshState => ({ ...initial, generation: s.generation + 1 })

// -------------------------------------------------------------------------------------
// settle
// -------------------------------------------------------------------------------------

// A credential that arrives already inside a refresh window (short-lived, or a source that hands out the same
// credential until shortly before it expires) would otherwise be refreshed on every call. Waiting half of what is left
// in the window keeps refreshes to a few per window and still ends before expiry.
const recheckAt = (left: number, mono: number, p: Policy): number =>
  left <= p.staleMs
    ? mono + Math.max(MIN_REFRESH_INTERVAL_MS, left / 2)
    : left <= p.prefetchMs
      ? mono + Math.max(MIN_REFRESH_INTERVAL_MS, (left - p.staleMs) / 2)
      : Number.NEGATIVE_INFINITY

const accept = (s: RefreshState, c: Credential, left: number, now: Instant, p: Policy): Settled => ({
  state: {
    credential: c,
    skewMs: undefined,
    failures: 0,
    lastError: undefined,
    warned: false,
    retryAt: recheckAt(left, now.mono, p),
    refreshAfter: now.mono + p.maxAgeMs,
    generation: s.generation,
  },
  reply: { _tag: 'Serve', credential: c },
  outcome: E.right(c),
  effects: NO_EFFECTS,
})

// Static stability: nothing valid is held and the source vouches for a credential this clock calls expired.
const acceptSkewed = (
  s: RefreshState,
  c: Credential,
  left: number,
  now: Instant,
  jitter: number,
  p: Policy,
): Settled => {
  const failures = s.failures + 1
  return {
    state: {
      credential: c,
      skewMs: Math.max(0, -left),
      failures,
      lastError: undefined,
      warned: false,
      retryAt: now.mono + backoffMs(failures, jitter, p),
      refreshAfter: now.mono + p.maxAgeMs,
      generation: s.generation,
    },
    reply: { _tag: 'Serve', credential: c },
    outcome: E.right(c),
    // Once per spell: later expired answers while one is held replace it silently.
    effects:
      s.skewMs === undefined ? [{ _tag: 'Warn', message: skewWarning(p.name, c, -left), credential: c }] : NO_EFFECTS,
  }
}

// What the callers of a failed refresh get: the held credential while it is usable, else the failure.
const fallback = (s: RefreshState, e: CredentialsError, now: Instant, p: Policy): Decided => {
  const c = s.credential
  if (c === undefined) return { decision: { _tag: 'Fail', error: e }, state: s, effects: NO_EFFECTS }
  const left = remainingMs(now.wall)(c)
  if (left > 0 || s.skewMs !== undefined || usablePastExpiry(left, e, p)) return serveHeld(s, c, left, p)
  // A skip must stay a skip, so chains behind a cache still fall through.
  if (e._tag !== 'SourceFailure') return { decision: { _tag: 'Fail', error: e }, state: s, effects: NO_EFFECTS }
  return { decision: { _tag: 'Fail', error: expiredAndFailed(p.name, c, e) }, state: s, effects: NO_EFFECTS }
}

const reject = (s: RefreshState, e: CredentialsError, now: Instant, jitter: number, p: Policy): Settled => {
  const failures = s.failures + 1
  const retryInMs = backoffMs(failures, jitter, p)
  const failed: RefreshState = { ...s, failures, lastError: e, warned: false, retryAt: now.mono + retryInMs }
  const served = fallback(failed, e, now, p)
  return {
    state: served.state,
    reply: served.decision as Reply,
    outcome: E.left(e),
    effects: [{ _tag: 'RefreshFailed', event: { provider: p.name, error: e, failures, retryInMs } }, ...served.effects],
  }
}

const holdsValid = (s: RefreshState, now: Instant): boolean =>
  s.credential !== undefined && s.skewMs === undefined && remainingMs(now.wall)(s.credential) > 0

/**
 * The state after a refresh started under generation `started` ended with `result` at `now`, and what its callers get.
 * `jitter` draws a number in [0, 1) for the backoff; it is called only when a backoff starts.
 *
 * - A credential valid at `now` is taken: failures reset, re-checked after `maxAgeMs` (or sooner if it arrived inside
 *   a refresh window).
 * - A credential already past its expiration (clock skew), while a valid one is held: a failed refresh (the valid one
 *   is kept and served).
 * - Otherwise such a credential is taken under static stability: served, warned about once, and refreshed again after
 *   a backoff step — never more than one upstream call per step.
 * - A failure: backoff; the callers get the held credential while it is valid (or held under static stability, or
 *   usable under the opt-in bound), stale and warned about once, else the failure (a `SourceFailure` saying that the
 *   cached credential expired, if one was held).
 * - A refresh of an older generation (the cache was invalidated meanwhile) changes nothing; its callers get what an
 *   empty cache would give them.
 */
export const settle = (
  s: RefreshState,
  started: number,
  result: E.Either<CredentialsError, Credential>,
  now: Instant,
  jitter: () => number,
  p: Policy,
): Settled => {
  if (started !== s.generation) {
    const detached = settle({ ...initial, generation: started }, started, result, now, () => 1, p)
    return { ...detached, state: s, effects: detached.effects.filter((e) => e._tag === 'Warn') }
  }
  if (E.isLeft(result)) return reject(s, result.left, now, jitter(), p)
  const c = result.right
  const left = remainingMs(now.wall)(c)
  if (Number.isNaN(left)) return reject(s, invalidExpiration(p.name), now, jitter(), p)
  if (left > 0) return accept(s, c, left, now, p)
  if (holdsValid(s, now)) return reject(s, expiredAnswer(p.name, c, left), now, jitter(), p)
  return acceptSkewed(s, c, left, now, jitter(), p)
}
