import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import * as ProcessCommand from '../../src/internal/ProcessCommand.js'

interface Vector {
  readonly in: string
  readonly argv: ReadonlyArray<string>
}
interface ErrorVector {
  readonly in: string
  readonly error: ProcessCommand.SplitFailure
  readonly posixOnly?: boolean
}
const vectors = JSON.parse(readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8'))
  .processCommand as {
  readonly posix: ReadonlyArray<Vector>
  readonly windows: ReadonlyArray<Vector>
  readonly errors: ReadonlyArray<ErrorVector>
}

const messages: Record<ProcessCommand.SplitFailure, string> = {
  empty: 'process_command is empty',
  'unclosed quote': 'invalid process_command: unclosed quote',
  'trailing backslash': 'invalid process_command: trailing backslash',
}

describe('ProcessCommand', () => {
  it.each(vectors.posix)('POSIX splits %j', (v) => {
    expect(ProcessCommand.posix(v.in)).toEqual(E.right(v.argv))
  })

  it.each(vectors.windows)('Windows splits %j', (v) => {
    expect(ProcessCommand.windows(v.in)).toEqual(E.right(v.argv))
  })

  it.each(vectors.errors)('POSIX refuses %j', (v) => {
    expect(ProcessCommand.posix(v.in)).toEqual(
      E.left({ _tag: 'ProcessCommandError', reason: v.error, message: messages[v.error] }),
    )
  })

  it.each(vectors.errors.filter((v) => v.posixOnly !== true))('Windows refuses %j', (v) => {
    expect(ProcessCommand.windows(v.in)).toEqual(
      E.left({ _tag: 'ProcessCommandError', reason: v.error, message: messages[v.error] }),
    )
  })

  it('keeps a trailing backslash literal on Windows (it is a path separator there)', () => {
    expect(ProcessCommand.windows('tool C:\\dir\\')).toEqual(E.right(['tool', 'C:\\dir\\']))
  })

  it('treats backslashes in double quotes the POSIX way: only " \\ $ ` are escaped', () => {
    expect(ProcessCommand.posix('tool "a\\$b\\`c\\\\d\\ne"')).toEqual(E.right(['tool', 'a$b`c\\d\\ne']))
    expect(ProcessCommand.windows('tool "a\\$b\\\\d"')).toEqual(E.right(['tool', 'a\\$b\\\\d']))
  })

  it('refuses an empty argv[0] even with arguments after it', () => {
    expect(E.isLeft(ProcessCommand.posix("'' arg"))).toBe(true)
  })

  it('never repeats the command in its messages', () => {
    const secret = 'sk-SECRET-123'
    const r = ProcessCommand.posix(`tool --token "${secret}`)
    expect(r).toEqual(
      E.left({ _tag: 'ProcessCommandError', reason: 'unclosed quote', message: messages['unclosed quote'] }),
    )
  })

  it('split(options) picks the dialect', () => {
    expect(ProcessCommand.split({ windows: true })('C:\\t\\x.exe a')).toEqual(E.right(['C:\\t\\x.exe', 'a']))
    expect(ProcessCommand.split()('C:\\t\\x.exe a')).toEqual(E.right(['C:tx.exe', 'a']))
  })

  // Law: quoting each argument (single quotes, with ' written as '\'') and joining with spaces round-trips.
  it('POSIX: split(quote(argv)) = argv', () => {
    const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 6 }), (argv) => {
        fc.pre(argv[0] !== '')
        expect(ProcessCommand.posix(argv.map(quote).join(' '))).toEqual(E.right(argv))
      }),
    )
  })

  // Law (Windows): double-quoting arguments without backslashes, " written as \", round-trips.
  it('Windows: split(quote(argv)) = argv for arguments without backslashes', () => {
    const quote = (s: string): string => `"${s.replaceAll('"', '\\"')}"`
    fc.assert(
      fc.property(
        fc.array(
          fc.string().filter((s) => !s.includes('\\')),
          { minLength: 1, maxLength: 6 },
        ),
        (argv) => {
          fc.pre(argv[0] !== '')
          expect(ProcessCommand.windows(argv.map(quote).join(' '))).toEqual(E.right(argv))
        },
      ),
    )
  })

  it('whitespace-only separators never produce empty arguments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9]{1,5}$/), { minLength: 1, maxLength: 5 }),
        fc.stringMatching(/^[ \t\n]{1,4}$/),
        (words, sep) => {
          expect(ProcessCommand.posix(words.join(sep))).toEqual(E.right(words))
          expect(ProcessCommand.windows(words.join(sep))).toEqual(E.right(words))
        },
      ),
    )
  })
})
