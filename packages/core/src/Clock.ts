/**
 * The clock capability: now and sleep. Signing timestamps, expiry, prefetch and backoff all read time from here,
 * so tests drive time by hand.
 *
 * @since 0.1.0
 */
import type * as T from 'fp-ts/Task'

/**
 * Wall-clock time and sleeping.
 *
 * Requirements on implementations (the combinators in `Provider` rely on them):
 * - `now` may jump (NTP, suspended laptops, tests); nothing here assumes it is monotonic. Offer `monotonic` when the
 *   runtime has a clock that cannot jump.
 * - `sleep` is a `Task`: it never rejects. When `signal` aborts, it resolves early and releases its timer, so a
 *   timeout whose race is already won (`Provider.withTimeout`) leaves nothing pending and never delays exit.
 *   Every sleep the combinators start is either awaited by a caller (a `retrying` backoff, which should keep the
 *   process alive like any awaited work) or aborted as soon as it is no longer needed.
 *
 * @since 0.1.0
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  readonly now: () => number
  /** Resolves after `ms`, or as soon as `signal` aborts (releasing its timer). Never rejects. */
  readonly sleep: (ms: number, signal?: AbortSignal) => T.Task<void>
  /**
   * Optional: milliseconds from an arbitrary origin that never go backwards (`performance.now()`), for measuring
   * waits such as backoff. Without it, waits are measured on `now`, and a backward jump of `now` makes pending
   * retries due at once rather than postponing them by the size of the jump.
   */
  readonly monotonic?: () => number
}
