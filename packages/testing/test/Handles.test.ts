import { createServer, type Server } from 'node:net'
import { activeHandles, openHandles } from '@alicred/testing/emulator'
import { describe, expect, it } from 'vitest'

const listen = (): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => resolve(s))
  })
const close = (s: Server): Promise<void> => new Promise((resolve) => s.close(() => resolve()))

describe('openHandles', () => {
  it('names a server opened since the snapshot, and is satisfied once it is closed', async () => {
    const handles = await openHandles()
    const server = await listen()
    const whileOpen = await handles.added()
    await expect(handles.check()).rejects.toThrow(/^leaked handles: TCPServerWrap \(before/)
    await close(server)
    expect({ whileOpen, afterClose: await handles.added() }).toEqual({ whileOpen: ['TCPServerWrap'], afterClose: [] })
    await handles.check()
  })

  it('watches only the kinds it is given', async () => {
    const handles = await openHandles(['Timeout'])
    const server = await listen()
    const added = await handles.added()
    await close(server)
    expect(added).toEqual([])
  })
})

describe('activeHandles', () => {
  it('lists the active handles of the given kinds, sorted', async () => {
    const server = await listen()
    const listed = activeHandles(['TCPServerWrap'])
    await close(server)
    expect({ sorted: [...listed].sort(), hasServer: listed.includes('TCPServerWrap') }).toEqual({
      sorted: listed,
      hasServer: true,
    })
  })
})

describe('openHandles: check waits out a handle that is closing', () => {
  it('passes when the handle leaves within the grace period, names it when it does not', async () => {
    const handles = await openHandles()
    const server = await listen()
    const closing = new Promise<void>((resolve) => setTimeout(() => server.close(() => resolve()), 50))
    await handles.check(2_000)
    await closing
    const kept = await listen()
    await expect(handles.check(30)).rejects.toThrow(/^leaked handles: TCPServerWrap/)
    await close(kept)
  })
})
