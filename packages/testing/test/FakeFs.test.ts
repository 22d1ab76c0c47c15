import { Fs } from '@alicred/core'
import { fakeFs } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'

describe('fakeFs', () => {
  it('seeds files, expanding ~/ to the home directory', async () => {
    const fs = fakeFs({ '~/.alibabacloud/credentials': 'ini', '/etc/x': 'x' })
    expect(await fs.readFile('/home/user/.alibabacloud/credentials')()).toEqual(E.right('ini'))
    expect(await fs.readFile('~/.alibabacloud/credentials')()).toEqual(E.right('ini'))
    expect(await fs.readFile('/etc/x')()).toEqual(E.right('x'))
    expect(fs.reads).toEqual(['/home/user/.alibabacloud/credentials', '~/.alibabacloud/credentials', '/etc/x'])
  })

  it('a missing file is ENOENT naming the path', async () => {
    expect(await fakeFs().readFile('/nope')()).toEqual(E.left(Fs.fsError('ENOENT', '/nope', 'no such file: /nope')))
  })

  it('has a configurable or absent home directory', () => {
    expect([
      fakeFs().homedir(),
      fakeFs({}, { home: '/Users/me' }).homedir(),
      fakeFs({}, { home: null }).homedir(),
    ]).toEqual(['/home/user', '/Users/me', undefined])
    // Without a home, ~/ stays literal.
    expect(Array.from(fakeFs({ '~/x': '1' }, { home: null }).files.keys())).toEqual(['~/x'])
  })

  it('failOn makes reads and writes fail until cleared', async () => {
    const fs = fakeFs({ '/f': 'x' })
    fs.failOn('/f', 'EACCES')
    expect(await fs.readFile('/f')()).toEqual(E.left(Fs.fsError('EACCES', '/f', 'EACCES: cannot read /f')))
    expect(await fs.writeFileAtomic('/f', 'y')()).toEqual(E.left(Fs.fsError('EACCES', '/f', 'EACCES: cannot write /f')))
    fs.failOn('/f', undefined)
    expect(await fs.readFile('/f')()).toEqual(E.right('x'))
  })

  it('refuses files over maxBytes with EFBIG', async () => {
    const fs = fakeFs({ '/big': 'é'.repeat(10) })
    expect(await fs.readFile('/big', { maxBytes: 19 })()).toEqual(
      E.left(Fs.fsError('EFBIG', '/big', '/big is larger than 19 bytes')),
    )
    expect(E.isRight(await fs.readFile('/big', { maxBytes: 20 })())).toBe(true)
  })

  it('records writes and their mode; put and remove change files', async () => {
    const fs = fakeFs()
    expect(await fs.writeFileAtomic('/home/user/.aliyun/config.json', '{}', { mode: 0o600 })()).toEqual(
      E.right(undefined),
    )
    fs.put('~/a', 'a')
    fs.remove('~/a')
    expect([fs.writes, Array.from(fs.files), Array.from(fs.modes)]).toEqual([
      ['/home/user/.aliyun/config.json'],
      [['/home/user/.aliyun/config.json', '{}']],
      [['/home/user/.aliyun/config.json', 0o600]],
    ])
  })

  it('lock is exclusive per path and a double release frees nobody else', async () => {
    const fs = fakeFs()
    const first = await fs.lock('/f')()
    if (E.isLeft(first)) throw new Error('lock failed')
    let secondTaken = false
    const second = fs
      .lock('/f')()
      .then((r) => {
        secondTaken = true
        return r
      })
    const other = await fs.lock('/g')()
    expect(E.isRight(other)).toBe(true)
    await new Promise((r) => setImmediate(r))
    expect(secondTaken).toBe(false)
    await first.right()
    const s = await second
    if (E.isLeft(s)) throw new Error('lock failed')
    expect(secondTaken).toBe(true)
    // Releasing the first lock again must not free the second holder's lock.
    await first.right()
    let thirdTaken = false
    void fs
      .lock('/f')()
      .then(() => {
        thirdTaken = true
      })
    await new Promise((r) => setImmediate(r))
    expect(thirdTaken).toBe(false)
    await s.right()
    await new Promise((r) => setImmediate(r))
    expect(thirdTaken).toBe(true)
  })
})
