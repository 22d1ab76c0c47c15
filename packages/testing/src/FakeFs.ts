/**
 * An in-memory file system with a home directory, for tests: seed files, make paths unreadable, count reads and
 * inspect writes. Nothing touches the real disk.
 *
 * @since 0.1.0
 */
import { Fs } from '@alicred/core'
import * as TE from 'fp-ts/TaskEither'

/** An in-memory `Fs`: files by path, the modes written, and locks. @category fakes @since 0.1.0 */
export interface FakeFs extends Fs.Fs {
  /** Current contents by absolute path. */
  readonly files: ReadonlyMap<string, string>
  /** The `mode` of the last write of each path that was written with one (e.g. `0o600`). */
  readonly modes: ReadonlyMap<string, number>
  /** Sets a file's contents (`~/` expands to the home directory). */
  readonly put: (path: string, contents: string) => void
  /** Deletes a file. */
  readonly remove: (path: string) => void
  /** Makes reads and writes of `path` fail with `code` (e.g. `EACCES`) until cleared with `undefined`. */
  readonly failOn: (path: string, code: Fs.FsErrorCode | undefined) => void
  /** Paths read, in order (as passed). */
  readonly reads: ReadonlyArray<string>
  /** Paths written, in order (as passed). */
  readonly writes: ReadonlyArray<string>
}

/** The home directory of a `FakeFs`. @category fakes @since 0.1.0 */
export interface FakeFsOptions {
  /** Default `/home/user`; `null` means "no home directory". */
  readonly home?: string | null
}

/**
 * A fake file system seeded with `initial` (paths may start with `~/`).
 *
 * @example
 * import { fakeFs } from '@alicred/testing'
 * const fs = fakeFs({ '~/.alibabacloud/credentials': '[default]\ntype = access_key' })
 * const r = await fs.readFile('/home/user/.alibabacloud/credentials')()
 * assert.strictEqual(r._tag, 'Right')
 * const missing = await fs.readFile('/home/user/.aliyun/config.json')()
 * assert.strictEqual(missing._tag === 'Left' && missing.left.code, 'ENOENT')
 * @category fakes
 * @since 0.1.0
 */
export const fakeFs = (initial: Readonly<Record<string, string>> = {}, options: FakeFsOptions = {}): FakeFs => {
  const home = options.home === undefined ? '/home/user' : options.home
  const expand = (p: string): string => (home !== null && p.startsWith('~/') ? `${home}/${p.slice(2)}` : p)
  const files = new Map<string, string>(Object.entries(initial).map(([k, v]) => [expand(k), v]))
  const modes = new Map<string, number>()
  const failures = new Map<string, Fs.FsErrorCode>()
  const locks = new Map<string, Promise<void>>()
  const reads: Array<string> = []
  const writes: Array<string> = []
  return {
    files,
    modes,
    put: (p, c) => void files.set(expand(p), c),
    remove: (p) => void files.delete(expand(p)),
    failOn: (p, code) => (code === undefined ? failures.delete(expand(p)) : failures.set(expand(p), code)),
    reads,
    writes,
    homedir: () => home ?? undefined,
    readFile: (path, opts) => () => {
      reads.push(path)
      const abs = expand(path)
      const code = failures.get(abs)
      if (code !== undefined) return TE.left(Fs.fsError(code, path, `${code}: cannot read ${path}`))()
      const c = files.get(abs)
      if (c === undefined) return TE.left(Fs.fsError('ENOENT', path, `no such file: ${path}`))()
      const max = opts?.maxBytes ?? Fs.DEFAULT_MAX_BYTES
      if (new TextEncoder().encode(c).length > max) {
        return TE.left(Fs.fsError('EFBIG', path, `${path} is larger than ${max} bytes`))()
      }
      return TE.right(c)()
    },
    writeFileAtomic: (path, data, opts) => () => {
      const abs = expand(path)
      const code = failures.get(abs)
      if (code !== undefined) return TE.left(Fs.fsError(code, path, `${code}: cannot write ${path}`))()
      writes.push(path)
      files.set(abs, data)
      if (opts?.mode !== undefined) modes.set(abs, opts.mode)
      return TE.right<Fs.FsError, void>(undefined)()
    },
    lock: (path) => async () => {
      const abs = expand(path)
      for (;;) {
        const held = locks.get(abs)
        if (held === undefined) break
        await held
      }
      let release!: () => void
      const mine = new Promise<void>((r) => {
        release = r
      })
      locks.set(abs, mine)
      let released = false
      return TE.right<Fs.FsError, () => Promise<void>>(async () => {
        // Releasing twice must not free a lock someone else took in between.
        if (released) return
        released = true
        if (locks.get(abs) === mine) locks.delete(abs)
        release()
      })()
    },
  }
}
