import { Env } from '@alicred/core'
import { fakeEnv } from '@alicred/testing'
import { describe, expect, it } from 'vitest'

describe('fakeEnv', () => {
  it('reads the record, records reads, and can change between calls', () => {
    const env = fakeEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', UNSET: undefined })
    expect([env.get('ALIBABA_CLOUD_ACCESS_KEY_ID'), env.get('UNSET'), env.get('HOME')]).toEqual([
      'id',
      undefined,
      undefined,
    ])
    env.set('HOME', '/home/x')
    env.set('ALIBABA_CLOUD_ACCESS_KEY_ID', undefined)
    expect([env.get('HOME'), env.get('ALIBABA_CLOUD_ACCESS_KEY_ID')]).toEqual(['/home/x', undefined])
    expect(env.reads).toEqual(['ALIBABA_CLOUD_ACCESS_KEY_ID', 'UNSET', 'HOME', 'HOME', 'ALIBABA_CLOUD_ACCESS_KEY_ID'])
  })

  it('never sees the real environment', () => {
    expect(fakeEnv().get('PATH')).toBeUndefined()
  })

  it('works with the Env helpers', () => {
    const env = fakeEnv({ A: ' TRUE ', B: ' ' })
    expect([Env.isTrue('A')(env), Env.nonEmpty('B')(env)]).toEqual([true, undefined])
  })
})
