/**
 * A scripted `Exec`: answers by command file, records every call.
 *
 * @since 0.1.0
 */
import type { Exec } from '@alicred/core'
import * as E from 'fp-ts/Either'

/** @since 0.1.0 */
export type ExecReply = Exec.ExecResult | { readonly error: Exec.ExecError['kind'] }

/** @since 0.1.0 */
export interface FakeExec extends Exec.Exec {
  readonly on: (file: string, ...replies: ReadonlyArray<ExecReply | ((req: Exec.ExecRequest) => ExecReply)>) => FakeExec
  readonly calls: ReadonlyArray<Exec.ExecRequest>
}

/**
 * @example
 * import { fakeExec } from '@alicred/testing'
 * const exec = fakeExec().on('cred', { exitCode: 0, stdout: '{}', stderr: '' })
 * const r = await exec.run({ file: 'cred', args: [], timeoutMs: 1000 })()
 * assert.strictEqual(r._tag, 'Right')
 * @since 0.1.0
 */
export const fakeExec = (): FakeExec => {
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
      if (s === undefined)
        return E.left({ _tag: 'ExecError', kind: 'NotFound', message: `command not found: ${req.file}` })
      const r = s.replies[Math.min(s.n++, s.replies.length - 1)]
      const reply = typeof r === 'function' ? r(req) : r
      if (reply === undefined) return E.left({ _tag: 'ExecError', kind: 'Failed', message: 'no reply scripted' })
      if ('error' in reply)
        return E.left({ _tag: 'ExecError', kind: reply.error, message: `${reply.error} (scripted)` })
      return E.right(reply)
    },
  }
  return self
}
