/**
 * Fault injection: what can go wrong on a route (a status, a delay, a hang, a reset connection, a malformed or
 * truncated body, throttling) and when (after N calls, for the next K calls, or with a seeded probability). Pure
 * bookkeeping; the server carries the fault out on the socket.
 *
 * Throttling: the STS gateway refuses over-quota callers with HTTP 400 and `Code: Throttling` (some products say
 * `Throttling.User`; both are 400, not 429). A throttle fault on an STS route answers in that shape; on the other
 * routes (IMDS, URI, CloudSSO, OAuth) it answers HTTP 429, as rate-limiting proxies in front of them do.
 *
 * @since 0.1.0
 */
import type { Rng } from './Rng.js'

/** Every route the emulator serves; faults and counters are keyed by these. @category emulator @since 0.1.0 */
export type RouteName =
  | 'sts.AssumeRole'
  | 'sts.AssumeRoleWithOIDC'
  | 'sts.GenerateSessionAccessKey'
  | 'sts.GetCallerIdentity'
  /** An STS request with a missing or unknown Action. */
  | 'sts.unknown'
  | 'imds.token'
  | 'imds.roles'
  | 'imds.credentials'
  | 'uri'
  | 'sso.credentials'
  | 'oauth.token'
  | 'oauth.exchange'
  /** Anything else (answered 404). */
  | 'notFound'

/** A route, a family (`sts.*`, `imds.*`, `oauth.*`) or everything (`*`). @category emulator @since 0.1.0 */
export type RoutePattern = RouteName | 'sts.*' | 'imds.*' | 'sso.*' | 'oauth.*' | '*'

/** What happens to a faulted request. @category emulator @since 0.1.0 */
export type Fault =
  /** Answer with this status and body (default empty) instead of handling the request. */
  | { readonly type: 'status'; readonly status: number; readonly body?: string; readonly contentType?: string }
  /** Answer with an error in the route's own shape (STS JSON for STS routes). */
  | { readonly type: 'error'; readonly status: number; readonly code: string; readonly message?: string }
  /** Wait, then handle the request normally. */
  | { readonly type: 'delay'; readonly ms: number }
  /** Never answer; the socket stays open until the client gives up or the emulator stops. */
  | { readonly type: 'hang' }
  /** Reset the TCP connection (RST) without answering. */
  | { readonly type: 'reset' }
  /** Answer 200 with a body that is not JSON (default `{"Credentials":` cut short, or the given text). */
  | { readonly type: 'malformed'; readonly body?: string }
  /** Handle the request, send the headers with the full Content-Length and half the body, then close. */
  | { readonly type: 'truncated' }
  /** Refuse as over quota: STS routes answer HTTP 400 `Throttling`; others answer 429. */
  | { readonly type: 'throttle'; readonly code?: string; readonly status?: number }

/** When a fault applies. Counting starts when the fault is added. @category emulator @since 0.1.0 */
export interface Schedule {
  /** Let this many matching requests through first ("throttle after N calls"). Default 0. */
  readonly after?: number
  /** Then fault this many requests, and stop. Default: every one. */
  readonly times?: number
  /** Fault each eligible request with this probability (seeded RNG). Default 1. */
  readonly probability?: number
}

/** A fault with its schedule. @category emulator @since 0.1.0 */
export type FaultSpec = Fault & Schedule

interface Entry {
  readonly pattern: RoutePattern
  readonly spec: FaultSpec
  seen: number
  applied: number
}

/** @since 0.1.0 */
export const matches = (pattern: RoutePattern, route: RouteName): boolean =>
  pattern === '*' || pattern === route || (pattern.endsWith('.*') && route.startsWith(pattern.slice(0, -1)))

/** @since 0.1.0 */
export interface FaultTable {
  /** Adds a fault; the newest matching fault wins. Returns a function removing it. */
  readonly add: (pattern: RoutePattern, spec: FaultSpec) => () => void
  readonly clear: () => void
  /** Decides the fault (if any) for one request on `route`, advancing every matching schedule. */
  readonly pick: (route: RouteName) => Fault | undefined
}

const check = (spec: FaultSpec): void => {
  const bad = (what: string): never => {
    throw new RangeError(`fault ${spec.type}: ${what}`)
  }
  if (spec.after !== undefined && !(Number.isInteger(spec.after) && spec.after >= 0))
    bad('after must be an integer >= 0')
  if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times >= 0))
    bad('times must be an integer >= 0')
  if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) {
    bad('probability must be in [0, 1]')
  }
  if (spec.type === 'delay' && !(spec.ms >= 0)) bad('ms must be >= 0')
}

/**
 * A fault table drawing probabilities from `rng`.
 *
 * @since 0.1.0
 */
export const faultTable = (rng: Rng): FaultTable => {
  let entries: Array<Entry> = []
  return {
    add: (pattern, spec) => {
      check(spec)
      const entry: Entry = { pattern, spec, seen: 0, applied: 0 }
      entries = [entry, ...entries]
      return () => {
        entries = entries.filter((e) => e !== entry)
      }
    },
    clear: () => {
      entries = []
    },
    pick: (route) => {
      let chosen: Fault | undefined
      // Every matching schedule sees the request, so "after N calls" counts calls, not calls left over by others.
      for (const e of entries) {
        if (!matches(e.pattern, route)) continue
        e.seen += 1
        if (chosen !== undefined) continue
        if (e.seen <= (e.spec.after ?? 0)) continue
        if (e.spec.times !== undefined && e.applied >= e.spec.times) continue
        if (e.spec.probability !== undefined && rng.next() >= e.spec.probability) continue
        e.applied += 1
        chosen = e.spec
      }
      return chosen
    },
  }
}
