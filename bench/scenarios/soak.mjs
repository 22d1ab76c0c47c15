// 100,000 resolutions in a child process per library and mode: heap growth (after full GCs, warm-up excluded), and
// whether the process exits by itself afterwards (nobody calls close()).
import { fileURLToPath } from 'node:url'
import { runNode } from '../lib/measure.mjs'
import { emulator } from '../lib/world.mjs'

const path = (/** @type {string} */ p) => fileURLToPath(new URL(p, import.meta.url))
/** A process that has not exited this long after its last output is held open by something. */
const EXIT_GRACE_MS = 3_000
/** Heap growth under this is noise (JIT, lazily built tables), not a leak: 100,000 leaked objects weigh megabytes. */
export const GROWTH_LIMIT_BYTES = 512 * 1024

/** @returns {Promise<ReadonlyArray<import('../lib/report.mjs').Row>>} */
export const soak = async () => {
  const emu = await emulator()
  try {
    /** @param {string} script @param {string} mode @param {string} endpoint */
    const run = async (script, mode, endpoint) => {
      const r = await runNode(
        ['--expose-gc', '--import', path('../lib/guard-child.mjs'), path(script), mode, endpoint],
        {
          killAfterMs: 60_000,
        },
      )
      // exit measured from the result line: the child printed it after its last call
      const exited = !r.killed && r.code === 0 && (r.exitAfterDoneMs ?? Number.POSITIVE_INFINITY) < EXIT_GRACE_MS
      if (r.result === undefined) throw new Error(`${script} ${mode} failed: ${r.stderr.slice(0, 500)}`)
      return {
        growth: /** @type {number} */ (r.result.growth),
        exited,
        exitAfterDoneMs: r.exitAfterDoneMs,
        killed: r.killed,
      }
    }
    const rows = []
    for (const mode of ['static', 'sts']) {
      const ours = await run('../child/soak-ours.mjs', mode, emu.stsEndpoint)
      const theirs = await run('../child/soak-ref.cjs', mode, emu.host)
      const label = mode === 'sts' ? 'cached STS (ram_role_arn)' : 'static AccessKey'
      const exit = (/** @type {{ exited: boolean, exitAfterDoneMs: number | undefined }} */ x) =>
        x.exited ? `exits in ${(x.exitAfterDoneMs ?? 0).toFixed(0)} ms` : 'does NOT exit by itself'
      rows.push({
        id: `soak-${mode}`,
        title: `100,000 resolutions, ${label}: heap growth (KiB); exits with no close()`,
        kind: /** @type {const} */ ('kib'),
        ours: ours.growth / 1024,
        theirs: theirs.growth / 1024,
        target: { belowKib: GROWTH_LIMIT_BYTES / 1024, exits: ours.exited },
        notes: `ours ${exit(ours)}; reference ${exit(theirs)}`,
      })
    }
    return rows
  } finally {
    await emu.stop()
  }
}
