/**
 * The live `Clock`: wall-clock time, a monotonic clock for measuring waits, and a sleep that releases its timer as
 * soon as its `AbortSignal` fires.
 *
 * The timer is deliberately not `unref`'d: a sleep is either awaited by a caller (a retry backoff inside
 * `getCredential()`, which must not let a program exit with its await unsettled) or aborted by the combinator that
 * started it (`Provider.withTimeout` once its race is won), so no timer outlives the work it belongs to.
 *
 * @since 0.1.0
 */
import type { Clock } from '@alicred/core'

/**
 * `Date.now()`, `performance.now()` and an abortable `setTimeout`.
 *
 * @example
 * import { liveClock } from '@alicred/node'
 * const before = liveClock.now()
 * await liveClock.sleep(5)()
 * assert.ok(liveClock.now() >= before)
 * @category capabilities
 * @since 0.1.0
 */
export const liveClock: Clock.Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
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
