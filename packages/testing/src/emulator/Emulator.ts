/**
 * The emulator: one Node HTTP server on loopback that plays STS, the ECS metadata service, a credentials URI,
 * CloudSSO and OAuth, with per-route fault injection, request counters and a request log that holds no secrets.
 * Tests point providers at `emu.stsEndpoint`, `emu.metadataBaseUrl`, `emu.credentialsUri`, … and `stop()` it in
 * `afterEach`; `stop()` destroys every open socket (hung ones included) and clears every timer, so nothing leaks.
 *
 * @since 0.1.0
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { maskId } from '@alicred/core'
import { CLOUD_SSO_PATH, type CloudSso, type CloudSsoAccessSpec, type CloudSsoTokenSpec, cloudSso } from './CloudSso.js'
import { CREDENTIALS_URI_PATH, type CredentialsUriOptions, credentialsUri } from './CredentialsUri.js'
import {
  type AccessKeySpec,
  type Directory,
  directory,
  type Identity,
  type KeyPairSpec,
  type OidcProviderSpec,
  type Role,
  type RoleSpec,
  type StsCredentialsSpec,
} from './Directory.js'
import { type Fault, type FaultSpec, type FaultTable, faultTable, type RouteName, type RoutePattern } from './Faults.js'
import { CREDENTIALS_PREFIX, type Imds, type ImdsOptions, imds, rotating } from './Metadata.js'
import { type OAuth, type OAuthAccessTokenSpec, type OAuthOptions, type OAuthRefreshTokenSpec, oauth } from './OAuth.js'
import { type Rng, seededRng } from './Rng.js'
import { actionOf, sts } from './Sts.js'
import { decodeForm, type Incoming, json, type Reply, stsError, stsErrorReply, text } from './Wire.js'

/**
 * Where the emulator listens, its clock and randomness, and the identities, roles and endpoints it starts with.
 *
 * @category emulator
 * @since 0.1.0
 */
export interface EmulatorOptions {
  /** Loopback only. Default `127.0.0.1`. */
  readonly host?: '127.0.0.1' | '::1' | 'localhost'
  /** Default 0 (any free port). */
  readonly port?: number
  /** The emulator's notion of now (token TTLs, expiry, timestamp skew). Default `Date.now`. */
  readonly clock?: { readonly now: () => number }
  /** Seed of ids, secrets and fault probabilities. Default 1. */
  readonly seed?: number
  /** Account of keys and roles that name none. Default `1234567890123456`. */
  readonly accountId?: string
  /** Accepted `Timestamp` skew, both ways. Default 900 (15 min), as the real service. */
  readonly maxSkewSeconds?: number
  readonly accessKeys?: ReadonlyArray<AccessKeySpec>
  readonly roles?: ReadonlyArray<RoleSpec>
  readonly oidcProviders?: ReadonlyArray<OidcProviderSpec>
  readonly keyPairs?: ReadonlyArray<KeyPairSpec>
  readonly imds?: ImdsOptions
  readonly credentialsUri?: CredentialsUriOptions
  readonly oauth?: OAuthOptions
  /** Keep the process alive while running? Default true; `false` unrefs the server (a CLI may want either). */
  readonly ref?: boolean
}

/** One request as the log keeps it: no query string, headers or bodies. @category emulator @since 0.1.0 */
export interface RequestRecord {
  /** 1-based order of arrival. */
  readonly seq: number
  /** Emulator clock at arrival. */
  readonly at: number
  readonly route: RouteName
  readonly method: string
  readonly path: string
  /** Absent when nothing was answered (hang, reset, or the emulator stopped first). */
  readonly status?: number
  /** Error code of an error answer. */
  readonly code?: string
  /** The fault applied, if any. */
  readonly fault?: Fault['type']
  /** The AccessKey id that signed the request, masked (`LTAI****`). */
  readonly accessKeyId?: string
}

/** A running emulator. @category emulator @since 0.1.0 */
export interface Emulator {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  /** `127.0.0.1:<port>`: the `endpoint` a Tea client config wants (with `protocol: 'http'`). */
  readonly host: string
  readonly port: number
  /** STS endpoint URL (RPC, path `/`). */
  readonly stsEndpoint: string
  /** Replaces `http://100.100.100.200`. */
  readonly metadataBaseUrl: string
  /** Full URL of the credentials URI endpoint. */
  readonly credentialsUri: string
  /** A CloudSSO sign-in URL; clients POST to its origin's `/cloud-credentials`. */
  readonly cloudSsoSignInUrl: string
  /** OAuth sign-in URL; clients POST to `/v1/token` and `/v1/exchange` on it. */
  readonly oauthSignInUrl: string

  readonly addAccessKey: (spec: AccessKeySpec) => Identity
  readonly removeAccessKey: (accessKeyId: string) => void
  readonly addStsCredentials: (spec: StsCredentialsSpec) => Identity
  readonly addRole: (spec: RoleSpec) => Role
  readonly addOidcProvider: (spec: OidcProviderSpec) => void
  readonly addKeyPair: (spec: KeyPairSpec) => void
  readonly configureImds: (patch: ImdsOptions) => void
  readonly configureCredentialsUri: (patch: CredentialsUriOptions) => void
  readonly addCloudSsoToken: (spec: CloudSsoTokenSpec) => void
  readonly addCloudSsoAccess: (spec: CloudSsoAccessSpec) => void
  readonly addOAuthRefreshToken: (spec: OAuthRefreshTokenSpec) => void
  readonly addOAuthAccessToken: (spec: OAuthAccessTokenSpec) => void
  /** Who an AccessKey id (permanent or issued) authenticates as, expired STS keys included. */
  readonly identity: (accessKeyId: string) => Identity | undefined

  /** Injects a fault on a route or family; the newest matching fault wins. Returns a function removing it. */
  readonly fault: (route: RoutePattern, spec: FaultSpec) => () => void
  readonly clearFaults: () => void
  /** Requests per route since start (or `resetCounts`); routes never hit are absent. */
  readonly counts: () => Partial<Record<RouteName, number>>
  /** The request log, oldest first. */
  readonly requests: () => ReadonlyArray<RequestRecord>
  readonly resetCounts: () => void

  /** Closes the server, destroys every socket and clears every timer. Idempotent. */
  readonly stop: () => Promise<void>
  readonly [Symbol.asyncDispose]: () => Promise<void>
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
const MAX_BODY_BYTES = 1024 * 1024

const classify = (req: Incoming): RouteName => {
  const { method, path } = req
  if (path === '/') {
    const a = actionOf(req)
    return a === undefined ? 'sts.unknown' : `sts.${a}`
  }
  if (path === '/latest/api/token') return method === 'PUT' ? 'imds.token' : 'notFound'
  if (path === CREDENTIALS_PREFIX) return method === 'GET' ? 'imds.roles' : 'notFound'
  if (path.startsWith(CREDENTIALS_PREFIX)) return method === 'GET' ? 'imds.credentials' : 'notFound'
  if (path === CREDENTIALS_URI_PATH) return method === 'GET' ? 'uri' : 'notFound'
  if (path === CLOUD_SSO_PATH) return method === 'POST' ? 'sso.credentials' : 'notFound'
  if (path === '/v1/token') return method === 'POST' ? 'oauth.token' : 'notFound'
  if (path === '/v1/exchange') return method === 'POST' ? 'oauth.exchange' : 'notFound'
  return 'notFound'
}

const headersOf = (req: IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v
  }
  return out
}

const readBody = (req: IncomingMessage): Promise<string | undefined> =>
  new Promise((resolve) => {
    const chunks: Array<Buffer> = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY_BYTES) chunks.push(c)
    })
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(undefined))
  })

// Reads only the parts of the request the handlers use; query and headers as plain records, first value wins.
const incoming = (raw: IncomingMessage, body: string | undefined): Incoming => {
  const url = new URL(raw.url ?? '/', 'http://emulator')
  const headers = headersOf(raw)
  const query: Record<string, string> = {}
  for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v
  return {
    method: raw.method ?? 'GET',
    path: url.pathname,
    query,
    headers,
    body: body ?? '',
    form: (headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') ? decodeForm(body ?? '') : {},
  }
}

// ── The endpoints ────────────────────────────────────────────────────────────────────────────────────────────────

/** Every endpoint, sharing one directory, clock and random source. */
interface Endpoints {
  readonly now: () => number
  readonly rng: Rng
  readonly dir: Directory
  readonly sts: (req: Incoming) => Promise<Reply>
  readonly metadata: Imds
  readonly credentialsUri: () => Reply
  readonly configureCredentialsUri: (patch: CredentialsUriOptions) => void
  readonly sso: CloudSso
  readonly oauth: OAuth
}

// The directory is shared so that what one endpoint issues another accepts (IMDS credentials can call STS).
const endpoints = (options: EmulatorOptions): Endpoints => {
  const clock = options.clock ?? { now: () => Date.now() }
  const now = (): number => clock.now()
  const rng = seededRng(options.seed ?? 1)
  const dir = directory(options.accountId ?? '1234567890123456', now, rng)
  const grant = rotating(dir, now)
  const stsHandler = sts({ dir, now, rng, maxSkewMs: (options.maxSkewSeconds ?? 900) * 1000 })
  const metadata = imds(dir, now, rng, options.imds)
  let uriOptions: CredentialsUriOptions = options.credentialsUri ?? {}
  const uriHandler = credentialsUri(dir, grant, () => uriOptions)
  const sso = cloudSso(dir, now, rng)
  const oauthOptions: OAuthOptions = options.oauth ?? {}
  const oa = oauth(dir, now, rng, () => oauthOptions)
  for (const k of options.accessKeys ?? []) dir.addAccessKey(k)
  for (const r of options.roles ?? []) dir.addRole(r)
  for (const p of options.oidcProviders ?? []) dir.addOidcProvider(p)
  for (const k of options.keyPairs ?? []) dir.addKeyPair(k)
  const configureCredentialsUri = (patch: CredentialsUriOptions): void => {
    uriOptions = { ...uriOptions, ...patch }
  }
  return {
    now,
    rng,
    dir,
    sts: stsHandler,
    metadata,
    credentialsUri: uriHandler,
    configureCredentialsUri,
    sso,
    oauth: oa,
  }
}

const dispatch = (eps: Endpoints, route: RouteName, req: Incoming): Promise<Reply> | Reply => {
  switch (route) {
    case 'imds.token':
    case 'imds.roles':
    case 'imds.credentials':
      return eps.metadata.handle(route, req)
    case 'uri':
      return eps.credentialsUri()
    case 'sso.credentials':
      return eps.sso.handle(req)
    case 'oauth.token':
      return eps.oauth.token(req)
    case 'oauth.exchange':
      return eps.oauth.exchange(req)
    case 'notFound':
      return text(404, 'Not Found')
    default:
      return eps.sts(req)
  }
}

// ── Faults ───────────────────────────────────────────────────────────────────────────────────────────────────────

// An error answer in the route's own shape.
const errorReply = (rng: Rng, route: RouteName, req: Incoming, status: number, code: string, message: string): Reply =>
  route.startsWith('sts.')
    ? stsErrorReply(stsError(status, code, message), rng.requestId(), req.headers.host ?? 'sts.aliyuncs.com')
    : route.startsWith('oauth.')
      ? json(status, { error: code, error_description: message }, { code })
      : route === 'sso.credentials'
        ? json(status, { RequestId: rng.requestId(), Code: code, Message: message }, { code })
        : text(status, `${code}: ${message}`, { code })

// The faults that are only a different answer; `undefined` for those that act on the connection.
const cannedReply = (rng: Rng, route: RouteName, req: Incoming, fault: Fault): Reply | undefined => {
  switch (fault.type) {
    case 'status':
      return {
        status: fault.status,
        headers: { 'content-type': fault.contentType ?? 'text/plain;charset=utf-8' },
        body: fault.body ?? '',
      }
    case 'error':
      return errorReply(rng, route, req, fault.status, fault.code, fault.message ?? fault.code)
    case 'throttle':
      return errorReply(
        rng,
        route,
        req,
        fault.status ?? (route.startsWith('sts.') ? 400 : 429),
        fault.code ?? 'Throttling',
        'Request was denied due to request throttling.',
      )
    case 'malformed':
      return {
        status: 200,
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body: fault.body ?? '{"Credentials":{"AccessKeyId":',
      }
    default:
      return undefined
  }
}

// ── Bookkeeping ──────────────────────────────────────────────────────────────────────────────────────────────────

type LogEntry = { -readonly [K in keyof RequestRecord]: RequestRecord[K] }

interface RequestLog {
  /** Counts the request and logs it; the entry is completed when it is answered. */
  readonly open: (route: RouteName, req: Incoming) => LogEntry
  readonly counts: () => Partial<Record<RouteName, number>>
  readonly requests: () => ReadonlyArray<RequestRecord>
  readonly reset: () => void
}

const requestLog = (now: () => number): RequestLog => {
  let counts: Partial<Record<RouteName, number>> = {}
  let log: Array<LogEntry> = []
  let seq = 0
  return {
    open: (route, req) => {
      counts = { ...counts, [route]: (counts[route] ?? 0) + 1 }
      const entry: LogEntry = { seq: ++seq, at: now(), route, method: req.method, path: req.path }
      log.push(entry)
      return entry
    },
    counts: () => ({ ...counts }),
    requests: () => log.map((e) => ({ ...e })),
    reset: () => {
      counts = {}
      log = []
    },
  }
}

// The log keeps the outcome, never the body; the signing key id only masked.
const noteReply = (entry: LogEntry, reply: Reply): void => {
  entry.status = reply.status
  if (reply.code !== undefined) entry.code = reply.code
  if (reply.accessKeyId !== undefined) entry.accessKeyId = maskId(reply.accessKeyId)
}

/** What `stop()` must end: every open socket (hung ones included) and every pending delay. */
interface Lifecycle {
  readonly stopped: () => boolean
  /** A delay `stop()` cancels. */
  readonly sleep: (ms: number) => Promise<void>
  readonly stop: () => Promise<void>
}

const lifecycle = (server: Server): Lifecycle => {
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let stopping: Promise<void> | undefined
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return {
    stopped: () => stopping !== undefined,
    sleep: (ms) =>
      new Promise((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t)
          resolve()
        }, ms)
        timers.add(t)
      }),
    stop: () => {
      if (stopping !== undefined) return stopping
      for (const t of timers) clearTimeout(t)
      timers.clear()
      stopping = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const s of sockets) s.destroy()
      return stopping
    },
  }
}

// ── Serving ──────────────────────────────────────────────────────────────────────────────────────────────────────

interface Serving {
  readonly eps: Endpoints
  readonly faults: FaultTable
  readonly log: RequestLog
  readonly life: Lifecycle
}

const write = (life: Lifecycle, res: ServerResponse, reply: Reply): void => {
  if (res.destroyed || life.stopped()) return
  const body = Buffer.from(reply.body, 'utf8')
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) })
  res.end(body)
}

// The full Content-Length but half the body, then the socket closes: a response cut short mid-body.
const writeTruncated = (life: Lifecycle, raw: IncomingMessage, res: ServerResponse, reply: Reply): void => {
  if (res.destroyed || life.stopped()) return
  const full = Buffer.from(reply.body, 'utf8')
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(full.length) })
  res.write(full.subarray(0, Math.floor(full.length / 2)), () => raw.socket.destroy())
}

const serve =
  (s: Serving) =>
  async (raw: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(raw)
    const req = incoming(raw, body)
    const route = classify(req)
    const entry = s.log.open(route, req)
    const finish = (reply: Reply): void => {
      noteReply(entry, reply)
      write(s.life, res, reply)
    }
    if (body === undefined) return finish(text(413, 'Payload Too Large'))
    const fault = s.faults.pick(route)
    if (fault === undefined) return finish(await dispatch(s.eps, route, req))
    entry.fault = fault.type
    const canned = cannedReply(s.eps.rng, route, req, fault)
    if (canned !== undefined) return finish(canned)
    switch (fault.type) {
      case 'delay':
        await s.life.sleep(fault.ms)
        if (s.life.stopped()) return
        return finish(await dispatch(s.eps, route, req))
      case 'reset':
        raw.socket.resetAndDestroy()
        return
      case 'truncated': {
        const reply = await dispatch(s.eps, route, req)
        entry.status = reply.status
        return writeTruncated(s.life, raw, res, reply)
      }
      // 'hang': never answer; stop() destroys the socket.
    }
  }

const listen = (server: Server, port: number, hostname: string): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, hostname, () => {
      server.off('error', reject)
      resolve()
    })
  })

type Controls = Omit<
  Emulator,
  | 'url'
  | 'host'
  | 'port'
  | 'stsEndpoint'
  | 'metadataBaseUrl'
  | 'credentialsUri'
  | 'cloudSsoSignInUrl'
  | 'oauthSignInUrl'
  | 'stop'
  | typeof Symbol.asyncDispose
>

// What tests call to shape the emulator's world and to observe what it saw.
const controls = (eps: Endpoints, faults: FaultTable, log: RequestLog): Controls => ({
  addAccessKey: eps.dir.addAccessKey,
  removeAccessKey: eps.dir.removeAccessKey,
  addStsCredentials: eps.dir.addStsCredentials,
  addRole: eps.dir.addRole,
  addOidcProvider: eps.dir.addOidcProvider,
  addKeyPair: eps.dir.addKeyPair,
  configureImds: eps.metadata.configure,
  configureCredentialsUri: eps.configureCredentialsUri,
  addCloudSsoToken: eps.sso.addToken,
  addCloudSsoAccess: eps.sso.addAccess,
  addOAuthRefreshToken: eps.oauth.addRefreshToken,
  addOAuthAccessToken: eps.oauth.addAccessToken,
  identity: (id) => eps.dir.key(id)?.identity,
  fault: faults.add,
  clearFaults: faults.clear,
  counts: log.counts,
  requests: log.requests,
  resetCounts: log.reset,
})

/**
 * Starts an emulator on loopback.
 *
 * @example
 * import { startEmulator } from '@alicred/testing/emulator'
 * const emu = await startEmulator({ imds: { roleName: 'EcsRole' } })
 * try {
 *   const res = await fetch(`${emu.metadataBaseUrl}/latest/meta-data/ram/security-credentials/`)
 *   assert.strictEqual(await res.text(), 'EcsRole')
 *   assert.deepStrictEqual(emu.counts(), { 'imds.roles': 1 })
 * } finally {
 *   await emu.stop()
 * }
 * @category emulator
 * @since 0.1.0
 */
export const startEmulator = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const hostname = options.host ?? '127.0.0.1'
  if (!LOOPBACK.has(hostname)) throw new RangeError('the emulator listens on loopback only (127.0.0.1, ::1, localhost)')
  const eps = endpoints(options)
  // A separate stream, so adding a probabilistic fault does not change the ids and secrets a test sees.
  const faults = faultTable(seededRng(((options.seed ?? 1) ^ 0x5eed) >>> 0))
  const log = requestLog(eps.now)
  const server = createServer()
  const life = lifecycle(server)
  const handle = serve({ eps, faults, log, life })
  server.on('request', (raw: IncomingMessage, res: ServerResponse) => {
    handle(raw, res).catch(() => {
      // A handler bug must not become an unhandled rejection in the test process.
      write(life, res, text(500, 'emulator error'))
    })
  })
  // Clients that give up reset their sockets; that is normal here, not an error.
  server.on('clientError', (_e, socket) => socket.destroy())
  await listen(server, options.port ?? 0, hostname)
  if (options.ref === false) server.unref()

  const port = (server.address() as AddressInfo).port
  const hostPort = hostname.includes(':') ? `[${hostname}]:${port}` : `${hostname}:${port}`
  const url = `http://${hostPort}`
  return {
    url,
    host: hostPort,
    port,
    stsEndpoint: url,
    metadataBaseUrl: url,
    credentialsUri: `${url}${CREDENTIALS_URI_PATH}`,
    cloudSsoSignInUrl: `${url}/login`,
    oauthSignInUrl: url,
    ...controls(eps, faults, log),
    stop: life.stop,
    [Symbol.asyncDispose]: life.stop,
  }
}
