// Shared by the live reliability tests: an open-handle check (servers, sockets, timers), a tracker of unhandled
// rejections, and the fault mix the issue asks for.
import type { FaultSpec } from '@alicred/testing'

const handles = (): ReadonlyArray<string> =>
  process
    .getActiveResourcesInfo()
    .filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap' || r === 'Timeout')
    .sort()

/** Lets closed sockets and servers leave the event loop. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
}

/** Records the open handles now; `added()` lists servers, sockets and timers opened since and still open. */
export const openHandles = async (): Promise<{ readonly added: () => Promise<ReadonlyArray<string>> }> => {
  await settle()
  const before = handles()
  return {
    added: async () => {
      await settle()
      const after = handles()
      const count = (xs: ReadonlyArray<string>, k: string) => xs.filter((x) => x === k).length
      return [...new Set(after)].filter((k) => count(after, k) > count(before, k))
    },
  }
}

/** Collects unhandled rejections while installed. */
export const rejections = (): { readonly seen: Array<unknown>; readonly stop: () => void } => {
  const seen: Array<unknown> = []
  const on = (reason: unknown): void => {
    seen.push(reason)
  }
  process.on('unhandledRejection', on)
  return { seen, stop: () => process.off('unhandledRejection', on) }
}

/** Every way a response can go wrong, as the emulator plays them. */
export const FAULT_KINDS: ReadonlyArray<FaultSpec> = [
  { type: 'status', status: 500, body: 'Internal Server Error' },
  { type: 'error', status: 503, code: 'ServiceUnavailable' },
  { type: 'reset' },
  { type: 'hang' },
  { type: 'malformed' },
  { type: 'truncated' },
  { type: 'throttle' },
]

/**
 * The fault mix: each kind with the same probability, such that a response fails with probability `rate`
 * (the emulator applies the newest matching fault that fires, each drawing independently).
 */
export const faultMix = (rate: number): ReadonlyArray<FaultSpec> => {
  const each = 1 - (1 - rate) ** (1 / FAULT_KINDS.length)
  return FAULT_KINDS.map((k) => ({ ...k, probability: each }))
}
