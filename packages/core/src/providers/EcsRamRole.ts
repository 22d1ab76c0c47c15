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
 * - Role names are URL-encoded as one path segment (`a/b c` → `a%2Fb%20c`); a discovered name must look like a
 *   RAM role name (letters, digits, `.`, `_`, `-`, `@`, at most 64), so an odd answer at the metadata address is a
 *   `SourceFailure` and never becomes a request path or a message.
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
    const { http, clock, env } = caps
    const connectTimeoutMs = positiveOr(options.connectTimeoutMs, 1_000)
    const readTimeoutMs = positiveOr(options.readTimeoutMs, 1_000)
    const unreachableTtlMs = options.unreachableTtlMs ?? UNREACHABLE_TTL_MS

    let token: Omit<Token, 'reused'> | undefined
    let discoveredRole: string | undefined
    let reached = false
    let unreachableUntil = Number.NEGATIVE_INFINITY

    const notOnEcs = (detail: string): NotConfigured =>
      new NotConfigured(
        NAME,
        `not running on ECS, or metadata unreachable (${detail}); set ${ECS_METADATA_DISABLED_ENV}=true to skip`,
      )

    const call = async (
      base: string,
      method: 'GET' | 'PUT',
      path: string,
      headers: Readonly<Record<string, string>>,
    ): Promise<Result<HttpResponse>> => {
      const url = `${base}${path}`
      const r = await send(http, { method, url, headers, connectTimeoutMs, readTimeoutMs })
      if (E.isRight(r)) {
        reached = true
        return r
      }
      if (!reached && PROBE_KINDS.has(r.left.kind)) {
        unreachableUntil = clock.now() + unreachableTtlMs
        return E.left(notOnEcs(`${r.left.kind} on ${method} ${r.left.url}`))
      }
      if (!PROBE_KINDS.has(r.left.kind)) reached = true
      return E.left(Failure.fromHttpError(NAME, `ECS metadata ${method} ${path}`)(r.left))
    }

    /** `null` means v1 mode. */
    const getToken = async (base: string, v1: boolean): Promise<Result<Token | null>> => {
      const now = clock.now()
      if (token !== undefined && now < token.expiresAt - METADATA_TOKEN_MARGIN_MS)
        return E.right({ ...token, reused: true })
      token = undefined
      const what = `ECS metadata PUT ${TOKEN_PATH}`
      const r = await call(base, 'PUT', TOKEN_PATH, { [TOKEN_TTL_HEADER]: String(METADATA_TOKEN_TTL_SECONDS) })
      if (E.isLeft(r) && r.left._tag === 'NotConfigured') return r
      const answered = pipe(
        r,
        E.chain((res) =>
          res.status !== 200
            ? E.left<CredentialsError, string>(statusFailure(NAME, what, res))
            : res.body === ''
              ? E.left<CredentialsError, string>(Failure.malformed(NAME, what, 'the token is empty', 200))
              : E.right(res.body),
        ),
      )
      if (E.isRight(answered)) {
        token = { value: answered.right, expiresAt: now + METADATA_TOKEN_TTL_SECONDS * 1_000 }
        return E.right({ ...token, reused: false })
      }
      if (v1) return E.right(null)
      const cause = answered.left
      const details = cause._tag === 'SourceFailure' ? detailsOf(cause) : { retryable: false }
      return E.left(
        new SourceFailure(
          NAME,
          `the IMDSv2 token request failed and IMDSv1 fallback is disabled (disableIMDSv1 or ${IMDSV1_DISABLED_ENV}=true): ${cause.message}`,
          details,
          cause,
        ),
      )
    }

    /**
     * Runs `request` with the token. On failure: a token refused (401/403) is forgotten; then the request is retried
     * once without a token (v1 allowed, as the reference does, whatever the failure), or with a fresh token (v1
     * disabled, the refused token came from the cache).
     */
    const withToken = async <A>(
      base: string,
      v1: boolean,
      tok: Token | null,
      request: (token: string | null) => Promise<Result<A>>,
    ): Promise<Result<A>> => {
      if (tok === null) return request(null)
      const first = await request(tok.value)
      if (E.isRight(first) || first.left._tag === 'NotConfigured') return first
      const refused = first.left._tag === 'SourceFailure' && (first.left.status === 401 || first.left.status === 403)
      if (refused) token = undefined
      if (v1) return request(null)
      if (!refused || !tok.reused) return first
      const fresh = await getToken(base, v1)
      if (E.isLeft(fresh)) return fresh
      return request(fresh.right === null ? null : fresh.right.value)
    }

    const tokenHeaders = (tok: string | null): Readonly<Record<string, string>> =>
      tok === null ? {} : { [TOKEN_HEADER]: tok }

    const discover = async (base: string, tok: string | null): Promise<Result<string>> => {
      const what = `ECS metadata GET ${ROLES_PATH}`
      const r = await call(base, 'GET', ROLES_PATH, tokenHeaders(tok))
      if (E.isLeft(r)) return r
      if (r.right.status !== 200) {
        return E.left(
          statusFailure(
            NAME,
            what,
            r.right,
            r.right.status === 404
              ? `no RAM role is attached to this instance; attach one, or set roleName / ${ECS_METADATA_ROLE_ENV}`
              : undefined,
          ),
        )
      }
      const role = r.right.body.trim()
      if (role === '') {
        return E.left(
          Failure.malformed(NAME, what, 'no role name; is a RAM role attached to this instance?', r.right.status),
        )
      }
      if (!ROLE_NAME.test(role)) {
        return E.left(
          Failure.malformed(
            NAME,
            what,
            `the answer is not a RAM role name; set roleName or ${ECS_METADATA_ROLE_ENV} to the role's name`,
            r.right.status,
          ),
        )
      }
      return E.right(role)
    }

    const fetchCredentials = async (
      base: string,
      role: string,
      discovered: boolean,
      tok: string | null,
    ): Promise<Result<C.Credential>> => {
      const path = `${ROLES_PATH}${encodeURIComponent(role)}`
      const what = `ECS metadata GET ${path}`
      const r = await call(base, 'GET', path, tokenHeaders(tok))
      if (E.isLeft(r)) return r
      if (r.right.status === 404 && discovered) discoveredRole = undefined
      return pipe(
        jsonBody(NAME, what, (status) =>
          status === 404
            ? `the role is not attached to this instance; check roleName / ${ECS_METADATA_ROLE_ENV}`
            : undefined,
        )(r.right),
        E.chainFirst(checkCode(what, false)),
        E.chain(decodeBody(NAME, what, MetadataAnswer)),
        E.chainFirst(checkCode(what, true)),
        E.bimap((e): CredentialsError => e, stsFromBlock(NAME)),
      )
    }

    const fetchOnce: Provider = () => async () => {
      if (Env.isTrue(ECS_METADATA_DISABLED_ENV)(env)) {
        return E.left(
          new NotConfigured(NAME, `the ECS metadata source is turned off by ${ECS_METADATA_DISABLED_ENV}=true`),
        )
      }
      const now = clock.now()
      if (now < unreachableUntil) {
        return E.left(
          notOnEcs(
            `remembered from a probe ${Math.round((now - (unreachableUntil - unreachableTtlMs)) / 1_000)} s ago; probing again in ${Math.ceil((unreachableUntil - now) / 1_000)} s`,
          ),
        )
      }
      const base = baseUrl(options.metadataBaseUrl)
      if (E.isLeft(base)) return base
      const v1 = !(options.disableIMDSv1 === true || Env.isTrue(IMDSV1_DISABLED_ENV)(env))
      const configured = Env.nonBlank(options.roleName) ?? Env.nonEmpty(ECS_METADATA_ROLE_ENV)(env)

      const tok = await getToken(base.right, v1)
      if (E.isLeft(tok)) return tok
      let roleName = configured ?? discoveredRole
      if (roleName === undefined) {
        const found = await withToken(base.right, v1, tok.right, (tk) => discover(base.right, tk))
        if (E.isLeft(found)) return found
        roleName = discoveredRole = found.right
      }
      const role = roleName
      // If discovery replaced or dropped the token, use the current one (v1 mode stays v1: no second PUT, unlike the
      // reference).
      const current = tok.right === null || token?.value === tok.right.value ? tok : await getToken(base.right, v1)
      if (E.isLeft(current)) return current
      return withToken(base.right, v1, current.right, (tk) =>
        fetchCredentials(base.right, role, configured === undefined, tk),
      )
    }

    return cachedSource(NAME, caps, { staleMs: options.staleMs, prefetchMs: options.prefetchMs ?? ECS_PREFETCH_MS })(
      fetchOnce,
    )
  }

const detailsOf = (e: SourceFailure): FailureDetails => {
  const d: { status?: number; code?: string; retryable: boolean } = { retryable: e.retryable }
  if (e.status !== undefined) d.status = e.status
  if (e.code !== undefined) d.code = e.code
  return d
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
