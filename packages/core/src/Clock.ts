/**
 * The clock capability: now and sleep. Signing timestamps, expiry, prefetch and backoff all read time from here,
 * so tests drive time by hand.
 *
 * @since 0.1.0
 */
import type * as T from 'fp-ts/Task'

/** @since 0.1.0 */
export interface Clock {
  /** Milliseconds since the epoch. */
  readonly now: () => number
  /** Resolves after `ms`. Live clocks must not keep the process alive while sleeping. */
  readonly sleep: (ms: number) => T.Task<void>
}
