#!/usr/bin/env node
// `npm test`: build, typecheck, lint, then every test; ends with one plain line `N passed, N failed`.
// Every step runs even if an earlier one failed, so one run shows everything that is wrong.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'

const report = '.vitest-report.json'
const steps = [
  ['build', 'npm', ['run', 'build', '--silent']],
  ['typecheck', 'npx', ['tsc', '-b']],
  ['lint', 'npm', ['run', 'lint', '--silent']],
  // The API reference must build with no warnings (typedoc treats them as errors).
  ['docs', 'npm', ['run', 'docs', '--silent']],
  ['tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]],
]
const failed = []
rmSync(report, { force: true })
for (const [name, cmd, args] of steps) {
  console.log(`\n── ${name} ──`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env })
  if (r.status !== 0) failed.push(name)
}
let passed = 0
let failedTests = 0
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'))
  passed = j.numPassedTests
  failedTests = j.numFailedTests
  rmSync(report, { force: true })
}
if (failed.length > 0) console.log(`\nfailed steps: ${failed.join(', ')}`)
console.log(`\n${passed} passed, ${failedTests + (failed.includes('tests') && failedTests === 0 ? 1 : 0)} failed`)
process.exit(failed.length > 0 || passed === 0 ? 1 : 0)
