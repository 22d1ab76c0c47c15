/**
 * Open-handle checks for tests: snapshot the servers, sockets and timers a Node process holds, then fail if a test
 * left new ones behind. Node-only (`process.getActiveResourcesInfo`), like the emulator.
 *
 * @since 0.1.0
 */

/**
 * What `process.getActiveResourcesInfo()` names a TCP server, a TCP socket and a timer.
 *
 * @category emulator
 * @since 0.1.0
 */
export const DEFAULT_HANDLE_KINDS: ReadonlyArray<string> = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout']

/**
 * The active handles of the given kinds, sorted.
 *
 * @category emulator
 * @since 0.1.0
 */
export const activeHandles = (kinds: ReadonlyArray<string> = DEFAULT_HANDLE_KINDS): ReadonlyArray<string> =>
  process
    .getActiveResourcesInfo()
    .filter((r) => kinds.includes(r))
    .sort()

/**
 * Lets closed sockets and servers leave the event loop, which takes a few turns of it.
 *
 * @category emulator
 * @since 0.1.0
 */
export const settle = async (turns = 20): Promise<void> => {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
}

/** The handles open at a point in time, to compare with later ones. @category emulator @since 0.1.0 */
export interface HandleSnapshot {
  /** Kinds with more handles open now than at the snapshot. Only additions count: the runner's own may end. */
  readonly added: () => Promise<ReadonlyArray<string>>
  /**
   * Throws, naming the kinds, if `added()` is still not empty after `graceMs` (default 250): a socket or server that
   * was closed can take a few milliseconds, not only a few turns of the loop, to leave it.
   */
  readonly check: (graceMs?: number) => Promise<void>
}

/**
 * Records the open handles now, to compare with later.
 *
 * @example
 * import { openHandles } from '@alicred/testing/emulator'
 * const handles = await openHandles()
 * // … start and stop an emulator …
 * await handles.check()
 * @category emulator
 * @since 0.1.0
 */
export const openHandles = async (kinds: ReadonlyArray<string> = DEFAULT_HANDLE_KINDS): Promise<HandleSnapshot> => {
  await settle()
  const before = activeHandles(kinds)
  const count = (xs: ReadonlyArray<string>, k: string): number => xs.filter((x) => x === k).length
  const added = async (): Promise<ReadonlyArray<string>> => {
    await settle()
    const after = activeHandles(kinds)
    return [...new Set(after)].filter((k) => count(after, k) > count(before, k))
  }
  return {
    added,
    check: async (graceMs = 250) => {
      const deadline = Date.now() + graceMs
      let leaked = await added()
      while (leaked.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10))
        leaked = await added()
      }
      if (leaked.length > 0) {
        throw new Error(`leaked handles: ${leaked.join(', ')} (before [${before}], after [${activeHandles(kinds)}])`)
      }
    },
  }
}
