/**
 * The Aliyun CLI OAuth endpoints (REFERENCE §2.12): `POST /v1/token` (refresh-token grant, form body; the refresh
 * token rotates, so a used one is refused) and `POST /v1/exchange` (bearer access token → camelCase STS credentials).
 * Errors follow OAuth 2.0 (`{error, error_description}`).
 *
 * @since 0.1.0
 */
import type { Directory } from './Directory.js'
import { ALNUM, type Rng } from './Rng.js'
import { bearerToken, type Incoming, json, type Reply } from './Wire.js'

/** A refresh token the emulator accepts (once: it rotates). @category emulator @since 0.1.0 */
export interface OAuthRefreshTokenSpec {
  readonly refreshToken: string
  readonly clientId: string
  /** Role the exchanged credentials belong to. Default `acs:ram::<accountId>:role/oauth-user`. */
  readonly roleArn?: string
}

/** An access token the emulator accepts at `/v1/exchange`. @category emulator @since 0.1.0 */
export interface OAuthAccessTokenSpec {
  readonly accessToken: string
  /** Epoch ms on the emulator's clock. */
  readonly expiresAt: number
  readonly roleArn?: string
}

/** Lifetimes of what the emulator's OAuth endpoint issues. @category emulator @since 0.1.0 */
export interface OAuthOptions {
  /** `expires_in` of issued access tokens. Default 3600. */
  readonly accessTokenTtlSeconds?: number
  /** Lifetime of exchanged STS credentials. Default 3600. */
  readonly durationSeconds?: number
}

/** @since 0.1.0 */
export interface OAuth {
  readonly addRefreshToken: (spec: OAuthRefreshTokenSpec) => void
  readonly addAccessToken: (spec: OAuthAccessTokenSpec) => void
  readonly token: (req: Incoming) => Reply
  readonly exchange: (req: Incoming) => Reply
}

/** @since 0.1.0 */
export const oauth = (dir: Directory, now: () => number, rng: Rng, options: () => OAuthOptions): OAuth => {
  const refresh = new Map<string, OAuthRefreshTokenSpec>()
  const access = new Map<string, OAuthAccessTokenSpec>()
  const fail = (status: number, error: string, description: string): Reply =>
    json(status, { error, error_description: description }, { code: error })
  const roleOf = (arn: string | undefined): string => arn ?? `acs:ram::${dir.accountId}:role/oauth-user`
  return {
    addRefreshToken: (spec) => {
      refresh.set(spec.refreshToken, spec)
    },
    addAccessToken: (spec) => {
      access.set(spec.accessToken, spec)
    },
    token: (req) => {
      const f = req.form
      if (f.grant_type !== 'refresh_token')
        return fail(400, 'unsupported_grant_type', 'grant_type must be refresh_token')
      if (f.refresh_token === undefined || f.refresh_token === '') {
        return fail(400, 'invalid_request', 'refresh_token is required')
      }
      if (f.client_id === undefined || f.client_id === '') return fail(400, 'invalid_request', 'client_id is required')
      const r = refresh.get(f.refresh_token)
      if (r === undefined) return fail(400, 'invalid_grant', 'the refresh token is invalid or was already used')
      if (r.clientId !== f.client_id) return fail(400, 'invalid_client', 'the refresh token belongs to another client')
      refresh.delete(f.refresh_token)
      const ttl = options().accessTokenTtlSeconds ?? 3600
      const next: OAuthRefreshTokenSpec = { ...r, refreshToken: `rt-${rng.chars(40, ALNUM)}` }
      const at: OAuthAccessTokenSpec = {
        accessToken: `at-${rng.chars(40, ALNUM)}`,
        expiresAt: now() + ttl * 1000,
        ...(r.roleArn === undefined ? {} : { roleArn: r.roleArn }),
      }
      refresh.set(next.refreshToken, next)
      access.set(at.accessToken, at)
      return json(200, {
        access_token: at.accessToken,
        refresh_token: next.refreshToken,
        expires_in: ttl,
        token_type: 'Bearer',
      })
    },
    exchange: (req) => {
      const token = bearerToken(req.headers)
      if (token === undefined) return fail(401, 'invalid_token', 'the Authorization header is missing')
      const a = access.get(token)
      if (a === undefined) return fail(401, 'invalid_token', 'the access token is invalid')
      if (now() >= a.expiresAt) return fail(401, 'invalid_token', 'the access token is expired')
      const issued = dir.issueSts(dir.ensureRole(roleOf(a.roleArn)), 'oauth-user', options().durationSeconds ?? 3600)
      return json(200, {
        accessKeyId: issued.key.accessKeyId,
        accessKeySecret: issued.key.accessKeySecret,
        securityToken: issued.key.securityToken,
        expiration: issued.expiration,
        requestId: rng.requestId(),
      })
    },
  }
}
