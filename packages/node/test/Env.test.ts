import { Env } from '@alicred/core'
import { liveEnv, toEnv } from '@alicred/node'
import { describe, expect, it } from 'vitest'

describe('liveEnv', () => {
  it('reads process.env at call time', () => {
    const name = `ALICRED_TEST_${process.pid}_${Date.now()}`
    try {
      expect(liveEnv.get(name)).toBeUndefined()
      process.env[name] = 'set later'
      expect(liveEnv.get(name)).toBe('set later')
    } finally {
      delete process.env[name]
    }
    expect(liveEnv.get(name)).toBeUndefined()
  })
})

describe('toEnv', () => {
  it('wraps a record, reading it at call time', () => {
    const record: Record<string, string | undefined> = { A: '1' }
    const env = toEnv(record)
    record.B = '2'
    expect([env.get('A'), env.get('B'), env.get('C')]).toEqual(['1', '2', undefined])
  })

  it('passes an Env through unchanged', () => {
    const env = Env.fromRecord({ A: '1' })
    expect(toEnv(env)).toBe(env)
  })

  it('treats a record with a non-function "get" key as a record', () => {
    expect(toEnv({ get: 'x' }).get('get')).toBe('x')
  })
})
