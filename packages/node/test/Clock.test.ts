import { liveClock } from '@alicred/node'
import { describe, expect, it } from 'vitest'

const refedTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

describe('liveClock', () => {
  // This module *is* the wall clock, so these tests read it.
  it('now() is Date.now()', () => {
    const before = Date.now()
    const t = liveClock.now()
    expect(t).toBeGreaterThanOrEqual(before)
    expect(t).toBeLessThanOrEqual(Date.now())
  })

  it('sleep waits at least the given time', async () => {
    const started = Date.now()
    await liveClock.sleep(50)()
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
  })

  it('an aborted sleep resolves at once and releases its timer, so nothing outlives the work', async () => {
    const baseline = refedTimers()
    const abort = new AbortController()
    const sleeping = liveClock.sleep(60_000, abort.signal)()
    const whileSleeping = refedTimers()
    const started = Date.now()
    abort.abort()
    await sleeping
    expect({ whileSleeping, after: refedTimers(), fast: Date.now() - started < 1_000 }).toEqual({
      whileSleeping: baseline + 1,
      after: baseline,
      fast: true,
    })
  })

  it('a sleep whose signal already aborted starts no timer', async () => {
    const baseline = refedTimers()
    const abort = new AbortController()
    abort.abort()
    const sleeping = liveClock.sleep(60_000, abort.signal)()
    expect(refedTimers()).toBe(baseline)
    await sleeping
  })

  it('monotonic never goes backwards', () => {
    const a = liveClock.monotonic?.() ?? Number.NaN
    const b = liveClock.monotonic?.() ?? Number.NaN
    expect(b).toBeGreaterThanOrEqual(a)
  })

  it('sleep with a negative time resolves at once', async () => {
    await expect(liveClock.sleep(-5)()).resolves.toBeUndefined()
  })
})
