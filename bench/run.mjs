#!/usr/bin/env node
// `npm run bench`: alicred against @alicloud/credentials 2.4.7, side by side in one run, on loopback only.
//
// Prints the machine, one table of medians and ratios, the notes behind some rows, and the same table in Markdown
// (for docs/performance.md). `--quick` shortens every measurement (for a smoke run; the figures are then rough).
// Exit code 1 when a scenario fails or anything tried to leave loopback; an unmet target is reported, not fatal.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { guardReport, installGuard } from './lib/guard.mjs'

const quick = process.argv.includes('--quick')

// Nothing from this machine's setup may leak in: an empty HOME and no credential or proxy variables, for both
// libraries (both read process.env and os.homedir() when called) and for every child process.
const home = mkdtempSync(join(os.tmpdir(), 'alicred-bench-'))
for (const k of Object.keys(process.env)) {
  if (/^(ALIBABA_CLOUD_|ALICLOUD_)|^(https?|all|no)_proxy$/i.test(k)) delete process.env[k]
}
process.env.HOME = home
process.env.USERPROFILE = home
installGuard()

const hot = await import('./scenarios/hotpath.mjs')
const { refreshStorm } = await import('./scenarios/storm.mjs')
const { defaultChain } = await import('./scenarios/chain.mjs')
const { coldStart } = await import('./scenarios/coldstart.mjs')
const { soak } = await import('./scenarios/soak.mjs')
const { hasTarget, markdownTable, met, notes, show, textTable } = await import('./lib/report.mjs')

const cpus = os.cpus()
const machine = [
  `date: ${new Date().toISOString()}`,
  `node: ${process.version} (${process.platform} ${os.release()}, ${process.arch})`,
  `cpu: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
  `reference: @alicloud/credentials ${(await import('./lib/reference.mjs')).ref.default ? '2.4.7' : '?'}`,
]
console.log(machine.join('\n'))
console.log(quick ? 'mode: --quick (short measurements, rough figures)\n' : '')

const started = performance.now()
/** @type {Array<import('./lib/report.mjs').Row>} */
const rows = []
let failed = false
/** @template A @param {string} name @param {() => Promise<A>} f @returns {Promise<A | undefined>} */
const step = async (name, f) => {
  const t0 = performance.now()
  process.stderr.write(`… ${name}`)
  try {
    const out = await f()
    process.stderr.write(` (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`)
    return out
  } catch (e) {
    failed = true
    process.stderr.write(`\n${name} FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    return undefined
  }
}

rows.push(
  ...((await step('hot paths', () => hot.hotPaths({ timeMs: quick ? 150 : 1_000, rounds: quick ? 1 : 3 }))) ?? []),
)
rows.push(...((await step('refresh storm', refreshStorm)) ?? []))
rows.push(...((await step('default chain', () => defaultChain({ quick }))) ?? []))
const cold = await step('cold start', () => coldStart({ runs: quick ? 3 : 15 }))
rows.push(...(cold?.rows ?? []))
rows.push(...((await step('100,000 resolutions', soak)) ?? []))

console.log(textTable(rows))
const ceiling = [
  ...(hot.floor === undefined
    ? []
    : [`- ceiling of the hot-path loop (awaiting an already-resolved promise): ${show(hot.floor, 'ops')}`]),
  ...(hot.clockCeiling === undefined
    ? []
    : [
        `- ceiling of a cache that checks expiry on every call (one clock read, two comparisons, then the same await): ${show(hot.clockCeiling, 'ops')}`,
      ]),
]
console.log(`\nnotes:\n${[...ceiling, ...notes(rows)].join('\n')}`)
if (cold !== undefined) {
  console.log('\ncold load of single modules, each in a fresh process (ms, median): ES module import, CommonJS require')
  for (const [m, esm, cjs] of cold.breakdown) console.log(`- ${m}: ${esm.toFixed(1)}, ${cjs.toFixed(1)}`)
  console.log(
    `\ncold start of ours with the default chain, nothing configured (import + first answer, ms, median): ES module ${cold.chain.esmMs.toFixed(1)}, CommonJS ${cold.chain.cjsMs.toFixed(1)}`,
  )
}
const guard = guardReport()
console.log(
  `\nnetwork: ${Object.entries(guard.attempts)
    .map(([k, n]) => `${k} ×${n}`)
    .join(
      ', ',
    )}; refused (not loopback): ${guard.refused.length === 0 ? 'none' : [...new Set(guard.refused)].join(', ')}`,
)
console.log(
  `targets met: ${rows.filter(met).length} of ${rows.filter(hasTarget).length}; took ${((performance.now() - started) / 1000).toFixed(0)} s`,
)
console.log(`\n${markdownTable(rows)}`)

rmSync(home, { recursive: true, force: true })
if (guard.refused.length > 0) failed = true
process.exit(failed ? 1 : 0)
