/**
 * A clock that moves only when told. `sleep` resolves once `advance` has moved time past its deadline, so tests of
 * expiry, prefetch, backoff and timeouts run instantly and deterministically.
 *
 * @since 0.1.0
 */
import type { Clock } from '@alicred/core'

/** @since 0.1.0 */
export interface ManualClock extends Clock.Clock {
  /** Moves time forward by `ms` and wakes every sleeper whose deadline has passed; waits for their reactions. */
  readonly advance: (ms: number) => Promise<void>
  /** Sets the time (may go backwards, to test clock jumps). Wakes sleepers whose deadline has passed. */
  readonly set: (epochMs: number) => Promise<void>
  /** Sleepers still waiting. */
  readonly pending: () => number
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r))
}

/**
 * A manual clock starting at `startMs` (default 2024-01-01T00:00:00Z).
 *
 * @example
 * import { manualClock } from '@alicred/testing'
 * const clock = manualClock(0)
 * const done = clock.sleep(1000)()
 * await clock.advance(1000)
 * await done
 * assert.strictEqual(clock.now(), 1000)
 * @since 0.1.0
 */
export const manualClock = (startMs = Date.UTC(2024, 0, 1)): ManualClock => {
  let now = startMs
  let sleepers: Array<{ readonly at: number; readonly wake: () => void }> = []
  const wakeDue = async (): Promise<void> => {
    await flush()
    for (;;) {
      const due = sleepers.filter((s) => s.at <= now).sort((a, b) => a.at - b.at)
      if (due.length === 0) break
      sleepers = sleepers.filter((s) => s.at > now)
      for (const s of due) s.wake()
      await flush()
    }
  }
  return {
    now: () => now,
    sleep: (ms) => () =>
      new Promise<void>((resolve) => {
        if (ms <= 0) return resolve()
        sleepers.push({ at: now + ms, wake: resolve })
      }),
    advance: async (ms) => {
      now += ms
      await wakeDue()
    },
    set: async (epochMs) => {
      now = epochMs
      await wakeDue()
    },
    pending: () => sleepers.length,
  }
}
