import { spawnSync } from 'node:child_process'
import * as net from 'node:net'
import { fileURLToPath } from 'node:url'
import { openHandles, startBlackhole } from '@alicred/testing/emulator'
import { describe, expect, it } from 'vitest'

/** 'connect', 'error' (refused) or 'hang' within `ms`. */
const attempt = (port: number, ms: number): Promise<string> =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    const done = (outcome: string): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(outcome)
    }
    const timer = setTimeout(() => done('hang'), ms)
    socket.once('connect', () => done('connect'))
    socket.once('error', () => done('error'))
  })

describe('startBlackhole', () => {
  it('gives a loopback port where a connection attempt neither connects nor is refused', async () => {
    const handles = await openHandles()
    const hole = await startBlackhole()
    const outcomes = [await attempt(hole.port, 250), await attempt(hole.port, 250)]
    const origin = hole.origin
    await hole.close()
    expect({ outcomes, origin }).toEqual({ outcomes: ['hang', 'hang'], origin: `http://127.0.0.1:${hole.port}` })
    // its fillers, listener and probe timers are all gone
    await handles.check()
  })

  it('closes its port: afterwards the port refuses', async () => {
    const hole = await startBlackhole()
    await hole.close()
    expect(await attempt(hole.port, 1_000)).toBe('error')
  })

  it('rejects, and cleans up, when it cannot fill the queue within the connections it may try', async () => {
    const handles = await openHandles()
    // Linux queues backlog + 1 = 2 connections before it drops SYNs, so a single filler is always accepted
    await expect(startBlackhole({ maxFillers: 1, probeMs: 2_000 })).rejects.toThrow(
      'startBlackhole: 1 connections to a full accept queue were all accepted on this platform',
    )
    await handles.check()
  })

  // In a child process with nothing else to keep it alive, as in a script or the bench: the built package.
  const inChild = (body: string) => {
    const dist = fileURLToPath(new URL('../dist/emulator/index.node.mjs', import.meta.url))
    const script = `const { startBlackhole } = await import(${JSON.stringify(dist)}); const h = await startBlackhole(); ${body}`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 })
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
  }

  it('does not keep a process alive that forgets to close it', () => {
    expect(inChild('console.log(h.port > 0)')).toEqual({ status: 0, signal: null, stdout: 'true\n', stderr: '' })
  })

  it('lets a process that awaits close() go on after it', () => {
    expect(inChild("await h.close(); console.log('closed')")).toEqual({
      status: 0,
      signal: null,
      stdout: 'closed\n',
      stderr: '',
    })
  })
})
