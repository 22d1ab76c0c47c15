/**
 * `credentials_uri`: GET a URL that answers with an STS credential (sidecars, `alicred serve`).
 *
 * @since 0.1.0
 */
import type { Capabilities } from '../Capabilities.js'
import type { CachedProvider } from '../Provider.js'
import { cached } from '../Provider.js'
import { pending } from './_pending.js'

/** @since 0.1.0 */
export interface CredentialsUriOptions {
  /** Falls back to `ALIBABA_CLOUD_CREDENTIALS_URI`. */
  readonly uri?: string
  /** Allow plain `http://` to hosts other than loopback and link-local. Default false. */
  readonly allowInsecureHttp?: boolean
  readonly connectTimeoutMs?: number
  readonly readTimeoutMs?: number
  readonly staleMs?: number
}

/** @since 0.1.0 */
export const credentialsUri =
  (_options: CredentialsUriOptions = {}) =>
  (caps: Pick<Capabilities, 'env' | 'http' | 'clock' | 'random'>): CachedProvider =>
    cached({ clock: caps.clock, name: 'credential_uri' })(pending('credential_uri'))
