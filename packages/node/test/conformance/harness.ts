// The conformance harness: one case (files + env + endpoint answers) run through @alicloud/credentials 2.4.7 (the
// reference) and through our drop-in Client, each in a fresh HOME, with every HTTP request both libraries send
// rerouted to one stand-in server on 127.0.0.1.
//
// How requests stay on loopback:
// - the reference builds its URLs itself (`https://<sts host>/`, `http://100.100.100.200/…`, `https://oauth.aliyun.com`)
//   and sends them through `httpx.request`; the harness replaces that one function (the module is shared with the
//   reference through Node's require cache) with one that sends the same method, headers and body to the stand-in;
// - our Client gets an `Http` capability wrapping the live one the same way.
// Both tell the stand-in the host they meant in `x-conformance-host`. A route the case gives no answer for is sent to
// a closed loopback port instead (connection refused, as off-cloud metadata or an unreachable host behaves), so no
// request can ever leave the machine, `https://undefined/` of the reference's URI link included.
import * as fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { homedir, tmpdir } from 'node:os'
import * as path from 'node:path'
import * as RefModule from '@alicloud/credentials'
import type { Http } from '@alicred/core'
import { Client, Config, type ConfigOptions, liveCapabilities } from '@alicred/node'
import { startServer, type TestServer } from '../helpers/servers.js'

// ---------------------------------------------------------------------------------------------------------------
// cases
// ---------------------------------------------------------------------------------------------------------------

export type Repo =
  | 'aliyun/credentials-nodejs'
  | 'aliyun/credentials-python'
  | 'aliyun/credentials-go'
  | 'aliyun/aliyun-cli'

/** Where a case comes from: the peer repository, the file and the test function. */
export interface Source {
  readonly repo: Repo
  readonly file: string
  readonly test: string
}

/** What a case may compute from its run: now, and the HOME of the side it is built for. */
export interface Ctx {
  readonly home: string
  /** Epoch seconds, `offset` from now. */
  readonly s: (offset: number) => number
  /** `YYYY-MM-DDThh:mm:ssZ`, `offset` seconds from now. */
  readonly iso: (offset: number) => string
}

export type Thunk<A> = A | ((ctx: Ctx) => A)

export type Route =
  | 'sts'
  | 'imds.token'
  | 'imds.roles'
  | 'imds.credentials'
  | 'uri'
  | 'oauth.token'
  | 'oauth.exchange'
  | 'sso'

export interface Reply {
  readonly status?: number
  readonly json?: unknown
  readonly text?: string
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * One reply for every request of the route, one per request in order (the last one repeats), or a reply computed
 * from the request.
 */
export type Answer = Reply | ReadonlyArray<Reply> | ((request: Recorded) => Reply)

export interface Fields {
  readonly type?: string
  readonly accessKeyId?: string
  readonly accessKeySecret?: string
  /** `null`: no token (an AccessKey credential). */
  readonly securityToken?: string | null
}

/**
 * What a suite states (or what we state for our side of a documented difference). Everything given must hold.
 */
export interface Expect {
  /** The credential of the last call, field by field. */
  readonly ok?: Fields
  /** The last call (or the constructor) fails. */
  readonly fail?: true
  /** Exactly this many requests of these routes were sent (a route not named is not checked). */
  readonly requests?: Partial<Record<Route, number>>
  /** The host the (first) STS request was meant for. */
  readonly stsHost?: string
  /** Form or query parameters of the (first) STS request. */
  readonly stsParams?: Readonly<Record<string, string>>
  /** A `console.warn` line matching this was printed during the run (alicred prints warnings there by default). */
  readonly warns?: RegExp
  /** How many lines `~/runs.log` has after the run (an External helper script appends one per run). */
  readonly runs?: number
  /** After the run, ~/.aliyun/config.json holds a profile `profile` with these fields. */
  readonly file?: { readonly profile: string; readonly has: Readonly<Record<string, unknown>> }
}

/** How we claim our Client relates to the reference on this case. */
export type Verdict =
  /** Same ok/fail, type, accessKeyId, accessKeySecret and securityToken on every call. */
  | { readonly agree: true }
  /** The reference misses the peer suite's `expect`; we meet it. */
  | { readonly peer: true }
  /** We differ from the reference as docs/migration.md row `row` says, and do `ours`. */
  | { readonly row: string; readonly ours: Expect }

export interface Case {
  readonly id: string
  readonly from: Source
  /** What is tried, in a few words. */
  readonly what: string
  /** The Client's config; absent or `null`: the default chain. */
  readonly config?: Thunk<ConfigOptions | null>
  readonly env?: Thunk<Readonly<Record<string, string>>>
  /** Files under HOME (relative paths); objects are written as JSON. */
  readonly files?: Thunk<Readonly<Record<string, string | object>>>
  readonly answers?: Thunk<Partial<Record<Route, Answer>>>
  /** How many times `getCredential()` is called. Default 1. */
  readonly calls?: number
  /** The peer suite's stated expectation, when it states one. */
  readonly expect?: Expect
  readonly verdict: Verdict
  /**
   * Set when the peer suite states something both libraries do differently and we keep the reference's behaviour;
   * says why.
   */
  readonly peerDiffers?: string
  /** Waiting for another branch; the reason is shown on the skipped test. */
  readonly pending?: string
}

export const agree: Verdict = { agree: true }
export const peer: Verdict = { peer: true }
export const row = (id: string, ours: Expect): Verdict => ({ row: id, ours })

// ---------------------------------------------------------------------------------------------------------------
// observations
// ---------------------------------------------------------------------------------------------------------------

export interface Recorded {
  readonly route: Route
  readonly method: string
  /** The host the library meant, e.g. `sts-vpc.cn-hangzhou.aliyuncs.com`. */
  readonly host: string
  readonly path: string
  readonly params: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export type Outcome =
  | {
      readonly ok: true
      readonly type: unknown
      readonly accessKeyId: unknown
      readonly accessKeySecret: unknown
      readonly securityToken: unknown
      readonly providerName: unknown
    }
  | { readonly ok: false; readonly stage: 'constructor' | 'call'; readonly message: string }

export interface Observed {
  readonly calls: ReadonlyArray<Outcome>
  readonly requests: ReadonlyArray<Recorded>
  /** ~/.aliyun/config.json after the run, parsed. */
  readonly file: unknown
  /** Lines of ~/runs.log after the run. */
  readonly runs: number
  /** What was printed with `console.warn` during the run. */
  readonly warnings: ReadonlyArray<string>
}

/** The compared part of an outcome. */
export const compared = (o: Outcome) =>
  o.ok
    ? {
        ok: true,
        type: o.type,
        accessKeyId: o.accessKeyId,
        accessKeySecret: o.accessKeySecret,
        securityToken: o.securityToken ?? null,
      }
    : { ok: false }

/** Why `o` misses `e`, or `undefined` when it meets it. */
export const misses = (o: Observed, e: Expect): string | undefined => {
  const last = o.calls[o.calls.length - 1]
  if (last === undefined) return 'no call'
  if (e.fail === true && last.ok) return 'expected a failure, got a credential'
  if (e.ok !== undefined) {
    if (!last.ok) return `expected a credential, got a failure (${last.stage})`
    for (const [k, v] of Object.entries(e.ok)) {
      const got = k === 'securityToken' ? (last.securityToken ?? null) : last[k as keyof typeof last]
      if (got !== v) return `${k} is ${JSON.stringify(got)}, expected ${JSON.stringify(v)}`
    }
  }
  for (const [route, n] of Object.entries(e.requests ?? {})) {
    const got = o.requests.filter((r) => r.route === route).length
    if (got !== n) return `${got} ${route} requests, expected ${n}`
  }
  const sts = o.requests.find((r) => r.route === 'sts')
  if (e.stsHost !== undefined && sts?.host !== e.stsHost)
    return `STS host ${sts?.host ?? '(none)'}, expected ${e.stsHost}`
  for (const [k, v] of Object.entries(e.stsParams ?? {})) {
    if (sts?.params[k] !== v) return `STS ${k} is ${JSON.stringify(sts?.params[k])}, expected ${JSON.stringify(v)}`
  }
  if (e.runs !== undefined && o.runs !== e.runs) return `the command ran ${o.runs} times, expected ${e.runs}`
  if (e.warns !== undefined && !o.warnings.some((w) => e.warns?.test(w) === true)) {
    return `no warning matching ${e.warns}; printed: ${JSON.stringify(o.warnings)}`
  }
  if (e.file !== undefined) {
    const profiles = (o.file as { profiles?: Array<Record<string, unknown>> } | undefined)?.profiles ?? []
    const p = profiles.find((x) => x.name === e.file?.profile)
    if (p === undefined) return `config.json has no profile ${e.file.profile}`
    for (const [k, v] of Object.entries(e.file.has)) {
      if (p[k] !== v)
        return `config.json ${e.file.profile}.${k} is ${JSON.stringify(p[k])}, expected ${JSON.stringify(v)}`
    }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------------------------
// the reference
// ---------------------------------------------------------------------------------------------------------------

type RefCredentialClass = typeof RefModule.default.default
const interop = RefModule as unknown as { default: RefCredentialClass & { default?: RefCredentialClass } }
const RefCredential: RefCredentialClass = interop.default.default ?? interop.default
const RefConfig = (RefModule as unknown as { Config: new (c: object) => object }).Config

// The reference's HTTP client, as the reference itself requires it.
const requireFromReference = createRequire(createRequire(import.meta.url).resolve('@alicloud/credentials'))
const httpx = requireFromReference('httpx') as {
  request: (url: string, opts: { method?: string; headers?: Record<string, string>; data?: unknown }) => unknown
}

// ---------------------------------------------------------------------------------------------------------------
// the world
// ---------------------------------------------------------------------------------------------------------------

const isManaged = (k: string): boolean =>
  k.startsWith('ALIBABA_CLOUD_') ||
  k.startsWith('ALIBABACLOUD_') ||
  k.startsWith('ALICLOUD_') ||
  /^(https?|all|no)_proxy$/i.test(k) ||
  k === 'HOME' ||
  k === 'USERPROFILE'

const routeOf = (method: string, url: URL): Route => {
  if (url.hostname === '100.100.100.200') {
    if (url.pathname === '/latest/api/token') return 'imds.token'
    if (url.pathname === '/latest/meta-data/ram/security-credentials/') return 'imds.roles'
    return 'imds.credentials'
  }
  if (url.pathname === '/v1/token') return 'oauth.token'
  if (url.pathname === '/v1/exchange') return 'oauth.exchange'
  if (url.pathname === '/cloud-credentials') return 'sso'
  return method === 'POST' && url.pathname === '/' ? 'sts' : 'uri'
}

const closedPort = async (): Promise<number> => {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as { port: number }).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

const parseParams = (url: URL, body: string, contentType: string): Record<string, string> => {
  const out: Record<string, string> = Object.fromEntries(url.searchParams)
  if (/x-www-form-urlencoded/i.test(contentType)) Object.assign(out, Object.fromEntries(new URLSearchParams(body)))
  return out
}

export interface World {
  readonly run: (c: Case) => Promise<{ readonly reference: Observed; readonly alicred: Observed }>
  readonly close: () => Promise<void>
}

const resolve = <A>(t: Thunk<A> | undefined, ctx: Ctx, fallback: A): A =>
  t === undefined ? fallback : typeof t === 'function' ? (t as (c: Ctx) => A)(ctx) : t

const ctxFor = (home: string): Ctx => ({
  home,
  s: (offset) => Math.floor(Date.now() / 1000) + offset,
  iso: (offset) => new Date(Date.now() + offset * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
})

const messageOf = (u: unknown): string => (u instanceof Error ? u.message : String(u))

export const startWorld = async (): Promise<World> => {
  let answers: Partial<Record<Route, Answer>> = {}
  const seen: Record<'ref' | 'ours', Array<Recorded>> = { ref: [], ours: [] }
  const server: TestServer = await startServer((req, res, body) => {
    const host = String(req.headers['x-conformance-host'] ?? '')
    const url = new URL(req.url ?? '/', `http://${host || 'localhost'}`)
    const route = routeOf(req.method ?? 'GET', url)
    const who = req.headers['x-conformance-side'] === 'ours' ? 'ours' : 'ref'
    const headers = Object.fromEntries(
      Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
    )
    const log = seen[who]
    log.push({
      route,
      method: req.method ?? '',
      host,
      path: url.pathname,
      params: parseParams(url, body, String(req.headers['content-type'] ?? '')),
      headers,
      body,
    })
    const a = answers[route]
    const nth = log.filter((r) => r.route === route).length - 1
    const reply: Reply | undefined =
      typeof a === 'function'
        ? a(log[log.length - 1] as Recorded)
        : Array.isArray(a)
          ? (a[Math.min(nth, a.length - 1)] as Reply | undefined)
          : (a as Reply | undefined)
    if (reply === undefined) {
      res.statusCode = 599
      res.end('no answer')
      return
    }
    res.statusCode = reply.status ?? 200
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v)
    if (reply.json !== undefined) {
      if (reply.headers?.['content-type'] === undefined) res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(reply.json))
    } else res.end(reply.text ?? '')
  })
  const refused = await closedPort()

  // Where a request for `url` goes: the stand-in when the case answers its route, else a closed port.
  const reroute = (method: string, raw: string, who: 'ref' | 'ours') => {
    const url = new URL(raw)
    const route = routeOf(method, url)
    const port = answers[route] === undefined ? refused : server.port
    return {
      url: `http://127.0.0.1:${port}${url.pathname}${url.search}`,
      headers: { 'x-conformance-host': url.host, 'x-conformance-side': who },
    }
  }

  const originalRequest = httpx.request
  httpx.request = (url, opts) => {
    const t = reroute(opts.method ?? 'GET', url, 'ref')
    return originalRequest.call(httpx, t.url, { ...opts, headers: { ...opts.headers, ...t.headers } })
  }

  const routed = (inner: Http.Http): Http.Http => ({
    request: (req) => {
      const t = reroute(req.method, req.url, 'ours')
      return inner.request({ ...req, url: t.url, headers: { ...req.headers, ...t.headers } })
    },
  })

  const saved = Object.fromEntries(
    Object.keys(process.env)
      .filter(isManaged)
      .map((k) => [k, process.env[k]]),
  )
  const restoreEnv = () => {
    for (const k of Object.keys(process.env).filter(isManaged)) delete process.env[k]
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v
  }

  const populate = async (c: Case, home: string) => {
    const ctx = ctxFor(home)
    for (const [rel, contents] of Object.entries(resolve(c.files, ctx, {}))) {
      const p = path.join(home, rel)
      await fs.mkdir(path.dirname(p), { recursive: true })
      await fs.writeFile(p, typeof contents === 'string' ? contents : JSON.stringify(contents, null, 4))
    }
    return ctx
  }

  const countRuns = async (home: string): Promise<number> => {
    try {
      return (await fs.readFile(path.join(home, 'runs.log'), 'utf8')).split('\n').filter((l) => l !== '').length
    } catch {
      return 0
    }
  }

  const readCliConfig = async (home: string): Promise<unknown> => {
    try {
      return JSON.parse(await fs.readFile(path.join(home, '.aliyun', 'config.json'), 'utf8'))
    } catch {
      return undefined
    }
  }

  const observeCalls = async (
    make: () => { getCredential(): Promise<object> },
    calls: number,
  ): Promise<ReadonlyArray<Outcome>> => {
    let client: { getCredential(): Promise<object> }
    try {
      client = make()
    } catch (e) {
      return [{ ok: false, stage: 'constructor', message: messageOf(e) }]
    }
    try {
      return await callsOf(client, calls)
    } finally {
      // The reference's ECS provider may hold a refresh timer (asyncCredentialUpdateEnabled).
      ;(client as { credential?: { provider?: { close?: () => void } } }).credential?.provider?.close?.()
    }
  }

  const callsOf = async (
    client: { getCredential(): Promise<object> },
    calls: number,
  ): Promise<ReadonlyArray<Outcome>> => {
    const out: Array<Outcome> = []
    for (let i = 0; i < calls; i++) {
      try {
        const m = (await client.getCredential()) as Record<string, unknown>
        out.push({
          ok: true,
          type: m.type,
          accessKeyId: m.accessKeyId,
          accessKeySecret: m.accessKeySecret,
          securityToken: m.securityToken,
          providerName: m.providerName,
        })
      } catch (e) {
        out.push({ ok: false, stage: 'call', message: messageOf(e) })
      }
    }
    return out
  }

  // Warnings are observed, not printed: both libraries run with console.warn captured.
  const capturingWarnings = async <A>(f: () => Promise<A>): Promise<{ value: A; warnings: Array<string> }> => {
    const warnings: Array<string> = []
    const original = console.warn
    console.warn = (...args: Array<unknown>) => {
      warnings.push(args.map(String).join(' '))
    }
    try {
      return { value: await f(), warnings }
    } finally {
      console.warn = original
    }
  }

  const run = async (c: Case) => {
    const calls = c.calls ?? 1
    const homes = {
      ref: await fs.mkdtemp(path.join(tmpdir(), 'alicred-conf-ref-')),
      ours: await fs.mkdtemp(path.join(tmpdir(), 'alicred-conf-ours-')),
    }
    try {
      // the reference: the case's env on process.env (and nothing else of ours), HOME = its temp dir
      const refCtx = await populate(c, homes.ref)
      const refEnv = resolve(c.env, refCtx, {})
      for (const k of Object.keys(process.env).filter(isManaged)) delete process.env[k]
      Object.assign(process.env, refEnv, { HOME: homes.ref, USERPROFILE: homes.ref })
      if (homedir() !== homes.ref) throw new Error('HOME did not take effect')
      answers = resolve(c.answers, refCtx, {})
      seen.ref = []
      const refConfig = resolve(c.config, refCtx, null)
      const refCalls = await capturingWarnings(() =>
        observeCalls(() => new RefCredential(refConfig === null ? null : (new RefConfig(refConfig) as never)), calls),
      )
      const reference: Observed = {
        calls: refCalls.value,
        requests: seen.ref,
        file: await readCliConfig(homes.ref),
        runs: await countRuns(homes.ref),
        warnings: refCalls.warnings,
      }
      restoreEnv()

      // ours: the same env injected (process.env is not read), HOME = its own temp dir
      const oursCtx = await populate(c, homes.ours)
      const oursEnv = resolve(c.env, oursCtx, {})
      answers = resolve(c.answers, oursCtx, {})
      seen.ours = []
      const live = liveCapabilities({ env: oursEnv, home: homes.ours })
      try {
        const ourConfig = resolve(c.config, oursCtx, null)
        const ourCalls = await capturingWarnings(() =>
          observeCalls(
            () =>
              new Client(ourConfig === null ? null : new Config(ourConfig), null, {
                capabilities: { ...live, http: routed(live.http) },
              }),
            calls,
          ),
        )
        const alicred: Observed = {
          calls: ourCalls.value,
          requests: seen.ours,
          file: await readCliConfig(homes.ours),
          runs: await countRuns(homes.ours),
          warnings: ourCalls.warnings,
        }
        return { reference, alicred }
      } finally {
        live.close()
      }
    } finally {
      restoreEnv()
      await fs.rm(homes.ref, { recursive: true, force: true })
      await fs.rm(homes.ours, { recursive: true, force: true })
    }
  }

  return {
    run,
    close: async () => {
      httpx.request = originalRequest
      restoreEnv()
      await server.close()
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------
// builders shared by the case files
// ---------------------------------------------------------------------------------------------------------------

/** An STS answer (AssumeRole, AssumeRoleWithOIDC) with the given credentials block. */
export const stsAnswer = (c: {
  AccessKeyId?: string
  AccessKeySecret?: string
  SecurityToken?: string
  Expiration?: string
}): Reply => ({ json: { RequestId: 'req-1', Credentials: c } })

/** An ECS metadata / credentials URI answer. */
export const metadataAnswer = (c: Record<string, unknown>): Reply => ({ json: c })

/** A JWT-shaped OIDC token (unsigned: neither library verifies it) expiring `exp` epoch seconds. */
export const jwt = (exp: number): string => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'https://oidc.example', sub: 'system:serviceaccount:ns:sa', exp })}.c2lnbmF0dXJl`
}

/** The Aliyun CLI config path under HOME. */
export const CLI_CONFIG = '.aliyun/config.json'
/** The INI credentials file path under HOME. */
export const INI_FILE = '.alibabacloud/credentials'
