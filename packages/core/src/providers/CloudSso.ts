/**
 * `cloud_sso` (Aliyun CLI `CloudSSO` mode): exchange the CLI's CloudSSO access token for STS credentials.
 *
 * @since 0.1.0
 */
import type { Capabilities } from '../Capabilities.js'
import type { CachedProvider } from '../Provider.js'
import { cached } from '../Provider.js'
import { pending } from './_pending.js'

/** @since 0.1.0 */
export interface CloudSsoOptions {
  readonly signInUrl: string
  readonly accountId: string
  readonly accessConfig: string
  readonly accessToken: string
  /** Epoch seconds. */
  readonly accessTokenExpire: number
  readonly connectTimeoutMs?: number
  readonly readTimeoutMs?: number
}

/** @since 0.1.0 */
export const cloudSso =
  (_options: CloudSsoOptions) =>
  (caps: Pick<Capabilities, 'http' | 'clock' | 'random'>): CachedProvider =>
    cached({ clock: caps.clock, name: 'cloud_sso' })(pending('cloud_sso'))
