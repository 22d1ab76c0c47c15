// The built packages, for tests that run the `alicred` binary or the demo as a user would. `ensureBuilt()` builds
// (`npm run build`) when any package's dist is missing or older than its sources, once across parallel test files
// (a lock directory), and reports why it could not; callers skip with that reason printed, never silently.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
export const BIN = join(ROOT, 'packages/cli/dist/bin.js')
export const DEMO = join(ROOT, 'scripts/demo.mjs')

const PACKAGES = ['core', 'testing', 'node', 'cli'] as const
const OUTPUTS: Readonly<Record<(typeof PACKAGES)[number], ReadonlyArray<string>>> = {
  core: ['dist/index.js', 'dist/index.cjs', 'dist/index.node.mjs'],
  testing: [
    'dist/index.js',
    'dist/index.cjs',
    'dist/index.node.mjs',
    'dist/emulator/index.js',
    'dist/emulator/index.cjs',
    'dist/emulator/index.node.mjs',
  ],
  node: ['dist/index.js', 'dist/index.cjs', 'dist/index.node.mjs'],
  cli: ['dist/index.js', 'dist/index.cjs', 'dist/index.node.mjs', 'dist/bin.js'],
}

const newest = (dir: string): number => {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

/** Why the build is out of date, or `undefined` when every package's dist is newer than its sources. */
export const staleness = (): string | undefined => {
  const script = statSync(join(ROOT, 'scripts/build.mjs')).mtimeMs
  for (const p of PACKAGES) {
    const dir = join(ROOT, 'packages', p)
    const sources = Math.max(newest(join(dir, 'src')), statSync(join(dir, 'package.json')).mtimeMs, script)
    for (const out of OUTPUTS[p]) {
      const f = join(dir, out)
      if (!existsSync(f)) return `packages/${p}/${out} is missing`
      if (statSync(f).mtimeMs < sources) return `packages/${p}/${out} is older than its sources`
    }
  }
  return undefined
}

const LOCK = join(tmpdir(), `alicred-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const withLock = async <A>(f: () => A): Promise<A> => {
  const start = Date.now()
  for (;;) {
    try {
      mkdirSync(LOCK)
      break
    } catch {
      // A lock left by a killed run is taken over after 5 minutes.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 300_000) rmdirSync(LOCK)
      if (Date.now() - start > 300_000) throw new Error(`timed out waiting for the build lock ${LOCK}`)
      await sleep(200)
    }
  }
  try {
    return f()
  } finally {
    rmdirSync(LOCK)
  }
}

export type Built = { readonly ok: true } | { readonly ok: false; readonly reason: string }

let once: Promise<Built> | undefined

/** Builds the packages if needed. */
export const ensureBuilt = (): Promise<Built> => {
  once ??= (async (): Promise<Built> => {
    if (staleness() === undefined) return { ok: true }
    return withLock((): Built => {
      const why = staleness()
      if (why === undefined) return { ok: true }
      process.stderr.write(`[alicred cli tests] building the packages first (${why})\n`)
      const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 })
      if (r.status === 0 && staleness() === undefined) return { ok: true }
      const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n')
      return { ok: false, reason: `\`npm run build\` failed (exit ${r.status ?? r.signal}):\n${tail}` }
    })
  })()
  return once
}

/** Prints why built-binary tests are skipped (so a skip is never silent). */
export const reportSkip = (what: string, built: Built): void => {
  if (!built.ok) process.stderr.write(`\n[alicred cli tests] SKIPPING ${what}: ${built.reason}\n\n`)
}

/** An environment for a child: this one without any ALIBABA_CLOUD_* or proxy variable, HOME replaced. */
export const cleanEnv = (home: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('ALIBABA_CLOUD_') || /^(https?|all|no)_proxy$/i.test(k)) continue
    if (k === 'NO_COLOR' || k === 'FORCE_COLOR') continue
    out[k] = v
  }
  return { ...out, HOME: home, USERPROFILE: home, ...extra }
}

export interface Proc {
  readonly pid: number
  stdout: string
  stderr: string
  readonly exit: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
  readonly kill: (s: NodeJS.Signals) => void
  /** Resolves once stdout matches. */
  readonly waitFor: (re: RegExp, ms?: number) => Promise<RegExpExecArray>
}

const running = new Set<Proc>()

/** Starts `node <script> ...args`; `killAll` ends whatever is still running. */
export const start = (script: string, args: ReadonlyArray<string>, env: Record<string, string>): Proc => {
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const p: Proc = {
    pid: child.pid ?? -1,
    stdout: '',
    stderr: '',
    exit,
    kill: (s) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(s)
    },
    waitFor: async (re, ms = 10_000) => {
      const t0 = Date.now()
      for (;;) {
        const m = re.exec(p.stdout)
        if (m !== null) return m
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`exited before printing ${re}: ${p.stderr}`)
        }
        if (Date.now() - t0 > ms)
          throw new Error(`timed out waiting for ${re}; stdout: ${p.stdout}; stderr: ${p.stderr}`)
        await sleep(10)
      }
    },
  }
  child.stdout.on('data', (c: Buffer) => {
    p.stdout += c.toString('utf8')
  })
  child.stderr.on('data', (c: Buffer) => {
    p.stderr += c.toString('utf8')
  })
  running.add(p)
  void exit.then(() => running.delete(p))
  return p
}

/** Runs to the end (killed after `ms`). */
export const run = async (
  script: string,
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  ms = 15_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> => {
  const p = start(script, args, env)
  const timer = setTimeout(() => p.kill('SIGKILL'), ms)
  const { code, signal } = await p.exit
  clearTimeout(timer)
  return { code, signal, stdout: p.stdout, stderr: p.stderr }
}

export const killAll = async (): Promise<void> => {
  const left = [...running]
  for (const p of left) p.kill('SIGKILL')
  await Promise.all(left.map((p) => p.exit))
}
