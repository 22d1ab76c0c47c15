/**
 * `oauth` (Aliyun CLI `OAuth` mode): refresh the OAuth access token when needed, exchange it for STS credentials,
 * and hand the rotated tokens to a write-back callback.
 *
 * @since 0.1.0
 */
import type { Capabilities } from '../Capabilities.js'
import type { CachedProvider } from '../Provider.js'
import { cached } from '../Provider.js'
import { pending } from './_pending.js'

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
  readonly connectTimeoutMs?: number
  readonly readTimeoutMs?: number
  /** Called after each successful refresh; failures are reported, never thrown. */
  readonly onUpdate?: (update: OAuthTokenUpdate) => Promise<void>
}

/** @since 0.1.0 */
export const oauth =
  (_options: OAuthOptions) =>
  (caps: Pick<Capabilities, 'http' | 'clock' | 'random'>): CachedProvider =>
    cached({ clock: caps.clock, name: 'oauth' })(pending('oauth'))
