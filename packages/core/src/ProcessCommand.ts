/**
 * Splitting the Aliyun CLI `process_command` (External mode) into argv, the way the reference does, so the command
 * runs without a shell. Two dialects:
 *
 * - POSIX (shlex-like): whitespace separates; `'…'` is literal; inside `"…"` a backslash escapes only `"`, `\`, `$`
 *   and `` ` ``; outside quotes a backslash escapes the next character; backslash-newline is a line continuation
 *   (outside single quotes); a trailing backslash is an error.
 * - Windows: a backslash is literal (it is the path separator), except `\"` inside double quotes.
 *
 * In both, adjacent segments join into one argument, `""` and `''` are kept as empty arguments, an unclosed quote
 * is an error, and an empty argv or empty `argv[0]` is "empty". Error messages never repeat the command, which may
 * hold a secret.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'

/** Why a command could not be split. @since 0.1.0 */
export type SplitFailure = 'empty' | 'unclosed quote' | 'trailing backslash'

/** @since 0.1.0 */
export interface ProcessCommandError {
  readonly _tag: 'ProcessCommandError'
  readonly reason: SplitFailure
  /** The reference's wording: `process_command is empty`, `invalid process_command: unclosed quote`, … */
  readonly message: string
}

const failure = (reason: SplitFailure): E.Either<ProcessCommandError, never> =>
  E.left({
    _tag: 'ProcessCommandError',
    reason,
    message: reason === 'empty' ? 'process_command is empty' : `invalid process_command: ${reason}`,
  })

const WHITESPACE = /\s/

const splitWith =
  (windows: boolean) =>
  (command: string): E.Either<ProcessCommandError, ReadonlyArray<string>> => {
    const input = command.trim()
    if (input === '') return failure('empty')
    const args: Array<string> = []
    let current = ''
    // A token can start with an empty quoted string, which must still produce an (empty) argument.
    let started = false
    let quote: "'" | '"' | undefined
    for (let i = 0; i < input.length; i++) {
      const c = input[i]!
      const next = input[i + 1]
      if (quote === "'") {
        if (c === "'") quote = undefined
        else current += c
        continue
      }
      if (quote === '"') {
        if (c === '"') {
          quote = undefined
        } else if (c === '\\' && next !== undefined && next === '"') {
          current += next
          i++
        } else if (c === '\\' && next !== undefined && !windows && next === '\n') {
          i++
        } else if (c === '\\' && next !== undefined && !windows && (next === '\\' || next === '$' || next === '`')) {
          current += next
          i++
        } else {
          current += c
        }
        continue
      }
      if (c === '\\' && !windows) {
        if (next === undefined) return failure('trailing backslash')
        i++
        if (next === '\n') continue
        current += next
        started = true
      } else if (c === "'" || c === '"') {
        quote = c
        started = true
      } else if (WHITESPACE.test(c)) {
        if (started) args.push(current)
        current = ''
        started = false
      } else {
        current += c
        started = true
      }
    }
    if (quote !== undefined) return failure('unclosed quote')
    if (started) args.push(current)
    return args.length === 0 || args[0] === '' ? failure('empty') : E.right(args)
  }

/**
 * Splits with POSIX rules.
 *
 * @example
 * import { ProcessCommand } from '@alicred/core'
 * assert.deepStrictEqual(ProcessCommand.posix(`tool --name "First Last"`), { _tag: 'Right', right: ['tool', '--name', 'First Last'] })
 * @since 0.1.0
 */
export const posix: (command: string) => E.Either<ProcessCommandError, ReadonlyArray<string>> = splitWith(false)

/**
 * Splits with Windows rules (backslashes are literal).
 *
 * @example
 * import { ProcessCommand } from '@alicred/core'
 * assert.deepStrictEqual(ProcessCommand.windows('C:\\tools\\cred.exe get'), { _tag: 'Right', right: ['C:\\tools\\cred.exe', 'get'] })
 * @since 0.1.0
 */
export const windows: (command: string) => E.Either<ProcessCommandError, ReadonlyArray<string>> = splitWith(true)

/** @since 0.1.0 */
export interface SplitOptions {
  /** Use Windows rules. Default false. */
  readonly windows?: boolean
}

/**
 * Splits with the dialect chosen by `options` (data-last, for `pipe`).
 *
 * @example
 * import { ProcessCommand } from '@alicred/core'
 * import { pipe } from 'fp-ts/lib/function.js'
 * assert.deepStrictEqual(pipe('cmd a  b', ProcessCommand.split()), { _tag: 'Right', right: ['cmd', 'a', 'b'] })
 * @since 0.1.0
 */
export const split = (
  options: SplitOptions = {},
): ((command: string) => E.Either<ProcessCommandError, ReadonlyArray<string>>) =>
  options.windows === true ? windows : posix
