// Cold start: a new Node process imports the library and gets its first static credential. Measured inside the
// child (import + first credential, which excludes Node's own start-up) and from outside (spawn to exit).
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { median, runNode } from '../lib/measure.mjs'

const child = (/** @type {string} */ name) => fileURLToPath(new URL(`../child/${name}`, import.meta.url))

/**
 * @param {{ readonly runs: number }} options
 * @returns {Promise<{ rows: ReadonlyArray<import('../lib/report.mjs').Row>, breakdown: ReadonlyArray<readonly [string, number, number]>, chain: { readonly esmMs: number, readonly cjsMs: number }, nodeBootMs: number }>}
 */
export const coldStart = async ({ runs }) => {
  const variants = [
    'cold-ours.mjs',
    'cold-ref.mjs',
    'cold-ours.cjs',
    'cold-ref.cjs',
    'empty.mjs',
    'cold-chain-ours.mjs',
    'cold-chain-ours.cjs',
  ]
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

  // where import time goes: each module loaded alone in a fresh process, from an ES module and from CommonJS
  const fromCore = createRequire(fileURLToPath(new URL('../../packages/core/package.json', import.meta.url)))
  /** @type {ReadonlyArray<readonly [string, string]>} */
  const modules = [
    ['fp-ts/lib/function.js', 'fp-ts/lib/function.js'],
    ['fp-ts/lib/Either.js', 'fp-ts/lib/Either.js'],
    ['fp-ts/lib/TaskEither.js', 'fp-ts/lib/TaskEither.js'],
    ['io-ts', 'io-ts'],
    // the ini of @alicred/core (the repository's root holds an older one for other packages)
    ['ini', fromCore.resolve('ini')],
    ['jose', 'jose'],
    ['@alicred/core', '@alicred/core'],
    ['@alicred/node', '@alicred/node'],
    ['@alicloud/credentials', '@alicloud/credentials'],
  ]
  /** @type {Array<readonly [string, number, number]>} */
  const breakdown = []
  for (const [label, m] of modules) {
    /** @type {Record<string, Array<number>>} */
    const xs = { 'import.mjs': [], 'require.cjs': [] }
    for (let i = 0; i < Math.max(3, Math.ceil(runs / 3)); i++) {
      for (const c of ['import.mjs', 'require.cjs']) {
        const r = await runNode([child(c), m])
        if (r.code !== 0) throw new Error(`loading ${label} (${c}) failed: ${r.stderr.slice(0, 500)}`)
        xs[c]?.push(r.result.importMs)
      }
    }
    breakdown.push([label, median(xs['import.mjs'] ?? []), median(xs['require.cjs'] ?? [])])
  }
  return {
    rows: [
      row('cold-esm', 'cold start, ESM import + first static credential (ms)', 'cold-ours.mjs', 'cold-ref.mjs'),
      row('cold-cjs', 'cold start, CommonJS require + first static credential (ms)', 'cold-ours.cjs', 'cold-ref.cjs'),
    ],
    breakdown,
    chain: { esmMs: med('cold-chain-ours.mjs', 'totalMs'), cjsMs: med('cold-chain-ours.cjs', 'totalMs') },
    nodeBootMs,
  }
}
