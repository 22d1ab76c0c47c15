/**
 * The STS client: `AssumeRole`, `AssumeRoleWithOIDC` and `GenerateSessionAccessKey` over the `Http` capability,
 * byte-for-byte as the reference sends them (query and form order, encodings, headers), plus a `User-Agent`.
 *
 * Each call is split in two: `prepare*` builds the exact `HttpRequest` (pure apart from the clock, the nonce and
 * WebCrypto), and the call itself sends it and decodes the answer with io-ts into a `Credential`. Every failure is a
 * `SourceFailure` carrying the STS `Code`, `RequestId`, HTTP status and whether trying again can help; messages never
 * contain a secret or a response body.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type * as TE from 'fp-ts/TaskEither'
import * as t from 'io-ts'
import type { Capabilities } from '../Capabilities.js'
import * as C from '../Credential.js'
import { type CredentialsError, SourceFailure } from '../CredentialsError.js'
import * as Decode from '../Decode.js'
import * as Expiration from '../Expiration.js'
import * as Failure from '../Failure.js'
import type { HttpRequest, HttpResponse } from '../Http.js'
import * as Http from '../Http.js'
import { NonEmptyString, stsBlock, stsFromBlock } from '../providers/_remote.js'
import { maskId } from '../Redacted.js'
import * as Scrub from './Scrub.js'
import * as Signature from './signature.js'

// -------------------------------------------------------------------------------------
// options
// -------------------------------------------------------------------------------------

/** Sent on every STS call (the reference sends none, REFERENCE §9.19). Headers are not signed in RPC v1. @since 0.1.0 */
export const USER_AGENT = 'alicred/0.1.0'

/** The STS API version. @since 0.1.0 */
export const API_VERSION = '2015-04-01'

/** @since 0.1.0 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000

/** @since 0.1.0 */
export const DEFAULT_READ_TIMEOUT_MS = 10_000

/** What an STS call needs from outside. @since 0.1.0 */
export type StsCapabilities = Pick<Capabilities, 'http' | 'clock' | 'random'>

/** Where and how to call STS, and how to name the result. @since 0.1.0 */
export interface CallOptions {
  /** Base URL, e.g. `https://sts.aliyuncs.com/` (see `StsEndpoint.resolve`). */
  readonly endpoint: string
  /** Names the caller in errors, e.g. `ram_role_arn`. */
  readonly provider: string
  /** The `source` of the credential built from a successful answer. */
  readonly source: string
  /** Default 5000. */
  readonly connectTimeoutMs?: number
  /** Default 10000. */
  readonly readTimeoutMs?: number
  /** Default `alicred/0.1.0`. */
  readonly userAgent?: string
  /** Default 1 MiB. */
  readonly maxResponseBytes?: number
}

/** A request ready to send, with what was signed (absent for the unsigned `AssumeRoleWithOIDC`). @since 0.1.0 */
export interface Prepared {
  readonly request: HttpRequest
  readonly stringToSign?: string
}

const transport = (o: CallOptions) => ({
  connectTimeoutMs: o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  readTimeoutMs: o.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
  maxResponseBytes: o.maxResponseBytes ?? Http.DEFAULT_MAX_RESPONSE_BYTES,
})

const urlOf = (endpoint: string, query: Readonly<Record<string, string>>): string =>
  `${endpoint}?${Signature.formEncode(query)}`

const FORM = 'application/x-www-form-urlencoded'

// -------------------------------------------------------------------------------------
// AssumeRole
// -------------------------------------------------------------------------------------

/** @since 0.1.0 */
export interface AssumeRoleInput {
  /** The credential that calls AssumeRole; its `source` goes into `x-acs-credentials-provider`. */
  readonly credential: C.AccessKey | C.Sts
  readonly roleArn: string
  readonly roleSessionName: string
  readonly durationSeconds: number
  readonly policy?: string
  readonly externalId?: string
}

/**
 * The signed `POST` for `AssumeRole`. Query: `Version, Action, Format, Timestamp, SignatureMethod,
 * SignatureVersion, SignatureNonce, AccessKeyId[, SecurityToken], Signature`; form: `RoleArn[, Policy][,
 * ExternalId], RoleSessionName, DurationSeconds` (REFERENCE §3.3).
 *
 * @since 0.1.0
 */
export const prepareAssumeRole =
  (input: AssumeRoleInput, options: CallOptions) =>
  async (caps: Pick<Capabilities, 'clock' | 'random'>): Promise<Prepared> => {
    const cred = input.credential
    const query: Record<string, string> = {
      Version: API_VERSION,
      Action: 'AssumeRole',
      Format: 'JSON',
      Timestamp: Expiration.formatTimestamp(caps.clock.now()),
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: caps.random.nonce(),
      AccessKeyId: cred.accessKeyId,
    }
    if (cred.type === 'sts' && cred.securityToken !== '') query.SecurityToken = cred.securityToken
    const form: Record<string, string> = { RoleArn: input.roleArn }
    if (input.policy !== undefined && input.policy !== '') form.Policy = input.policy
    if (input.externalId !== undefined && input.externalId !== '') form.ExternalId = input.externalId
    form.RoleSessionName = input.roleSessionName
    form.DurationSeconds = String(input.durationSeconds)
    const signed = await Signature.signQuery(Signature.hmacSha1Signer(cred.accessKeySecret))('POST', query, form)
    return {
      request: {
        method: 'POST',
        url: urlOf(options.endpoint, signed.query),
        headers: {
          'Content-Type': FORM,
          'x-acs-credentials-provider': cred.source,
          'User-Agent': options.userAgent ?? USER_AGENT,
        },
        body: Signature.formEncode(form),
        ...transport(options),
      },
      stringToSign: signed.stringToSign,
    }
  }

/**
 * Calls `AssumeRole` and yields the role's STS credential (`source` from `options`).
 *
 * @example
 * import { Credential, StsClient } from '@alicred/core'
 * import { fakeHttp, fakeRandom, json, manualClock } from '@alicred/testing'
 * const clock = manualClock()
 * const http = fakeHttp(clock).on('POST', 'https://sts.aliyuncs.com/', json(200, {
 *   Credentials: { AccessKeyId: 'STS.id', AccessKeySecret: 'role-secret', SecurityToken: 'token', Expiration: '2024-01-01T01:00:00Z' },
 * }))
 * const credential = Credential.accessKey({ accessKeyId: 'id', accessKeySecret: 'secret', source: 'static_ak' })
 * const r = await StsClient.assumeRole(
 *   { credential, roleArn: 'acs:ram::1:role/r', roleSessionName: 's', durationSeconds: 3600 },
 *   { endpoint: 'https://sts.aliyuncs.com/', provider: 'ram_role_arn', source: 'ram_role_arn/static_ak' },
 * )({ http, clock, random: fakeRandom() })()
 * assert.strictEqual(r._tag === 'Right' && r.right.accessKeyId, 'STS.id')
 * @since 0.1.0
 */
export const assumeRole =
  (input: AssumeRoleInput, options: CallOptions) =>
  (caps: StsCapabilities): TE.TaskEither<CredentialsError, C.Sts> =>
    call(
      options,
      caps,
      () => prepareAssumeRole(input, options)(caps),
      {
        what: 'STS AssumeRole',
        secrets: C.secretsOf(input.credential),
        wrongKey: wrongSecret(input.credential),
      },
      stsAnswer('AssumeRole response', options.source),
    )

// -------------------------------------------------------------------------------------
// AssumeRoleWithOIDC
// -------------------------------------------------------------------------------------

/** @since 0.1.0 */
export interface AssumeRoleWithOidcInput {
  readonly oidcProviderArn: string
  /** The OIDC token (a JWT), already trimmed. */
  readonly oidcToken: string
  readonly roleArn: string
  readonly roleSessionName: string
  readonly durationSeconds: number
  readonly policy?: string
}

/**
 * The unsigned `POST` for `AssumeRoleWithOIDC`. Query: `Version, Action, Format, Timestamp`; form:
 * `OIDCProviderArn, OIDCToken, RoleArn[, Policy], RoleSessionName, DurationSeconds` (REFERENCE §3.4).
 *
 * @since 0.1.0
 */
export const prepareAssumeRoleWithOidc =
  (input: AssumeRoleWithOidcInput, options: CallOptions) =>
  async (caps: Pick<Capabilities, 'clock'>): Promise<Prepared> => {
    const query = {
      Version: API_VERSION,
      Action: 'AssumeRoleWithOIDC',
      Format: 'JSON',
      Timestamp: Expiration.formatTimestamp(caps.clock.now()),
    }
    const form: Record<string, string> = {
      OIDCProviderArn: input.oidcProviderArn,
      OIDCToken: input.oidcToken,
      RoleArn: input.roleArn,
    }
    if (input.policy !== undefined && input.policy !== '') form.Policy = input.policy
    form.RoleSessionName = input.roleSessionName
    form.DurationSeconds = String(input.durationSeconds)
    return {
      request: {
        method: 'POST',
        url: urlOf(options.endpoint, query),
        headers: { 'Content-Type': FORM, 'User-Agent': options.userAgent ?? USER_AGENT },
        body: Signature.formEncode(form),
        ...transport(options),
      },
    }
  }

/**
 * Calls `AssumeRoleWithOIDC` (anonymous: the OIDC token is the proof) and yields the role's STS credential.
 *
 * @since 0.1.0
 */
export const assumeRoleWithOidc =
  (input: AssumeRoleWithOidcInput, options: CallOptions) =>
  (caps: StsCapabilities): TE.TaskEither<CredentialsError, C.Sts> =>
    call(
      options,
      caps,
      () => prepareAssumeRoleWithOidc(input, options)(caps),
      { what: 'STS AssumeRoleWithOIDC', secrets: [input.oidcToken] },
      stsAnswer('AssumeRoleWithOIDC response', options.source),
    )

// -------------------------------------------------------------------------------------
// GenerateSessionAccessKey
// -------------------------------------------------------------------------------------

/** @since 0.1.0 */
export interface GenerateSessionAccessKeyInput {
  /** The key pair's public key id (`AccessKeyId` on the wire). */
  readonly publicKeyId: string
  /** An RSASSA-PKCS1-v1_5 / SHA-256 signing key (see `RsaKeyPair.importPrivateKey`). */
  readonly privateKey: CryptoKey
  readonly durationSeconds: number
}

/**
 * The signed `GET` for `GenerateSessionAccessKey`, as the Go SDK sends it (REFERENCE §2.14): query `AccessKeyId,
 * Action, Format, DurationSeconds, SignatureMethod=SHA256withRSA, SignatureType=PRIVATEKEY, SignatureVersion,
 * Version, Timestamp, SignatureNonce, Signature`; no body.
 *
 * @since 0.1.0
 */
export const prepareGenerateSessionAccessKey =
  (input: GenerateSessionAccessKeyInput, options: CallOptions) =>
  async (caps: Pick<Capabilities, 'clock' | 'random'>): Promise<Prepared> => {
    const query = {
      AccessKeyId: input.publicKeyId,
      Action: 'GenerateSessionAccessKey',
      Format: 'JSON',
      DurationSeconds: String(input.durationSeconds),
      SignatureMethod: 'SHA256withRSA',
      SignatureType: 'PRIVATEKEY',
      SignatureVersion: '1.0',
      Version: API_VERSION,
      Timestamp: Expiration.formatTimestamp(caps.clock.now()),
      SignatureNonce: caps.random.nonce(),
    }
    const signed = await Signature.signQuery(Signature.rsaSha256Signer(input.privateKey))('GET', query)
    return {
      request: {
        method: 'GET',
        url: urlOf(options.endpoint, signed.query),
        headers: { 'User-Agent': options.userAgent ?? USER_AGENT },
        ...transport(options),
      },
      stringToSign: signed.stringToSign,
    }
  }

const SessionAccessKeyResponse = t.type(
  {
    SessionAccessKey: t.type(
      {
        SessionAccessKeyId: NonEmptyString,
        SessionAccessKeySecret: NonEmptyString,
        Expiration: Expiration.utc,
      },
      'SessionAccessKey object',
    ),
  },
  'GenerateSessionAccessKey response',
)

/**
 * Calls `GenerateSessionAccessKey` and yields the session AccessKey (an `access_key` credential with expiration).
 *
 * @since 0.1.0
 */
export const generateSessionAccessKey =
  (input: GenerateSessionAccessKeyInput, options: CallOptions) =>
  (caps: StsCapabilities): TE.TaskEither<CredentialsError, C.AccessKey> =>
    call(
      options,
      caps,
      () => prepareGenerateSessionAccessKey(input, options)(caps),
      {
        what: 'STS GenerateSessionAccessKey',
        secrets: [],
        wrongKey: {
          what: `the private key does not belong to public key id ${maskId(input.publicKeyId)}`,
          check: 'check that the private key is the private half of that key pair',
        },
      },
      (body) =>
        pipe(
          Decode.decode(SessionAccessKeyResponse)(body),
          E.map((r) =>
            C.accessKey({
              accessKeyId: r.SessionAccessKey.SessionAccessKeyId,
              accessKeySecret: r.SessionAccessKey.SessionAccessKeySecret,
              expiration: r.SessionAccessKey.Expiration,
              source: options.source,
            }),
          ),
        ),
    )

// -------------------------------------------------------------------------------------
// answers
// -------------------------------------------------------------------------------------

const stsResponse = (name: string) => t.type({ Credentials: stsBlock('Credentials object') }, name)

const stsAnswer =
  (name: string, source: string) =>
  (body: unknown): E.Either<string, C.Sts> =>
    pipe(
      Decode.decode(stsResponse(name))(body),
      E.map((r) => stsFromBlock(source)(r.Credentials)),
    )

/** The error document STS answers with; every field optional (a missing `Message` must not crash, §9.12). */
const ErrorBody = t.partial({ Code: t.string, Message: t.string, RequestId: t.string })

/** What STS says when it computed another signature; the rest of `Message` is its string-to-sign. @since 0.1.0 */
export const SIGNATURE_MISMATCH_PREFIX =
  'Specified signature is not matched with our calculation. server string to sign is:'

/** How to explain failures of one call. @since 0.1.0 */
export interface ErrorContext {
  /** e.g. `STS AssumeRole`. */
  readonly what: string
  /** Values that must never appear in a message, even when STS echoes them. */
  readonly secrets: ReadonlyArray<string>
  /** What a `SignatureDoesNotMatch` means for this call's key, and what to check. */
  readonly wrongKey?: { readonly what: string; readonly check: string }
}

// A `Code` and a `RequestId` are shown only in their documented shapes (`InvalidParameter.RoleArn`; a UUID), and
// only when they hold no form of a secret this call sent: anything else in those fields may be an echo of the
// request, and an AccessKey secret is as alphanumeric as a code.
const CODE = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$/
const REQUEST_ID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/
const shaped =
  (shape: RegExp, max: number) =>
  (s: string | undefined, secrets: ReadonlyArray<string>): string | undefined =>
    s !== undefined && s.length <= max && shape.test(s) && !Scrub.holdsAny(s, secrets) ? s : undefined
const codeOf = shaped(CODE, 64)
const requestIdOf = shaped(REQUEST_ID, 36)

const RETRYABLE_CODE = /^(Throttling|ServiceUnavailable|InternalError)/

const HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^InvalidAccessKeyId\.NotFound$/, 'the AccessKey id does not exist (check it, and that it belongs to this site)'],
  [/^InvalidAccessKeyId\.Inactive$/, 'the AccessKey is disabled; enable it in the RAM console or use another'],
  [/^InvalidSecurityToken/, 'the calling credential’s security token is expired or invalid; refresh that source'],
  [/NoPermission|^EntityNotExist\.Role/, 'check the role ARN and that the role’s trust policy allows this caller'],
  [/^Throttling/, 'STS is throttling requests; try again later'],
]

// How much of a server message is searched and kept before the 300-character cap.
const MAX_SCRUBBED = 2_000

/**
 * Removes every form of every secret from a server message — raw; percent-encoded once or more, in either case of
 * hex; with `+` and spaces standing for each other (a form body decoded either way); cut short to a prefix of at
 * least 8 characters; base64-encoded (standard or URL-safe, at any alignment) — then drops control characters and
 * caps the length.
 *
 * @example
 * import { StsClient } from '@alicred/core'
 * const token = 'CAIS+token/Value=='
 * const lowerHex = encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()) // CAIS%2btoken%2fValue%3d%3d
 * const echo = `SecurityToken=${lowerHex}; sent CAIS token/Va (truncated)`
 * assert.strictEqual(StsClient.scrub(echo, [token]), 'SecurityToken=<redacted>; sent <redacted> (truncated)')
 * @since 0.1.0
 */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string => {
  // Only the start is ever shown: a long echo is cut before the search, which is quadratic in the worst case.
  const scrubbed = Scrub.scrub(text.slice(0, MAX_SCRUBBED), secrets)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is stripped
  const out = scrubbed.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
  return out.length > 300 ? `${out.slice(0, 300)}…` : out
}

/**
 * Explains a non-200 answer. The body is read only as an STS error document (`Code`, `Message`, `RequestId`), never
 * quoted; `Message` is included scrubbed of secrets, except for `SignatureDoesNotMatch`, whose message holds the
 * server's string-to-sign (with the security token in it).
 *
 * @since 0.1.0
 */
export const explainStatus =
  (provider: string, ctx: ErrorContext, stringToSign: string | undefined) =>
  (res: HttpResponse): SourceFailure => {
    const doc = pipe(
      Decode.parseJson(res.body),
      E.chainW(Decode.decode(ErrorBody)),
      E.getOrElseW(() => ({}) as t.TypeOf<typeof ErrorBody>),
    )
    const code = codeOf(doc.Code, ctx.secrets)
    const requestId =
      requestIdOf(doc.RequestId, ctx.secrets) ?? requestIdOf(res.headers['x-acs-request-id'], ctx.secrets)
    const retryable = Failure.isRetryableStatus(res.status) || (code !== undefined && RETRYABLE_CODE.test(code))
    const details = {
      status: res.status,
      retryable,
      ...(code === undefined ? {} : { code }),
      ...(requestId === undefined ? {} : { requestId }),
    }
    const head = `${ctx.what} answered HTTP ${res.status}`
    const tail = requestId === undefined ? '' : ` (request id ${requestId})`
    if (code === 'SignatureDoesNotMatch') {
      const server = doc.Message?.startsWith(SIGNATURE_MISMATCH_PREFIX)
        ? doc.Message.slice(SIGNATURE_MISMATCH_PREFIX.length)
        : undefined
      const key = ctx.wrongKey ?? { what: 'the signing key is wrong', check: 'check the signing key' }
      const why =
        stringToSign !== undefined && server === stringToSign
          ? `${key.what}: STS computed the same string to sign but a different signature; ${key.check}`
          : server === undefined
            ? `the signature was rejected, most likely because ${key.what}; ${key.check}`
            : 'the signature was rejected and STS signed a different string than we did: something between here and STS rewrote the request (a proxy?), or the endpoint is not STS'
      return new SourceFailure(provider, `${head}: code SignatureDoesNotMatch: ${why}${tail}`, details)
    }
    if (code === undefined) {
      return new SourceFailure(provider, `${head} without an STS error document${tail}`, details)
    }
    const message = doc.Message === undefined ? '' : scrub(doc.Message, ctx.secrets)
    const hint = HINTS.find(([re]) => re.test(code))?.[1]
    const parts = [`${head}: code ${code}`]
    if (message !== '') parts.push(message)
    if (hint !== undefined) parts.push(hint)
    return new SourceFailure(provider, `${parts.join(': ')}${tail}`, details)
  }

const wrongSecret = (c: C.AccessKey | C.Sts): NonNullable<ErrorContext['wrongKey']> => ({
  what: 'the AccessKey secret is wrong',
  check: `check the AccessKey secret of ${c.source} (AccessKey id ${maskId(c.accessKeyId)})`,
})

// -------------------------------------------------------------------------------------
// the call
// -------------------------------------------------------------------------------------

const call =
  <A extends C.Credential>(
    options: CallOptions,
    caps: StsCapabilities,
    prepare: () => Promise<Prepared>,
    ctx: ErrorContext,
    decodeOk: (body: unknown) => E.Either<string, A>,
  ): TE.TaskEither<CredentialsError, A> =>
  async () => {
    const provider = options.provider
    let prepared: Prepared
    try {
      prepared = await prepare()
    } catch (e) {
      return E.left(
        new SourceFailure(
          provider,
          `${ctx.what} could not be signed (${e instanceof Error ? e.name : 'unknown error'}); check the signing key`,
          { retryable: false },
          e,
        ),
      )
    }
    const sent = await caps.http.request(prepared.request)()
    if (E.isLeft(sent)) return E.left(Failure.fromHttpError(provider, ctx.what)(sent.left))
    const res = sent.right
    if (res.status !== 200) return E.left(explainStatus(provider, ctx, prepared.stringToSign)(res))
    return pipe(
      Decode.parseJson(res.body),
      E.chain(decodeOk),
      E.mapLeft((reason) => Failure.malformed(provider, ctx.what, reason, res.status)),
    )
  }
