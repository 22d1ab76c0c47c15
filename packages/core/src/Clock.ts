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

/**
 * The clock of any JavaScript runtime: `Date.now()`, `performance.now()` when there is one, and a `setTimeout`
 * sleep that releases its timer as soon as its signal aborts. It uses no Node API, so Deno, Bun, Cloudflare Workers
 * and browsers have it too (`webCapabilities` uses it; `@alicred/node` has its own `liveClock`).
 *
 * @example
 * import { Clock } from '@alicred/core'
 * const before = Clock.system.now()
 * await Clock.system.sleep(5)()
 * assert.ok(Clock.system.now() >= before)
 * @since 0.1.0
 */
export const system: Clock = {
  now: () => Date.now(),
  ...(typeof globalThis.performance?.now === 'function' ? { monotonic: () => globalThis.performance.now() } : {}),
  sleep: (ms, signal) => () =>
    new Promise<void>((resolve) => {
      if (signal?.aborted === true) return resolve()
      const done = (): void => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, ms))
      signal?.addEventListener('abort', done, { once: true })
    }),
}
