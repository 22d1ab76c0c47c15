/**
 * How the live `Http` of `../Http.ts` works: timeouts per phase, pooled agents, the size cap, proxy tunnels. Loaded
 * when the first `nodeHttp()` is made (the CommonJS build keeps it in a file of its own), so a process that uses
 * static credentials only, or imports the package from an ES module (which runs every public module), never
 * compiles it.
 *
 * Internal: not exported by the package.
 *
 * @since 0.1.0
 */
import type * as http from 'node:http'
import type * as https from 'node:https'
import type * as net from 'node:net'
import { type Env, Http } from '@alicred/core'
import type { HttpsProxyAgent as HttpsProxyAgentType } from 'https-proxy-agent'
import { liveEnv } from '../Env.js'
import { DEFAULT_USER_AGENT, type NodeHttp, type NodeHttpOptions } from '../Http.js'
import { type Route, routeFor } from '../Proxy.js'
import * as E from './Either.js'

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

type Outcome = E.Either<Http.HttpError, Http.HttpResponse>

/** The options with their defaults applied, read once per `nodeHttp`. */
interface Settings {
  readonly env: Env.Env
  readonly keepAlive: boolean
  readonly maxSockets: number
  readonly tlsOptions: { readonly ca?: Array<string> }
  readonly lookupOptions: { readonly lookup?: net.LookupFunction }
  readonly userAgent: string | null
  readonly connectTimeoutMs: number
  readonly readTimeoutMs: number
}

const settingsOf = (options: NodeHttpOptions): Settings => {
  const extraCa = options.ca === undefined ? undefined : typeof options.ca === 'string' ? [options.ca] : options.ca
  // Extra CAs are added to Node's roots, not instead of them: a corporate CA must not break public endpoints.
  const ca = extraCa === undefined ? undefined : [...process.getBuiltinModule('node:tls').rootCertificates, ...extraCa]
  return {
    env: options.env ?? liveEnv,
    keepAlive: options.keepAlive ?? true,
    maxSockets: options.maxSockets ?? 16,
    tlsOptions: ca === undefined ? {} : { ca },
    lookupOptions: options.lookup === undefined ? {} : { lookup: options.lookup },
    userAgent: options.userAgent === undefined ? DEFAULT_USER_AGENT : options.userAgent,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    readTimeoutMs: options.readTimeoutMs ?? 10_000,
  }
}

interface AgentPool {
  readonly agentFor: (url: URL, route: Route) => Promise<http.Agent>
  /** Destroys every agent made so far. */
  readonly close: () => void
}

// Agents are created by the first request that needs them; one per scheme, and one per proxy.
const agentPool = (s: Settings): AgentPool => {
  const { keepAlive, maxSockets, tlsOptions, lookupOptions } = s
  let httpAgent: http.Agent | undefined
  let httpsAgent: https.Agent | undefined
  const proxyAgents = new Map<string, ProxyAgent>()
  const proxyAgent = async (proxy: URL): Promise<http.Agent> => {
    const key = proxy.href
    const existing = proxyAgents.get(key)
    if (existing !== undefined) return existing
    const Agent = await loadProxyAgent()
    const agent = new Agent(proxy, { keepAlive, maxSockets, ...tlsOptions, ...lookupOptions })
    proxyAgents.set(key, agent)
    return agent
  }
  return {
    agentFor: async (url, route) => {
      if (route._tag === 'Proxy') return proxyAgent(route.proxy)
      if (url.protocol === 'https:') {
        httpsAgent ??= new (httpsModule().Agent)({ keepAlive, maxSockets, ...tlsOptions })
        return httpsAgent
      }
      httpAgent ??= new (httpModule().Agent)({ keepAlive, maxSockets })
      return httpAgent
    },
    close: () => {
      httpAgent?.destroy()
      httpsAgent?.destroy()
      for (const a of proxyAgents.values()) a.destroy()
      proxyAgents.clear()
    },
  }
}

/** Where a request goes, and how messages name it. */
interface Target {
  readonly url: URL
  readonly route: Route
  readonly name: string
}

// Only absolute http(s) URLs with a usable proxy setting are sent; the rest fail as InvalidUrl before any I/O.
const targetOf = (env: Env.Env, raw: string): E.Either<string, Target> => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return E.left('not a valid absolute URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return E.left(`unsupported scheme ${url.protocol}; only http: and https: are supported`)
  }
  const routed = routeFor(env)(url)
  if (E.isLeft(routed)) return E.left(routed.left.message)
  const route = routed.right
  const name = route._tag === 'Direct' ? hostPort(url) : `${hostPort(url)} through the proxy from ${route.variable}`
  return E.right({ url, route, name })
}

/** One request in flight: it settles once, and its one timer is re-armed per phase (connect, then read). */
interface InFlight {
  readonly settled: () => boolean
  readonly arm: (ms: number, onFire: () => void) => void
  readonly finish: (r: Outcome) => void
  /** Settles with an error and tears the request down, proxy connect included. */
  readonly fail: (kind: Http.HttpErrorKind, message: string) => void
  readonly attach: (cr: http.ClientRequest) => void
}

const inFlight = (url: string, resolve: (r: Outcome) => void): InFlight => {
  let settled = false
  let timer: NodeJS.Timeout | undefined
  let cr: http.ClientRequest | undefined
  const abort = new AbortController()
  const finish = (r: Outcome) => {
    if (settled) return
    settled = true
    if (timer !== undefined) clearTimeout(timer)
    resolve(r)
  }
  return {
    settled: () => settled,
    arm: (ms, onFire) => {
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(onFire, ms)
      // The open socket keeps the process alive while a request is in flight; the timer need not.
      timer.unref()
    },
    finish,
    fail: (kind, message) => {
      if (settled) return
      finish(E.left(Http.httpError(kind, url, message)))
      abort.abort()
      cr?.destroy()
    },
    attach: (c) => {
      cr = c
      connectSignals.set(c, abort.signal)
    },
  }
}

// Content-Length for the body and the default User-Agent, unless the caller set them (in any letter case).
const outgoing = (
  req: Http.HttpRequest,
  userAgent: string | null,
): { readonly headers: Record<string, string>; readonly body: Buffer | undefined } => {
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k] = v
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name)
  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8')
  if (body !== undefined && !has('content-length')) headers['content-length'] = String(body.length)
  if (userAgent !== null && !has('user-agent')) headers['user-agent'] = userAgent
  return { headers, body }
}

// The read timeout starts once the socket (or the proxy tunnel's socket) is connected, not when it is requested.
const watchConnection = (f: InFlight, c: http.ClientRequest, t: Target, readMs: number): void => {
  const connected = () =>
    f.arm(readMs, () => f.fail('ReadTimeout', `no complete response from ${t.name} within ${readMs} ms`))
  c.on('socket', (s) => {
    if ((s as net.Socket).connecting) s.once('connect', connected)
    else connected()
  })
  c.on('proxyConnect', (res: { readonly statusCode?: number }) => {
    if (res.statusCode !== 200) {
      f.fail(
        'Network',
        `the proxy from ${t.route._tag === 'Proxy' ? t.route.variable : 'the environment'} refused to open a tunnel to ${hostPort(t.url)} (HTTP ${res.statusCode ?? '?'}); check the proxy's address and credentials`,
      )
    }
  })
}

// A socket error code as the kind and message users see.
const failDescribed = (f: InFlight, kind: Http.HttpErrorKind, code: string | undefined, target: string): void =>
  f.fail(kind, describe(kind, code, target))

// The body is collected up to the cap; a declared or actual size over it aborts the request.
const receive = (f: InFlight, res: http.IncomingMessage, target: string, maxBytes: number): void => {
  const declared = Number(res.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) {
    f.fail('TooLarge', `the response from ${target} declares ${declared} bytes, more than the ${maxBytes} allowed`)
    return
  }
  const chunks: Array<Buffer> = []
  let total = 0
  res.on('data', (chunk: Buffer) => {
    total += chunk.length
    if (total > maxBytes)
      return f.fail('TooLarge', `the response from ${target} is larger than the ${maxBytes} bytes allowed`)
    chunks.push(chunk)
  })
  res.on('end', () =>
    f.finish(
      E.right({
        status: res.statusCode ?? 0,
        headers: headerRecord(res.headers),
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    ),
  )
  // Once the response has begun, a failing connection means the answer was cut short.
  res.on('error', (e) => {
    const kind = kindOf(codeOf(e))
    failDescribed(f, kind === 'Network' ? 'ConnectionReset' : kind, codeOf(e), target)
  })
  res.on('aborted', () => failDescribed(f, 'ConnectionReset', 'aborted', target))
}

const send = (f: InFlight, s: Settings, req: Http.HttpRequest, t: Target, agent: http.Agent): void => {
  const { headers, body } = outgoing(req, s.userAgent)
  const mod = t.url.protocol === 'https:' ? httpsModule() : httpModule()
  let c: http.ClientRequest
  try {
    c = mod.request(t.url, {
      method: req.method,
      headers,
      agent,
      ...(t.route._tag === 'Direct' ? { ...s.lookupOptions, ...s.tlsOptions } : s.tlsOptions),
    })
  } catch (u) {
    // Node validates header names and values synchronously (e.g. a line break in a value).
    f.fail('InvalidUrl', `the request cannot be sent as it is (${codeOf(u) ?? 'invalid request'}); check its headers`)
    return
  }
  f.attach(c)
  watchConnection(f, c, t, req.readTimeoutMs ?? s.readTimeoutMs)
  c.on('response', (res) => receive(f, res, t.name, req.maxResponseBytes ?? Http.DEFAULT_MAX_RESPONSE_BYTES))
  c.on('error', (e) => failDescribed(f, kindOf(codeOf(e)), codeOf(e), t.name))
  c.end(body)
}

/** The live `Http` that `nodeHttp(options)` returns. @since 0.1.0 */
export const create = (options: NodeHttpOptions): NodeHttp => {
  const s = settingsOf(options)
  const pool = agentPool(s)
  const request: Http.Http['request'] = (req) => () =>
    new Promise((resolve) => {
      const target = targetOf(s.env, req.url)
      if (E.isLeft(target)) return resolve(E.left(Http.httpError('InvalidUrl', req.url, target.left)))
      const t = target.right
      const f = inFlight(req.url, resolve)
      const connectMs = req.connectTimeoutMs ?? s.connectTimeoutMs
      f.arm(connectMs, () => f.fail('ConnectTimeout', `no connection to ${t.name} within ${connectMs} ms`))
      pool.agentFor(t.url, t.route).then(
        (agent) => {
          if (!f.settled()) send(f, s, req, t, agent)
        },
        () =>
          f.fail(
            'Network',
            `cannot load the proxy support (https-proxy-agent) needed for ${t.route._tag === 'Proxy' ? t.route.variable : 'the proxy'}`,
          ),
      )
    })
  return { request, close: pool.close }
}
