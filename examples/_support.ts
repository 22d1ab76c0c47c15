// Helpers shared by the example tests (not an example): a temp directory per test. (The open-handle check is
// `openHandles` of @alicred/testing/emulator.)
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

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
