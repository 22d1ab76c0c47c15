// Helpers shared by the example tests (not an example): a temp directory per test and a check that a test left no
// server, socket or timer behind.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const handles = (): ReadonlyArray<string> =>
  process
    .getActiveResourcesInfo()
    .filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap' || r === 'Timeout')
    .sort()

// Closed sockets and servers leave the event loop a few turns later.
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r))
}

/** Records the open handles now; `check()` throws if servers, sockets or timers were added since. */
export const leakCheck = async (): Promise<{ readonly check: () => Promise<void> }> => {
  await settle()
  const before = handles()
  return {
    check: async () => {
      await settle()
      const after = handles()
      const count = (xs: ReadonlyArray<string>, k: string) => xs.filter((x) => x === k).length
      const added = [...new Set(after)].filter((k) => count(after, k) > count(before, k))
      if (added.length > 0) throw new Error(`leaked handles: before [${before}], after [${after}]`)
    },
  }
}

/** A fresh temp directory, and a way to write files under it. */
export const tempDir = async (
  prefix: string,
): Promise<{
  readonly path: string
  readonly file: (relative: string, content: string) => Promise<string>
  readonly remove: () => Promise<void>
}> => {
  const path = await mkdtemp(join(tmpdir(), `alicred-example-${prefix}-`))
  return {
    path,
    file: async (relative, content) => {
      const target = join(path, relative)
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, content, { mode: 0o600 })
      return target
    },
    remove: () => rm(path, { recursive: true, force: true }),
  }
}
