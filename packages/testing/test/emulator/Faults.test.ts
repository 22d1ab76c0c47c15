import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type FaultSpec, faultTable, matches, type RouteName } from '../../src/emulator/Faults.js'
import { seededRng } from '../../src/emulator/Rng.js'

const run = (spec: FaultSpec, calls: number, seed = 1): ReadonlyArray<boolean> => {
  const t = faultTable(seededRng(seed))
  t.add('sts.AssumeRole', spec)
  return Array.from({ length: calls }, () => t.pick('sts.AssumeRole') !== undefined)
}

describe('matches', () => {
  it.each<[Parameters<typeof matches>[0], RouteName, boolean]>([
    ['sts.AssumeRole', 'sts.AssumeRole', true],
    ['sts.AssumeRole', 'sts.GetCallerIdentity', false],
    ['sts.*', 'sts.unknown', true],
    ['sts.*', 'imds.token', false],
    ['imds.*', 'imds.credentials', true],
    ['oauth.*', 'oauth.exchange', true],
    ['sso.*', 'sso.credentials', true],
    ['*', 'notFound', true],
  ])('%s matches %s: %s', (pattern, route, expected) => {
    expect(matches(pattern, route)).toBe(expected)
  })
})

describe('schedules', () => {
  it('faults exactly calls after+1 .. after+times', () => {
    fc.assert(
      fc.property(fc.nat(10), fc.option(fc.nat(10), { nil: undefined }), fc.nat(30), (after, times, calls) => {
        const got = run({ type: 'hang', after, ...(times === undefined ? {} : { times }) }, calls)
        const expected = Array.from(
          { length: calls },
          (_, i) => i >= after && (times === undefined || i < after + times),
        )
        expect(got).toEqual(expected)
      }),
    )
  })

  it('draws probabilities from the seed: same seed, same faults; 0 never; 1 always', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (seed, probability) => {
        expect(run({ type: 'reset', probability }, 50, seed)).toEqual(run({ type: 'reset', probability }, 50, seed))
      }),
    )
    expect(run({ type: 'reset', probability: 0 }, 50)).toEqual(Array(50).fill(false))
    expect(run({ type: 'reset', probability: 1 }, 50)).toEqual(Array(50).fill(true))
    const half = run({ type: 'reset', probability: 0.5 }, 1000).filter(Boolean).length
    expect(half).toBeGreaterThan(400)
    expect(half).toBeLessThan(600)
  })

  it('lets the newest matching fault win while every schedule counts the call', () => {
    const t = faultTable(seededRng(1))
    t.add('sts.*', { type: 'status', status: 500, after: 2 })
    const remove = t.add('sts.AssumeRole', { type: 'hang', times: 1 })
    expect([1, 2, 3].map(() => t.pick('sts.AssumeRole')?.type)).toEqual(['hang', undefined, 'status'])
    remove()
    expect(t.pick('sts.AssumeRole')?.type).toBe('status')
    expect(t.pick('imds.token')).toBeUndefined()
    t.clear()
    expect(t.pick('sts.AssumeRole')).toBeUndefined()
  })

  it.each<[FaultSpec, string]>([
    [{ type: 'hang', after: -1 }, 'fault hang: after must be an integer >= 0'],
    [{ type: 'hang', times: 1.5 }, 'fault hang: times must be an integer >= 0'],
    [{ type: 'hang', probability: 2 }, 'fault hang: probability must be in [0, 1]'],
    [{ type: 'delay', ms: -1 }, 'fault delay: ms must be >= 0'],
  ])('refuses %o', (spec, message) => {
    expect(() => faultTable(seededRng(1)).add('*', spec)).toThrow(new RangeError(message))
  })
})

describe('seededRng', () => {
  it('is reproducible and stays in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = seededRng(seed)
        const b = seededRng(seed)
        for (let i = 0; i < 20; i++) {
          const x = a.next()
          expect(x).toBe(b.next())
          expect(x >= 0 && x < 1).toBe(true)
        }
      }),
    )
    expect(seededRng(1).requestId()).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/)
  })
})
