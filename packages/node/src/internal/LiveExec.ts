/**
 * How the live `Exec` of `../Exec.ts` runs a command: `spawn` without a shell, the timeout, the stdout cap, the
 * stderr tail. Loaded on the first `liveExec.run` (the CommonJS build keeps it in a file of its own).
 *
 * Internal: not exported by the package.
 *
 * @since 0.1.0
 */
import type { ChildProcess } from 'node:child_process'
import type { Exec } from '@alicred/core'
import { DEFAULT_MAX_OUTPUT_BYTES, STDERR_TAIL_BYTES } from '../Exec.js'
import * as E from './Either.js'

const execError = (kind: Exec.ExecError['kind'], message: string): Exec.ExecError => ({
  _tag: 'ExecError',
  kind,
  message,
})

const codeOf = (u: unknown): string | undefined =>
  typeof u === 'object' && u !== null && typeof (u as { code?: unknown }).code === 'string'
    ? (u as { code: string }).code
    : undefined

const startFailure = (file: string, u: unknown): Exec.ExecError => {
  const code = codeOf(u)
  return code === 'ENOENT'
    ? execError('NotFound', `command not found: ${file}; check the path or install it`)
    : code === 'EACCES'
      ? execError('Failed', `cannot run ${file}: permission denied; is it executable?`)
      : execError('Failed', `cannot run ${file} (${code ?? 'invalid arguments'})`)
}

/** The last `max` bytes of what was written, kept in a ring of chunks. */
const tail = (max: number) => {
  const chunks: Array<Buffer> = []
  let size = 0
  return {
    push: (b: Buffer): void => {
      chunks.push(b)
      size += b.length
      while (chunks.length > 1 && size - (chunks[0]?.length ?? 0) >= max) size -= chunks.shift()?.length ?? 0
    },
    text: (): string => {
      const all = Buffer.concat(chunks)
      return all.subarray(Math.max(0, all.length - max)).toString('utf8')
    },
  }
}

/** What `liveExec.run(req)` does. @since 0.1.0 */
export const run: Exec.Exec['run'] = (req) => () =>
  new Promise((resolve) => {
    const maxBytes = req.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES
    let child: ChildProcess
    try {
      // Loaded on first use: most processes never run a command.
      child = process.getBuiltinModule('node:child_process').spawn(req.file, [...req.args], {
        env: req.env === undefined ? process.env : { ...req.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        shell: false,
      })
    } catch (u) {
      // spawn throws synchronously on invalid arguments (e.g. a NUL byte in an argument).
      return resolve(E.left(startFailure(req.file, u)))
    }
    const stdout: Array<Buffer> = []
    let stdoutBytes = 0
    const stderr = tail(STDERR_TAIL_BYTES)
    let settled = false
    const finish = (r: E.Either<Exec.ExecError, Exec.ExecResult>): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(r)
    }
    // Stops the child and lets go of its pipes: a grandchild that inherited them must not keep us waiting.
    const stop = (error: Exec.ExecError): void => {
      child.kill('SIGKILL')
      child.stdout?.destroy()
      child.stderr?.destroy()
      finish(E.left(error))
    }
    const timer = setTimeout(
      () => stop(execError('Timeout', `${req.file} did not finish within ${req.timeoutMs} ms; it was stopped`)),
      req.timeoutMs,
    )
    child.stdout?.on('data', (b: Buffer) => {
      stdoutBytes += b.length
      if (stdoutBytes > maxBytes) {
        return stop(execError('TooLarge', `${req.file} wrote more than ${maxBytes} bytes to stdout; it was stopped`))
      }
      stdout.push(b)
    })
    child.stderr?.on('data', (b: Buffer) => stderr.push(b))
    // A pipe error (the child closed it oddly) only ends the reading; the exit decides the result.
    child.stdout?.on('error', () => {})
    child.stderr?.on('error', () => {})
    child.on('error', (u) => finish(E.left(startFailure(req.file, u))))
    child.on('close', (code, signal) => {
      if (code !== null) {
        return finish(
          E.right({ exitCode: code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: stderr.text() }),
        )
      }
      finish(E.left(execError('Failed', `${req.file} was stopped by signal ${signal ?? 'unknown'}`)))
    })
  })
