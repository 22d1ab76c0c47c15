// Runs around every test file: fails the file if it leaves a server, socket or child process behind, so no test can
// leak one unnoticed (vitest's equivalent of an open-handles check). Timers are left to the files that open them
// (`openHandles()` with its default kinds): the runner's own timers come and go.
import { type HandleSnapshot, openHandles } from '@alicred/testing/emulator'
import { afterAll, beforeAll } from 'vitest'

const WATCHED = ['TCPServerWrap', 'TCPSocketWrap', 'PipeWrap', 'ProcessWrap', 'UDPWrap']

let snapshot: HandleSnapshot | undefined
beforeAll(async () => {
  snapshot = await openHandles(WATCHED)
})
afterAll(async () => {
  try {
    await snapshot?.check(1_000)
  } catch (e) {
    throw new Error(
      `this test file left open handles behind (${(e as Error).message}); close servers, sockets and child processes in afterEach/afterAll`,
    )
  }
})
