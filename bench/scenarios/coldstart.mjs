// Cold start: a new Node process imports the library and gets its first static credential. Measured inside the
// child (import + first credential, which excludes Node's own start-up) and from outside (spawn to exit).
import { fileURLToPath } from 'node:url'
import { median, runNode } from '../lib/measure.mjs'

const child = (/** @type {string} */ name) => fileURLToPath(new URL(`../child/${name}`, import.meta.url))

/**
 * @param {{ readonly runs: number }} options
 * @returns {Promise<{ rows: ReadonlyArray<import('../lib/report.mjs').Row>, breakdown: ReadonlyArray<readonly [string, number]>, nodeBootMs: number }>}
 */
export const coldStart = async ({ runs }) => {
  const variants = ['cold-ours.mjs', 'cold-ref.mjs', 'cold-ours.cjs', 'cold-ref.cjs', 'empty.mjs']
  /** @type {Record<string, Array<{ totalMs: number, wallMs: number }>>} */
  const samples = Object.fromEntries(variants.map((v) => [v, []]))
  // one warm-up round fills the OS file cache, then rounds alternate the variants so drift hits all alike
  for (let round = 0; round <= runs; round++) {
    for (const v of variants) {
      const r = await runNode([child(v)])
      if (r.code !== 0 || r.result === undefined) throw new Error(`${v} failed: ${r.stderr.slice(0, 500)}`)
      if (round > 0) samples[v]?.push({ totalMs: r.result.totalMs ?? 0, wallMs: r.wallMs })
    }
  }
  const med = (/** @type {string} */ v, /** @type {'totalMs' | 'wallMs'} */ k) =>
    median((samples[v] ?? []).map((s) => s[k]))
  const nodeBootMs = med('empty.mjs', 'wallMs')
  /** @param {string} id @param {string} title @param {string} a @param {string} b */
  const row = (id, title, a, b) => ({
    id,
    title,
    kind: /** @type {const} */ ('ms'),
    ours: med(a, 'totalMs'),
    theirs: med(b, 'totalMs'),
    target: { ratioAtMost: 0.5 },
    notes: `whole process, spawn to exit: ours ${med(a, 'wallMs').toFixed(0)} ms, reference ${med(b, 'wallMs').toFixed(0)} ms (an empty Node process: ${nodeBootMs.toFixed(0)} ms)`,
  })

  // where our import time goes: each dependency imported alone in a fresh process
  const modules = [
    'fp-ts/lib/Either.js',
    'io-ts',
    'jose',
    'ini',
    '@alicred/core',
    '@alicred/node',
    '@alicloud/credentials',
  ]
  /** @type {Array<readonly [string, number]>} */
  const breakdown = []
  for (const m of modules) {
    const xs = []
    for (let i = 0; i < Math.max(3, Math.ceil(runs / 3)); i++) {
      const r = await runNode([child('import.mjs'), m])
      if (r.code !== 0) throw new Error(`importing ${m} failed: ${r.stderr.slice(0, 500)}`)
      xs.push(r.result.importMs)
    }
    breakdown.push([m, median(xs)])
  }
  return {
    rows: [
      row('cold-esm', 'cold start, ESM import + first static credential (ms)', 'cold-ours.mjs', 'cold-ref.mjs'),
      row('cold-cjs', 'cold start, CommonJS require + first static credential (ms)', 'cold-ours.cjs', 'cold-ref.cjs'),
    ],
    breakdown,
    nodeBootMs,
  }
}
