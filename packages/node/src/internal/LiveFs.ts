/**
 * How the live `Fs` of `../Fs.ts` works: capped reads of regular files, atomic writes, the write-back lock. Loaded
 * when the first `liveFs()` is made (the CommonJS build keeps it in a file of its own), so a process that uses static
 * credentials only, or imports the package from an ES module (which runs every public module), never compiles it.
 *
 * Internal: not exported by the package.
 *
 * @since 0.1.0
 */
import type * as Crypto from 'node:crypto'
import type * as FsPromises from 'node:fs/promises'
import type * as Os from 'node:os'
import type * as Path from 'node:path'
import { Fs } from '@alicred/core'
import type * as TE from 'fp-ts/TaskEither'
import { DEFAULT_FILE_MODE, type LiveFsOptions, type LockOptions } from '../Fs.js'
import * as E from './Either.js'

// Loaded on first use (`process.getBuiltinModule` is synchronous and cached by Node): importing the library, or
// using static credentials only, never pays for them.
const fsp = (): typeof FsPromises => process.getBuiltinModule('node:fs/promises')
const crypto = (): typeof Crypto => process.getBuiltinModule('node:crypto')
const os = (): typeof Os => process.getBuiltinModule('node:os')
const path = (): typeof Path => process.getBuiltinModule('node:path')

const errnoOf = (u: unknown): string | undefined =>
  typeof u === 'object' && u !== null && typeof (u as { code?: unknown }).code === 'string'
    ? (u as { code: string }).code
    : undefined

const toFsError =
  (p: string, verb: 'read' | 'write' | 'lock') =>
  (u: unknown): Fs.FsError => {
    const code = errnoOf(u)
    switch (code) {
      case 'ENOENT':
      case 'ENOTDIR':
        return Fs.fsError(
          'ENOENT',
          p,
          verb === 'read'
            ? `${p} does not exist`
            : `cannot ${verb} ${p}: its directory does not exist; create it first`,
        )
      case 'EACCES':
      case 'EPERM':
      case 'EROFS':
        return Fs.fsError(
          'EACCES',
          p,
          `cannot ${verb} ${p}: permission denied (${code}); check the permissions of the file and its directory`,
        )
      case 'EISDIR':
        return Fs.fsError('EISDIR', p, `cannot ${verb} ${p}: it is a directory, not a file`)
      case 'EFBIG':
        return Fs.fsError('EFBIG', p, `cannot ${verb} ${p}: the file is too large`)
      default:
        return Fs.fsError('EIO', p, `cannot ${verb} ${p}: ${code ?? 'unexpected error'}`)
    }
  }

const attempt =
  <A>(
    p: string,
    verb: 'read' | 'write' | 'lock',
    f: () => Promise<E.Either<Fs.FsError, A>>,
  ): TE.TaskEither<Fs.FsError, A> =>
  () =>
    f().catch((u) => E.left(toFsError(p, verb)(u)))

// The decoder drops a leading BOM (files saved by Windows editors) and replaces invalid bytes instead of throwing.
const utf8 = new TextDecoder('utf-8')

const fsConstants = (): typeof import('node:fs').constants => process.getBuiltinModule('node:fs').constants

// O_NONBLOCK makes opening a FIFO return at once even with no writer (a blocking open would hold a thread-pool
// thread until one appears, forever for a FIFO nobody writes); O_NOCTTY keeps a terminal device from becoming the
// controlling terminal. Neither exists on Windows, where FIFOs cannot sit at a file path anyway.
const readFlags = (): number => {
  const c = fsConstants()
  return c.O_RDONLY | (c.O_NONBLOCK ?? 0) | (c.O_NOCTTY ?? 0)
}

type Stats = import('node:fs').Stats

const kindOf = (st: Stats): string =>
  st.isFIFO()
    ? 'a FIFO (named pipe)'
    : st.isSocket()
      ? 'a socket'
      : st.isCharacterDevice()
        ? 'a character device'
        : st.isBlockDevice()
          ? 'a block device'
          : 'not a regular file'

const notAFile = (p: string, kind: string): Fs.FsError =>
  Fs.fsError(
    'ENOTFILE',
    p,
    `${p} is ${kind}, not a regular file; credential files must be regular files, so point the setting at the file itself`,
  )

// A path whose open() fails with ENXIO or EOPNOTSUPP is a socket (or a device with no driver): say which, from stat.
const describeUnopenable = async (p: string, u: unknown): Promise<Fs.FsError | undefined> => {
  const code = errnoOf(u)
  if (code !== 'ENXIO' && code !== 'EOPNOTSUPP' && code !== 'ENODEV') return undefined
  const st = await fsp()
    .stat(p)
    .catch(() => undefined)
  return notAFile(p, st === undefined ? 'not a regular file' : kindOf(st))
}

/**
 * Reads at most `maxBytes` of a regular file. Anything else (a directory, FIFO, socket or device) is refused after
 * `fstat` on the non-blocking descriptor, before any read: no thread-pool thread ever waits on a writer that may
 * never come, and an endless device such as `/dev/zero` is never read.
 */
const readCapped = async (p: string, maxBytes: number): Promise<E.Either<Fs.FsError, string>> => {
  let handle: FsPromises.FileHandle
  try {
    handle = await fsp().open(p, readFlags())
  } catch (u) {
    const special = await describeUnopenable(p, u)
    if (special !== undefined) return E.left(special)
    throw u
  }
  try {
    const st = await handle.stat()
    if (st.isDirectory()) return E.left(toFsError(p, 'read')({ code: 'EISDIR' }))
    if (!st.isFile()) return E.left(notAFile(p, kindOf(st)))
    if (st.size > maxBytes) {
      return E.left(
        Fs.fsError('EFBIG', p, `${p} is ${st.size} bytes, more than the ${maxBytes} allowed; is it the right file?`),
      )
    }
    // The size from stat is a hint only (the file may grow, or be a /proc file that reports 0): read at most one
    // byte more than allowed and decide on what was actually read.
    const buffer = Buffer.alloc(maxBytes + 1)
    let filled = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null)
      if (bytesRead === 0) break
      filled += bytesRead
      if (filled > maxBytes) {
        return E.left(
          Fs.fsError('EFBIG', p, `${p} is larger than the ${maxBytes} bytes allowed; is it the right file?`),
        )
      }
    }
    return E.right(utf8.decode(buffer.subarray(0, filled)))
  } finally {
    await handle.close()
  }
}

const tempName = (target: string): string =>
  path().join(
    path().dirname(target),
    `.${path().basename(target)}.${process.pid}.${crypto().randomBytes(6).toString('hex')}.tmp`,
  )

// Writing through a symlink (a dotfiles manager's link to ~/.aliyun/config.json) must update the file it points
// to, not replace the link with a regular file.
const resolveTarget = (p: string): Promise<string> =>
  fsp()
    .realpath(p)
    .catch(() => p)

const statOf = (p: string): Promise<import('node:fs').Stats | undefined> =>
  fsp()
    .stat(p)
    .catch(() => undefined)

// The temp file is created by this process, so it belongs to this process's user and group. Replacing a file that
// belongs to someone else (`sudo -E` refreshing a user's config.json) must keep its owner and group, or that user
// can no longer read it: the temp file is given to them first, and if this process may not do that, nothing is
// replaced.
const ownerError = (p: string, st: import('node:fs').Stats, uid: number): Fs.FsError =>
  Fs.fsError(
    'EACCES',
    p,
    `cannot replace ${p} and keep its owner and group (uid ${st.uid}, gid ${st.gid}): this process (uid ${uid}) may not give a file to them, so ${p} was left as it was; run as the file's owner`,
  )

const writeAtomic = async (p: string, data: string, mode: number | undefined): Promise<E.Either<Fs.FsError, void>> => {
  const target = await resolveTarget(p)
  const existing = await statOf(target)
  const finalMode = mode ?? (existing === undefined ? DEFAULT_FILE_MODE : existing.mode & 0o7777)
  const uid = process.geteuid?.()
  const gid = process.getegid?.()
  const temp = tempName(target)
  let handle: FsPromises.FileHandle | undefined
  const discard = async (): Promise<void> => {
    await handle?.close().catch(() => undefined)
    handle = undefined
    await fsp()
      .rm(temp, { force: true })
      .catch(() => undefined)
  }
  try {
    handle = await fsp().open(temp, 'wx', finalMode)
    if (existing !== undefined && uid !== undefined && (existing.uid !== uid || existing.gid !== gid)) {
      try {
        await handle.chown(existing.uid, existing.gid)
      } catch {
        await discard()
        return E.left(ownerError(p, existing, uid))
      }
    }
    // open() applies the umask, and chown clears set-id bits: chmod last sets the mode the caller (or the old file)
    // asked for.
    await handle.chmod(finalMode)
    await handle.writeFile(data, 'utf8')
    await handle.sync()
    await handle.close()
    handle = undefined
    await fsp().rename(temp, target)
  } catch (u) {
    await discard()
    return E.left(toFsError(p, 'write')(u))
  }
  await syncDir(path().dirname(target))
  return E.right(undefined)
}

// Persists the rename itself. Not possible everywhere (Windows refuses to open directories): best effort.
const syncDir = async (dir: string): Promise<void> => {
  try {
    const h = await fsp().open(dir, 'r')
    try {
      await h.sync()
    } finally {
      await h.close()
    }
  } catch {
    // best effort
  }
}

// A lock wait is a foreground operation the caller awaits, so its timer stays ref'd (an unref'd one could let the
// process exit mid-wait). It is bounded by `waitMs`.
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

interface LockOwner {
  readonly pid: number
  readonly host: string
  readonly token: string
}

// A lock file holds one small JSON record; anything else (a FIFO planted at the lock path, a huge file) is not read.
const LOCK_FILE_MAX_BYTES = 4096

const readOwner = async (lockPath: string): Promise<LockOwner | undefined> => {
  try {
    const text = await readCapped(lockPath, LOCK_FILE_MAX_BYTES)
    if (E.isLeft(text)) return undefined
    const u = JSON.parse(text.right) as Partial<LockOwner>
    return typeof u.pid === 'number' && typeof u.host === 'string' && typeof u.token === 'string'
      ? { pid: u.pid, host: u.host, token: u.token }
      : undefined
  } catch {
    return undefined
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (u) {
    // EPERM: the process exists but belongs to someone else.
    return errnoOf(u) === 'EPERM'
  }
}

/**
 * Whether a lock file may be broken: it is older than `staleMs`, or it names a process of this host that is gone.
 * A lock file that is being written (no owner readable yet) is only judged by age.
 */
const isStale = async (
  lockPath: string,
  staleMs: number,
): Promise<{ readonly ino: number; readonly mtimeMs: number } | undefined> => {
  const st = await fsp()
    .stat(lockPath)
    .catch(() => undefined)
  if (st === undefined) return undefined
  const id = { ino: st.ino, mtimeMs: st.mtimeMs }
  if (Date.now() - st.mtimeMs > staleMs) return id
  const owner = await readOwner(lockPath)
  if (owner !== undefined && owner.host === os().hostname() && owner.pid !== process.pid && !isAlive(owner.pid))
    return id
  return undefined
}

const acquire = async (
  target: string,
  options: Required<LockOptions>,
): Promise<E.Either<Fs.FsError, () => Promise<void>>> => {
  const lockPath = `${target}.lock`
  const deadline = Date.now() + options.waitMs
  const owner: LockOwner = { pid: process.pid, host: os().hostname(), token: crypto().randomBytes(12).toString('hex') }
  for (;;) {
    try {
      const h = await fsp().open(lockPath, 'wx', 0o600)
      try {
        await h.writeFile(JSON.stringify(owner), 'utf8')
      } finally {
        await h.close()
      }
      let released = false
      return E.right(async () => {
        if (released) return
        released = true
        // Only remove the lock if it is still ours: a holder that overran `staleMs` may have been broken.
        const current = await readOwner(lockPath)
        if (current?.token === owner.token)
          await fsp()
            .rm(lockPath, { force: true })
            .catch(() => undefined)
      })
    } catch (u) {
      if (errnoOf(u) !== 'EEXIST') return E.left(toFsError(target, 'lock')(u))
    }
    const stale = await isStale(lockPath, options.staleMs)
    if (stale !== undefined) {
      // Break it only if it is still the file judged stale (not a fresh lock taken meanwhile).
      const again = await fsp()
        .stat(lockPath)
        .catch(() => undefined)
      if (again !== undefined && again.ino === stale.ino && again.mtimeMs === stale.mtimeMs) {
        await fsp()
          .rm(lockPath, { force: true })
          .catch(() => undefined)
      }
      continue
    }
    if (Date.now() >= deadline) {
      return E.left(
        Fs.fsError(
          'ELOCKED',
          target,
          `${target} is locked by another process (lock file ${lockPath}); waited ${options.waitMs} ms. If no alicred process is running, delete the lock file`,
        ),
      )
    }
    await pause(Math.min(options.retryMs, Math.max(1, deadline - Date.now())))
  }
}

/** The live `Fs` that `liveFs(options)` returns. @since 0.1.0 */
export const create = (options: LiveFsOptions): Fs.Fs => {
  const lockOptions: Required<LockOptions> = {
    waitMs: options.lock?.waitMs ?? 10_000,
    staleMs: options.lock?.staleMs ?? 30_000,
    retryMs: options.lock?.retryMs ?? 50,
  }
  return {
    readFile: (p, o) => attempt(p, 'read', () => readCapped(p, o?.maxBytes ?? Fs.DEFAULT_MAX_BYTES)),
    writeFileAtomic: (p, data, o) => attempt(p, 'write', () => writeAtomic(p, data, o?.mode)),
    homedir: () => {
      if (options.home !== undefined) return options.home === '' ? undefined : options.home
      try {
        const h = os().homedir()
        return h === '' ? undefined : h
      } catch {
        return undefined
      }
    },
    lock: (p) => attempt(p, 'lock', async () => acquire(await resolveTarget(p), lockOptions)),
  }
}
