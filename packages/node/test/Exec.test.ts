import * as fs from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { liveExec, STDERR_TAIL_BYTES } from '@alicred/node'
import { describe, expect, it } from 'vitest'

const node = process.execPath
const script = (code: string, extra: Partial<Parameters<typeof liveExec.run>[0]> = {}) =>
  liveExec.run({ file: node, args: ['-e', code], timeoutMs: 10_000, ...extra })()

describe('liveExec', () => {
  it('returns exit code, stdout and stderr', async () => {
    expect(await script('process.stdout.write("{\\"mode\\":\\"AK\\"}"); process.stderr.write("note")')).toEqual({
      _tag: 'Right',
      right: { exitCode: 0, stdout: '{"mode":"AK"}', stderr: 'note' },
    })
  })

  it('returns a non-zero exit as a result, for the caller to judge', async () => {
    expect(await script('process.stderr.write("bad"); process.exit(3)')).toEqual({
      _tag: 'Right',
      right: { exitCode: 3, stdout: '', stderr: 'bad' },
    })
  })

  it('passes arguments verbatim, never through a shell', async () => {
    const args = ['$(echo pwned)', '; rm -rf /', '"quoted" \'single\'', '*']
    const r = await liveExec.run({
      file: node,
      args: ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...args],
      timeoutMs: 10_000,
    })()
    expect(r._tag === 'Right' && JSON.parse(r.right.stdout)).toEqual(args)
  })

  it('gives the child exactly the env it is handed', async () => {
    const r = await script(
      'process.stdout.write(JSON.stringify({ a: process.env.ALICRED_A, path: process.env.PATH ?? null }))',
      {
        env: { ALICRED_A: 'one' },
      },
    )
    expect(r._tag === 'Right' && JSON.parse(r.right.stdout)).toEqual({ a: 'one', path: null })
  })

  it('maps a missing command to NotFound', async () => {
    expect(await liveExec.run({ file: '/no/such/alicred-helper', args: [], timeoutMs: 1_000 })()).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'ExecError',
        kind: 'NotFound',
        message: 'command not found: /no/such/alicred-helper; check the path or install it',
      },
    })
  })

  it.skipIf(process.platform === 'win32')('maps a file that is not executable to Failed', async () => {
    const dir = await fs.mkdtemp(path.join(tmpdir(), 'alicred-exec-'))
    try {
      const file = path.join(dir, 'helper')
      await fs.writeFile(file, '#!/bin/sh\necho hi\n', { mode: 0o644 })
      expect(await liveExec.run({ file, args: [], timeoutMs: 1_000 })()).toEqual({
        _tag: 'Left',
        left: {
          _tag: 'ExecError',
          kind: 'Failed',
          message: `cannot run ${file}: permission denied; is it executable?`,
        },
      })
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })

  it('kills a command that outlives its timeout, even one that ignores SIGTERM', async () => {
    const started = Date.now()
    const r = await script('process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)', { timeoutMs: 300 })
    expect(r).toEqual({
      _tag: 'Left',
      left: { _tag: 'ExecError', kind: 'Timeout', message: `${node} did not finish within 300 ms; it was stopped` },
    })
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('stops a command whose output exceeds the cap, without echoing the output', async () => {
    const r = await script('process.stdout.write("SECRET-".repeat(1000)); setInterval(() => {}, 1000)', {
      maxOutputBytes: 100,
    })
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'ExecError',
        kind: 'TooLarge',
        message: `${node} wrote more than 100 bytes to stdout; it was stopped`,
      },
    })
    expect(JSON.stringify(r)).not.toContain('SECRET')
  })

  it('drains stderr without counting it against the stdout cap, keeping only its tail (5 MB of logs)', async () => {
    const r = await script(
      'const line = "x".repeat(1023) + "\\n"; for (let i = 0; i < 5 * 1024; i++) process.stderr.write(line); process.stderr.write("LAST LINE"); process.stdout.write(JSON.stringify({ mode: "AK" }))',
    )
    expect(r._tag).toBe('Right')
    if (r._tag === 'Left') return
    expect(r.right.exitCode).toBe(0)
    expect(r.right.stdout).toBe('{"mode":"AK"}')
    expect(Buffer.byteLength(r.right.stderr)).toBe(STDERR_TAIL_BYTES)
    expect(r.right.stderr.endsWith('LAST LINE')).toBe(true)
  })

  it('stderr larger than a small stdout cap still succeeds', async () => {
    const r = await script('process.stderr.write("e".repeat(10_000)); process.stdout.write("ok")', {
      maxOutputBytes: 100,
    })
    expect(r).toEqual({ _tag: 'Right', right: { exitCode: 0, stdout: 'ok', stderr: 'e'.repeat(STDERR_TAIL_BYTES) } })
  })

  it.skipIf(process.platform === 'win32')(
    'a timed-out command whose grandchild keeps the pipes open still ends at the timeout',
    async () => {
      const started = Date.now()
      const r = await script(
        'require("child_process").spawn("sleep", ["3"], { stdio: "inherit" }).unref(); setInterval(() => {}, 1000)',
        { timeoutMs: 300 },
      )
      expect(r._tag === 'Left' && r.left.kind).toBe('Timeout')
      expect(Date.now() - started).toBeLessThan(5_000)
    },
  )

  it('reports a command killed by a signal', async () => {
    const r = await script('process.kill(process.pid, "SIGKILL")')
    expect(r).toEqual({
      _tag: 'Left',
      left: { _tag: 'ExecError', kind: 'Failed', message: `${node} was stopped by signal SIGKILL` },
    })
  })
})
