// Fuzzing the pure parsers behind every file and wire format: INI text, config.json documents, Expiration strings
// and process_command lines. Each takes any string: it never throws, answers with a value or a typed reason, and a
// reason never repeats the input (which may hold a secret).
import { Expiration } from '@alicred/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as CliConfig from '../../src/internal/CliConfig.js'
import * as Ini from '../../src/internal/Ini.js'
import * as ProcessCommand from '../../src/internal/ProcessCommand.js'
import { AK_SECRET, RUNS } from './_support.js'

// Text that stresses line-oriented parsers: line ends of every kind, quotes, brackets, comment marks, control and
// non-ASCII characters, with a secret mixed in.
const piece = fc.oneof(
  fc.constantFrom(
    '\n',
    '\r\n',
    '\r',
    '[',
    ']',
    '=',
    ';',
    '#',
    '"',
    "'",
    '\\',
    ' ',
    '\t',
    '\u0000',
    '\uFEFF',
    '\uFFFD',
    'é',
    '😀',
  ),
  fc.constantFrom(
    '[default]',
    'type = access_key',
    'access_key_id = LTAI',
    `access_key_secret = ${AK_SECRET}`,
    'enable = false',
  ),
  fc.string({ maxLength: 8 }),
)
const messy = fc.array(piece, { maxLength: 40 }).map((xs) => xs.join(''))

describe('fuzz: Ini.parse', () => {
  it('never throws; a failure names a line of the text and never repeats a value', () => {
    fc.assert(
      fc.property(messy, (text) => {
        const r = Ini.parse(text)
        if (r._tag === 'Left') {
          const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).length
          expect(Number.isInteger(r.left.line) && r.left.line >= 1 && r.left.line <= lines).toBe(true)
          expect(r.left.reason).not.toContain(AK_SECRET)
        } else {
          for (const section of r.right.values()) expect(section.name.trim()).toBe(section.name)
        }
      }),
      { numRuns: RUNS },
    )
  })
})

// config.json: random JSON, JSON-looking text cut anywhere, and documents with the CLI's own shape.
const jsonText = fc.oneof(
  fc.json({ depthSize: 'small' }),
  fc.json().map((s) => s.slice(0, Math.max(0, s.length - 1))),
  messy,
  fc
    .record({
      current: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
      profiles: fc.oneof(
        fc.array(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    })
    .map((o) => JSON.stringify({ ...o, secret: AK_SECRET })),
)

describe('fuzz: CliConfig.parseDocument', () => {
  it('never throws; a document it accepts has a list of object profiles; a failure never repeats the text', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const r = CliConfig.parseDocument(text)
        if (r._tag === 'Left') {
          expect(r.left.message).not.toContain(AK_SECRET)
          expect(r.left.message.length).toBeLessThan(200)
        } else {
          expect(Array.isArray(r.right.profiles)).toBe(true)
          for (const p of r.right.profiles) expect(typeof p === 'object' && p !== null && !Array.isArray(p)).toBe(true)
        }
      }),
      { numRuns: RUNS },
    )
  })
})

// Expiration strings: valid ones, valid ones with one character changed, and anything at all.
const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((x) => String(x).padStart(n, '0'))
const validish = fc
  .tuple(
    digits(4, 9999),
    digits(2, 13),
    digits(2, 32),
    digits(2, 24),
    digits(2, 60),
    digits(2, 60),
    fc.option(digits(3, 999)),
  )
  .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${ms === null ? '' : `.${ms}`}Z`)
const mutated = fc
  .tuple(validish, fc.nat(), fc.string({ minLength: 1, maxLength: 2 }))
  .map(([s, i, c]) => s.slice(0, i % s.length) + c + s.slice((i % s.length) + 1))
const expirations = fc.oneof(validish, mutated, fc.string(), fc.constant(`2024-01-01T00:00:00Z${AK_SECRET}`))
const STRICT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/

describe('fuzz: Expiration', () => {
  it('parse never throws; it accepts only strict UTC, gives a valid Date that prints back to the same second', () => {
    fc.assert(
      fc.property(expirations, (s) => {
        const r = Expiration.parse(s)
        if (r._tag === 'Right') {
          expect(STRICT.test(s)).toBe(true)
          expect(Number.isNaN(r.right.getTime())).toBe(false)
          expect(r.right.toISOString().slice(0, 19)).toBe(s.slice(0, 19))
        } else {
          expect(r.left).not.toContain(AK_SECRET)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('the io-ts codec agrees with parse on strings and refuses every other type without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(expirations, fc.anything()), (u) => {
        const r = Expiration.utc.decode(u)
        if (typeof u !== 'string') expect(r._tag).toBe('Left')
        else expect(r._tag).toBe(Expiration.parse(u)._tag)
      }),
      { numRuns: RUNS },
    )
  })
})

// process_command: a program, then arguments that are quoted, escaped, broken, or carry a secret.
const arg = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('"', "'", '\\', '\\\n', '""', "''", '"a b"', "'a b'", '\\"', '$HOME', '`x`'),
  fc.constant(`--secret=${AK_SECRET}`),
  fc.constant(`"${AK_SECRET}"`),
)
const commands = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('/usr/bin/helper', 'C:\\tools\\cred.exe', 'helper', '"/opt/my tools/h"'),
      fc.array(arg, { maxLength: 6 }),
    )
    .map(([p, args]) => [p, ...args].join(' ')),
  fc.string(),
)

describe('fuzz: ProcessCommand', () => {
  it.each([
    ['POSIX', ProcessCommand.posix],
    ['Windows', ProcessCommand.windows],
  ])(
    '%s splitting never throws; it gives a non-empty argv or a reason that does not repeat the command',
    (_, split) => {
      fc.assert(
        fc.property(commands, (command) => {
          const r = split(command)
          if (r._tag === 'Right') {
            expect(r.right.length).toBeGreaterThan(0)
            expect(r.right[0]).not.toBe('')
            expect(r.right.every((a) => typeof a === 'string')).toBe(true)
          } else {
            expect(['empty', 'unclosed quote', 'trailing backslash']).toContain(r.left.reason)
            expect(r.left.message).not.toContain(AK_SECRET)
          }
        }),
        { numRuns: RUNS },
      )
    },
  )
})
