import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs/promises'
import { homedir, hostname, tmpdir } from 'node:os'
import * as path from 'node:path'
import { Fs } from '@alicred/core'
import { DEFAULT_FILE_MODE, liveFs } from '@alicred/node'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEVICES, listenUnix, mkfifo, wakeFifo } from './helpers/specialFiles.js'

let dir: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'alicred-fs-'))
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

const isRoot = process.getuid?.() === 0
const isPosix = process.platform !== 'win32'
const modeOf = async (p: string) => (await fs.stat(p)).mode & 0o777
const leftovers = async () => (await fs.readdir(dir)).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))

describe('liveFs.readFile', () => {
  it('reads UTF-8 text and drops a leading BOM', async () => {
    const p = path.join(dir, 'credentials')
    await fs.writeFile(p, '\uFEFF[default]\ntype = access_key # 中文\n')
    expect(await liveFs().readFile(p)()).toEqual({ _tag: 'Right', right: '[default]\ntype = access_key # 中文\n' })
  })

  it('maps a missing file (or a missing directory on the way) to ENOENT', async () => {
    const missing = path.join(dir, 'nope')
    expect(await liveFs().readFile(missing)()).toEqual({
      _tag: 'Left',
      left: Fs.fsError('ENOENT', missing, `${missing} does not exist`),
    })
    const file = path.join(dir, 'file')
    await fs.writeFile(file, 'x')
    const under = path.join(file, 'child')
    expect(await liveFs().readFile(under)()).toEqual({
      _tag: 'Left',
      left: Fs.fsError('ENOENT', under, `${under} does not exist`),
    })
  })

  it('maps a directory to EISDIR', async () => {
    expect(await liveFs().readFile(dir)()).toEqual({
      _tag: 'Left',
      left: Fs.fsError('EISDIR', dir, `cannot read ${dir}: it is a directory, not a file`),
    })
  })

  const notAFile = (p: string, kind: string) =>
    Fs.fsError(
      'ENOTFILE',
      p,
      `${p} is ${kind}, not a regular file; credential files must be regular files, so point the setting at the file itself`,
    )
  // A hang must fail the test, not the run: the race turns "never settles" into a value.
  const settled = <A>(p: Promise<A>, ms = 3_000): Promise<A | 'still waiting'> =>
    Promise.race([p, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms).unref())])

  describe.skipIf(!isPosix)('anything but a regular file', () => {
    it('refuses a FIFO with no writer at once (ENOTFILE), without waiting for a writer', async () => {
      const p = path.join(dir, 'credentials')
      mkfifo(p)
      try {
        expect(await settled(liveFs().readFile(p)())).toEqual({
          _tag: 'Left',
          left: notAFile(p, 'a FIFO (named pipe)'),
        })
      } finally {
        await wakeFifo(p)
      }
    })

    it('refuses a FIFO that has a writer (ENOTFILE), reading nothing from it', async () => {
      const p = path.join(dir, 'credentials')
      mkfifo(p)
      const reader = await fs.open(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)
      const writer = await fs.open(p, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)
      try {
        const written = '[default]\ntype = access_key\n'
        await writer.write(written)
        expect(await settled(liveFs().readFile(p)())).toEqual({
          _tag: 'Left',
          left: notAFile(p, 'a FIFO (named pipe)'),
        })
        // what the writer wrote is still in the pipe: nothing was consumed
        const { bytesRead } = await reader.read(Buffer.alloc(64), 0, 64, null)
        expect(bytesRead).toBe(written.length)
      } finally {
        await writer.close()
        await reader.close()
      }
    })

    it('refuses a Unix socket (ENOTFILE)', async () => {
      const p = path.join(dir, 'sock')
      const server = await listenUnix(p)
      try {
        expect(await settled(liveFs().readFile(p)())).toEqual({ _tag: 'Left', left: notAFile(p, 'a socket') })
      } finally {
        server.close()
      }
    })

    it.each(DEVICES)('refuses the device %s (ENOTFILE) instead of reading it', async (device) => {
      expect(await settled(liveFs().readFile(device)())).toEqual({
        _tag: 'Left',
        left: notAFile(device, 'a character device'),
      })
    })

    it('refuses a symlink to a FIFO, and reads through a symlink to a regular file', async () => {
      const fifo = path.join(dir, 'fifo')
      mkfifo(fifo)
      const link = path.join(dir, 'link')
      await fs.symlink(fifo, link)
      const file = path.join(dir, 'file')
      await fs.writeFile(file, 'ok')
      const good = path.join(dir, 'good')
      await fs.symlink(file, good)
      try {
        expect(await settled(liveFs().readFile(link)())).toEqual({
          _tag: 'Left',
          left: notAFile(link, 'a FIFO (named pipe)'),
        })
        expect(await liveFs().readFile(good)()).toEqual({ _tag: 'Right', right: 'ok' })
      } finally {
        await wakeFifo(fifo)
      }
    })

    it('never takes a thread-pool thread: many FIFO reads leave fs calls working', async () => {
      // libuv has 4 pool threads by default; a blocking open() of a FIFO holds one until a writer comes.
      const fifos = Array.from({ length: 8 }, (_, i) => path.join(dir, `fifo-${i}`))
      for (const f of fifos) mkfifo(f)
      const file = path.join(dir, 'plain')
      await fs.writeFile(file, 'plain')
      const reads = fifos.map((f) => liveFs().readFile(f)())
      try {
        expect(await settled(fs.readFile(file, 'utf8'))).toBe('plain')
        const results = await settled(Promise.all(reads))
        expect(results).toEqual(fifos.map((f) => ({ _tag: 'Left', left: notAFile(f, 'a FIFO (named pipe)') })))
      } finally {
        for (const f of fifos) await wakeFifo(f)
      }
    })

    it('does not read a lock file that is a FIFO (the lock waits, then reports ELOCKED)', async () => {
      const target = path.join(dir, 'config.json')
      await fs.writeFile(target, '{}')
      mkfifo(`${target}.lock`)
      try {
        const r = await settled(liveFs({ lock: { waitMs: 100, retryMs: 10 } }).lock(target)())
        expect(r !== 'still waiting' && r._tag === 'Left' && r.left.code).toBe('ELOCKED')
      } finally {
        await wakeFifo(`${target}.lock`)
      }
    })
  })

  it('refuses a file over the cap with EFBIG, and accepts one of exactly the cap', async () => {
    const p = path.join(dir, 'big')
    await fs.writeFile(p, 'x'.repeat(11))
    expect(await liveFs().readFile(p, { maxBytes: 10 })()).toEqual({
      _tag: 'Left',
      left: Fs.fsError('EFBIG', p, `${p} is 11 bytes, more than the 10 allowed; is it the right file?`),
    })
    expect(await liveFs().readFile(p, { maxBytes: 11 })()).toEqual({ _tag: 'Right', right: 'x'.repeat(11) })
  })

  it.skipIf(process.platform !== 'linux')(
    'caps what is read, not what stat reports (procfs files report size 0)',
    async () => {
      const r = await liveFs().readFile('/proc/self/status', { maxBytes: 16 })()
      expect(r).toEqual({
        _tag: 'Left',
        left: Fs.fsError(
          'EFBIG',
          '/proc/self/status',
          '/proc/self/status is larger than the 16 bytes allowed; is it the right file?',
        ),
      })
    },
  )

  // Root reads anything, so permissions cannot be provoked as root.
  it.skipIf(isRoot || !isPosix)('maps an unreadable file to EACCES', async () => {
    const p = path.join(dir, 'secret')
    await fs.writeFile(p, 'x', { mode: 0o000 })
    const r = await liveFs().readFile(p)()
    expect(r._tag === 'Left' && r.left.code).toBe('EACCES')
  })

  it('never puts file contents into an error', async () => {
    const p = path.join(dir, 'big')
    await fs.writeFile(p, 'LTAI-SECRET-VALUE'.repeat(10))
    const r = await liveFs().readFile(p, { maxBytes: 8 })()
    expect(JSON.stringify(r)).not.toContain('SECRET')
  })
})

describe('liveFs.writeFileAtomic', () => {
  it('creates a new file with mode 0600 and leaves no temp file', async () => {
    const p = path.join(dir, 'config.json')
    expect(await liveFs().writeFileAtomic(p, '{"a":1}')()).toEqual({ _tag: 'Right', right: undefined })
    expect(await fs.readFile(p, 'utf8')).toBe('{"a":1}')
    if (isPosix) expect(await modeOf(p)).toBe(DEFAULT_FILE_MODE)
    expect(await leftovers()).toEqual([])
  })

  it.skipIf(!isPosix)('replaces the contents and keeps the existing mode, or sets the one asked for', async () => {
    const p = path.join(dir, 'config.json')
    await fs.writeFile(p, 'old')
    await fs.chmod(p, 0o640)
    await liveFs().writeFileAtomic(p, 'new')()
    expect([await fs.readFile(p, 'utf8'), await modeOf(p)]).toEqual(['new', 0o640])
    await liveFs().writeFileAtomic(p, 'newer', { mode: 0o600 })()
    expect([await fs.readFile(p, 'utf8'), await modeOf(p)]).toEqual(['newer', 0o600])
  })

  // D5: `sudo -E` refreshing a user's config.json made it root:root, and the user could no longer read it.
  it.skipIf(!isRoot)('keeps the owner, group and mode of a file that belongs to someone else (as root)', async () => {
    const p = path.join(dir, 'config.json')
    await fs.writeFile(p, 'old', { mode: 0o640 })
    await fs.chown(p, 4242, 4343)
    await fs.chmod(p, 0o640)
    expect(await liveFs().writeFileAtomic(p, 'new')()).toEqual({ _tag: 'Right', right: undefined })
    const st = await fs.stat(p)
    expect([await fs.readFile(p, 'utf8'), st.uid, st.gid, st.mode & 0o7777]).toEqual(['new', 4242, 4343, 0o640])
    expect(await leftovers()).toEqual([])
  })

  it.skipIf(!isPosix)(
    "refuses, leaving the file as it was, when it may not give the new file to the old one's owner",
    async () => {
      const p = path.join(dir, 'config.json')
      await fs.writeFile(p, 'old', { mode: 0o600 })
      const st = await fs.stat(p)
      // A file owned by another user, written by a process without the right to give files away: chown fails with
      // EPERM. Simulated on the FileHandle, since this test cannot switch users.
      const probe = await fs.open(p, 'r')
      const proto = Object.getPrototypeOf(probe) as { chown: (...a: Array<unknown>) => Promise<void> }
      await probe.close()
      const chown = proto.chown
      const geteuid = process.geteuid
      proto.chown = () => Promise.reject(Object.assign(new Error('EPERM'), { code: 'EPERM' }))
      process.geteuid = () => st.uid + 1
      try {
        const r = await liveFs().writeFileAtomic(p, 'new')()
        expect(r).toEqual({
          _tag: 'Left',
          left: Fs.fsError(
            'EACCES',
            p,
            `cannot replace ${p} and keep its owner and group (uid ${st.uid}, gid ${st.gid}): this process (uid ${st.uid + 1}) may not give a file to them, so ${p} was left as it was; run as the file's owner`,
          ),
        })
      } finally {
        proto.chown = chown
        if (geteuid !== undefined) process.geteuid = geteuid
      }
      expect(await fs.readFile(p, 'utf8')).toBe('old')
      expect(await leftovers()).toEqual([])
    },
  )

  it('replaces by rename: a reader holding the old file keeps seeing the old contents', async () => {
    const p = path.join(dir, 'config.json')
    await fs.writeFile(p, 'old contents')
    const before = await fs.stat(p)
    const handle = await fs.open(p, 'r')
    try {
      await liveFs().writeFileAtomic(p, 'new contents')()
      expect((await handle.readFile('utf8')) as string).toBe('old contents')
      expect((await fs.stat(p)).ino).not.toBe(before.ino)
    } finally {
      await handle.close()
    }
  })

  it.skipIf(!isPosix)('writes through a symlink, keeping the link', async () => {
    const real = path.join(dir, 'real.json')
    const link = path.join(dir, 'link.json')
    await fs.writeFile(real, 'old')
    await fs.symlink(real, link)
    await liveFs().writeFileAtomic(link, 'new')()
    expect([(await fs.lstat(link)).isSymbolicLink(), await fs.readFile(real, 'utf8')]).toEqual([true, 'new'])
  })

  it('fails with ENOENT when the directory does not exist', async () => {
    const p = path.join(dir, 'missing', 'config.json')
    expect(await liveFs().writeFileAtomic(p, 'x')()).toEqual({
      _tag: 'Left',
      left: Fs.fsError('ENOENT', p, `cannot write ${p}: its directory does not exist; create it first`),
    })
  })

  it('removes its temp file when the rename fails', async () => {
    const p = path.join(dir, 'target')
    await fs.mkdir(p)
    await fs.writeFile(path.join(p, 'inside'), 'x')
    const r = await liveFs().writeFileAtomic(p, 'x')()
    expect(r._tag === 'Left' && r.left.path).toBe(p)
    expect(await leftovers()).toEqual([])
  })
})

describe('liveFs.lock', () => {
  const fast = { waitMs: 300, staleMs: 30_000, retryMs: 10 }

  it('creates an exclusive lock file and removes it on release (release is idempotent)', async () => {
    const p = path.join(dir, 'config.json')
    const r = await liveFs().lock(p)()
    expect(r._tag).toBe('Right')
    const owner = JSON.parse(await fs.readFile(`${p}.lock`, 'utf8'))
    expect(owner).toEqual({ pid: process.pid, host: hostname(), token: expect.stringMatching(/^[0-9a-f]{24}$/) })
    if (r._tag === 'Right') {
      await r.right()
      await r.right()
    }
    expect(await leftovers()).toEqual([])
  })

  it('makes a second holder wait for the first', async () => {
    const p = path.join(dir, 'config.json')
    const fsA = liveFs({ lock: fast })
    const events: Array<string> = []
    const first = await fsA.lock(p)()
    if (first._tag !== 'Right') throw new Error('no lock')
    const second = fsA
      .lock(p)()
      .then((r) => {
        events.push('second acquired')
        return r
      })
    await new Promise((r) => setTimeout(r, 50))
    events.push('first released')
    await first.right()
    const r2 = await second
    expect(events).toEqual(['first released', 'second acquired'])
    if (r2._tag === 'Right') await r2.right()
  })

  it('gives up after waitMs with ELOCKED naming the lock file', async () => {
    const p = path.join(dir, 'config.json')
    const held = await liveFs().lock(p)()
    const started = Date.now()
    const r = await liveFs({ lock: fast }).lock(p)()
    expect(Date.now() - started).toBeGreaterThanOrEqual(280)
    expect(r).toEqual({
      _tag: 'Left',
      left: Fs.fsError(
        'ELOCKED',
        p,
        `${p} is locked by another process (lock file ${p}.lock); waited 300 ms. If no alicred process is running, delete the lock file`,
      ),
    })
    if (held._tag === 'Right') await held.right()
  })

  it('breaks a lock older than staleMs', async () => {
    const p = path.join(dir, 'config.json')
    await fs.writeFile(`${p}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), token: 'x' }))
    const old = new Date(Date.now() - 60_000)
    await fs.utimes(`${p}.lock`, old, old)
    const r = await liveFs({ lock: fast }).lock(p)()
    expect(r._tag).toBe('Right')
    if (r._tag === 'Right') await r.right()
  })

  it('breaks a fresh lock whose process on this host is gone', async () => {
    const p = path.join(dir, 'config.json')
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    await fs.writeFile(`${p}.lock`, JSON.stringify({ pid: Number(gone.stdout), host: hostname(), token: 'x' }))
    const r = await liveFs({ lock: fast }).lock(p)()
    expect(r._tag).toBe('Right')
    if (r._tag === 'Right') await r.right()
  })

  it('does not break a fresh lock held by a live process, nor one from another host', async () => {
    const p = path.join(dir, 'config.json')
    const results = []
    for (const owner of [
      { pid: process.ppid, host: hostname(), token: 'x' },
      { pid: 999_999_999, host: `not-${hostname()}`, token: 'x' },
    ]) {
      await fs.writeFile(`${p}.lock`, JSON.stringify(owner))
      const r = await liveFs({ lock: fast }).lock(p)()
      results.push(r._tag === 'Left' && r.left.code)
    }
    expect(results).toEqual(['ELOCKED', 'ELOCKED'])
  })

  it('release leaves alone a lock that was broken and taken by someone else', async () => {
    const p = path.join(dir, 'config.json')
    const mine = await liveFs().lock(p)()
    await fs.writeFile(`${p}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), token: 'someone-else' }))
    if (mine._tag === 'Right') await mine.right()
    expect(JSON.parse(await fs.readFile(`${p}.lock`, 'utf8')).token).toBe('someone-else')
  })
})

describe('liveFs.homedir', () => {
  it('is os.homedir() by default and the option when given', () => {
    expect(liveFs().homedir()).toBe(homedir())
    expect(liveFs({ home: '/custom/home' }).homedir()).toBe('/custom/home')
    expect(liveFs({ home: '' }).homedir()).toBeUndefined()
  })
})
