/**
 * The live `Exec` on `child_process.execFile`: argv only (never a shell), a timeout that kills the process, an
 * output cap. A non-zero exit is a result (the caller decides what it means); failing to run is an `ExecError`.
 * Messages never include the command's output, which may hold credentials.
 *
 * @since 0.1.0
 */
import type { ExecFileException } from 'node:child_process'
import type { Exec } from '@alicred/core'
import * as E from './internal/Either.js'

/** Default cap on stdout and stderr, each. @since 0.1.0 */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024

const execError = (kind: Exec.ExecError['kind'], message: string): Exec.ExecError => ({
  _tag: 'ExecError',
  kind,
  message,
})

const exitCodeOf = (e: ExecFileException): number | undefined => (typeof e.code === 'number' ? e.code : undefined)

/**
 * Runs commands with `execFile` (no shell). The child gets `env` when given, else this process's environment.
 * A command that outlives `timeoutMs` is killed with `SIGKILL` (a helper that ignores `SIGTERM` must not hang the
 * caller).
 *
 * @example
 * import { liveExec } from '@alicred/node'
 * const r = await liveExec.run({ file: process.execPath, args: ['-e', 'process.stdout.write("{}")'], timeoutMs: 5000 })()
 * assert.deepStrictEqual(r, { _tag: 'Right', right: { exitCode: 0, stdout: '{}', stderr: '' } })
 * @since 0.1.0
 */
export const liveExec: Exec.Exec = {
  run: (req) => () =>
    new Promise((resolve) => {
      const maxBuffer = req.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES
      const started = Date.now()
      try {
        // Loaded on first use: most processes never run a command.
        process.getBuiltinModule('node:child_process').execFile(
          req.file,
          [...req.args],
          {
            env: req.env === undefined ? process.env : { ...req.env },
            timeout: req.timeoutMs,
            killSignal: 'SIGKILL',
            maxBuffer,
            windowsHide: true,
            shell: false,
            encoding: 'utf8',
          },
          (error, stdout, stderr) => {
            if (error === null) return resolve(E.right({ exitCode: 0, stdout, stderr }))
            const code = error.code
            if (code === 'ENOENT') {
              return resolve(
                E.left(execError('NotFound', `command not found: ${req.file}; check the path or install it`)),
              )
            }
            if (code === 'EACCES') {
              return resolve(
                E.left(execError('Failed', `cannot run ${req.file}: permission denied; is it executable?`)),
              )
            }
            if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
              return resolve(
                E.left(execError('TooLarge', `${req.file} wrote more than ${maxBuffer} bytes; it was stopped`)),
              )
            }
            if (error.killed === true && Date.now() - started >= req.timeoutMs) {
              return resolve(
                E.left(execError('Timeout', `${req.file} did not finish within ${req.timeoutMs} ms; it was stopped`)),
              )
            }
            const exitCode = exitCodeOf(error)
            if (exitCode !== undefined) return resolve(E.right({ exitCode, stdout, stderr }))
            resolve(
              E.left(
                execError(
                  'Failed',
                  error.signal !== undefined && error.signal !== null
                    ? `${req.file} was stopped by signal ${error.signal}`
                    : `cannot run ${req.file} (${typeof code === 'string' ? code : 'unknown error'})`,
                ),
              ),
            )
          },
        )
      } catch (u) {
        // execFile throws synchronously on invalid arguments (e.g. a NUL byte in an argument).
        const code = typeof u === 'object' && u !== null ? (u as { code?: unknown }).code : undefined
        resolve(
          E.left(
            execError('Failed', `cannot run ${req.file} (${typeof code === 'string' ? code : 'invalid arguments'})`),
          ),
        )
      }
    }),
}
