/**
 * The process capability: run a command with argv (no shell), env and a timeout. Used by the Aliyun CLI
 * `External` mode.
 *
 * @since 0.1.0
 */
import type * as TE from 'fp-ts/TaskEither'

/** A command to run: argv (no shell), environment, timeout and output cap. @category capabilities @since 0.1.0 */
export interface ExecRequest {
  readonly file: string
  readonly args: ReadonlyArray<string>
  readonly env?: Readonly<Record<string, string>>
  readonly timeoutMs: number
  /** stdout larger than this fails with `TooLarge`. stderr never counts against it. */
  readonly maxOutputBytes?: number
}

/** What a command that ran printed, and how it exited. @category capabilities @since 0.1.0 */
export interface ExecResult {
  readonly exitCode: number
  readonly stdout: string
  /** What the command wrote to stderr; a live `Exec` may keep only its end (`@alicred/node` keeps the last 4 KiB). */
  readonly stderr: string
}

/**
 * Why a command could not be run or did not finish (not found, timed out, too much output).
 *
 * @category capabilities
 * @since 0.1.0
 */
export interface ExecError {
  readonly _tag: 'ExecError'
  readonly kind: 'NotFound' | 'Timeout' | 'TooLarge' | 'Failed'
  readonly message: string
}

/**
 * The process capability: runs a command (the Aliyun CLI `External` mode needs it).
 *
 * @category capabilities
 * @since 0.1.0
 */
export interface Exec {
  readonly run: (req: ExecRequest) => TE.TaskEither<ExecError, ExecResult>
}
