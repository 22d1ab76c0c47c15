// Two processes write rotated OAuth tokens back into the same Aliyun CLI config.json at once (the CLI-profile
// source's write-back: lock, read, modify, atomic write, over the live Fs of @alicred/node). Nothing is lost: every
// write of both is in the file at the end, every other profile and key is kept, and a reader polling the file
// throughout only ever sees valid JSON.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const WRITES = 40
const child = fileURLToPath(new URL('./fixtures/writeBack.ts', import.meta.url))
const tsconfig = fileURLToPath(new URL('../tsconfig.json', import.meta.url))

const initial = {
  current: 'shared',
  meta: { language: 'en', site: 'CN' },
  profiles: [
    { name: 'shared', mode: 'OAuth', oauth_site_type: 'CN', oauth_refresh_token: 'initial', region_id: 'cn-hangzhou' },
    { name: 'keys', mode: 'AK', access_key_id: 'LTAI5tKeep', access_key_secret: 'keep-me' },
    { name: 'a-only', mode: 'OAuth', oauth_site_type: 'INTL', oauth_refresh_token: 'initial' },
  ],
}

let dir: string
let file: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alicred-writeback-'))
  file = join(dir, 'config.json')
  await writeFile(file, JSON.stringify(initial, null, 4), { mode: 0o600 })
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

interface Running {
  readonly proc: ChildProcessWithoutNullStreams
  readonly ready: Promise<void>
  readonly done: Promise<{
    readonly code: number | null
    readonly failures: ReadonlyArray<string>
    readonly stderr: string
  }>
}

const start = (profile: string, tag: string): Running => {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, file, profile, tag, String(WRITES)], {
    env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  let markReady: () => void = () => {}
  const ready = new Promise<void>((r) => {
    markReady = r
  })
  proc.stdout.on('data', (d: Buffer) => {
    out += String(d)
    if (out.startsWith('ready\n')) markReady()
  })
  proc.stderr.on('data', (d: Buffer) => {
    err += String(d)
  })
  const done = new Promise<{ code: number | null; failures: ReadonlyArray<string>; stderr: string }>((resolve) => {
    proc.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? ''
      let failures: ReadonlyArray<string> = [`no result (exit ${code})`]
      try {
        failures = (JSON.parse(last) as { failures: ReadonlyArray<string> }).failures
      } catch {
        // keep the "no result" failure
      }
      resolve({ code, failures, stderr: err })
    })
  })
  return { proc, ready, done }
}

describe('write-back from two processes at once', () => {
  it(`${WRITES} writes each, to the same profile: none is lost, the rest of the file is kept, JSON stays valid`, async () => {
    const a = start('shared', 'a')
    const b = start('shared', 'b')
    await Promise.all([a.ready, b.ready])
    a.proc.stdin.end('go\n')
    b.proc.stdin.end('go\n')

    // read the file as the CLI (or another alicred) would, all the while
    let reads = 0
    let invalid = 0
    let finished = false
    const results = Promise.all([a.done, b.done]).finally(() => {
      finished = true
    })
    while (!finished) {
      const text = await readFile(file, 'utf8')
      reads++
      try {
        JSON.parse(text)
      } catch {
        invalid++
      }
      await new Promise((r) => setTimeout(r, 2))
    }
    const [ra, rb] = await results

    expect([ra, rb]).toEqual([
      { code: 0, failures: [], stderr: '' },
      { code: 0, failures: [], stderr: '' },
    ])
    expect({ reads: reads > 5, invalid }).toEqual({ reads: true, invalid: 0 })

    const doc = JSON.parse(await readFile(file, 'utf8')) as typeof initial
    const shared = doc.profiles[0] as Record<string, unknown>
    const writes = (tag: string) =>
      Object.fromEntries(Array.from({ length: WRITES }, (_, i) => [`write_${tag}_${i}`, i]))
    expect(shared).toMatchObject({
      ...writes('a'),
      ...writes('b'),
      name: 'shared',
      mode: 'OAuth',
      region_id: 'cn-hangzhou',
    })
    // the last writer's tokens, whole and consistent (never a mix of the two processes)
    const last = WRITES - 1
    expect([`a-refresh-${last}`, `b-refresh-${last}`]).toContain(shared.oauth_refresh_token)
    const tag = String(shared.oauth_refresh_token).slice(0, 1)
    expect(shared).toMatchObject({
      oauth_access_token: `${tag}-access-${last}`,
      access_key_id: `STS.${tag}-${last}`,
      access_key_secret: `${tag}-secret-${last}`,
      sts_token: `${tag}-token-${last}`,
    })
    expect({ ...doc, profiles: doc.profiles.slice(1) }).toEqual({ ...initial, profiles: initial.profiles.slice(1) })
    // no lock or temp file left behind, and the file is still private
    expect(await readdir(dir)).toEqual(['config.json'])
    expect((await stat(file)).mode & 0o777).toBe(0o600)
  }, 30_000)

  it(`${WRITES} writes each, to different profiles: each process's last tokens are in its own profile`, async () => {
    const a = start('a-only', 'a')
    const b = start('shared', 'b')
    await Promise.all([a.ready, b.ready])
    a.proc.stdin.end('go\n')
    b.proc.stdin.end('go\n')
    const [ra, rb] = await Promise.all([a.done, b.done])
    expect([ra.failures, rb.failures]).toEqual([[], []])
    const doc = JSON.parse(await readFile(file, 'utf8')) as typeof initial
    const last = WRITES - 1
    expect(doc.profiles.map((p) => (p as Record<string, unknown>).oauth_refresh_token)).toEqual([
      `b-refresh-${last}`,
      undefined,
      `a-refresh-${last}`,
    ])
  }, 30_000)
})
