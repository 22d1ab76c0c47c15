/**
 * Internal helpers shared by the remote sources of this folder (ECS metadata, credentials URI, CloudSSO, OAuth,
 * External) and by the STS client: strict wire codecs, the identifier rule for codes and request ids, turning an HTTP answer into a decoded value or a `SourceFailure` that never
 * repeats the body, the plain-http policy for endpoints, and calling write-back callbacks without letting them
 * break a refresh. Not exported from the package.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import type { Clock } from '../Clock.js'
import * as C from '../Credential.js'
import { InvalidConfiguration, isCredentialsError, type Location, SourceFailure } from '../CredentialsError.js'
import * as Decode from '../Decode.js'
import * as Expiration from '../Expiration.js'
import * as Failure from '../Failure.js'
import type { HttpError, HttpRequest, HttpResponse } from '../Http.js'
import * as Http from '../Http.js'
import { redactUrl } from '../Redacted.js'

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/** A string with at least one non-blank character (credential fields are useless when empty). */
export const NonEmptyString = new t.Type<string, string, unknown>(
  'non-empty string',
  (u): u is string => typeof u === 'string' && u.trim() !== '',
  (u, c) => (typeof u === 'string' && u.trim() !== '' ? t.success(u) : t.failure(u, c)),
  t.identity,
)

/** An `Expiration`: strict UTC (`Expiration.utc`); a failure names the field and the format, never the value. */
export const UtcTime = Expiration.utc

/** `codec`, where `null` and `""` also mean "absent" (tools print `"expiration": null` or `""` for "none"). */
export const emptyAsAbsent = <A, O>(codec: t.Type<A, O, unknown>): t.Type<A | undefined, O | undefined, unknown> =>
  new t.Type<A | undefined, O | undefined, unknown>(
    codec.name,
    (u): u is A | undefined => u === undefined || codec.is(u),
    (u, c) => (u === undefined || u === null || u === '' ? t.success(undefined) : codec.validate(u, c)),
    (a) => (a === undefined ? undefined : codec.encode(a)),
  )

const stsBlockFields = {
  AccessKeyId: NonEmptyString,
  AccessKeySecret: NonEmptyString,
  SecurityToken: NonEmptyString,
  Expiration: UtcTime,
}

/**
 * The `{AccessKeyId, AccessKeySecret, SecurityToken, Expiration}` block STS and STS-like endpoints answer with, named
 * for decode failures as its answer calls it (STS's `Credentials object`).
 */
export const stsBlock = (name: string) => t.type(stsBlockFields, name)

/** The STS block as the metadata-style endpoints (ECS, credentials URI, CloudSSO) answer with it. */
export const StsBlock = stsBlock('credentials object')

/**
 * The answer of ECS metadata and of a credentials URI (one format: the URI one copies ECS): the STS block at the top
 * level, beside a `Code` (`Success`) that is not checked, as in the reference.
 */
export const MetadataAnswer = t.intersection(
  [StsBlock, t.partial({ Code: t.unknown }, StsBlock.name)],
  'metadata credentials answer',
)

/** The `sts` credential a decoded `StsBlock` stands for, produced by `source`. */
export const stsFromBlock =
  (source: string) =>
  (b: t.TypeOf<typeof StsBlock>): C.Sts =>
    C.sts({
      accessKeyId: b.AccessKeyId,
      accessKeySecret: b.AccessKeySecret,
      securityToken: b.SecurityToken,
      expiration: b.Expiration,
      source,
    })

// -------------------------------------------------------------------------------------
// responses
// -------------------------------------------------------------------------------------

// Codes and request ids are identifiers; anything else found in those fields could be an echo of the request. At
// most 64 characters: request ids are 36-character UUIDs and the codes of STS, ECS metadata, CloudSSO and OAuth are
// well under 64 (`InvalidSecurityToken.MismatchWithAccessKey` is 42), while the alphabet also fits base64url tokens
// (OAuth tokens, JWT parts), so the length is what keeps a token echoed into `Code` out of a message.
const IDENTIFIER = /^[\w.:/@-]{1,64}$/

/** A value if it looks like an identifier (a code, a request id), so it is safe to show. */
export const identifier = (u: unknown): string | undefined =>
  typeof u === 'string' && IDENTIFIER.test(u) ? u : undefined

/** A field of an (error) body if it looks like an identifier, so it is safe to show. */
export const identifierField = (u: unknown, ...keys: ReadonlyArray<string>): string | undefined => {
  if (typeof u !== 'object' || u === null) return undefined
  for (const k of keys) {
    const v = identifier((u as Record<string, unknown>)[k])
    if (v !== undefined) return v
  }
  return undefined
}

const CODE_KEYS = ['Code', 'code', 'ErrorCode', 'errorCode', 'error'] as const
const REQUEST_ID_KEYS = ['RequestId', 'requestId', 'request_id'] as const

/**
 * A non-200 answer as a `SourceFailure` with status, retryability, and the server's code and request id when the
 * body is JSON carrying them. The body itself is never quoted.
 */
export const statusFailure = (provider: string, what: string, res: HttpResponse, hint?: string): SourceFailure => {
  const body = E.getOrElse<string, unknown>(() => undefined)(Decode.parseJson(res.body))
  const extra: { code?: string; requestId?: string; message?: string } = {}
  const code = identifierField(body, ...CODE_KEYS)
  const requestId = identifierField(body, ...REQUEST_ID_KEYS)
  if (code !== undefined) extra.code = code
  if (requestId !== undefined) extra.requestId = requestId
  if (hint !== undefined) extra.message = hint
  return Failure.fromStatus(provider, what, res.status, extra)
}

/** Parses a 200 answer's JSON body (any other status fails). */
export const jsonBody =
  (provider: string, what: string, hint?: (status: number) => string | undefined) =>
  (res: HttpResponse): E.Either<SourceFailure, unknown> =>
    res.status !== 200
      ? E.left(statusFailure(provider, what, res, hint?.(res.status)))
      : pipe(
          Decode.parseJson(res.body),
          E.mapLeft((reason) => Failure.malformed(provider, what, reason, res.status)),
        )

/** Decodes a parsed body; the failure names the path and the expected type only. */
export const decodeBody =
  <A>(provider: string, what: string, codec: t.Type<A, unknown, unknown> | t.Decoder<unknown, A>) =>
  (u: unknown): E.Either<SourceFailure, A> =>
    pipe(
      codec.decode(u),
      E.mapLeft((errors) => Failure.malformed(provider, what, Decode.describeErrors(errors), 200)),
    )

/** Runs a request; an `Http` capability that throws (it must not) gives a `Network` error instead of a rejection. */
export const send = async (http: Http.Http, req: HttpRequest): Promise<E.Either<HttpError, HttpResponse>> => {
  try {
    return await http.request(req)()
  } catch {
    return E.left(Http.httpError('Network', req.url, 'the HTTP capability threw instead of returning an error'))
  }
}

// -------------------------------------------------------------------------------------
// configuration
// -------------------------------------------------------------------------------------

// Timers cannot wait longer (a larger delay fires at once), so no option may ask for more.
const MAX_OPTION = 2_147_483_647

/**
 * A timeout or size option: positive and finite, else the default (the reference's `||` also maps 0 to the
 * default); capped at 2^31 - 1, the longest a timer can wait.
 */
export const positiveOr = (value: number | undefined, fallback: number): number =>
  value !== undefined && Number.isFinite(value) && value > 0 ? Math.min(value, MAX_OPTION) : fallback

const ipv4 = (host: string): ReadonlyArray<number> | undefined => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (m === null) return undefined
  const parts = m.slice(1, 5).map(Number)
  return parts.every((p) => p <= 255) ? parts : undefined
}

const ipv6 = (host: string): ReadonlyArray<number> | undefined => {
  const halves = host.split('::')
  if (halves.length > 2) return undefined
  const groups = (s: string): Array<number> | undefined => {
    if (s === '') return []
    const out: Array<number> = []
    for (const g of s.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined
      out.push(Number.parseInt(g, 16))
    }
    return out
  }
  const head = groups(halves[0] ?? '')
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : []
  if (head === undefined || tail === undefined) return undefined
  const fill = 8 - head.length - tail.length
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined
  return [...head, ...Array<number>(fill).fill(0), ...tail]
}

const isLocalV4 = (p: ReadonlyArray<number>): boolean => p[0] === 127 || (p[0] === 169 && p[1] === 254)

/**
 * Whether a URL hostname (as `new URL` normalises it) is loopback (`localhost`, 127.0.0.0/8, ::1) or link-local
 * (169.254.0.0/16, fe80::/10), including IPv4-mapped IPv6 forms of those.
 */
export const isLocalHost = (hostname: string): boolean => {
  const h = hostname.toLowerCase()
  if (h === 'localhost') return true
  const v4 = ipv4(h)
  if (v4 !== undefined) return isLocalV4(v4)
  if (!h.startsWith('[') || !h.endsWith(']')) return false
  const g = ipv6(h.slice(1, -1))
  if (g === undefined) return false
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true
  if (((g[0] ?? 0) & 0xffc0) === 0xfe80) return true
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const hi = g[6] ?? 0
    const lo = g[7] ?? 0
    return isLocalV4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff])
  }
  return false
}

/**
 * Checks an endpoint URL: absolute, `https:` anywhere, `http:` only to loopback / link-local hosts unless
 * `allowInsecureHttp`. Messages name where the URL came from (`where`) and show scheme, host and port only (a
 * credentials URI's path and query are secrets).
 */
export const checkEndpoint = (
  provider: string,
  raw: string,
  where: { readonly label: string; readonly location: Location },
  allowInsecureHttp: boolean,
  optionName = 'allowInsecureHttp',
): E.Either<InvalidConfiguration, URL> => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return E.left(
      new InvalidConfiguration(
        provider,
        `${where.label} is not an absolute URL; set it to https://host/path`,
        where.location,
      ),
    )
  }
  if (url.protocol === 'https:') return E.right(url)
  if (url.protocol !== 'http:') {
    return E.left(
      new InvalidConfiguration(
        provider,
        `${where.label} uses the scheme ${url.protocol.slice(0, 16)}; only https: (or http: to a loopback or link-local host) is allowed`,
        where.location,
      ),
    )
  }
  if (allowInsecureHttp || isLocalHost(url.hostname)) return E.right(url)
  return E.left(
    new InvalidConfiguration(
      provider,
      `${where.label} (${redactUrl(raw)}) uses plain http to a host that is neither loopback nor link-local; credentials would cross the network unencrypted. Use https, or set ${optionName}: true if this is intended`,
      where.location,
    ),
  )
}

// -------------------------------------------------------------------------------------
// stored credentials
// -------------------------------------------------------------------------------------

/**
 * An STS credential an earlier exchange saved (the Aliyun CLI's `access_key_id`, `access_key_secret`, `sts_token`
 * and `sts_expiration` of an OAuth or CloudSSO profile). Used only when complete and unexpired.
 *
 * @since 0.1.0
 */
export interface StoredSts {
  readonly accessKeyId?: string
  readonly accessKeySecret?: string
  readonly securityToken?: string
  /** Epoch seconds. */
  readonly expiration?: number
}

/**
 * The stored credential, when it is complete and has not expired at `nowMs` (the CLI's rule for reusing it without a
 * request); `undefined` otherwise.
 */
export const storedCredential = (
  stored: StoredSts | undefined,
  nowMs: number,
  source: string,
): C.Credential | undefined => {
  if (stored === undefined) return undefined
  const { accessKeyId, accessKeySecret, securityToken, expiration } = stored
  if (
    accessKeyId === undefined ||
    accessKeyId.trim() === '' ||
    accessKeySecret === undefined ||
    accessKeySecret.trim() === '' ||
    securityToken === undefined ||
    securityToken.trim() === '' ||
    expiration === undefined ||
    !Number.isFinite(expiration) ||
    expiration * 1_000 <= nowMs
  ) {
    return undefined
  }
  return C.sts({ accessKeyId, accessKeySecret, securityToken, expiration: new Date(expiration * 1_000), source })
}

// -------------------------------------------------------------------------------------
// write-back
// -------------------------------------------------------------------------------------

/** How long a write-back callback may take before the refresh goes on without it. */
export const UPDATE_TIMEOUT_MS = 10_000

/**
 * Calls a write-back callback. A throw, a rejection or a callback slower than `UPDATE_TIMEOUT_MS` never fails the
 * refresh: it is handed to `onError` (itself guarded) as a `SourceFailure`.
 */
export const callUpdate = async <U>(
  provider: string,
  clock: Clock,
  onUpdate: ((update: U) => Promise<void>) | undefined,
  update: U,
  onError: ((error: SourceFailure) => void) | undefined,
): Promise<void> => {
  if (onUpdate === undefined) return
  const report = (why: string, cause?: unknown): void => {
    try {
      onError?.(
        new SourceFailure(
          provider,
          `writing the refreshed credentials back failed (${why}); the new credentials are used but were not saved`,
          { retryable: true },
          cause,
        ),
      )
    } catch {
      // a broken reporter must not change the result
    }
  }
  // Aborting the timer once the callback settles leaves no sleeper behind.
  const timer = new AbortController()
  try {
    const outcome = await Promise.race([
      Promise.resolve()
        .then(() => onUpdate(update))
        .then(
          () => 'done' as const,
          (e: unknown) => ({ failed: e }),
        ),
      clock
        .sleep(UPDATE_TIMEOUT_MS, timer.signal)()
        .then(() => 'timeout' as const),
    ])
    if (outcome === 'timeout') report(`the callback did not finish within ${UPDATE_TIMEOUT_MS} ms`)
    else if (outcome !== 'done') report(describeThrown(outcome.failed), outcome.failed)
  } catch (e) {
    report(describeThrown(e), e)
  } finally {
    timer.abort()
  }
}

// Our own errors have safe messages by contract; anything else may carry data, so only its kind is shown.
const describeThrown = (e: unknown): string =>
  isCredentialsError(e)
    ? `${e._tag}: ${e.message}`
    : e instanceof Error
      ? `the callback failed with ${e.name}`
      : 'the callback failed with a non-Error value'
