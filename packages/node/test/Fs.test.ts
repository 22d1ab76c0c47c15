import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs/promises'
import { homedir, hostname, tmpdir } from 'node:os'
import * as path from 'node:path'
import { Fs } from '@alicred/core'
import { DEFAULT_FILE_MODE, liveFs } from '@alicred/node'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

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
