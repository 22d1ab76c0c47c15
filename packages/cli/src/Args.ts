/**
 * Command-line parsing on `node:util` `parseArgs`, with our own messages: an unknown option, a missing value or a
 * stray argument is a `UsageError` naming the command and the option, never Node's generic text or a throw.
 *
 * @since 0.1.0
 */
import { parseArgs } from 'node:util'
import * as E from 'fp-ts/Either'
import { type Failure, usage } from './Failure.js'

/** An option a command takes: a string or a flag, and its short name. @category commands @since 0.1.0 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean'
  readonly short?: string
}

/** A command's options, by long name. @category commands @since 0.1.0 */
export type Specs = Readonly<Record<string, OptionSpec>>

/** Options every command takes. @category commands @since 0.1.0 */
export const COMMON: Specs = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
}

/** What `parse` found: option values by name, and positional arguments. @category commands @since 0.1.0 */
export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | undefined>>
  readonly positionals: ReadonlyArray<string>
}

/**
 * Parses `argv` for `command` against `specs` (plus `--help` and `--debug`). Positionals are refused unless
 * `positionals` is set.
 *
 * @example
 * import { Args } from '@alicred/cli'
 * const r = Args.parse('env', { format: { type: 'string' } }, ['--format', 'fish'])
 * assert.deepStrictEqual(r, { _tag: 'Right', right: { values: { format: 'fish' }, positionals: [] } })
 * @category commands
 * @since 0.1.0
 */
export const parse = (
  command: string | undefined,
  specs: Specs,
  argv: ReadonlyArray<string>,
  positionals = false,
): E.Either<Failure, Parsed> => {
  const all: Specs = { ...COMMON, ...specs }
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {}
  for (const [name, s] of Object.entries(all)) options[name] = s.short === undefined ? { type: s.type } : { ...s }
  let tokens: ReturnType<typeof parseArgs>['tokens']
  try {
    tokens = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true }).tokens
  } catch (u) {
    return E.left(usage(command, u instanceof Error ? u.message : 'cannot parse the arguments'))
  }
  const values: Record<string, string | boolean | undefined> = {}
  const rest: Array<string> = []
  for (const t of tokens ?? []) {
    if (t.kind === 'positional') {
      if (!positionals) return E.left(usage(command, `unexpected argument '${t.value}'`))
      rest.push(t.value)
      continue
    }
    if (t.kind === 'option-terminator') continue
    const spec = all[t.name]
    if (spec === undefined) return E.left(usage(command, `unknown option ${t.rawName}`))
    if (spec.type === 'boolean') {
      if (t.value !== undefined) return E.left(usage(command, `option ${t.rawName} takes no value`))
      values[t.name] = true
    } else {
      if (t.value === undefined || (t.inlineValue !== true && t.value.startsWith('-'))) {
        return E.left(usage(command, `option ${t.rawName} needs a value`))
      }
      values[t.name] = t.value
    }
  }
  return E.right({ values, positionals: rest })
}

/**
 * Splits `exec`'s arguments into its own options and the command to run: the command starts after `--`, or at the
 * first argument that is neither an option nor an option's value, so `alicred exec aws s3 ls --recursive` keeps
 * `--recursive` for `aws`.
 *
 * @example
 * import { Args } from '@alicred/cli'
 * const specs = { profile: { type: 'string' as const } }
 * assert.deepStrictEqual(Args.splitCommand(specs, ['--profile', 'dev', 'aws', '--x']), { options: ['--profile', 'dev'], command: ['aws', '--x'] })
 * @category commands
 * @since 0.1.0
 */
export const splitCommand = (
  specs: Specs,
  argv: ReadonlyArray<string>,
): { readonly options: ReadonlyArray<string>; readonly command: ReadonlyArray<string> } => {
  const all: Specs = { ...COMMON, ...specs }
  const takesValue = (arg: string): boolean => {
    if (arg.includes('=')) return false
    const name = arg.startsWith('--')
      ? arg.slice(2)
      : Object.entries(all).find(([, s]) => s.short !== undefined && `-${s.short}` === arg)?.[0]
    return name !== undefined && all[name]?.type === 'string'
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') return { options: argv.slice(0, i), command: argv.slice(i + 1) }
    if (!a.startsWith('-') || a === '-') return { options: argv.slice(0, i), command: argv.slice(i) }
    if (takesValue(a)) i++
  }
  return { options: argv, command: [] }
}

/**
 * A port number option: absent → `fallback`; otherwise an integer in 0–65535 (0: any free port).
 *
 * @category commands
 * @since 0.1.0
 */
export const port = (command: string, value: string | boolean | undefined, fallback = 0): E.Either<Failure, number> => {
  if (value === undefined) return E.right(fallback)
  const s = String(value).trim()
  const n = /^\d{1,5}$/.test(s) ? Number(s) : Number.NaN
  return Number.isInteger(n) && n >= 0 && n <= 65_535
    ? E.right(n)
    : E.left(usage(command, `--port must be a whole number from 0 to 65535 (0 takes any free port), not '${s}'`))
}

/**
 * A string option's value (`undefined` when absent).
 *
 * @category commands
 * @since 0.1.0
 */
export const text = (value: string | boolean | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined
