import { manualClock } from '@alicred/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

describe('manualClock', () => {
  it('starts at 2024-01-01T00:00:00Z by default, or at the given time', () => {
    expect([manualClock().now(), manualClock(42).now()]).toEqual([Date.UTC(2024, 0, 1), 42])
  })

  it('wakes each sleeper at its own deadline, in order, during one advance', async () => {
    const clock = manualClock(0)
    const woke: Array<[string, number]> = []
    for (const [name, ms] of [
      ['b', 200],
      ['a', 100],
      ['c', 300],
    ] as const) {
      void clock
        .sleep(ms)()
        .then(() => woke.push([name, clock.now()]))
    }
    await clock.advance(250)
    expect(woke).toEqual([
      ['a', 100],
      ['b', 200],
    ])
    expect([clock.now(), clock.pending()]).toEqual([250, 1])
  })

  it('runs sleeps started by a woken sleeper within the same advance', async () => {
    const clock = manualClock(0)
    const at: Array<number> = []
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(100)()
        at.push(clock.now())
      }
    })()
    await clock.advance(1_000)
    expect(at).toEqual([100, 200, 300])
  })

  it('next jumps to the earliest deadline', async () => {
    const clock = manualClock(0)
    void clock.sleep(500)()
    void clock.sleep(70)()
    expect(await clock.next()).toBe(true)
    expect(clock.now()).toBe(70)
    expect(await clock.next()).toBe(true)
    expect(clock.now()).toBe(500)
    expect(await clock.next()).toBe(false)
  })

  it('an aborted sleep resolves at once and is no longer pending', async () => {
    const clock = manualClock(0)
    const abort = new AbortController()
    const done = clock.sleep(1_000, abort.signal)()
    expect(clock.pending()).toBe(1)
    abort.abort()
    await done
    expect([clock.now(), clock.pending()]).toEqual([0, 0])
    const already = new AbortController()
    already.abort()
    await clock.sleep(1_000, already.signal)()
    expect(clock.pending()).toBe(0)
  })

  it('zero, negative and NaN sleeps resolve at once, like setTimeout', async () => {
    const clock = manualClock(0)
    await Promise.all([clock.sleep(0)(), clock.sleep(-5)(), clock.sleep(Number.NaN)()])
    expect(clock.pending()).toBe(0)
  })

  it('set goes backwards without waking sleepers, which wait for time to catch up', async () => {
    const clock = manualClock(1_000)
    let woke = false
    void clock
      .sleep(100)()
      .then(() => {
        woke = true
      })
    await clock.set(0)
    expect([clock.now(), woke]).toEqual([0, false])
    await clock.advance(1_099)
    expect(woke).toBe(false)
    await clock.advance(1)
    expect(woke).toBe(true)
  })

  it('a negative advance jumps back like set', async () => {
    const clock = manualClock(1_000)
    await clock.advance(-400)
    expect(clock.now()).toBe(600)
  })

  it('monotonic counts only forward movement', async () => {
    const clock = manualClock(10_000)
    await clock.advance(100)
    await clock.set(0)
    await clock.advance(50)
    await clock.set(20_000)
    expect(clock.monotonic()).toBe(100 + 50 + 19_950)
  })

  it('refuses NaN with a message saying what to pass', async () => {
    const clock = manualClock(0)
    await expect(clock.advance(Number.NaN)).rejects.toThrow('manualClock.advance(NaN): pass a number of ms')
    await expect(clock.set(Number.NaN)).rejects.toThrow('manualClock.set(NaN): pass epoch milliseconds')
  })

  it('property: every sleeper wakes exactly at its deadline, whatever the steps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 1_000 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 20 }),
        async (delays, steps) => {
          const clock = manualClock(0)
          const woke: Array<[number, number]> = []
          for (const d of delays)
            void clock
              .sleep(d)()
              .then(() => woke.push([d, clock.now()]))
          for (const s of steps) await clock.advance(s)
          const total = steps.reduce((a, b) => a + b, 0)
          const due = delays.filter((d) => d <= total)
          expect(woke.map(([d]) => d).sort((a, b) => a - b)).toEqual([...due].sort((a, b) => a - b))
          for (const [d, at] of woke) expect(at).toBe(d)
          expect(clock.pending()).toBe(delays.length - due.length)
        },
      ),
    )
  })
})
