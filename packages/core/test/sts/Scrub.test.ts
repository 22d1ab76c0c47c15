import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Scrub from '../../src/sts/Scrub.js'

const TOKEN = 'CAIS+sts/Token=Value&0123456789'
const R = '<redacted>'

const pctLower = (s: string): string => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())
const pctMixed = (s: string): string =>
  encodeURIComponent(s).replace(/%([0-9A-F])([0-9A-F])/g, (_, a: string, b: string) => `%${a}${b.toLowerCase()}`)
const pctAll = (s: string): string =>
  Array.from(new TextEncoder().encode(s), (b) => `%${b.toString(16).padStart(2, '0')}`).join('')
const b64 = (s: string): string => Buffer.from(s).toString('base64')
const b64url = (s: string): string => Buffer.from(s).toString('base64url')

/** Every way the issue lists for a server to repeat what it was sent. */
const ENCODINGS: ReadonlyArray<readonly [string, (s: string) => string]> = [
  ['raw', (s) => s],
  ['percent-encoded, upper-case hex', encodeURIComponent],
  ['percent-encoded, lower-case hex', pctLower],
  ['percent-encoded, mixed-case hex', pctMixed],
  ['every byte percent-encoded', pctAll],
  ['percent-encoded twice', (s) => encodeURIComponent(encodeURIComponent(s))],
  ['percent-encoded twice, lower case', (s) => pctLower(pctLower(s))],
  ['percent-encoded three times', (s) => encodeURIComponent(encodeURIComponent(encodeURIComponent(s)))],
  ['+ decoded as a space', (s) => s.replace(/\+/g, ' ')],
  ['form-encoded (space as +)', (s) => encodeURIComponent(s).replace(/%20/g, '+')],
  ['cut to its first 8 characters', (s) => s.slice(0, 8)],
  ['cut to its first 12 characters, percent-encoded in lower case', (s) => pctLower(s.slice(0, 12))],
  ['cut and + decoded as a space', (s) => s.slice(0, 10).replace(/\+/g, ' ')],
  ['base64', b64],
  ['base64 without padding', (s) => b64(s).replace(/=+$/, '')],
  ['base64url', b64url],
  ['base64 inside a longer value (offset 1)', (s) => b64(`x${s}yz`)],
  ['base64 inside a longer value (offset 2)', (s) => b64(`xy${s}z`)],
  ['base64url inside a longer value (offset 1)', (s) => b64url(`x${s}`)],
  ['base64, percent-encoded', (s) => encodeURIComponent(b64(s))],
  ['base64, percent-encoded in lower case', (s) => pctLower(b64(s))],
]

describe('Scrub.scrub', () => {
  it.each(ENCODINGS)('finds a secret %s', (_, encode) => {
    const out = Scrub.scrub(`before ${encode(TOKEN)} after`, [TOKEN])
    expect(out).toMatch(/^before .*<redacted>.* after$/)
    expect(out).not.toContain(TOKEN.slice(0, 8))
    expect(out).not.toContain(encode(TOKEN))
  })

  it('replaces exactly the secret and keeps the text around it', () => {
    expect(Scrub.scrub(`a ${TOKEN} b ${pctLower(TOKEN)} c`, [TOKEN])).toBe(`a ${R} b ${R} c`)
    expect(Scrub.scrub(`SecurityToken=${pctLower(TOKEN)}&Signature=abc`, [TOKEN])).toBe(
      `SecurityToken=${R}&Signature=abc`,
    )
  })

  it('leaves prefixes shorter than 8 characters, and secrets shorter than 4', () => {
    expect(Scrub.scrub('CAIS+st is not enough', [TOKEN])).toBe('CAIS+st is not enough')
    expect(Scrub.scrub('abc abc', ['abc'])).toBe('abc abc')
    // a short secret must match whole
    expect(Scrub.scrub('key abcde and abcd', ['abcde'])).toBe(`key ${R} and abcd`)
  })

  it('handles every secret at once and overlapping forms', () => {
    const other = 'second-secret-value'
    // (the last base64 character and its padding carry only a few bits of the last byte)
    expect(Scrub.scrub(`${TOKEN}${other} ${b64(other)}`, [TOKEN, other])).toBe(`${R}${R} ${R}Q==`)
  })

  it('never changes a text that holds no secret, whatever it is', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        fc.pre(!text.includes('CAIS') && !text.includes('Q0FJ'))
        expect(Scrub.scrub(text, [TOKEN])).toBe(text)
      }),
      { numRuns: 2_000 },
    )
  })

  it('property: any secret in any listed encoding, anywhere in any text, is gone', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9+/=&%_.~ -]{8,40}$/)
    fc.assert(
      fc.property(
        secret,
        fc.constantFrom(...ENCODINGS),
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        (s, [, encode], a, b) => {
          const out = Scrub.scrub(`${a}${encode(s)}${b}`, [s])
          expect(out).not.toContain(encode(s))
          expect(Scrub.holdsAny(out.split(R).join('\u0000'), [s])).toBe(false)
        },
      ),
      { numRuns: 3_000 },
    )
  })
})
