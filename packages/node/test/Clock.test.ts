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

  it('sleep does not keep the process alive (its timer is unref’d), unlike a plain timer', async () => {
    const baseline = refedTimers()
    const sleeping = liveClock.sleep(100)()
    const whileSleeping = refedTimers()
    const plain = setTimeout(() => undefined, 100)
    const withPlainTimer = refedTimers()
    clearTimeout(plain)
    await sleeping
    expect({ whileSleeping, withPlainTimer }).toEqual({ whileSleeping: baseline, withPlainTimer: baseline + 1 })
  })

  it('sleep with a negative time resolves at once', async () => {
    await expect(liveClock.sleep(-5)()).resolves.toBeUndefined()
  })
})
