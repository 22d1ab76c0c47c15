// Shared by the live reliability tests: a tracker of unhandled rejections and the fault mix the issue asks for.
// (The open-handle check is `openHandles` of @alicred/testing/emulator.)
import type { FaultSpec } from '@alicred/testing/emulator'

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
