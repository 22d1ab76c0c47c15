import { fakeRandom } from '@alicred/testing'
import { describe, expect, it } from 'vitest'

describe('fakeRandom', () => {
  it('numbers nonces and returns 0.5 by default', () => {
    const r = fakeRandom()
    expect([r.nonce(), r.nonce(), r.float(), r.float()]).toEqual(['nonce-0001', 'nonce-0002', 0.5, 0.5])
  })

  it('cycles through scripted fractions', () => {
    const r = fakeRandom([0, 0.25, 1])
    expect(Array.from({ length: 5 }, () => r.float())).toEqual([0, 0.25, 1, 0, 0.25])
  })

  it('an empty script means 0.5', () => {
    expect(fakeRandom([]).float()).toBe(0.5)
  })

  it('refuses fractions outside [0, 1]', () => {
    expect(() => fakeRandom(2)).toThrow('fakeRandom: jitter 2 is outside [0, 1]')
    expect(() => fakeRandom([0.1, Number.NaN])).toThrow('fakeRandom: jitter NaN is outside [0, 1]')
  })
})
