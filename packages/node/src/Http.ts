/**
 * The live `Http` on `node:http`/`node:https`:
 *
 * - separate connect and read timeouts (connect: until the socket, or the proxy tunnel, is up; read: from then until
 *   the whole response has arrived);
 * - keep-alive agents whose idle sockets are unref'd (Node's agent does it when a socket returns to the pool), so an
 *   idle agent never keeps the process alive; `close()` destroys them;
 * - a response size cap (the request is aborted and fails with `TooLarge`);
 * - redirects are returned, never followed (a credential request must not be sent somewhere else);
 * - `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` / `NO_PROXY` via `proxy-from-env` and `https-proxy-agent`; loopback and
 *   the metadata host are never proxied.
 *
 * @since 0.1.0
 */
import type * as http from 'node:http'
import type * as https from 'node:https'
import type * as net from 'node:net'
import { type Env, Http } from '@alicred/core'
import type { HttpsProxyAgent as HttpsProxyAgentType } from 'https-proxy-agent'
import { liveEnv } from './Env.js'
import * as E from './internal/Either.js'
import { type Route, routeFor } from './Proxy.js'

/** @since 0.1.0 */
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

/** A live `Http` whose connection pools can be closed. @since 0.1.0 */
export interface NodeHttp extends Http.Http {
  /** Destroys every pooled connection. Requests made afterwards open new ones. */
  readonly close: () => void
}

/** @since 0.1.0 */
export const DEFAULT_USER_AGENT = `alicred/0.1.0 Node.js/${process.version} (${process.platform}; ${process.arch})`

type ProxyAgent = http.Agent

// node:http, node:https and node:tls take several milliseconds to load: they are loaded by the first request (or
// the first `ca` option), so a process that only uses static credentials never loads them.
const httpModule = (): typeof http => process.getBuiltinModule('node:http')
const httpsModule = (): typeof https => process.getBuiltinModule('node:https')

// Connect-phase abort signals, keyed by request: the proxy agent opens its own socket to the proxy, out of reach of
// the request's timers, so it needs to be told when the request gave up.
const connectSignals = new WeakMap<http.ClientRequest, AbortSignal>()

type ProxyAgentClass = new (
  proxy: URL,
  options: http.AgentOptions & { readonly ca?: ReadonlyArray<string> },
) => ProxyAgent

// Loaded on first proxied request: processes without a proxy never load it.
let proxyAgentClass: Promise<ProxyAgentClass> | undefined
const loadProxyAgent = (): Promise<ProxyAgentClass> => {
  proxyAgentClass ??= import('https-proxy-agent').then(({ HttpsProxyAgent }) => {
    class BoundedProxyAgent extends HttpsProxyAgent<string> {
      readonly #base: HttpsProxyAgentType<string>['connectOpts']
      constructor(proxy: URL, options: http.AgentOptions) {
        super(proxy, options)
        this.#base = this.connectOpts
      }
      // `super.connect` opens the proxy socket synchronously from `this.connectOpts` before its first `await`, so
      // swapping them around the call gives that socket this request's signal without affecting concurrent ones.
      override connect(req: http.ClientRequest, opts: Parameters<HttpsProxyAgentType<string>['connect']>[1]) {
        const signal = connectSignals.get(req)
        if (signal === undefined) return super.connect(req, opts)
        if (signal.aborted) return Promise.reject(new Error('the request was abandoned before the proxy answered'))
        this.connectOpts = { ...this.#base, signal } as HttpsProxyAgentType<string>['connectOpts']
        try {
          return super.connect(req, opts)
        } finally {
          this.connectOpts = this.#base
        }
      }
    }
    return BoundedProxyAgent as unknown as ProxyAgentClass
  })
  return proxyAgentClass
}

const kindOf = (code: string | undefined): Http.HttpErrorKind => {
  switch (code) {
    case 'ECONNREFUSED':
      return 'ConnectionRefused'
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return 'ConnectionReset'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
    case 'EADDRNOTAVAIL':
      return 'HostUnreachable'
    case 'ETIMEDOUT':
      return 'ConnectTimeout'
    default:
      return 'Network'
  }
}

const describe = (kind: Http.HttpErrorKind, code: string | undefined, target: string): string => {
  switch (kind) {
    case 'ConnectionRefused':
      return `connection refused by ${target}; is the service running and the port right?`
    case 'ConnectionReset':
      return `the connection to ${target} was closed before the response was complete (${code ?? 'reset'})`
    case 'HostUnreachable':
      return `cannot reach ${target} (${code ?? 'unreachable'}); check the host name, DNS and network`
    case 'ConnectTimeout':
      return `no connection to ${target} (${code ?? 'timed out'}); check the network, firewall or proxy`
    default:
      return code !== undefined && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(code)
        ? `the TLS certificate of ${target} was rejected (${code}); if a proxy inspects TLS, add its CA with the ca option or NODE_EXTRA_CA_CERTS`
        : `request to ${target} failed (${code ?? 'network error'})`
  }
}

const codeOf = (u: unknown): string | undefined =>
  typeof u === 'object' && u !== null && typeof (u as { code?: unknown }).code === 'string'
    ? (u as { code: string }).code
    : undefined

const headerRecord = (h: http.IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  }
  return out
}

const hostPort = (u: URL): string => u.host

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
 * @since 0.1.0
 */
export const nodeHttp = (options: NodeHttpOptions = {}): NodeHttp => {
  const env = options.env ?? liveEnv
  const keepAlive = options.keepAlive ?? true
  const maxSockets = options.maxSockets ?? 16
  const extraCa = options.ca === undefined ? undefined : typeof options.ca === 'string' ? [options.ca] : options.ca
  const ca = extraCa === undefined ? undefined : [...process.getBuiltinModule('node:tls').rootCertificates, ...extraCa]
  const tlsOptions = ca === undefined ? {} : { ca }
  const lookupOptions = options.lookup === undefined ? {} : { lookup: options.lookup }
  const userAgent = options.userAgent === undefined ? DEFAULT_USER_AGENT : options.userAgent
  const defaultConnect = options.connectTimeoutMs ?? 5_000
  const defaultRead = options.readTimeoutMs ?? 10_000

  // Created by the first request that needs them.
  let httpAgent: http.Agent | undefined
  let httpsAgent: https.Agent | undefined
  const proxyAgents = new Map<string, ProxyAgent>()

  const agentFor = async (url: URL, route: Route): Promise<http.Agent> => {
    if (route._tag === 'Direct') {
      if (url.protocol === 'https:') {
        httpsAgent ??= new (httpsModule().Agent)({ keepAlive, maxSockets, ...tlsOptions })
        return httpsAgent
      }
      httpAgent ??= new (httpModule().Agent)({ keepAlive, maxSockets })
      return httpAgent
    }
    const key = route.proxy.href
    const existing = proxyAgents.get(key)
    if (existing !== undefined) return existing
    const Agent = await loadProxyAgent()
    const agent = new Agent(route.proxy, { keepAlive, maxSockets, ...tlsOptions, ...lookupOptions })
    proxyAgents.set(key, agent)
    return agent
  }

  const request: Http.Http['request'] = (req) => () =>
    new Promise((resolve) => {
      const invalid = (message: string) => resolve(E.left(Http.httpError('InvalidUrl', req.url, message)))
      let url: URL
      try {
        url = new URL(req.url)
      } catch {
        return invalid('not a valid absolute URL')
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return invalid(`unsupported scheme ${url.protocol}; only http: and https: are supported`)
      }
      const routed = routeFor(env)(url)
      if (E.isLeft(routed)) return invalid(routed.left.message)
      const route = routed.right
      const target =
        route._tag === 'Direct' ? hostPort(url) : `${hostPort(url)} through the proxy from ${route.variable}`
      const maxBytes = req.maxResponseBytes ?? Http.DEFAULT_MAX_RESPONSE_BYTES
      const connectMs = req.connectTimeoutMs ?? defaultConnect
      const readMs = req.readTimeoutMs ?? defaultRead

      let settled = false
      let timer: NodeJS.Timeout | undefined
      let cr: http.ClientRequest | undefined
      const abort = new AbortController()
      const arm = (ms: number, onFire: () => void) => {
        if (timer !== undefined) clearTimeout(timer)
        timer = setTimeout(onFire, ms)
        // The open socket keeps the process alive while a request is in flight; the timer need not.
        timer.unref()
      }
      const finish = (r: E.Either<Http.HttpError, Http.HttpResponse>) => {
        if (settled) return
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        resolve(r)
      }
      const fail = (kind: Http.HttpErrorKind, message: string) => {
        if (settled) return
        finish(E.left(Http.httpError(kind, req.url, message)))
        abort.abort()
        cr?.destroy()
      }

      arm(connectMs, () => fail('ConnectTimeout', `no connection to ${target} within ${connectMs} ms`))

      agentFor(url, route).then(
        (agent) => {
          if (settled) return
          const headers: Record<string, string> = {}
          for (const [k, v] of Object.entries(req.headers ?? {})) headers[k] = v
          const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name)
          const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8')
          if (body !== undefined && !has('content-length')) headers['content-length'] = String(body.length)
          if (userAgent !== null && !has('user-agent')) headers['user-agent'] = userAgent
          const mod = url.protocol === 'https:' ? httpsModule() : httpModule()
          let c: http.ClientRequest
          try {
            c = mod.request(url, {
              method: req.method,
              headers,
              agent,
              ...(route._tag === 'Direct' ? { ...lookupOptions, ...tlsOptions } : tlsOptions),
            })
          } catch (u) {
            // Node validates header names and values synchronously (e.g. a line break in a value).
            return fail(
              'InvalidUrl',
              `the request cannot be sent as it is (${codeOf(u) ?? 'invalid request'}); check its headers`,
            )
          }
          cr = c
          connectSignals.set(c, abort.signal)
          const connected = () =>
            arm(readMs, () => fail('ReadTimeout', `no complete response from ${target} within ${readMs} ms`))
          c.on('socket', (s) => {
            if ((s as net.Socket).connecting) s.once('connect', connected)
            else connected()
          })
          c.on('proxyConnect', (res: { readonly statusCode?: number }) => {
            if (res.statusCode !== 200) {
              fail(
                'Network',
                `the proxy from ${route._tag === 'Proxy' ? route.variable : 'the environment'} refused to open a tunnel to ${hostPort(url)} (HTTP ${res.statusCode ?? '?'}); check the proxy's address and credentials`,
              )
            }
          })
          c.on('response', (res) => {
            const declared = Number(res.headers['content-length'])
            if (Number.isFinite(declared) && declared > maxBytes) {
              return fail(
                'TooLarge',
                `the response from ${target} declares ${declared} bytes, more than the ${maxBytes} allowed`,
              )
            }
            const chunks: Array<Buffer> = []
            let total = 0
            res.on('data', (chunk: Buffer) => {
              total += chunk.length
              if (total > maxBytes)
                return fail('TooLarge', `the response from ${target} is larger than the ${maxBytes} bytes allowed`)
              chunks.push(chunk)
            })
            res.on('end', () =>
              finish(
                E.right({
                  status: res.statusCode ?? 0,
                  headers: headerRecord(res.headers),
                  body: Buffer.concat(chunks).toString('utf8'),
                }),
              ),
            )
            res.on('error', (e) => {
              const kind = kindOf(codeOf(e))
              fail(
                kind === 'Network' ? 'ConnectionReset' : kind,
                describe(kind === 'Network' ? 'ConnectionReset' : kind, codeOf(e), target),
              )
            })
            res.on('aborted', () => fail('ConnectionReset', describe('ConnectionReset', 'aborted', target)))
          })
          c.on('error', (e) => {
            const code = codeOf(e)
            const kind = kindOf(code)
            fail(kind, describe(kind, code, target))
          })
          c.end(body)
        },
        () =>
          fail(
            'Network',
            `cannot load the proxy support (https-proxy-agent) needed for ${route._tag === 'Proxy' ? route.variable : 'the proxy'}`,
          ),
      )
    })

  return {
    request,
    close: () => {
      httpAgent?.destroy()
      httpsAgent?.destroy()
      for (const a of proxyAgents.values()) a.destroy()
      proxyAgents.clear()
    },
  }
}
