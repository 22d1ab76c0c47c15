import { readFileSync } from 'node:fs'
import { Decode, Expiration } from '@alicred/core'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'

const vectors = JSON.parse(readFileSync(new URL('./fixtures/vectors.json', import.meta.url), 'utf8')) as {
  expiration: { valid: ReadonlyArray<{ in: string; epochMs: number }>; invalid: ReadonlyArray<string> }
  timestamp: ReadonlyArray<{ epochMs: number; expected: string }>
}

// 0001-01-01 .. 9999-12-31: the range both formats can express.
const RANGE = {
  min: new Date('0001-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
}

describe('Expiration.parse (§4.5, §6.5)', () => {
  it.each(vectors.expiration.valid)('$in', ({ in: input, epochMs }) => {
    expect(Expiration.parse(input)).toEqual(E.right(new Date(epochMs)))
  })

  it.each(vectors.expiration.invalid)('refuses %j without repeating it', (input) => {
    const r = Expiration.parse(input)
    expect(E.isLeft(r)).toBe(true)
    expect(E.isLeft(r) && r.left).toMatch(/^expected a UTC time like 2015-04-09T11:52:19Z/)
    if (input.length > 0) expect(E.isLeft(r) && r.left).not.toContain(input)
  })

  it('says why an offset is refused (REFERENCE §9.20 is kept: STS always answers in UTC)', () => {
    expect(Expiration.parse('2024-08-31T09:30:01+08:00')).toEqual(
      E.left('expected a UTC time like 2015-04-09T11:52:19Z (a timezone offset is not accepted; use Z)'),
    )
    expect(Expiration.parse('2024-08-31T09:30:01.5-0130')).toEqual(
      E.left('expected a UTC time like 2015-04-09T11:52:19Z (a timezone offset is not accepted; use Z)'),
    )
  })

  it.each([
    ['2023-02-29T00:00:00Z', 'no such day'],
    ['2024-04-31T00:00:00Z', 'no such day'],
    ['2024-01-01T24:00:00Z', 'a field is out of range'],
    ['2024-01-01T00:60:00Z', 'a field is out of range'],
    ['2024-00-10T00:00:00Z', 'a field is out of range'],
  ])('refuses %s (%s)', (input, why) => {
    expect(Expiration.parse(input)).toEqual(E.left(`expected a UTC time like 2015-04-09T11:52:19Z (${why})`))
  })

  it.each([
    ['2024-02-29T23:59:59Z', Date.UTC(2024, 1, 29, 23, 59, 59)],
    ['2024-02-29T23:59:59.5Z', Date.UTC(2024, 1, 29, 23, 59, 59, 500)],
    ['2024-02-29T23:59:59.123456789Z', Date.UTC(2024, 1, 29, 23, 59, 59, 123)],
  ])('accepts %s', (input, ms) => {
    expect(Expiration.parse(input)).toEqual(E.right(new Date(ms)))
  })

  it('keeps years below 100 (Date.UTC would move them to the 1900s)', () => {
    const r = Expiration.parse('0099-06-01T00:00:00Z')
    expect(E.isRight(r) && r.right.toISOString()).toBe('0099-06-01T00:00:00.000Z')
  })

  it('parses back every ISO string a Date prints', () => {
    fc.assert(
      fc.property(fc.date(RANGE), (d) => {
        expect(Expiration.parse(d.toISOString())).toEqual(E.right(d))
      }),
    )
  })
})

describe('Expiration.formatTimestamp', () => {
  it.each(vectors.timestamp)('$epochMs → $expected', ({ epochMs, expected }) => {
    expect(Expiration.formatTimestamp(epochMs)).toBe(expected)
  })

  it('is parsed back to the same second, in the 20-character layout', () => {
    fc.assert(
      fc.property(fc.integer({ min: RANGE.min.getTime(), max: RANGE.max.getTime() }), (ms) => {
        const ts = Expiration.formatTimestamp(ms)
        expect(ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
        expect(Expiration.parse(ts)).toEqual(E.right(new Date(Math.floor(ms / 1000) * 1000)))
      }),
    )
  })
})

describe('Expiration.utc codec', () => {
  it('decodes a UTC string to a Date and reports failures by path and format, never by value', () => {
    const decode = Decode.decode(Expiration.utc)
    expect(decode('2015-04-09T11:52:19Z')).toEqual(E.right(new Date(1428580339000)))
    expect(decode('2015-04-09T11:52:19+08:00')).toEqual(
      E.left('<root>: expected UTC time (YYYY-MM-DDThh:mm:ssZ), got string'),
    )
    expect(decode(1428580339)).toEqual(E.left('<root>: expected UTC time (YYYY-MM-DDThh:mm:ssZ), got number'))
    expect(Expiration.utc.encode(new Date(1428580339000))).toBe('2015-04-09T11:52:19.000Z')
    expect(Expiration.utc.is(new Date(Number.NaN))).toBe(false)
  })
})

describe('Expiration.isEpochSeconds / describeEpochSeconds', () => {
  it('accepts exactly the times a Date and the wire format both hold', () => {
    const cases: ReadonlyArray<readonly [unknown, boolean]> = [
      [0, true],
      [1704067200, true],
      [1704067200.5, true],
      [Expiration.MAX_EPOCH_SECONDS, true],
      [Expiration.MAX_EPOCH_SECONDS + 1, false],
      [-1, false],
      [-1e20, false],
      [1e20, false],
      [8.64e12 + 1, false],
      [Number.NaN, false],
      [Number.POSITIVE_INFINITY, false],
      ['1704067200', false],
    ]
    expect(cases.map(([u]) => Expiration.isEpochSeconds(u))).toEqual(cases.map(([, ok]) => ok))
  })

  it('describes any number without throwing', () => {
    expect(
      [1704067200, Expiration.MAX_EPOCH_SECONDS, -1e20, 1e300, Number.NaN].map(Expiration.describeEpochSeconds),
    ).toEqual([
      '2024-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.000Z',
      'an out-of-range time',
      'an out-of-range time',
      'an out-of-range time',
    ])
  })

  it('property: in range, a round trip through a Date gives the same seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Expiration.MAX_EPOCH_SECONDS }), (s) => {
        expect(Expiration.isEpochSeconds(s)).toBe(true)
        expect(new Date(Expiration.describeEpochSeconds(s)).getTime()).toBe(s * 1000)
      }),
    )
  })
})
