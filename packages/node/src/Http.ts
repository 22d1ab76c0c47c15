/**
 * The live `Http` on `node:http`/`node:https`:
 *
 * - separate connect and read timeouts (connect: until the socket, or the proxy tunnel, is up; read: from then until
 *   the whole response has arrived);
 * - keep-alive agents whose idle sockets are unref'd (Node's agent does it when a socket returns to the pool), so an
 *   idle agent never keeps the process alive; `close()` destroys them;
 * - a response size cap (the request is aborted and fails with `TooLarge`);
 * - redirects are returned, never followed (a credential request must not be sent somewhere else);
 * - `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` / `NO_PROXY` from the `env` option (routing in Proxy.ts), tunnels by
 *   `https-proxy-agent`; loopback and the metadata host are never proxied.
 *
 * @since 0.1.0
 */
import type * as net from 'node:net'
import type { Env, Http } from '@alicred/core'
import * as LiveHttp from './internal/LiveHttp.js'

/**
 * What `nodeHttp` may be told instead of its defaults: proxy variables, connection pooling, TLS, user agent.
 *
 * @category capabilities
 * @since 0.1.0
 */
export interface NodeHttpOptions {
  /** Where the proxy variables are read. Default: the live `process.env`, at request time. */
  readonly env?: Env.Env
  /** Reuse connections. Default `true`. */
  readonly keepAlive?: boolean
  /** Connections per host. Default 16. */
  readonly maxSockets?: number
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots (e.g. a corporate TLS-inspecting proxy). */
  readonly ca?: string | ReadonlyArray<string>
  /** A custom DNS lookup (split-horizon DNS, tests). Default: the OS resolver. */
  readonly lookup?: net.LookupFunction
  /** `User-Agent` sent when a request sets none. `null` sends none. */
  readonly userAgent?: string | null
  /** Used when a request sets no `connectTimeoutMs`. Default 5 000 ms. */
  readonly connectTimeoutMs?: number
  /** Used when a request sets no `readTimeoutMs`. Default 10 000 ms. */
  readonly readTimeoutMs?: number
}

/** A live `Http` whose connection pools can be closed. @category capabilities @since 0.1.0 */
export interface NodeHttp extends Http.Http {
  /** Destroys every pooled connection. Requests made afterwards open new ones. */
  readonly close: () => void
}

/**
 * The `User-Agent` sent when none is given: alicred's version, Node's, and the platform.
 *
 * @category capabilities
 * @since 0.1.0
 */
export const DEFAULT_USER_AGENT = `alicred/0.1.0 Node.js/${process.version} (${process.platform}; ${process.arch})`

/**
 * A live HTTP capability. Call `close()` when done with it (tests, short scripts that want prompt exit are fine
 * without: idle sockets are unref'd).
 *
 * @example
 * import { nodeHttp } from '@alicred/node'
 * const http = nodeHttp({ connectTimeoutMs: 1000, readTimeoutMs: 2000 })
 * const r = await http.request({ method: 'GET', url: 'http://127.0.0.1:1/' })()
 * assert.strictEqual(r._tag === 'Left' && r.left.kind, 'ConnectionRefused')
 * http.close()
 * @category capabilities
 * @since 0.1.0
 */
export const nodeHttp = (options: NodeHttpOptions = {}): NodeHttp => LiveHttp.create(options)
