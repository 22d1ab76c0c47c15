/**
 * `ecs_ram_role`: credentials of the instance's RAM role from the ECS metadata service (IMDSv2, v1 fallback).
 *
 * Wire (same paths, methods and headers as the reference):
 *
 * - `PUT <base>/latest/api/token` with `x-aliyun-ecs-metadata-token-ttl-seconds: 21600` → the token (body, verbatim);
 * - `GET <base>/latest/meta-data/ram/security-credentials/` → the role name (trimmed), only when no role is set;
 * - `GET <base>/latest/meta-data/ram/security-credentials/<role>` → `{"Code":"Success","AccessKeyId",…}`;
 *
 * the two GETs carry `x-aliyun-ecs-metadata-token: <token>` in v2 mode. Default timeouts 1 s connect / 1 s read.
 *
 * Differences from the reference, all deliberate:
 *
 * - The token is cached for its TTL (fetched again 5 minutes before it ends, or at once after a request carrying it
 *   failed) and the discovered role name is cached (discovered again only after the metadata service says the role
 *   is gone, HTTP 404). A steady-state refresh is therefore one GET, not PUT, GET, PUT, GET.
 * - Off-cloud probe: if nothing has ever answered at the metadata address and a request fails to connect
 *   (`ConnectTimeout`, `ConnectionRefused`, `HostUnreachable`), the answer is `NotConfigured` ("not on ECS"), with no
 *   v1 retry, and that answer is remembered for `unreachableTtlMs` (default 5 minutes): calls in that window answer
 *   `NotConfigured` at once, without touching the network. Once the service has answered, a connection failure is a
 *   retryable `SourceFailure` (it is a glitch on ECS, not a sign of being elsewhere).
 * - Role names are URL-encoded as one path segment (`a/b c` → `a%2Fb%20c`), and a name that would not stay one
 *   segment once the URL is parsed (`.`, `..`) is refused: configured, it is an `InvalidConfiguration`; discovered,
 *   a `SourceFailure`. A discovered name must also look like a RAM role name (letters, digits, `.`, `_`, `-`, `@`,
 *   at most 64), so an odd answer at the metadata address never becomes a request path or a message.
 * - Refresh runs in the background for the last 60 minutes before expiry (`Provider.cached` with `prefetchMs`), with
 *   single flight, stale fallback and bounded backoff; no timer keeps the process alive.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { Capabilities } from '../Capabilities.js'
import type * as C from '../Credential.js'
import {
  type CredentialsError,
  type FailureDetails,
  InvalidConfiguration,
  NotConfigured,
  SourceFailure,
} from '../CredentialsError.js'
import * as Env from '../Env.js'
import * as EnvVars from '../EnvVars.js'
import * as Failure from '../Failure.js'
import type { HttpError, HttpResponse } from '../Http.js'
import type { CachedProvider, Provider } from '../Provider.js'
import { cachedSource, ECS_PREFETCH_MS } from '../Provider.js'
import {
  decodeBody,
  identifierField,
  jsonBody,
  MetadataAnswer,
  positiveOr,
  send,
  statusFailure,
  stsFromBlock,
} from './_remote.js'

/** @since 0.1.0 */
export interface EcsRamRoleOptions {
  /** Falls back to `ALIBABA_CLOUD_ECS_METADATA`, then discovery (once). */
  readonly roleName?: string
  /** No v1 fallback; also set by `ALIBABA_CLOUD_IMDSV1_DISABLED=true`. */
  readonly disableIMDSv1?: boolean
  /** Default `http://100.100.100.200`. */
  readonly metadataBaseUrl?: string
  /** Default 1000; also the length of the off-cloud probe. */
  readonly connectTimeoutMs?: number
  /** Default 1000. */
  readonly readTimeoutMs?: number
  /** Background refresh window; default 60 min. */
  readonly prefetchMs?: number
  /** Window in which callers wait for a refresh; default 15 min. */
  readonly staleMs?: number
  /** How long "metadata unreachable" is remembered before probing again. Default 5 min. */
  readonly unreachableTtlMs?: number
}

/** @since 0.1.0 */
export const METADATA_BASE_URL = 'http://100.100.100.200'
/** Lifetime asked for the IMDSv2 token (the reference's constant). @since 0.1.0 */
export const METADATA_TOKEN_TTL_SECONDS = 21_600
/** A cached token is replaced once less than this is left. @since 0.1.0 */
export const METADATA_TOKEN_MARGIN_MS = 5 * 60_000
/** Default of `unreachableTtlMs`. @since 0.1.0 */
export const UNREACHABLE_TTL_MS = 5 * 60_000

/** @since 0.1.0 */
export const ECS_METADATA_DISABLED_ENV = EnvVars.ECS_METADATA_DISABLED
/** @since 0.1.0 */
export const ECS_METADATA_ROLE_ENV = EnvVars.ECS_METADATA
/** @since 0.1.0 */
export const IMDSV1_DISABLED_ENV = EnvVars.IMDSV1_DISABLED

const NAME = 'ecs_ram_role'
const TOKEN_PATH = '/latest/api/token'
const ROLES_PATH = '/latest/meta-data/ram/security-credentials/'
const TOKEN_TTL_HEADER = 'x-aliyun-ecs-metadata-token-ttl-seconds'
const TOKEN_HEADER = 'x-aliyun-ecs-metadata-token'
const ROLE_NAME = /^[\w.@-]{1,64}$/
const PROBE_KINDS: ReadonlySet<HttpError['kind']> = new Set(['ConnectTimeout', 'ConnectionRefused', 'HostUnreachable'])

interface Token {
  readonly value: string
  readonly expiresAt: number
  /** Whether it came from the cache (so a failure may be the token's fault, and a fresh one is worth a try). */
  readonly reused: boolean
}

type Result<A> = E.Either<CredentialsError, A>

/**
 * What one provider remembers between fetches. The provider owns one; only the steps below change it, and the
 * refresh engine runs one fetch at a time.
 */
interface Memory {
  /** The IMDSv2 token, until it nears its end or a request carrying it fails. */
  token: Omit<Token, 'reused'> | undefined
  /** The role name found by discovery, until the service says the role is gone (HTTP 404). */
  discoveredRole: string | undefined
  /** Whether anything has ever answered at the metadata address (then a connection failure is a glitch). */
  reached: boolean
  /** Until when "not on ECS" is the answer without a request. */
  unreachableUntil: number
}

/** One fetch's view of the metadata service: where it is, how to reach it, and the provider's memory. */
interface Service {
  readonly caps: Pick<Capabilities, 'http' | 'clock'>
  readonly base: string
  /** Whether IMDSv1 (no token) is allowed. */
  readonly v1: boolean
  readonly connectTimeoutMs: number
  readonly readTimeoutMs: number
  readonly unreachableTtlMs: number
  readonly memory: Memory
}

/**
 * A provider of the ECS instance's RAM role credentials, cached, with a 60-minute background prefetch.
 * `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` turns it into `NotConfigured`.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { fakeCapabilities } from '@alicred/testing'
 * const caps = fakeCapabilities() // fakeHttp has no route: like a laptop, nothing answers at the metadata address
 * const r = await Providers.ecsRamRole()(caps)()()
 * assert.strictEqual(r._tag === 'Left' && r.left._tag, 'NotConfigured')
 * @since 0.1.0
 */
export const ecsRamRole =
  (options: EcsRamRoleOptions = {}) =>
  (caps: Pick<Capabilities, 'env' | 'http' | 'clock' | 'random' | 'reporter'>): CachedProvider => {
    const memory: Memory = {
      token: undefined,
      discoveredRole: undefined,
      reached: false,
      unreachableUntil: Number.NEGATIVE_INFINITY,
    }
    const fetchOnce: Provider = () => () => fetchRoleCredentials(options, caps, memory)
    return cachedSource(NAME, caps, { staleMs: options.staleMs, prefetchMs: options.prefetchMs ?? ECS_PREFETCH_MS })(
      fetchOnce,
    )
  }

/** One fetch: the token (unless in v1 mode), the role name (configured, remembered or discovered), credentials. */
const fetchRoleCredentials = async (
  options: EcsRamRoleOptions,
  caps: Pick<Capabilities, 'env' | 'http' | 'clock'>,
  memory: Memory,
): Promise<Result<C.Credential>> => {
  const service = openService(options, caps, memory)
  if (E.isLeft(service)) return service
  const s = service.right
  const configuredRole = roleFromConfiguration(options, caps.env, s.base)
  if (E.isLeft(configuredRole)) return configuredRole
  const configured = configuredRole.right
  const tok = await getToken(s)
  if (E.isLeft(tok)) return tok
  const known = configured ?? memory.discoveredRole
  const role = known !== undefined ? E.right(known) : await discoverRole(s, tok.right)
  if (E.isLeft(role)) return role
  // If discovery replaced or dropped the token, use the current one (v1 mode stays v1: no second PUT, unlike the
  // reference).
  const current = tok.right === null || memory.token?.value === tok.right.value ? tok : await getToken(s)
  if (E.isLeft(current)) return current
  return withToken(s, current.right, (tk) => fetchCredentials(s, role.right, configured === undefined, tk))
}

/**
 * The role name set by `roleName` or `ALIBABA_CLOUD_ECS_METADATA`, if any; a name that would not stay one path
 * segment under the security-credentials path (`.`, `..`) is an `InvalidConfiguration` naming where it was set.
 */
const roleFromConfiguration = (
  options: EcsRamRoleOptions,
  env: Capabilities['env'],
  base: string,
): Result<string | undefined> => {
  const fromOption = Env.nonBlank(options.roleName)
  const configured = fromOption ?? Env.nonEmpty(ECS_METADATA_ROLE_ENV)(env)
  if (configured === undefined || isOneSegment(base, configured)) return E.right(configured)
  const where = fromOption !== undefined ? 'roleName' : ECS_METADATA_ROLE_ENV
  return E.left(
    new InvalidConfiguration(
      NAME,
      `the role name (${where}) is not a RAM role name: \`.\` and \`..\` would leave the security-credentials path; set it to the name of the role attached to this instance`,
      fromOption !== undefined ? { key: 'roleName' } : { envVar: ECS_METADATA_ROLE_ENV },
    ),
  )
}

/**
 * The metadata service for this fetch, unless the source is turned off, a recent probe found nothing there, or the
 * base URL is unusable.
 */
const openService = (
  options: EcsRamRoleOptions,
  caps: Pick<Capabilities, 'env' | 'http' | 'clock'>,
  memory: Memory,
): Result<Service> => {
  const { env, clock } = caps
  if (Env.isTrue(ECS_METADATA_DISABLED_ENV)(env)) {
    return E.left(new NotConfigured(NAME, `the ECS metadata source is turned off by ${ECS_METADATA_DISABLED_ENV}=true`))
  }
  const unreachableTtlMs = options.unreachableTtlMs ?? UNREACHABLE_TTL_MS
  const now = clock.now()
  if (now < memory.unreachableUntil) return E.left(rememberedProbe(now, memory.unreachableUntil, unreachableTtlMs))
  const base = baseUrl(options.metadataBaseUrl)
  if (E.isLeft(base)) return base
  return E.right({
    caps,
    base: base.right,
    v1: !(options.disableIMDSv1 === true || Env.isTrue(IMDSV1_DISABLED_ENV)(env)),
    connectTimeoutMs: positiveOr(options.connectTimeoutMs, 1_000),
    readTimeoutMs: positiveOr(options.readTimeoutMs, 1_000),
    unreachableTtlMs,
    memory,
  })
}

const notOnEcs = (detail: string): NotConfigured =>
  new NotConfigured(
    NAME,
    `not running on ECS, or metadata unreachable (${detail}); set ${ECS_METADATA_DISABLED_ENV}=true to skip`,
  )

const rememberedProbe = (now: number, until: number, ttlMs: number): NotConfigured =>
  notOnEcs(
    `remembered from a probe ${Math.round((now - (until - ttlMs)) / 1_000)} s ago; probing again in ${Math.ceil((until - now) / 1_000)} s`,
  )

/**
 * One request to the metadata service. A connection failure before anything has ever answered is "not on ECS"
 * (remembered for `unreachableTtlMs`); any other failure is a `SourceFailure`.
 */
const call = async (
  s: Service,
  method: 'GET' | 'PUT',
  path: string,
  headers: Readonly<Record<string, string>>,
): Promise<Result<HttpResponse>> => {
  const { connectTimeoutMs, readTimeoutMs, memory } = s
  const r = await send(s.caps.http, { method, url: `${s.base}${path}`, headers, connectTimeoutMs, readTimeoutMs })
  if (E.isRight(r)) {
    memory.reached = true
    return r
  }
  if (!memory.reached && PROBE_KINDS.has(r.left.kind)) {
    memory.unreachableUntil = s.caps.clock.now() + s.unreachableTtlMs
    return E.left(notOnEcs(`${r.left.kind} on ${method} ${r.left.url}`))
  }
  if (!PROBE_KINDS.has(r.left.kind)) memory.reached = true
  return E.left(Failure.fromHttpError(NAME, `ECS metadata ${method} ${path}`)(r.left))
}

/** The token for the next request: the remembered one while it lasts, else a new one. `null` means v1 mode. */
const getToken = async (s: Service): Promise<Result<Token | null>> => {
  const now = s.caps.clock.now()
  const remembered = s.memory.token
  if (remembered !== undefined && now < remembered.expiresAt - METADATA_TOKEN_MARGIN_MS) {
    return E.right({ ...remembered, reused: true })
  }
  s.memory.token = undefined
  const answered = await putToken(s)
  if (E.isLeft(answered) && answered.left._tag === 'NotConfigured') return answered
  if (E.isRight(answered)) {
    const token = { value: answered.right, expiresAt: now + METADATA_TOKEN_TTL_SECONDS * 1_000 }
    s.memory.token = token
    return E.right({ ...token, reused: false })
  }
  return s.v1 ? E.right(null) : E.left(v1Disabled(answered.left))
}

/** `PUT /latest/api/token`: a new IMDSv2 token. */
const putToken = async (s: Service): Promise<Result<string>> => {
  const what = `ECS metadata PUT ${TOKEN_PATH}`
  const r = await call(s, 'PUT', TOKEN_PATH, { [TOKEN_TTL_HEADER]: String(METADATA_TOKEN_TTL_SECONDS) })
  return pipe(
    r,
    E.chain((res) =>
      res.status !== 200
        ? E.left<CredentialsError, string>(statusFailure(NAME, what, res))
        : res.body === ''
          ? E.left<CredentialsError, string>(Failure.malformed(NAME, what, 'the token is empty', 200))
          : E.right(res.body),
    ),
  )
}

const v1Disabled = (cause: CredentialsError): SourceFailure =>
  new SourceFailure(
    NAME,
    `the IMDSv2 token request failed and IMDSv1 fallback is disabled (disableIMDSv1 or ${IMDSV1_DISABLED_ENV}=true): ${cause.message}`,
    cause._tag === 'SourceFailure' ? detailsOf(cause) : { retryable: false },
    cause,
  )

/**
 * Runs `request` with the token. On failure: a token refused (401/403) is forgotten; then the request is retried
 * once without a token (v1 allowed, as the reference does, whatever the failure), or with a fresh token (v1
 * disabled, the refused token came from the cache).
 */
const withToken = async <A>(
  s: Service,
  tok: Token | null,
  request: (token: string | null) => Promise<Result<A>>,
): Promise<Result<A>> => {
  if (tok === null) return request(null)
  const first = await request(tok.value)
  if (E.isRight(first) || first.left._tag === 'NotConfigured') return first
  const refused = first.left._tag === 'SourceFailure' && (first.left.status === 401 || first.left.status === 403)
  if (refused) s.memory.token = undefined
  if (s.v1) return request(null)
  if (!refused || !tok.reused) return first
  const fresh = await getToken(s)
  if (E.isLeft(fresh)) return fresh
  return request(fresh.right === null ? null : fresh.right.value)
}

const tokenHeaders = (tok: string | null): Readonly<Record<string, string>> =>
  tok === null ? {} : { [TOKEN_HEADER]: tok }

/** The name of the role attached to the instance, asked of the service and remembered. */
const discoverRole = async (s: Service, tok: Token | null): Promise<Result<string>> => {
  const found = await withToken(s, tok, async (tk) => {
    const r = await call(s, 'GET', ROLES_PATH, tokenHeaders(tk))
    return E.isLeft(r) ? r : roleFromAnswer(s.base, r.right)
  })
  if (E.isRight(found)) s.memory.discoveredRole = found.right
  return found
}

/** The role name in the service's answer; one that is not a RAM role name, or not one path segment, is refused. */
const roleFromAnswer = (base: string, res: HttpResponse): Result<string> => {
  const what = `ECS metadata GET ${ROLES_PATH}`
  if (res.status !== 200) {
    const hint =
      res.status === 404
        ? `no RAM role is attached to this instance; attach one, or set roleName / ${ECS_METADATA_ROLE_ENV}`
        : undefined
    return E.left(statusFailure(NAME, what, res, hint))
  }
  const role = res.body.trim()
  if (role === '') {
    return E.left(Failure.malformed(NAME, what, 'no role name; is a RAM role attached to this instance?', res.status))
  }
  if (!ROLE_NAME.test(role) || !isOneSegment(base, role)) {
    return E.left(
      Failure.malformed(
        NAME,
        what,
        `the answer is not a RAM role name; set roleName or ${ECS_METADATA_ROLE_ENV} to the role's name`,
        res.status,
      ),
    )
  }
  return E.right(role)
}

/** `GET …/security-credentials/<role>`; a discovered role the service no longer knows (404) is forgotten. */
const fetchCredentials = async (
  s: Service,
  role: string,
  discovered: boolean,
  tok: string | null,
): Promise<Result<C.Credential>> => {
  const path = `${ROLES_PATH}${encodeURIComponent(role)}`
  const r = await call(s, 'GET', path, tokenHeaders(tok))
  if (E.isLeft(r)) return r
  if (r.right.status === 404 && discovered) s.memory.discoveredRole = undefined
  return credentialsFromAnswer(`ECS metadata GET ${path}`, r.right)
}

const credentialsFromAnswer = (what: string, res: HttpResponse): Result<C.Credential> =>
  pipe(
    jsonBody(NAME, what, (status) =>
      status === 404
        ? `the role is not attached to this instance; check roleName / ${ECS_METADATA_ROLE_ENV}`
        : undefined,
    )(res),
    E.chainFirst(checkCode(what, false)),
    E.chain(decodeBody(NAME, what, MetadataAnswer)),
    E.chainFirst(checkCode(what, true)),
    E.bimap((e): CredentialsError => e, stsFromBlock(NAME)),
  )

const detailsOf = (e: SourceFailure): FailureDetails => {
  const d: { status?: number; code?: string; retryable: boolean } = { retryable: e.retryable }
  if (e.status !== undefined) d.status = e.status
  if (e.code !== undefined) d.code = e.code
  return d
}

/**
 * Whether `role` stays exactly one path segment under the security-credentials path once a URL parser has read the
 * request URL. `encodeURIComponent` leaves `.` and `..` as they are, and URL parsing resolves them, so `..` would
 * request `/latest/meta-data/ram/` instead of a role's credentials.
 */
const isOneSegment = (base: string, role: string): boolean => {
  const segment = encodeURIComponent(role)
  if (segment === '' || segment === '.' || segment === '..') return false
  try {
    return (
      new URL(`${base}${ROLES_PATH}${segment}`).pathname === `${new URL(`${base}${ROLES_PATH}`).pathname}${segment}`
    )
  } catch {
    return false
  }
}

const baseUrl = (raw: string | undefined): E.Either<InvalidConfiguration, string> => {
  const value = Env.nonBlank(raw) ?? METADATA_BASE_URL
  try {
    const u = new URL(value)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme')
    return E.right(`${u.origin}${u.pathname.replace(/\/+$/, '')}`)
  } catch {
    return E.left(
      new InvalidConfiguration(NAME, 'metadataBaseUrl is not an absolute http(s) URL, e.g. http://100.100.100.200', {
        key: 'metadataBaseUrl',
      }),
    )
  }
}

// A `Code` other than Success is reported before the shape (such answers usually carry no credentials); a missing
// `Code` only after it, so a `null` or truncated body is reported as such.
const checkCode =
  (what: string, required: boolean) =>
  <A>(body: A): E.Either<SourceFailure, A> => {
    const code = typeof body === 'object' && body !== null ? (body as { Code?: unknown }).Code : undefined
    if (code === 'Success' || (code === undefined && !required)) return E.right(body)
    const shown = identifierField(body, 'Code')
    return E.left(
      new SourceFailure(
        NAME,
        `${what} answered ${code === undefined ? 'without a Code' : `Code ${shown ?? '(not an identifier)'}`} instead of Code Success; the instance's role credentials are not available`,
        shown === undefined ? { status: 200, retryable: true } : { status: 200, code: shown, retryable: true },
      ),
    )
  }
