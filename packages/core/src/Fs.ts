/**
 * The file-system capability: read, atomic write, home directory and an advisory lock for read-modify-write of
 * shared config files (the Aliyun CLI's config.json).
 *
 * @since 0.1.0
 */
import type * as TE from 'fp-ts/TaskEither'

/**
 * `ENOTFILE`: the path exists but is not a regular file (a FIFO, socket, character or block device). Credential
 * files are always regular files; reading anything else could block forever (a FIFO with no writer) or never end
 * (`/dev/zero`). `ENOSYS`: this runtime has no file system.
 *
 * @since 0.1.0
 */
export type FsErrorCode = 'ENOENT' | 'EACCES' | 'EISDIR' | 'ENOTFILE' | 'EFBIG' | 'ELOCKED' | 'EIO' | 'ENOSYS'

/** @since 0.1.0 */
export interface FsError {
  readonly _tag: 'FsError'
  readonly code: FsErrorCode
  readonly path: string
  /** Describes the failure; never contains file contents. */
  readonly message: string
}

/** @since 0.1.0 */
export interface ReadOptions {
  /** Refuse files larger than this (`EFBIG`). Default 1 MiB: credential files are small. */
  readonly maxBytes?: number
}

/** @since 0.1.0 */
export interface Fs {
  /**
   * Reads a UTF-8 text file. Anything that is not a regular file is refused (`EISDIR` for a directory, `ENOTFILE`
   * for a FIFO, socket or device) without waiting on it, and so is a file larger than `maxBytes` (`EFBIG`).
   */
  readonly readFile: (path: string, options?: ReadOptions) => TE.TaskEither<FsError, string>
  /** Writes a file atomically (temp file + rename), so readers see the old or the new content, never a mix. */
  readonly writeFileAtomic: (
    path: string,
    data: string,
    options?: { readonly mode?: number },
  ) => TE.TaskEither<FsError, void>
  /** The user's home directory, or `undefined` when it cannot be determined. */
  readonly homedir: () => string | undefined
  /**
   * Takes an exclusive lock on `path` (across processes for live file systems) and yields its release. Used around
   * read-modify-write of config.json.
   */
  readonly lock: (path: string) => TE.TaskEither<FsError, () => Promise<void>>
}

/** Default cap for credential files. @since 0.1.0 */
export const DEFAULT_MAX_BYTES = 1024 * 1024

/**
 * Builds an `FsError`.
 *
 * @since 0.1.0
 */
export const fsError = (code: FsErrorCode, path: string, message: string): FsError => ({
  _tag: 'FsError',
  code,
  path,
  message,
})

/**
 * Joins path segments with `/`, collapsing duplicate separators. Core cannot use `node:path`; credential paths are
 * POSIX-style or tolerate `/` on Windows.
 *
 * @since 0.1.0
 */
export const join = (...parts: ReadonlyArray<string>): string =>
  parts
    .filter((p) => p !== '')
    .join('/')
    .replace(/(?<!:)\/{2,}/g, '/')

/**
 * The file system of a runtime that has none (Cloudflare Workers, browsers; `webCapabilities` uses it): every
 * operation fails with `ENOSYS` and a message saying why, which file-based sources turn into `NotConfigured`. Its
 * home directory is `~`, so those messages name the usual paths (`~/.alibabacloud/credentials`).
 *
 * @example
 * import { Fs } from '@alicred/core'
 * const fs = Fs.unavailable('webCapabilities has no file system')
 * const r = await fs.readFile('/etc/token')()
 * assert.deepStrictEqual(r._tag === 'Left' && [r.left.code, r.left.message], ['ENOSYS', 'webCapabilities has no file system'])
 * assert.strictEqual(fs.homedir(), '~')
 * @since 0.1.0
 */
export const unavailable = (why: string): Fs => {
  const no = <A>(path: string): TE.TaskEither<FsError, A> => {
    const e: FsError = fsError('ENOSYS', path, why)
    return () => Promise.resolve({ _tag: 'Left', left: e })
  }
  return {
    readFile: (path) => no(path),
    writeFileAtomic: (path) => no(path),
    homedir: () => '~',
    lock: (path) => no(path),
  }
}
