// Loopback guard: every TCP connection the bench process opens goes through `net.Socket.prototype.connect`
// (plain sockets, TLS sockets, http and https agents, httpx); this patch lets loopback through, counts each attempt
// by target, and destroys any other attempt before a DNS lookup or a packet happens. The run fails if one was
// refused, so a benchmark that would leave the machine cannot pass silently.
import net from 'node:net'

/** @type {Map<string, number>} */
const attempts = new Map()
/** @type {Array<string>} */
const refused = []

/** @param {string} host */
export const isLoopback = (host) =>
  host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:127\./i.test(host)

/**
 * The connection target of `Socket#connect`'s arguments (normalized array, options object, or port and host).
 * @param {ReadonlyArray<unknown>} args
 * @returns {{ host: string, port: string } | undefined} `undefined` for a local (IPC) path
 */
const targetOf = (args) => {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]
  if (typeof first === 'object' && first !== null) {
    const o = /** @type {{ path?: unknown, host?: unknown, port?: unknown }} */ (first)
    if (typeof o.path === 'string') return undefined
    return { host: typeof o.host === 'string' ? o.host : 'localhost', port: String(o.port) }
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: String(first) }
}

let installed = false

/** Installs the guard once for this process. */
export const installGuard = () => {
  if (installed) return
  installed = true
  const original = net.Socket.prototype.connect
  /** @this {net.Socket} @param {...any} args */
  const guarded = function (...args) {
    const target = targetOf(args)
    if (target !== undefined) {
      const key = `${target.host}:${target.port}`
      attempts.set(key, (attempts.get(key) ?? 0) + 1)
      if (!isLoopback(target.host)) {
        refused.push(key)
        if (process.env.BENCH_GUARD_TRACE) process.stderr.write(`${new Error(`refused ${key}`).stack}\n`)
        queueMicrotask(() => this.destroy(new Error(`bench guard: refused a connection to ${key} (not loopback)`)))
        return this
      }
    }
    return Reflect.apply(original, this, args)
  }
  net.Socket.prototype.connect = /** @type {typeof original} */ (/** @type {unknown} */ (guarded))
}

/** Connection attempts so far, total. */
export const connectCount = () => [...attempts.values()].reduce((a, b) => a + b, 0)

/** Attempts by `host:port`, and the refused ones. */
export const guardReport = () => ({ attempts: Object.fromEntries(attempts), refused: [...refused] })
