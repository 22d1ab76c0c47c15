/**
 * Loopback servers for the live capability tests: an HTTP(S) server on 127.0.0.1:0 that records requests, a CONNECT
 * proxy on 127.0.0.1:0 that maps every tunnel to a local port. Everything here is closed by `close()`. (A black-holed
 * port, for connect timeouts, is `startBlackhole` of `@alicred/testing/emulator`.)
 */
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import * as http from 'node:http'
import * as https from 'node:https'
import * as net from 'node:net'

export const tlsCert = readFileSync(new URL('../fixtures/tls-cert.pem', import.meta.url), 'utf8')
const tlsKey = readFileSync(new URL('../fixtures/tls-key.pem', import.meta.url), 'utf8')

export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

export interface TestServer {
  readonly port: number
  readonly origin: string
  readonly requests: ReadonlyArray<Recorded>
  /** Connections accepted so far. */
  readonly connections: () => number
  /** Connections currently open. */
  readonly open: () => number
  readonly close: () => Promise<void>
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void

const track = (server: net.Server) => {
  const sockets = new Set<net.Socket>()
  let total = 0
  server.on('connection', (s) => {
    total++
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  return {
    total: () => total,
    open: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

export const startServer = async (handler: Handler, options: { readonly tls?: boolean } = {}): Promise<TestServer> => {
  const requests: Array<Recorded> = []
  const listener: http.RequestListener = (req, res) => {
    const chunks: Array<Buffer> = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      handler(req, res, body)
    })
  }
  const server =
    options.tls === true ? https.createServer({ cert: tlsCert, key: tlsKey }, listener) : http.createServer(listener)
  // Keep idle connections open long enough to observe client-side pooling.
  server.keepAliveTimeout = 30_000
  const t = track(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    origin: `${options.tls === true ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    connections: t.total,
    open: t.open,
    close: t.close,
  }
}

export interface TestProxy {
  readonly port: number
  readonly url: string
  /** `host:port` of every CONNECT, in order. */
  readonly connects: ReadonlyArray<string>
  /** Client connections currently open. */
  readonly open: () => number
  readonly close: () => Promise<void>
}

/**
 * A CONNECT proxy that tunnels every request to `127.0.0.1:<port of the requested authority>`, whatever host was
 * asked for: tests use unresolvable names such as `credentials.test`, and nothing leaves loopback.
 * `mode: 'refuse'` answers 403; `mode: 'silent'` never answers.
 */
export const startProxy = async (
  options: { readonly mode?: 'tunnel' | 'refuse' | 'silent' } = {},
): Promise<TestProxy> => {
  const connects: Array<string> = []
  const server = http.createServer((_req, res) => {
    res.statusCode = 405
    res.end()
  })
  const t = track(server)
  const upstreams = new Set<net.Socket>()
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const authority = req.url ?? ''
    connects.push(authority)
    if (options.mode === 'silent') {
      // Read (and drop) what the client sends, so its disconnect is noticed.
      // (the http server's sockets allow half-open connections: end ours when the client ends its side)
      client.on('error', () => undefined)
      client.on('end', () => client.destroy())
      client.resume()
      return
    }
    if (options.mode === 'refuse') {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n')
      return
    }
    const port = Number(authority.slice(authority.lastIndexOf(':') + 1))
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstreams.add(upstream)
    upstream.on('close', () => upstreams.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    client.on('close', () => upstream.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    connects,
    open: t.open,
    close: async () => {
      for (const u of upstreams) u.destroy()
      await t.close()
    },
  }
}
