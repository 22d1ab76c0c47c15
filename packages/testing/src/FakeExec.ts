/**
 * A scripted `Exec`: answers by command file, records every call. Nothing is ever run.
 *
 * @since 0.1.0
 */
import type { Clock, Exec } from '@alicred/core'
import * as E from 'fp-ts/Either'

/**
 * A scripted answer: a result (any exit code), a failure of the given kind, or `hang` (the command never finishes,
 * so the request's `timeoutMs` elapses on the clock and it fails with `Timeout`).
 *
 * @category fakes
 * @since 0.1.0
 */
export type ExecReply =
  | Exec.ExecResult
  | { readonly error: Exec.ExecError['kind']; readonly message?: string }
  | { readonly hang: true }

/** An `Exec` that answers scripted replies per command and records every request. @category fakes @since 0.1.0 */
export interface FakeExec extends Exec.Exec {
  /** Scripts `file`: replies answer in turn and the last one repeats; a function sees the request. Replaces any script. */
  readonly on: (file: string, ...replies: ReadonlyArray<ExecReply | ((req: Exec.ExecRequest) => ExecReply)>) => FakeExec
  /** Every request, in order. */
  readonly calls: ReadonlyArray<Exec.ExecRequest>
}

const execError = (kind: Exec.ExecError['kind'], message: string): Exec.ExecError => ({
  _tag: 'ExecError',
  kind,
  message,
})

/**
 * A fake `Exec`. Unscripted commands fail with `NotFound`. `hang` replies time out on `clock` (pass the test's
 * `manualClock`; without one they time out at once).
 *
 * @example
 * import { fakeExec } from '@alicred/testing'
 * const exec = fakeExec().on('cred', { exitCode: 0, stdout: '{}', stderr: '' })
 * const r = await exec.run({ file: 'cred', args: [], timeoutMs: 1000 })()
 * assert.deepStrictEqual(r, { _tag: 'Right', right: { exitCode: 0, stdout: '{}', stderr: '' } })
 * const missing = await exec.run({ file: 'other', args: [], timeoutMs: 1000 })()
 * assert.strictEqual(missing._tag === 'Left' && missing.left.kind, 'NotFound')
 * @category fakes
 * @since 0.1.0
 */
export const fakeExec = (clock?: Clock.Clock): FakeExec => {
  const scripts = new Map<
    string,
    { replies: ReadonlyArray<ExecReply | ((req: Exec.ExecRequest) => ExecReply)>; n: number }
  >()
  const calls: Array<Exec.ExecRequest> = []
  const self: FakeExec = {
    on: (file, ...replies) => {
      scripts.set(file, { replies, n: 0 })
      return self
    },
    calls,
    run: (req) => async () => {
      calls.push(req)
      const s = scripts.get(req.file)
      if (s === undefined) {
        const known = Array.from(scripts.keys())
        return E.left(
          execError(
            'NotFound',
            `command not found: ${req.file} (fakeExec scripts ${known.length === 0 ? 'no commands' : known.join(', ')})`,
          ),
        )
      }
      const r = s.replies[Math.min(s.n++, s.replies.length - 1)]
      const reply = typeof r === 'function' ? r(req) : r
      if (reply === undefined) {
        return E.left(execError('Failed', `no reply scripted for ${req.file} (pass at least one reply to on())`))
      }
      if ('hang' in reply) {
        await clock?.sleep(req.timeoutMs)()
        return E.left(execError('Timeout', `${req.file} did not finish within ${req.timeoutMs} ms`))
      }
      if ('error' in reply) return E.left(execError(reply.error, reply.message ?? `${reply.error} (scripted)`))
      return E.right(reply)
    },
  }
  return self
}
