// The bench itself, end to end in its --quick mode: every scenario runs to completion against the built packages,
// nothing leaves loopback, and every row has a figure. Whether targets are met is not asserted here: timings in a
// busy test run say nothing; `npm run bench` measures them.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

const runQuick = (): Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/run.mjs', '--quick'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })

describe('npm run bench -- --quick', () => {
  it('runs every scenario on loopback only and prints a figure in every row', async () => {
    // the bench measures the built packages; `npm test` builds them first
    const unbuilt = ['core', 'node', 'testing'].filter((p) => !existsSync(`${root}packages/${p}/dist/index.js`))
    expect(unbuilt, 'packages to build first (npm run build)').toEqual([])
    const { code, stdout, stderr } = await runQuick()
    const table = stdout
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| scenario'))
      .map((l) => l.split(' | ').map((c) => c.replace(/^\| | \|$/g, '')))
    const blank = table.filter((cells) => cells.length !== 6 || cells.some((c) => c === '' || /NaN|undefined/.test(c)))
    expect({
      code,
      failed: stderr.split('\n').filter((l) => l.includes('FAILED')),
      network: /refused \(not loopback\): none$/m.test(stdout),
      rows: table.length,
      blank,
      summary: /^targets met: \d+ of 15; took \d+ s$/m.test(stdout),
    }).toEqual({ code: 0, failed: [], network: true, rows: 18, blank: [], summary: true })
  }, 120_000)
})
