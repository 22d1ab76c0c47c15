/**
 * Why a command did not do its job, and how that is shown: one readable paragraph on stderr and an exit code —
 * 2 for usage errors, 1 for missing or broken credentials, the command's own code otherwise. Stack traces only with
 * `--debug`. Messages come from typed errors that never hold secrets.
 *
 * @since 0.1.0
 */
import { CredentialsError as CE } from '@alicred/core'
import type { Style } from './Style.js'

/** The exit code of a usage error. @category errors @since 0.1.0 */
export const USAGE = 2

/** A bad command line: unknown command or option, missing value, bad value. @category errors @since 0.1.0 */
export interface UsageError {
  readonly _tag: 'UsageError'
  /** The command whose help to point at; `undefined` for the top level. */
  readonly command: string | undefined
  readonly message: string
}

/** Something outside the credentials went wrong (port in use, command not found). @category errors @since 0.1.0 */
export interface CommandError {
  readonly _tag: 'CommandError'
  readonly command: string
  readonly message: string
  readonly exitCode: number
  readonly cause?: unknown
}

/** No usable credentials. @category errors @since 0.1.0 */
export interface NoCredentials {
  readonly _tag: 'NoCredentials'
  readonly command: string
  readonly error: CE.CredentialsError
}

/** Why a command failed: bad usage, the command's own error, or no credentials. @category errors @since 0.1.0 */
export type Failure = UsageError | CommandError | NoCredentials

/** A usage error of `command` (exit code 2). @category errors @since 0.1.0 */
export const usage = (command: string | undefined, message: string): Failure => ({
  _tag: 'UsageError',
  command,
  message,
})

/** An error of the command itself, with its exit code (default 1). @category errors @since 0.1.0 */
export const commandError = (command: string, message: string, exitCode = 1, cause?: unknown): Failure =>
  cause === undefined
    ? { _tag: 'CommandError', command, message, exitCode }
    : { _tag: 'CommandError', command, message, exitCode, cause }

/** The default chain found no credentials, or failed (exit code 1). @category errors @since 0.1.0 */
export const noCredentials = (command: string, error: CE.CredentialsError): Failure => ({
  _tag: 'NoCredentials',
  command,
  error,
})

/** The exit code a failure ends the process with. @category errors @since 0.1.0 */
export const exitCodeOf = (f: Failure): number =>
  f._tag === 'UsageError' ? USAGE : f._tag === 'CommandError' ? f.exitCode : 1

const withStop = (s: string): string => (/[.!?)]$/.test(s) ? s : `${s}.`)

/**
 * What a credentials error means, in one paragraph, pointing at `alicred explain` for the whole chain.
 *
 * @category errors
 * @since 0.1.0
 */
export const describeCredentialsError = (e: CE.CredentialsError, pointToExplain = true): string => {
  if (e._tag === 'ChainExhausted') {
    const links = e.attempts.map((a) => a.provider.replace(/^[^/]+\//, '')).join(', ')
    const next = pointToExplain
      ? ` Run 'alicred explain' to see why each one was skipped, then set one of them up.`
      : ' Set one of them up (the reasons are listed above).'
    return `no credentials found: every source of the ${e.provider} chain was skipped (${links}).${next}`
  }
  const details =
    e._tag === 'SourceFailure'
      ? [e.status === undefined ? '' : `HTTP ${e.status}`, e.code ?? '', e.requestId ? `request id ${e.requestId}` : '']
          .filter((s) => s !== '')
          .join(', ')
      : ''
  const next = pointToExplain ? ` Run 'alicred explain' to see the whole chain.` : ''
  return `${e.message.replace(/\.$/, '')} (${e._tag} in ${e.provider}${details === '' ? '' : `; ${details}`}).${next}`
}

const causes = (u: unknown): ReadonlyArray<string> => {
  const out: Array<string> = []
  let c: unknown = u
  for (let depth = 0; depth < 8 && c instanceof Error; depth++) {
    out.push(c.stack ?? `${c.name}: ${c.message}`)
    c = (c as { cause?: unknown }).cause
  }
  return out
}

/**
 * The text a failure prints on stderr (ending in a newline).
 *
 * @category errors
 * @since 0.1.0
 */
export const render = (f: Failure, style: Style, debug: boolean): string => {
  const who = (command: string | undefined) => style.bold(command === undefined ? 'alicred:' : `alicred ${command}:`)
  switch (f._tag) {
    case 'UsageError': {
      const help = f.command === undefined ? 'alicred --help' : `alicred ${f.command} --help`
      return `${who(f.command)} ${withStop(f.message)} Run '${help}' for usage.\n`
    }
    case 'CommandError': {
      const trace = debug && f.cause !== undefined ? `\n${causes(f.cause).join('\ncaused by: ')}` : ''
      return `${who(f.command)} ${withStop(f.message)}${trace}\n`
    }
    case 'NoCredentials': {
      const tree = debug ? `\n${CE.render(f.error)}\n${causes(f.error).join('\ncaused by: ')}` : ''
      return `${who(f.command)} ${describeCredentialsError(f.error)}${tree}\n`
    }
  }
}

/**
 * The text of an unexpected exception (a bug): one paragraph, the stack with `--debug`.
 *
 * @category errors
 * @since 0.1.0
 */
export const renderBug = (u: unknown, style: Style, debug: boolean): string => {
  const what = u instanceof Error ? `${u.name}: ${u.message}` : 'a non-Error value was thrown'
  const detail = debug ? `\n${causes(u).join('\ncaused by: ')}` : ' Run the same command with --debug for details.'
  return `${style.bold('alicred:')} unexpected error (${what}). This is a bug in alicred; please report it.${detail}\n`
}
