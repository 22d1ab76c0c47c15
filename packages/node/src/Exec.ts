/**
 * The live `Exec` on `child_process.spawn`: argv only (never a shell), a timeout that kills the process, a cap on
 * stdout. stderr is drained as it comes and only its last few KiB are kept: a helper that logs a lot still works,
 * and its log never counts against the stdout cap. A non-zero exit is a result (the caller decides what it means);
 * failing to run is an `ExecError`. Messages never include the command's output, which may hold credentials.
 *
 * @since 0.1.0
 */
import type { Exec } from '@alicred/core'
import * as LiveExec from './internal/LiveExec.js'

/** Default cap on stdout. @category capabilities @since 0.1.0 */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024

/**
 * How much of the end of stderr is kept in `ExecResult.stderr`; the rest is read and dropped.
 *
 * @category capabilities
 * @since 0.1.0
 */
export const STDERR_TAIL_BYTES = 4096

/**
 * Runs commands with `spawn` (no shell). The child gets `env` when given, else this process's environment.
 * A command that outlives `timeoutMs` is killed with `SIGKILL` (a helper that ignores `SIGTERM` must not hang the
 * caller), and so is one whose stdout exceeds `maxOutputBytes` (`TooLarge`). stderr is read to the end but only
 * its last `STDERR_TAIL_BYTES` are kept, and it is never counted against `maxOutputBytes`.
 *
 * @example
 * import { liveExec } from '@alicred/node'
 * const r = await liveExec.run({ file: process.execPath, args: ['-e', 'process.stdout.write("{}")'], timeoutMs: 5000 })()
 * assert.deepStrictEqual(r, { _tag: 'Right', right: { exitCode: 0, stdout: '{}', stderr: '' } })
 * @category capabilities
 * @since 0.1.0
 */
export const liveExec: Exec.Exec = {
  run: (req) => LiveExec.run(req),
}
