#!/usr/bin/env node
// The `alicred` command as npm links it. This file is committed, so `npm ci` in a clone links it even before the
// build has run (npm skips a bin whose target does not exist yet); it loads the built CLI, or says how to build it.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = new URL('../dist/bin.js', import.meta.url)
if (existsSync(built)) {
  await import(built.href)
} else {
  process.stderr.write(
    `alicred: the CLI is not built (${fileURLToPath(built)} is missing).\n` +
      'In a clone of the alicred repository, run `npm run build` (or `npm start`) at its root first.\n',
  )
  process.exitCode = 1
}
