/**
 * A black-holed address on loopback: a port where a TCP connection attempt gets no answer at all, so only a connect
 * timeout ends it. Off-cloud, the ECS metadata address 100.100.100.200 usually behaves like this; a closed port
 * (which refuses at once) does not. Use it to test and measure connect timeouts without leaving the machine.
 *
 * How: a listener that never accepts, whose accept queue is then filled. Linux drops the SYN of a connection to a
 * full queue and the client keeps retransmitting it, so the attempt hangs. The listener lives in a worker thread
 * whose event loop is blocked, because Node accepts every connection by itself on a live loop.
 *
 * @since 0.1.0
 */
import { once } from 'node:events'
import * as net from 'node:net'
import { Worker } from 'node:worker_threads'

/** A loopback port whose connection attempts hang, for connect timeouts. @category emulator @since 0.1.0 */
export interface Blackhole {
  /** Its port on 127.0.0.1. */
  readonly port: number
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string
  /** Closes the connections that fill its queue and the listener, and ends its worker thread. */
  readonly close: () => Promise<void>
}

/** How `startBlackhole` finds out that the port black-holes connections. @category emulator @since 0.1.0 */
export interface BlackholeOptions {
  /** How long a connection attempt must hang to count as black-holed (default 300 ms). */
  readonly probeMs?: number
  /** Connections to try before giving up (default 64; Linux black-holes after two or three). */
  readonly maxFillers?: number
}

// The worker's source. Without require or import: an eval'd worker runs as CommonJS or as an ES module depending
// on the parent's flags (--input-type).
const LISTENER = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads')
const server = process.getBuiltinModule('node:net').createServer()
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port)
  Atomics.wait(workerData, 0, 0)
  server.close()
  process.exit(0)
})
`

type Attempt = 'connected' | 'hung' | 'failed'

const attempt = (port: number, withinMs: number): Promise<{ readonly socket: net.Socket; readonly outcome: Attempt }> =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.unref()
    const settle = (outcome: Attempt): void => {
      clearTimeout(timer)
      resolve({ socket, outcome })
    }
    const timer = setTimeout(() => settle('hung'), withinMs)
    socket.once('connect', () => settle('connected'))
    socket.on('error', () => settle('failed'))
  })

/**
 * Starts a black-holed port on 127.0.0.1. Rejects if the platform answers a full accept queue (with a reset, as
 * Windows does) instead of dropping the attempt: then there is no black hole to be had on loopback.
 *
 * @example
 * import { startBlackhole } from '@alicred/testing/emulator'
 * const hole = await startBlackhole()
 * // http://127.0.0.1:<port> now times out on connect
 * await hole.close()
 * @category emulator
 * @since 0.1.0
 */
export const startBlackhole = async (options: BlackholeOptions = {}): Promise<Blackhole> => {
  const probeMs = options.probeMs ?? 300
  const maxFillers = options.maxFillers ?? 64
  const flag = new Int32Array(new SharedArrayBuffer(4))
  const worker = new Worker(LISTENER, { eval: true, workerData: flag })
  const [port] = (await once(worker, 'message')) as [number]
  // From here on a forgotten close() must not keep the process alive.
  worker.unref()
  const fillers: Array<net.Socket> = []
  const close = async (): Promise<void> => {
    for (const s of fillers) s.destroy()
    // awaiting the exit of an unref'd worker would let the process end before it
    worker.ref()
    Atomics.store(flag, 0, 1)
    Atomics.notify(flag, 0)
    await once(worker, 'exit')
  }
  for (let i = 0; i < maxFillers; i++) {
    const { socket, outcome } = await attempt(port, probeMs)
    if (outcome === 'hung') {
      // The queue is full without it; a pending connect would keep the process alive.
      socket.destroy()
      return { port, origin: `http://127.0.0.1:${port}`, close }
    }
    fillers.push(socket)
    if (outcome === 'failed') {
      await close()
      throw new Error(`startBlackhole: a connection to its listener on 127.0.0.1:${port} failed instead of hanging`)
    }
  }
  await close()
  throw new Error(`startBlackhole: ${maxFillers} connections to a full accept queue were all accepted on this platform`)
}
