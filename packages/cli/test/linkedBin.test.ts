// The `alicred` command from a clone: `npm ci` links the committed packages/cli/bin/alicred.js (it exists before the
// build, unlike dist/bin.js), so after the build `npx alicred` works at the repository root; before it, the command
// says how to build instead of failing with `alicred: not found`.
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cleanEnv, ensureBuilt, ROOT } from './_support/built.js'

const ENTRY = join(ROOT, 'packages/cli/bin/alicred.js')

const home = mkdtempSync(join(tmpdir(), 'alicred-linked-bin-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

// npm itself must not reach for the registry (the suite runs without a network).
const env = cleanEnv(home, {
  ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
  npm_config_cache: join(home, '.npm'),
})

const exec = (
  file: string,
  args: ReadonlyArray<string>,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8')
    })
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8')
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })

describe('alicred from a clone', () => {
  it('npm links the committed entry point (re-run `npm ci` if this fails after pulling)', () => {
    expect(realpathSync(join(ROOT, 'node_modules/.bin/alicred'))).toBe(realpathSync(ENTRY))
  })

  it('`npx alicred --help` and `npx @alicred/cli --help` work at the repository root once built', async () => {
    const built = await ensureBuilt()
    expect(built).toEqual({ ok: true })
    for (const args of [
      ['alicred', '--help'],
      ['@alicred/cli', '--help'],
    ]) {
      const r = await exec('npx', args, ROOT)
      expect({ code: r.code, stderr: r.stderr, usage: r.stdout.split('\n').slice(0, 3) }).toEqual({
        code: 0,
        stderr: '',
        usage: ['alicred: Alibaba Cloud credentials, explained and shared', '', 'Usage: alicred <command> [options]'],
      })
    }
  }, 120_000)

  it('before the build, says how to build instead of failing obscurely', async () => {
    // The entry point as it sits in a clone where the build has not run: no dist/ next to bin/.
    const clone = join(home, 'unbuilt')
    mkdirSync(join(clone, 'bin'), { recursive: true })
    copyFileSync(ENTRY, join(clone, 'bin/alicred.js'))
    copyFileSync(join(ROOT, 'packages/cli/package.json'), join(clone, 'package.json'))
    const r = await exec(process.execPath, [join(clone, 'bin/alicred.js'), '--help'], clone)
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        `alicred: the CLI is not built (${join(clone, 'dist/bin.js')} is missing).`,
        'In a clone of the alicred repository, run `npm run build` (or `npm start`) at its root first.',
        '',
      ].join('\n'),
    })
  })
})
