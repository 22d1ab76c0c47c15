/**
 * The live `Fs` on `node:fs/promises`: size-capped UTF-8 reads of regular files only, atomic writes (temp file in the
 * same directory, fsync, rename; mode, owner and group preserved) and a cross-process advisory lock (an `O_EXCL` lock
 * file with stale-lock detection and a bounded wait), for read-modify-write of the Aliyun CLI's config.json.
 *
 * @since 0.1.0
 */
import type { Fs } from '@alicred/core'
import * as LiveFs from './internal/LiveFs.js'

/** How the write-back lock waits for, and breaks, another holder's lock file. @category capabilities @since 0.1.0 */
export interface LockOptions {
  /** How long `lock` waits for another holder before failing with `ELOCKED`. Default 10 000 ms. */
  readonly waitMs?: number
  /** A lock file older than this is considered abandoned and broken. Default 30 000 ms. */
  readonly staleMs?: number
  /** Pause between attempts. Default 50 ms. */
  readonly retryMs?: number
}

/**
 * What `liveFs` may be told instead of its defaults: the home directory and the lock's timings.
 *
 * @category capabilities
 * @since 0.1.0
 */
export interface LiveFsOptions {
  /** The home directory to report. Default: `os.homedir()` (which honours `$HOME` on POSIX). */
  readonly home?: string
  readonly lock?: LockOptions
}

/** Files holding credentials are private unless they already had another mode. @category capabilities @since 0.1.0 */
export const DEFAULT_FILE_MODE = 0o600

/**
 * The live file system.
 *
 * - `readFile` refuses files over `maxBytes` (default 1 MiB) with `EFBIG`, and anything that is not a regular file
 *   (`EISDIR`, or `ENOTFILE` for a FIFO, socket or device) without blocking on it: the path is opened non-blocking
 *   and checked with `fstat` before any read. `ENOENT`, `EACCES` and the rest become `FsError`s that name the path,
 *   never the contents.
 * - `writeFileAtomic` writes a temp file next to the target, fsyncs and renames it over the target, keeping the
 *   target's mode (or `0600` for a new file), owner and group; when this process may not give the file to its owner
 *   (a file of another user, written without privileges), it refuses with `EACCES` and leaves the target as it
 *   was. Symlinks are written through.
 * - `lock(path)` creates `path.lock` with `O_EXCL`, breaks it when it is older than `staleMs` or its process is
 *   gone, and waits at most `waitMs`.
 *
 * @example
 * import { liveFs } from '@alicred/node'
 * const r = await liveFs().readFile('/does/not/exist')()
 * assert.strictEqual(r._tag === 'Left' && r.left.code, 'ENOENT')
 * @category capabilities
 * @since 0.1.0
 */
export const liveFs = (options: LiveFsOptions = {}): Fs.Fs => LiveFs.create(options)
