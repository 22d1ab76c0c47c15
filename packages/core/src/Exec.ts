/**
 * The process capability: run a command with argv (no shell), env and a timeout. Used by the Aliyun CLI
 * `External` mode.
 *
 * @since 0.1.0
 */
import type * as TE from 'fp-ts/TaskEither'

/** @since 0.1.0 */
export interface ExecRequest {
  readonly file: string
  readonly args: ReadonlyArray<string>
  readonly env?: Readonly<Record<string, string>>
  readonly timeoutMs: number
  /** stdout larger than this fails with `TooLarge`. stderr never counts against it. */
  readonly maxOutputBytes?: number
}

/** @since 0.1.0 */
export interface ExecResult {
  readonly exitCode: number
  readonly stdout: string
  /** What the command wrote to stderr; a live `Exec` may keep only its end (`@alicred/node` keeps the last 4 KiB). */
  readonly stderr: string
}

/** @since 0.1.0 */
export interface ExecError {
  readonly _tag: 'ExecError'
  readonly kind: 'NotFound' | 'Timeout' | 'TooLarge' | 'Failed'
  readonly message: string
}

/** @since 0.1.0 */
export interface Exec {
  readonly run: (req: ExecRequest) => TE.TaskEither<ExecError, ExecResult>
}
