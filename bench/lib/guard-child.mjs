// Preloaded (`node --import`) into child processes that touch the network: installs the loopback guard and fails the
// process if it refused anything.
import { guardReport, installGuard } from './guard.mjs'

installGuard()
process.on('exit', () => {
  const { refused } = guardReport()
  if (refused.length > 0) {
    process.stderr.write(`bench guard refused: ${refused.join(', ')}\n`)
    process.exitCode = 1
  }
})
