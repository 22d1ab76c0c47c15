#!/usr/bin/env node
// Checks each package's `exports` map and types the way consumers see them: publint, then
// @arethetypeswrong/cli on the packed tarball (ESM, CommonJS, node16 and bundler resolution). Prints only failures.
import { spawnSync } from 'node:child_process'

const packages = ['core', 'testing', 'node', 'cli']
let ok = true
for (const p of packages) {
  const dir = `packages/${p}`
  for (const [cmd, args] of [
    ['npx', ['publint', dir, '--strict']],
    ['npx', ['attw', '--pack', dir, '--format', 'table-flipped', '--quiet']],
  ]) {
    // Quiet when the package passes; everything the tool said when it does not.
    const r = spawnSync(cmd, args, { encoding: 'utf8' })
    if (r.status !== 0) {
      process.stderr.write(`${r.stdout}${r.stderr}✗ ${cmd} ${args.join(' ')}\n`)
      ok = false
    }
  }
}
process.exit(ok ? 0 : 1)
