/**
 * The emulator: one Node HTTP server on loopback that plays STS, the ECS metadata service, a credentials URI,
 * CloudSSO and OAuth, with per-route fault injection, request counters and a request log that holds no secrets.
 * Tests point providers at `emu.stsEndpoint`, `emu.metadataBaseUrl`, `emu.credentialsUri`, … and `stop()` it in
 * `afterEach`; `stop()` destroys every open socket (hung ones included) and clears every timer, so nothing leaks.
 *
 * @since 0.1.0
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { maskId } from '@alicred/core'
import { CLOUD_SSO_PATH, type CloudSsoAccessSpec, type CloudSsoTokenSpec, cloudSso } from './CloudSso.js'
import { CREDENTIALS_URI_PATH, type CredentialsUriOptions, credentialsUri } from './CredentialsUri.js'
import {
  type AccessKeySpec,
  directory,
  type Identity,
  type KeyPairSpec,
  type OidcProviderSpec,
  type Role,
  type RoleSpec,
  type StsCredentialsSpec,
} from './Directory.js'
import { type Fault, type FaultSpec, faultTable, type RouteName, type RoutePattern } from './Faults.js'
import { CREDENTIALS_PREFIX, type ImdsOptions, imds, rotating } from './Metadata.js'
import { type OAuthAccessTokenSpec, type OAuthOptions, type OAuthRefreshTokenSpec, oauth } from './OAuth.js'
import { seededRng } from './Rng.js'
import { actionOf, sts } from './Sts.js'
import { decodeForm, type Incoming, json, type Reply, stsError, stsErrorReply, text } from './Wire.js'

/** @since 0.1.0 */
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

/** One request as the log keeps it: no query string, headers or bodies. @since 0.1.0 */
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

/** A running emulator. @since 0.1.0 */
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
 * @since 0.1.0
 */
export const startEmulator = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const hostname = options.host ?? '127.0.0.1'
  if (!LOOPBACK.has(hostname)) throw new RangeError('the emulator listens on loopback only (127.0.0.1, ::1, localhost)')
  const clock = options.clock ?? { now: () => Date.now() }
  const now = (): number => clock.now()
  const rng = seededRng(options.seed ?? 1)
  const faultRng = seededRng(((options.seed ?? 1) ^ 0x5eed) >>> 0)
  const dir = directory(options.accountId ?? '1234567890123456', now, rng)
  const grant = rotating(dir, now)
  const stsHandler = sts({ dir, now, rng, maxSkewMs: (options.maxSkewSeconds ?? 900) * 1000 })
  const metadata = imds(dir, now, rng, options.imds)
  let uriOptions: CredentialsUriOptions = options.credentialsUri ?? {}
  const uriHandler = credentialsUri(dir, grant, () => uriOptions)
  const sso = cloudSso(dir, now, rng)
  const oauthOptions: OAuthOptions = options.oauth ?? {}
  const oa = oauth(dir, now, rng, () => oauthOptions)
  const faults = faultTable(faultRng)

  for (const k of options.accessKeys ?? []) dir.addAccessKey(k)
  for (const r of options.roles ?? []) dir.addRole(r)
  for (const p of options.oidcProviders ?? []) dir.addOidcProvider(p)
  for (const k of options.keyPairs ?? []) dir.addKeyPair(k)

  let counts: Partial<Record<RouteName, number>> = {}
  let log: Array<{ -readonly [K in keyof RequestRecord]: RequestRecord[K] }> = []
  let seq = 0
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let stopped = false

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.add(t)
    })

  const handle = (route: RouteName, req: Incoming): Promise<Reply> | Reply => {
    switch (route) {
      case 'imds.token':
      case 'imds.roles':
      case 'imds.credentials':
        return metadata.handle(route, req)
      case 'uri':
        return uriHandler()
      case 'sso.credentials':
        return sso.handle(req)
      case 'oauth.token':
        return oa.token(req)
      case 'oauth.exchange':
        return oa.exchange(req)
      case 'notFound':
        return text(404, 'Not Found')
      default:
        return stsHandler(req)
    }
  }

  // An error answer in the route's own shape.
  const errorReply = (route: RouteName, req: Incoming, status: number, code: string, message: string): Reply =>
    route.startsWith('sts.')
      ? stsErrorReply(stsError(status, code, message), rng.requestId(), req.headers.host ?? 'sts.aliyuncs.com')
      : route.startsWith('oauth.')
        ? json(status, { error: code, error_description: message }, { code })
        : route === 'sso.credentials'
          ? json(status, { RequestId: rng.requestId(), Code: code, Message: message }, { code })
          : text(status, `${code}: ${message}`, { code })

  const write = (res: ServerResponse, reply: Reply): void => {
    if (res.destroyed || stopped) return
    const body = Buffer.from(reply.body, 'utf8')
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) })
    res.end(body)
  }

  const serve = async (raw: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(raw)
    const url = new URL(raw.url ?? '/', 'http://emulator')
    const headers = headersOf(raw)
    const query: Record<string, string> = {}
    for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v
    const req: Incoming = {
      method: raw.method ?? 'GET',
      path: url.pathname,
      query,
      headers,
      body: body ?? '',
      form: (headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') ? decodeForm(body ?? '') : {},
    }
    const route = classify(req)
    counts = { ...counts, [route]: (counts[route] ?? 0) + 1 }
    const entry: (typeof log)[number] = { seq: ++seq, at: now(), route, method: req.method, path: req.path }
    log.push(entry)
    const finish = (reply: Reply): void => {
      entry.status = reply.status
      if (reply.code !== undefined) entry.code = reply.code
      if (reply.accessKeyId !== undefined) entry.accessKeyId = maskId(reply.accessKeyId)
      write(res, reply)
    }
    if (body === undefined) return finish(text(413, 'Payload Too Large'))
    const fault = faults.pick(route)
    if (fault !== undefined) entry.fault = fault.type
    switch (fault?.type) {
      case undefined:
        return finish(await handle(route, req))
      case 'status':
        return finish({
          status: fault.status,
          headers: { 'content-type': fault.contentType ?? 'text/plain;charset=utf-8' },
          body: fault.body ?? '',
        })
      case 'error':
        return finish(errorReply(route, req, fault.status, fault.code, fault.message ?? fault.code))
      case 'throttle': {
        const onSts = route.startsWith('sts.')
        return finish(
          errorReply(
            route,
            req,
            fault.status ?? (onSts ? 400 : 429),
            fault.code ?? 'Throttling',
            'Request was denied due to request throttling.',
          ),
        )
      }
      case 'malformed':
        return finish({
          status: 200,
          headers: { 'content-type': 'application/json;charset=utf-8' },
          body: fault.body ?? '{"Credentials":{"AccessKeyId":',
        })
      case 'delay':
        await sleep(fault.ms)
        if (stopped) return
        return finish(await handle(route, req))
      case 'hang':
        return
      case 'reset':
        raw.socket.resetAndDestroy()
        return
      case 'truncated': {
        const reply = await handle(route, req)
        entry.status = reply.status
        if (res.destroyed || stopped) return
        const full = Buffer.from(reply.body, 'utf8')
        res.writeHead(reply.status, { ...reply.headers, 'content-length': String(full.length) })
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => raw.socket.destroy())
        return
      }
    }
  }

  const server = createServer((raw, res) => {
    serve(raw, res).catch(() => {
      // A handler bug must not become an unhandled rejection in the test process.
      write(res, text(500, 'emulator error'))
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  // Clients that give up reset their sockets; that is normal here, not an error.
  server.on('clientError', (_e, socket) => socket.destroy())

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, hostname, () => {
      server.off('error', reject)
      resolve()
    })
  })
  if (options.ref === false) server.unref()

  const port = (server.address() as AddressInfo).port
  const hostPort = hostname.includes(':') ? `[${hostname}]:${port}` : `${hostname}:${port}`
  const url = `http://${hostPort}`

  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    if (stopping !== undefined) return stopping
    stopped = true
    for (const t of timers) clearTimeout(t)
    timers.clear()
    stopping = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const s of sockets) s.destroy()
    return stopping
  }

  return {
    url,
    host: hostPort,
    port,
    stsEndpoint: url,
    metadataBaseUrl: url,
    credentialsUri: `${url}${CREDENTIALS_URI_PATH}`,
    cloudSsoSignInUrl: `${url}/login`,
    oauthSignInUrl: url,
    addAccessKey: dir.addAccessKey,
    removeAccessKey: dir.removeAccessKey,
    addStsCredentials: dir.addStsCredentials,
    addRole: dir.addRole,
    addOidcProvider: dir.addOidcProvider,
    addKeyPair: dir.addKeyPair,
    configureImds: metadata.configure,
    configureCredentialsUri: (patch) => {
      uriOptions = { ...uriOptions, ...patch }
    },
    addCloudSsoToken: sso.addToken,
    addCloudSsoAccess: sso.addAccess,
    addOAuthRefreshToken: oa.addRefreshToken,
    addOAuthAccessToken: oa.addAccessToken,
    identity: (id) => dir.key(id)?.identity,
    fault: faults.add,
    clearFaults: faults.clear,
    counts: () => ({ ...counts }),
    requests: () => log.map((e) => ({ ...e })),
    resetCounts: () => {
      counts = {}
      log = []
    },
    stop,
    [Symbol.asyncDispose]: stop,
  }
}
