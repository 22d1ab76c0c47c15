// Runs around every test file: fails the file if it leaves a server, socket or child process behind, so no test can
// leak one unnoticed (vitest's equivalent of an open-handles check). Timers are left to the files that open them
// (`openHandles()` with its default kinds): the runner's own timers come and go.
import { type HandleSnapshot, openHandles } from '@alicred/testing'
import { afterAll, beforeAll } from 'vitest'

const WATCHED = ['TCPServerWrap', 'TCPSocketWrap', 'PipeWrap', 'ProcessWrap', 'UDPWrap']

let snapshot: HandleSnapshot | undefined
beforeAll(async () => {
  snapshot = await openHandles(WATCHED)
})
afterAll(async () => {
  // Closing sockets can take a few ms (not only a few turns of the loop) to leave it.
  for (let attempt = 0; attempt < 50; attempt++) {
    if ((await snapshot?.added())?.length === 0) return
    await new Promise((r) => setTimeout(r, 20))
  }
  const leaked = (await snapshot?.added()) ?? []
  throw new Error(
    `this test file left open handles behind: ${leaked.join(', ')}; close servers, sockets and child processes in afterEach/afterAll`,
  )
})
