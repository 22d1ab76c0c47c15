import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { liveSpawn, main } from '../../src/index.js'
import { AK, SECRET, testRuntime } from '../_support/runtime.js'

const OFF = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }
const tick = () => new Promise((r) => setTimeout(r, 0))

describe('alicred exec (scripted child)', () => {
  it('runs the command with the credentials added to this process environment, token removed for an AccessKey', async () => {
    const rt = testRuntime({
      env: { ...AK, ...OFF },
      processEnv: { PATH: '/bin', ALIBABA_CLOUD_SECURITY_TOKEN: 'stale', UNSET: undefined },
    })
    const run = main(['exec', '--profile', 'default', '--', 'aliyun', 'sts', '--flag'], rt)
    await tick()
    expect(rt.spawned.map(({ file, args, env }) => ({ file, args, env }))).toEqual([
      {
        file: 'aliyun',
        args: ['sts', '--flag'],
        env: {
          PATH: '/bin',
          ALIBABA_CLOUD_ACCESS_KEY_ID: AK.ALIBABA_CLOUD_ACCESS_KEY_ID,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
        },
      },
    ])
    rt.spawned[0]!.end({ _tag: 'Exited', code: 3 })
    expect(await run).toBe(3)
    expect(rt.out.text + rt.err.text).toBe('')
  })

  it('passes SIGINT, SIGTERM and SIGHUP on while the child runs, and stops listening after', async () => {
    const rt = testRuntime({ env: { ...AK, ...OFF } })
    const run = main(['exec', 'sleep', '100'], rt)
    await tick()
    expect(rt.raise('SIGINT') + rt.raise('SIGTERM') + rt.raise('SIGHUP')).toBe(3)
    expect(rt.spawned[0]!.kills).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP'])
    rt.spawned[0]!.end({ _tag: 'Signaled', signal: 'SIGTERM', number: 15 })
    expect(await run).toBe(143)
    expect(rt.subscribers()).toBe(0)
  })

  it('on a terminal, Ctrl-C already reached the child: SIGINT is not sent twice, SIGTERM and SIGHUP are', async () => {
    const rt = testRuntime({ env: { ...AK, ...OFF }, overrides: { interactive: true } })
    const run = main(['exec', 'sleep', '100'], rt)
    await tick()
    rt.raise('SIGINT')
    rt.raise('SIGTERM')
    rt.raise('SIGHUP')
    expect(rt.spawned[0]!.kills).toEqual(['SIGTERM', 'SIGHUP'])
    rt.spawned[0]!.end({ _tag: 'Signaled', signal: 'SIGINT', number: 2 })
    expect(await run).toBe(130)
  })

  it('a command that does not exist exits 127 with one line; one that cannot run exits 126', async () => {
    const missing = testRuntime({ env: { ...AK, ...OFF } })
    const run = main(['exec', 'nope-cmd'], missing)
    await tick()
    missing.spawned[0]!.end({ _tag: 'SpawnFailed', code: 'ENOENT' })
    expect(await run).toBe(127)
    expect(missing.err.text).toBe('alicred exec: command not found: nope-cmd; check the name or your PATH.\n')
    const denied = testRuntime({ env: { ...AK, ...OFF } })
    const run2 = main(['exec', './x'], denied)
    await tick()
    denied.spawned[0]!.end({ _tag: 'SpawnFailed', code: 'EACCES' })
    expect(await run2).toBe(126)
    expect(denied.err.text).toBe('alicred exec: cannot run ./x: permission denied (is it executable?)\n')
  })

  it('no command is a usage error (exit 2); nothing is resolved or run', async () => {
    for (const argv of [['exec'], ['exec', '--'], ['exec', '--profile', 'p']]) {
      const rt = testRuntime({ env: { ...AK, ...OFF } })
      expect(await main(argv, rt)).toBe(2)
      expect(rt.err.text).toBe(
        "alicred exec: no command to run; put it after the options, e.g. alicred exec -- aliyun sts GetCallerIdentity. Run 'alicred exec --help' for usage.\n",
      )
      expect(rt.spawned).toEqual([])
    }
  })

  it('no credentials: exit 1 and the command is not run', async () => {
    const rt = testRuntime({ env: OFF })
    expect(await main(['exec', 'true'], rt)).toBe(1)
    expect(rt.spawned).toEqual([])
    expect(rt.err.text).toMatch(/^alicred exec: no credentials found: /)
  })
})

describe('liveSpawn', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alicred-exec-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('runs without a shell, with exactly the given environment, and reports the exit code', async () => {
    const out = join(dir, 'env.json')
    const script = `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ env: process.env, argv: process.argv.slice(1) })); process.exit(5)`
    const child = liveSpawn(process.execPath, ['-e', script, '$HOME', '*'], { ONLY: 'this' })
    expect(await child.exit).toEqual({ _tag: 'Exited', code: 5 })
    const seen = JSON.parse(readFileSync(out, 'utf8'))
    expect(seen.argv).toEqual(['$HOME', '*'])
    expect(Object.keys(seen.env).filter((k) => k === 'ONLY' || k === 'HOME' || k === 'PATH')).toEqual(['ONLY'])
  })

  it('reports a signal death with its number, and passes a kill on', async () => {
    const self = liveSpawn(process.execPath, ['-e', `process.kill(process.pid, 'SIGTERM')`], {})
    expect(await self.exit).toEqual({ _tag: 'Signaled', signal: 'SIGTERM', number: 15 })
    const waiting = liveSpawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {})
    await new Promise((r) => setTimeout(r, 100))
    waiting.kill('SIGHUP')
    expect(await waiting.exit).toEqual({ _tag: 'Signaled', signal: 'SIGHUP', number: 1 })
  })

  it('a missing command is SpawnFailed ENOENT', async () => {
    expect(await liveSpawn(join(dir, 'does-not-exist'), [], {}).exit).toEqual({ _tag: 'SpawnFailed', code: 'ENOENT' })
  })
})
