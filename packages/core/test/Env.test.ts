import { Env } from '@alicred/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

describe('Env', () => {
  it('fromRecord reads own keys only', () => {
    const env = Env.fromRecord({ A: 'a', B: undefined })
    expect(['A', 'B', 'C', 'toString', '__proto__', 'hasOwnProperty'].map((k) => env.get(k))).toEqual([
      'a',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })

  it('fromFunction asks the function every time', () => {
    let n = 0
    const env = Env.fromFunction(() => String(++n))
    expect([env.get('X'), env.get('X')]).toEqual(['1', '2'])
  })

  it('empty has nothing', () => {
    expect(Env.empty.get('ALIBABA_CLOUD_ACCESS_KEY_ID')).toBeUndefined()
  })

  it('nonEmpty trims and treats blank as unset', () => {
    const env = Env.fromRecord({ A: '  x  ', B: ' \t\n', C: '' })
    expect(['A', 'B', 'C', 'D'].map((k) => Env.nonEmpty(k)(env))).toEqual(['x', undefined, undefined, undefined])
  })

  it('property: nonEmpty is the trimmed value, or undefined when that is empty', () => {
    fc.assert(
      fc.property(fc.string(), (v) => {
        const got = Env.nonEmpty('V')(Env.fromRecord({ V: v }))
        expect(got).toBe(v.trim() === '' ? undefined : v.trim())
      }),
    )
  })

  it('property: nonBlank is the trimmed value, or undefined when that is empty, and is what nonEmpty reads', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: undefined }), (v) => {
        const want = v === undefined || v.trim() === '' ? undefined : v.trim()
        expect(Env.nonBlank(v)).toBe(want)
        expect(Env.nonEmpty('V')(Env.fromRecord(v === undefined ? {} : { V: v }))).toBe(want)
      }),
    )
  })

  it('isTrue accepts true in any case and nothing else', () => {
    const values = ['true', 'TRUE', ' True ', '1', 'yes', 'on', 'false', '', 'truee']
    const env = Env.fromRecord(Object.fromEntries(values.map((v, i) => [`V${i}`, v])))
    expect(values.map((_, i) => Env.isTrue(`V${i}`)(env))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ])
    expect(Env.isTrue('UNSET')(env)).toBe(false)
  })
})
