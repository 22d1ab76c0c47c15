/**
 * Files that are not regular files, made for real on the test machine: a FIFO (mkfifo), a listening Unix socket, a
 * directory, and the character devices every POSIX system has. `release()` undoes what a blocked reader would wait
 * for (it opens each FIFO for writing, which wakes a reader stuck in open(), then closes it), so a regression shows
 * up as a failed assertion and never as a stuck worker.
 */
import { spawnSync } from 'node:child_process'
import { constants } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as net from 'node:net'
import * as path from 'node:path'

export interface SpecialFile {
  /** What it is, for test names. */
  readonly kind: 'FIFO' | 'socket' | 'directory' | 'device'
  readonly path: string
}

export interface SpecialFiles {
  readonly files: ReadonlyArray<SpecialFile>
  /** Wakes any reader blocked on a FIFO, closes the socket. */
  readonly release: () => Promise<void>
}

/** Makes a FIFO at `p` (POSIX only). */
export const mkfifo = (p: string): void => {
  const r = spawnSync('mkfifo', ['-m', '600', p])
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr.toString()}`)
}

/** Opens a FIFO for writing without blocking and closes it at once: a reader blocked in open() wakes up. */
export const wakeFifo = async (p: string): Promise<void> => {
  try {
    const h = await fs.open(p, constants.O_WRONLY | constants.O_NONBLOCK)
    await h.close()
  } catch {
    // no reader waiting (ENXIO), or already gone
  }
}

/** Listens on a Unix socket at `p`. */
export const listenUnix = async (p: string): Promise<net.Server> => {
  const server = net.createServer((c) => c.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(p, () => resolve())
  })
  return server
}

/** Devices every Linux and macOS machine has; reading them never ends (`zero`, `urandom`) or gives nothing (`null`). */
export const DEVICES: ReadonlyArray<string> = ['/dev/zero', '/dev/urandom', '/dev/null']

/** One of each kind under `dir` (plus the devices). */
export const specialFiles = async (dir: string): Promise<SpecialFiles> => {
  const fifo = path.join(dir, 'fifo')
  mkfifo(fifo)
  const sock = path.join(dir, 'sock')
  const server = await listenUnix(sock)
  const sub = path.join(dir, 'subdir')
  await fs.mkdir(sub)
  return {
    files: [
      { kind: 'FIFO', path: fifo },
      { kind: 'socket', path: sock },
      { kind: 'directory', path: sub },
      ...DEVICES.map((d): SpecialFile => ({ kind: 'device', path: d })),
    ],
    release: async () => {
      // Several readers may be blocked on the same FIFO: wake it a few times.
      for (let i = 0; i < 8; i++) await wakeFifo(fifo)
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
