/**
 * The live `Clock`: wall-clock time and an unref'd sleep, so a background refresh or a backoff never keeps the
 * process alive on its own.
 *
 * @since 0.1.0
 */
import type { Clock } from '@alicred/core'

/**
 * `Date.now()` and `setTimeout(...).unref()`.
 *
 * @example
 * import { liveClock } from '@alicred/node'
 * const before = liveClock.now()
 * await liveClock.sleep(5)()
 * assert.ok(liveClock.now() >= before)
 * @since 0.1.0
 */
export const liveClock: Clock.Clock = {
  now: () => Date.now(),
  sleep: (ms) => () =>
    new Promise((resolve) => {
      setTimeout(resolve, Math.max(0, ms)).unref()
    }),
}
