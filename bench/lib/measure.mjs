// Measuring: tinybench for in-process throughput, plain timers for one-off latencies, and child processes for cold
// starts and soak runs.
import { spawn } from 'node:child_process'
import { Bench } from 'tinybench'

/** @param {ReadonlyArray<number>} xs */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  const at = (/** @type {number} */ i) => s[i] ?? Number.NaN
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2
}

/** Calls per tinybench sample: hot paths take well under a microsecond, far below the timer's resolution. */
export const BATCH = 1_000

/**
 * Median ops/s of each task, measured by tinybench on batches of `BATCH` sequential awaited calls. Tasks run in
 * the order given, each for `timeMs` after a warm-up.
 * @param {ReadonlyArray<readonly [string, () => Promise<unknown>]>} tasks
 * @param {{ readonly timeMs?: number, readonly warmupMs?: number }} [options]
 * @returns {Promise<Record<string, number>>}
 */
export const opsPerSecond = async (tasks, options = {}) => {
  const bench = new Bench({ time: options.timeMs ?? 1_000, warmupTime: options.warmupMs ?? 250, throws: true })
  for (const [name, call] of tasks) {
    bench.add(name, async () => {
      for (let i = 0; i < BATCH; i++) await call()
    })
  }
  await bench.run()
  /** @type {Record<string, number>} */
  const out = {}
  for (const task of bench.tasks) {
    const r = /** @type {any} */ (task.result)
    if (r.state !== 'completed') throw new Error(`task ${task.name} did not complete: ${r.error?.message ?? r.state}`)
    out[task.name] = r.throughput.p50 * BATCH
  }
  return out
}

/**
 * Milliseconds `f` takes.
 * @template A
 * @param {() => Promise<A>} f
 * @returns {Promise<{ readonly ms: number, readonly value: A | undefined, readonly error: unknown }>}
 */
export const timed = async (f) => {
  const t0 = performance.now()
  try {
    const value = await f()
    return { ms: performance.now() - t0, value, error: undefined }
  } catch (error) {
    return { ms: performance.now() - t0, value: undefined, error }
  }
}

/**
 * Runs `node <args>` and resolves with its last stdout line parsed as JSON, its wall time (spawn to exit) and the
 * time from its first stdout line (`ready`, printed when its work is done) to its exit.
 * @param {ReadonlyArray<string>} args
 * @param {{ readonly env?: NodeJS.ProcessEnv, readonly cwd?: string, readonly killAfterMs?: number }} [options]
 * @returns {Promise<{ readonly result: any, readonly wallMs: number, readonly exitAfterDoneMs: number | undefined, readonly code: number | null, readonly killed: boolean, readonly stderr: string }>}
 */
export const runNode = (args, options = {}) =>
  new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, [...args], {
      env: options.env ?? process.env,
      cwd: options.cwd ?? process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    /** @type {number | undefined} */
    let doneAt
    let killed = false
    const killer = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
    }, options.killAfterMs ?? 30_000)
    child.stdout.on('data', (d) => {
      out += String(d)
      if (doneAt === undefined && out.includes('\n')) doneAt = performance.now()
    })
    child.stderr.on('data', (d) => {
      err += String(d)
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      const end = performance.now()
      clearTimeout(killer)
      const lines = out.trim().split('\n')
      let result
      try {
        result = JSON.parse(lines[lines.length - 1] ?? 'null')
      } catch {
        result = undefined
      }
      resolve({
        result,
        wallMs: end - t0,
        exitAfterDoneMs: doneAt === undefined ? undefined : end - doneAt,
        code,
        killed,
        stderr: err,
      })
    })
  })
