// Runs around every test file: fails the file if it leaves a server, socket or child process behind, so no test can
// leak one unnoticed (vitest's equivalent of an open-handles check). Timers are left to the files that open them
// (see packages/node/test/integration/_setup.ts): the runner's own timers come and go.
import { afterAll, beforeAll } from 'vitest'

const WATCHED = new Set(['TCPServerWrap', 'TCPSocketWrap', 'PipeWrap', 'ProcessWrap', 'UDPWrap'])
const handles = (): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const r of process.getActiveResourcesInfo()) if (WATCHED.has(r)) counts.set(r, (counts.get(r) ?? 0) + 1)
  return counts
}
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
}

let baseline = new Map<string, number>()
beforeAll(async () => {
  await settle()
  baseline = handles()
})
afterAll(async () => {
  // Closing sockets take a few turns of the loop (and sometimes a few ms) to leave it.
  for (let attempt = 0; attempt < 50; attempt++) {
    await settle()
    const leaked = [...handles()].filter(([k, n]) => n > (baseline.get(k) ?? 0))
    if (leaked.length === 0) return
    await new Promise((r) => setTimeout(r, 20))
  }
  const leaked = [...handles()]
    .filter(([k, n]) => n > (baseline.get(k) ?? 0))
    .map(([k, n]) => `${k}×${n - (baseline.get(k) ?? 0)}`)
  throw new Error(
    `this test file left open handles behind: ${leaked.join(', ')}; close servers, sockets and child processes in afterEach/afterAll`,
  )
})
