/**
 * A clock that moves only when told. `sleep` resolves once `advance` has moved time past its deadline, so tests of
 * expiry, prefetch, backoff and timeouts run instantly and deterministically.
 *
 * @since 0.1.0
 */
import type { Clock } from '@alicred/core'

/** A `Clock` whose time moves only when a test moves it, waking sleepers on the way. @category fakes @since 0.1.0 */
export interface ManualClock extends Clock.Clock {
  /**
   * Moves time forward by `ms` (a negative `ms` jumps back, like `set`), stopping at each sleeper's deadline on the way: a sleeper wakes with `now()` equal to
   * its deadline, and whatever it does next (including new sleeps that fall inside the step) runs before time moves
   * on. Resolves once everything woken has settled.
   */
  readonly advance: (ms: number) => Promise<void>
  /**
   * Sets the wall time. Forward, it behaves like `advance`. Backward (to test clock jumps), sleepers keep their
   * deadlines, so they wait for time to catch up again.
   */
  readonly set: (epochMs: number) => Promise<void>
  /** Advances to the earliest sleeper's deadline and wakes it; resolves `false` when nobody sleeps. */
  readonly next: () => Promise<boolean>
  /** Sleepers still waiting. */
  readonly pending: () => number
  /** Time moved forward so far (by `advance`, `next` and forward `set`s); backward `set`s leave it alone. */
  readonly monotonic: () => number
}

// Lets promise chains started by a wake-up run to their next real wait. Microtask turns only, so the clock needs no
// timer API of any runtime (no `setImmediate`, which browsers and workers lack): every wait inside a test that uses
// this clock is itself on the clock or an already-settled promise, and 200 turns outlast any chain of them.
const flush = async (): Promise<void> => {
  for (let i = 0; i < 200; i++) await Promise.resolve()
}

interface Sleeper {
  readonly at: number
  readonly seq: number
  readonly wake: () => void
}

/**
 * A manual clock starting at `startMs` (default 2024-01-01T00:00:00Z). Its `sleep` honours an `AbortSignal` (the
 * sleeper is removed and resolves at once), so `pending()` shows exactly the timers a test left behind.
 *
 * @example
 * import { manualClock } from '@alicred/testing'
 * const clock = manualClock(0)
 * const done = clock.sleep(1000)()
 * await clock.advance(1000)
 * await done
 * assert.strictEqual(clock.now(), 1000)
 * assert.strictEqual(clock.pending(), 0)
 * @category fakes
 * @since 0.1.0
 */
export const manualClock = (startMs = Date.UTC(2024, 0, 1)): ManualClock => {
  let now = startMs
  let elapsed = 0
  let seq = 0
  let sleepers: Array<Sleeper> = []

  const earliest = (): Sleeper | undefined =>
    sleepers.reduce<Sleeper | undefined>(
      (best, s) => (best === undefined || s.at < best.at || (s.at === best.at && s.seq < best.seq) ? s : best),
      undefined,
    )

  const wakeDue = async (): Promise<void> => {
    for (;;) {
      const due = sleepers.filter((s) => s.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq)
      if (due.length === 0) return
      sleepers = sleepers.filter((s) => s.at > now)
      for (const s of due) s.wake()
      await flush()
    }
  }

  const moveTo = (t: number): void => {
    elapsed += Math.max(0, t - now)
    now = t
  }

  const advanceTo = async (target: number): Promise<void> => {
    await flush()
    for (;;) {
      const first = earliest()
      if (first === undefined || first.at > target) break
      moveTo(Math.max(now, first.at))
      await wakeDue()
    }
    moveTo(target)
    await wakeDue()
  }

  const set = async (epochMs: number): Promise<void> => {
    if (Number.isNaN(epochMs)) throw new RangeError('manualClock.set(NaN): pass epoch milliseconds')
    if (epochMs >= now) return advanceTo(epochMs)
    now = epochMs
    await flush()
  }

  return {
    now: () => now,
    sleep: (ms, signal) => () =>
      new Promise<void>((resolve) => {
        // Like setTimeout, NaN and negative delays mean "now".
        if (!(ms > 0) || signal?.aborted === true) return resolve()
        const sleeper: Sleeper = { at: now + ms, seq: seq++, wake: resolve }
        sleepers.push(sleeper)
        signal?.addEventListener(
          'abort',
          () => {
            sleepers = sleepers.filter((s) => s !== sleeper)
            resolve()
          },
          { once: true },
        )
      }),
    advance: (ms) => {
      if (Number.isNaN(ms)) return Promise.reject(new RangeError('manualClock.advance(NaN): pass a number of ms'))
      return set(now + ms)
    },
    set,
    next: async () => {
      await flush()
      const first = earliest()
      if (first === undefined) return false
      await advanceTo(Math.max(now, first.at))
      return true
    },
    pending: () => sleepers.length,
    monotonic: () => elapsed,
  }
}
