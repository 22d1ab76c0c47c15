/**
 * `oauth` (Aliyun CLI `OAuth` mode): refresh the OAuth access token when needed, exchange it for STS credentials,
 * and hand the rotated tokens to a write-back callback.
 *
 * Wire (as the reference):
 *
 * - token refresh, when a refresh token exists and the access token is missing or has 1200 s or less left:
 *   `POST <origin>/v1/token`, `Content-Type: application/x-www-form-urlencoded`, body
 *   `grant_type=refresh_token&refresh_token=…&client_id=…&Timestamp=<UTC, no ms>` → `{access_token, refresh_token,
 *   expires_in?}`; both tokens are replaced (rotation) and the access token lives `expires_in` (default 3600) s;
 * - exchange: `POST <origin>/v1/exchange`, `Content-Type: application/json`, `Authorization: Bearer <access token>`,
 *   no body → `{accessKeyId, accessKeySecret, securityToken, expiration}`.
 *
 * A stored STS credential (`stored`: what an earlier exchange saved, e.g. the CLI profile's `sts_*` fields) that has
 * not expired is the first answer, without any request, as the Aliyun CLI does; later refreshes exchange.
 *
 * Site types (`CN`, `INTL`, any case) give the sign-in origin and client id, unless those are set explicitly.
 * After each exchange `onUpdate` gets the current tokens and credentials (the CLI config write-back); its failure is
 * reported to `onUpdateError` and never fails the refresh. Without a refresh token an access token known to be
 * expired is `InvalidConfiguration` (re-login), instead of a doomed request.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import type { Capabilities } from '../Capabilities.js'
import * as C from '../Credential.js'
import { type CredentialsError, InvalidConfiguration, type SourceFailure } from '../CredentialsError.js'
import { nonBlank } from '../Env.js'
import * as Expiration from '../Expiration.js'
import * as Failure from '../Failure.js'
import type { CachedProvider, Provider } from '../Provider.js'
import { cachedSource } from '../Provider.js'
import { formEncode } from '../sts/signature.js'
import {
  callUpdate,
  checkEndpoint,
  decodeBody,
  jsonBody,
  NonEmptyString,
  positiveOr,
  type StoredSts,
  send,
  storedCredential,
  UtcTime,
} from './_remote.js'

/** What OAuth hands back for persisting. @since 0.1.0 */
export interface OAuthTokenUpdate {
  readonly refreshToken: string
  readonly accessToken: string
  /** Epoch seconds. */
  readonly accessTokenExpire: number
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken: string
  /** Epoch seconds; 0 when unknown. */
  readonly stsExpiration: number
}

/** @since 0.1.0 */
export interface OAuthOptions {
  /** `CN` or `INTL` (any case). Gives sign-in URL and client id unless those are set. */
  readonly siteType?: string
  readonly signInUrl?: string
  readonly clientId?: string
  readonly refreshToken?: string
  readonly accessToken?: string
  /** Epoch seconds. */
  readonly accessTokenExpire?: number
  /** An STS credential saved by an earlier exchange; reused, without a request, while it has not expired. */
  readonly stored?: StoredSts
  /** Default 5000. */
  readonly connectTimeoutMs?: number
  /** Default 10000. */
  readonly readTimeoutMs?: number
  /** Called after each successful refresh; failures are reported, never thrown. */
  readonly onUpdate?: (update: OAuthTokenUpdate) => Promise<void>
  /** Told when `onUpdate` throws, rejects or takes longer than 10 s. Default: ignored, as in the reference. */
  readonly onUpdateError?: (error: SourceFailure) => void
  /** Refresh the STS credentials once less than this is left. Default 15 min. */
  readonly staleMs?: number
  /** Allow a plain `http://` sign-in URL to hosts other than loopback and link-local. Default false. */
  readonly allowInsecureHttp?: boolean
}

/** Sign-in origin and client id of each site type (the Aliyun CLI's constants). @since 0.1.0 */
export const OAUTH_SITES: Readonly<Record<'CN' | 'INTL', { readonly signInUrl: string; readonly clientId: string }>> = {
  CN: { signInUrl: 'https://oauth.aliyun.com', clientId: '4038181954557748008' },
  INTL: { signInUrl: 'https://oauth.alibabacloud.com', clientId: '4103531455503354461' },
}

/** The access token is refreshed once it has this many seconds left, or fewer. @since 0.1.0 */
export const OAUTH_TOKEN_REFRESH_SECONDS = 1_200

const NAME = 'oauth'
const RELOGIN = 're-login with `aliyun configure --mode OAuth`'

// A token lifetime in seconds: finite and at most ten years, so the expiry it gives is a time a Date (and the CLI's
// config.json) can hold. Zero or less means "use the default", as before.
const MAX_LIFETIME_SECONDS = 10 * 365 * 86_400
const Lifetime = new t.Type<number, number, unknown>(
  `a number of seconds up to ${MAX_LIFETIME_SECONDS}`,
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u <= MAX_LIFETIME_SECONDS,
  (u, c) => (typeof u === 'number' && Number.isFinite(u) && u <= MAX_LIFETIME_SECONDS ? t.success(u) : t.failure(u, c)),
  t.identity,
)

const TokenAnswer = t.intersection(
  [
    t.type({ access_token: NonEmptyString, refresh_token: NonEmptyString }, 'OAuth token answer'),
    t.partial({ expires_in: Lifetime }, 'OAuth token answer'),
  ],
  'OAuth token answer',
)

const ExchangeAnswer = t.type(
  {
    accessKeyId: NonEmptyString,
    accessKeySecret: NonEmptyString,
    securityToken: NonEmptyString,
    expiration: UtcTime,
  },
  'OAuth exchange answer',
)

const refusedHint = (status: number): string | undefined =>
  status === 400 || status === 401 || status === 403 ? `the OAuth token was refused; ${RELOGIN}` : undefined

const resolveSite = (
  o: OAuthOptions,
): E.Either<InvalidConfiguration, { readonly signInUrl: string; readonly clientId: string }> => {
  const siteType = nonBlank(o.siteType)?.toUpperCase()
  const site = siteType === 'CN' || siteType === 'INTL' ? OAUTH_SITES[siteType] : undefined
  if (siteType !== undefined && site === undefined) {
    return E.left(
      new InvalidConfiguration(NAME, `invalid OAuth site type; use CN or INTL (oauth_site_type); ${RELOGIN}`, {
        key: 'oauth_site_type',
      }),
    )
  }
  const signInUrl = nonBlank(o.signInUrl) ?? site?.signInUrl
  const clientId = nonBlank(o.clientId) ?? site?.clientId
  if (signInUrl === undefined) {
    return E.left(
      new InvalidConfiguration(NAME, 'the url for sign-in is empty; set oauth_site_type to CN or INTL, or signInUrl', {
        key: 'oauth_site_type',
      }),
    )
  }
  if (clientId === undefined) {
    return E.left(
      new InvalidConfiguration(NAME, 'the clientId is empty; set oauth_site_type to CN or INTL, or clientId', {
        key: 'oauth_site_type',
      }),
    )
  }
  return E.right({ signInUrl, clientId })
}

/**
 * The OAuth tokens a provider holds. They rotate: each refresh replaces both, and later refreshes must use the new
 * ones, so the provider keeps the latest record (replaced whole, never changed in place).
 */
interface Tokens {
  readonly accessToken: string | undefined
  readonly refreshToken: string | undefined
  /** Epoch seconds. */
  readonly accessTokenExpire: number | undefined
}

/** The sign-in service of one fetch: where it is and how to reach it. */
interface SignIn {
  readonly caps: Pick<Capabilities, 'http' | 'clock'>
  readonly origin: string
  readonly clientId: string
  readonly connectTimeoutMs: number
  readonly readTimeoutMs: number
}

type Result<A> = E.Either<CredentialsError, A>

/**
 * A provider exchanging the Aliyun CLI's OAuth tokens for STS credentials, refreshing (and rotating) the tokens
 * when they are about to expire. Credentials' `source` is `oauth`.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { fakeCapabilities, json } from '@alicred/testing'
 * const caps = fakeCapabilities({ now: Date.UTC(2024, 0, 1) })
 * caps.http.on('POST', 'http://127.0.0.1:9000/v1/exchange', json(200, {
 *   accessKeyId: 'id', accessKeySecret: 'secret', securityToken: 'token', expiration: '2024-01-01T01:00:00Z' }))
 * const p = Providers.oauth({ signInUrl: 'http://127.0.0.1:9000', clientId: 'c', accessToken: 'at',
 *   accessTokenExpire: Date.UTC(2024, 0, 1) / 1000 + 7200 })(caps)
 * const r = await p()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'oauth')
 * @since 0.1.0
 */
export const oauth =
  (options: OAuthOptions) =>
  (caps: Pick<Capabilities, 'http' | 'clock' | 'random' | 'reporter'>): CachedProvider => {
    // The provider's state, owned here and replaced only by the fetch below (the refresh engine runs one at a time).
    let tokens = initialTokens(options)
    // Consumed by the first fetch: a refresh means the cached credential is due for replacement.
    let stored = options.stored

    const fetchOnce: Provider = () => async () => {
      const signIn = openSignIn(options, caps)
      if (E.isLeft(signIn)) return signIn
      const saved = storedCredential(stored, caps.clock.now(), NAME)
      stored = undefined
      if (saved !== undefined) return E.right(saved)
      const nowS = Math.floor(caps.clock.now() / 1_000)
      const fresh = await freshTokens(signIn.right, tokens, nowS)
      if (E.isLeft(fresh)) return fresh
      tokens = fresh.right
      return exchangeTokens(signIn.right, options, tokens, nowS)
    }

    return cachedSource(NAME, caps, options)(fetchOnce)
  }

const initialTokens = (o: OAuthOptions): Tokens => ({
  accessToken: nonBlank(o.accessToken),
  refreshToken: nonBlank(o.refreshToken),
  accessTokenExpire:
    o.accessTokenExpire !== undefined && Number.isFinite(o.accessTokenExpire) && o.accessTokenExpire > 0
      ? o.accessTokenExpire
      : undefined,
})

/** The sign-in origin and client id, checked: a known site type, or an explicit URL that is safe to send tokens to. */
const openSignIn = (options: OAuthOptions, caps: Pick<Capabilities, 'http' | 'clock'>): Result<SignIn> => {
  const site = resolveSite(options)
  if (E.isLeft(site)) return site
  const signIn = checkEndpoint(
    NAME,
    site.right.signInUrl,
    { label: 'the OAuth sign-in URL (signInUrl)', location: { key: 'signInUrl' } },
    options.allowInsecureHttp === true,
  )
  if (E.isLeft(signIn)) return signIn
  return E.right({
    caps,
    origin: signIn.right.origin,
    clientId: site.right.clientId,
    connectTimeoutMs: positiveOr(options.connectTimeoutMs, 5_000),
    readTimeoutMs: positiveOr(options.readTimeoutMs, 10_000),
  })
}

/** The tokens to exchange: as they are, or rotated by a refresh when the access token is missing or about to end. */
const freshTokens = async (s: SignIn, tokens: Tokens, nowS: number): Promise<Result<Tokens>> => {
  const { accessToken, refreshToken, accessTokenExpire } = tokens
  const due =
    accessToken === undefined ||
    accessTokenExpire === undefined ||
    accessTokenExpire - nowS <= OAUTH_TOKEN_REFRESH_SECONDS
  return refreshToken !== undefined && due ? refreshTokens(s, refreshToken) : E.right(tokens)
}

/** `POST /v1/token` with the refresh token: both tokens anew. */
const refreshTokens = async (s: SignIn, refreshToken: string): Promise<Result<Tokens>> => {
  const url = `${s.origin}/v1/token`
  const what = `OAuth token refresh POST ${url}`
  const started = s.caps.clock.now()
  const res = await send(s.caps.http, {
    method: 'POST',
    url,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: formEncode({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: s.clientId,
      Timestamp: Expiration.formatTimestamp(started),
    }),
    connectTimeoutMs: s.connectTimeoutMs,
    readTimeoutMs: s.readTimeoutMs,
  })
  if (E.isLeft(res)) return E.left(Failure.fromHttpError(NAME, what)(res.left))
  return pipe(
    jsonBody(NAME, what, refusedHint)(res.right),
    E.chain(decodeBody(NAME, what, TokenAnswer)),
    E.bimap((e): CredentialsError => e, rotated(started)),
  )
}

/**
 * The tokens of a refresh answer. The lifetime is taken in whole seconds (the expiry is written back to config.json,
 * whose reader takes whole epoch seconds only); under one second, or absent, it is the default hour.
 */
const rotated =
  (started: number) =>
  (a: t.TypeOf<typeof TokenAnswer>): Tokens => ({
    accessToken: a.access_token,
    refreshToken: a.refresh_token,
    accessTokenExpire:
      Math.floor(started / 1_000) +
      (a.expires_in !== undefined && a.expires_in >= 1 ? Math.floor(a.expires_in) : 3_600),
  })

/** The access token to exchange, unless there is none or it is known to be expired with no way to refresh it. */
const usableAccessToken = (tokens: Tokens, nowS: number): Result<string> => {
  const { accessToken, refreshToken, accessTokenExpire } = tokens
  if (accessToken === undefined) {
    return E.left(
      new InvalidConfiguration(NAME, `there is neither an OAuth access token nor a refresh token; ${RELOGIN}`, {
        key: 'oauth_access_token',
      }),
    )
  }
  if (refreshToken === undefined && accessTokenExpire !== undefined && accessTokenExpire <= nowS) {
    return E.left(
      new InvalidConfiguration(
        NAME,
        `the OAuth access token expired at ${Expiration.describeEpochSeconds(accessTokenExpire)} and there is no refresh token; ${RELOGIN}`,
        { key: 'oauth_access_token_expire' },
      ),
    )
  }
  return E.right(accessToken)
}

/** `POST /v1/exchange` with the access token: STS credentials, handed to `onUpdate` with the tokens. */
const exchangeTokens = async (
  s: SignIn,
  options: OAuthOptions,
  tokens: Tokens,
  nowS: number,
): Promise<Result<C.Credential>> => {
  const at = usableAccessToken(tokens, nowS)
  if (E.isLeft(at)) return at
  const answer = await postExchange(s, at.right)
  if (E.isLeft(answer)) return answer
  const a = answer.right
  await callUpdate(NAME, s.caps.clock, options.onUpdate, tokenUpdate(tokens, at.right, a), options.onUpdateError)
  return E.right(
    C.sts({
      accessKeyId: a.accessKeyId,
      accessKeySecret: a.accessKeySecret,
      securityToken: a.securityToken,
      expiration: a.expiration,
      source: NAME,
    }),
  )
}

const postExchange = async (s: SignIn, accessToken: string): Promise<Result<t.TypeOf<typeof ExchangeAnswer>>> => {
  const url = `${s.origin}/v1/exchange`
  const what = `OAuth exchange POST ${url}`
  const res = await send(s.caps.http, {
    method: 'POST',
    url,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
    connectTimeoutMs: s.connectTimeoutMs,
    readTimeoutMs: s.readTimeoutMs,
  })
  if (E.isLeft(res)) return E.left(Failure.fromHttpError(NAME, what)(res.left))
  return pipe(jsonBody(NAME, what, refusedHint)(res.right), E.chain(decodeBody(NAME, what, ExchangeAnswer)))
}

const tokenUpdate = (tokens: Tokens, accessToken: string, a: t.TypeOf<typeof ExchangeAnswer>): OAuthTokenUpdate => ({
  refreshToken: tokens.refreshToken ?? '',
  accessToken,
  accessTokenExpire: tokens.accessTokenExpire ?? 0,
  accessKeyId: a.accessKeyId,
  accessKeySecret: a.accessKeySecret,
  securityToken: a.securityToken,
  stsExpiration: Math.floor(a.expiration.getTime() / 1_000),
})
