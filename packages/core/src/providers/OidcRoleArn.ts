/**
 * `oidc_role_arn` (RRSA): STS AssumeRoleWithOIDC with a token file re-read on every refresh.
 *
 * @since 0.1.0
 */
import type { Capabilities } from '../Capabilities.js'
import type { CachedProvider } from '../Provider.js'
import { cached } from '../Provider.js'
import type { StsEndpointOptions } from '../sts/Endpoint.js'
import { pending } from './_pending.js'

/** @since 0.1.0 */
export interface OidcRoleArnOptions extends StsEndpointOptions {
  /** Falls back to `ALIBABA_CLOUD_ROLE_ARN`. */
  readonly roleArn?: string
  /** Falls back to `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`. */
  readonly oidcProviderArn?: string
  /** Falls back to `ALIBABA_CLOUD_OIDC_TOKEN_FILE`. */
  readonly oidcTokenFile?: string
  readonly roleSessionName?: string
  readonly durationSeconds?: number
  readonly policy?: string
  readonly connectTimeoutMs?: number
  readonly readTimeoutMs?: number
  readonly staleMs?: number
}

/** @since 0.1.0 */
export const oidcRoleArn =
  (_options: OidcRoleArnOptions) =>
  (caps: Pick<Capabilities, 'env' | 'fs' | 'http' | 'clock' | 'random'>): CachedProvider =>
    cached({ clock: caps.clock, name: 'oidc_role_arn' })(pending('oidc_role_arn'))
