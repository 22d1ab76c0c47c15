#!/usr/bin/env node
// Checks each package's `exports` map and types the way consumers see them: publint, then
// @arethetypeswrong/cli on the packed tarball (ESM, CommonJS, node16 and bundler resolution).
import { spawnSync } from 'node:child_process'

const packages = ['core', 'testing', 'node', 'cli']
let ok = true
for (const p of packages) {
  const dir = `packages/${p}`
  for (const [cmd, args] of [
    ['npx', ['publint', dir, '--strict']],
    ['npx', ['attw', '--pack', dir, '--format', 'table-flipped', '--quiet']],
  ]) {
    const r = spawnSync(cmd, args, { stdio: 'inherit' })
    if (r.status !== 0) {
      console.error(`✗ ${cmd} ${args.join(' ')}`)
      ok = false
    }
  }
}
process.exit(ok ? 0 : 1)
