import { fakeExec, manualClock } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'

const req = (file: string) => ({ file, args: ['--json'], env: { A: 'b' }, timeoutMs: 1_000 })

describe('fakeExec', () => {
  it('answers scripted commands in turn, repeating the last, and records calls', async () => {
    const ok = { exitCode: 0, stdout: '{}', stderr: '' }
    const exec = fakeExec()
      .on('cred', { exitCode: 1, stdout: '', stderr: 'x' }, ok)
      .on('fn', (r) => ({ exitCode: 0, stdout: r.args.join(' '), stderr: '' }))
    const results = [await exec.run(req('cred'))(), await exec.run(req('cred'))(), await exec.run(req('cred'))()]
    expect(results).toEqual([E.right({ exitCode: 1, stdout: '', stderr: 'x' }), E.right(ok), E.right(ok)])
    expect(await exec.run(req('fn'))()).toEqual(E.right({ exitCode: 0, stdout: '--json', stderr: '' }))
    expect(exec.calls).toEqual([req('cred'), req('cred'), req('cred'), req('fn')])
  })

  it('an unscripted command is NotFound, naming the scripted ones', async () => {
    const exec = fakeExec().on('cred', { exitCode: 0, stdout: '', stderr: '' })
    expect(await exec.run(req('other'))()).toEqual(
      E.left({ _tag: 'ExecError', kind: 'NotFound', message: 'command not found: other (fakeExec scripts cred)' }),
    )
  })

  it('scripted failures, with or without a message', async () => {
    const exec = fakeExec().on('a', { error: 'TooLarge' }).on('b', { error: 'Failed', message: 'killed' })
    expect([await exec.run(req('a'))(), await exec.run(req('b'))()]).toEqual([
      E.left({ _tag: 'ExecError', kind: 'TooLarge', message: 'TooLarge (scripted)' }),
      E.left({ _tag: 'ExecError', kind: 'Failed', message: 'killed' }),
    ])
  })

  it('a hanging command times out on the clock', async () => {
    const clock = manualClock(0)
    const exec = fakeExec(clock).on('slow', { hang: true })
    let done = false
    const pending = exec
      .run(req('slow'))()
      .then((r) => {
        done = true
        return r
      })
    await clock.advance(999)
    expect(done).toBe(false)
    await clock.advance(1)
    expect(await pending).toEqual(
      E.left({ _tag: 'ExecError', kind: 'Timeout', message: 'slow did not finish within 1000 ms' }),
    )
  })

  it('a command scripted with no replies says so', async () => {
    expect(await fakeExec().on('x').run(req('x'))()).toEqual(
      E.left({
        _tag: 'ExecError',
        kind: 'Failed',
        message: 'no reply scripted for x (pass at least one reply to on())',
      }),
    )
  })
})
