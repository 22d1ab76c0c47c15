/**
 * `ram_role_arn`: STS AssumeRole with credentials from any other provider (so role chains compose).
 *
 * @since 0.1.0
 */
import type { Capabilities } from '../Capabilities.js'
import type { CachedProvider, Provider } from '../Provider.js'
import { cached } from '../Provider.js'
import type { StsEndpointOptions } from '../sts/Endpoint.js'
import { pending } from './_pending.js'

/** @since 0.1.0 */
export interface RamRoleArnOptions extends StsEndpointOptions {
  /** The credentials that call AssumeRole. */
  readonly source: Provider
  /** Falls back to `ALIBABA_CLOUD_ROLE_ARN`. */
  readonly roleArn?: string
  /** Falls back to `ALIBABA_CLOUD_ROLE_SESSION_NAME`, then `credentials-nodejs-<epoch ms>`. */
  readonly roleSessionName?: string
  /** At least 900; default 3600. */
  readonly durationSeconds?: number
  readonly policy?: string
  readonly externalId?: string
  readonly connectTimeoutMs?: number
  readonly readTimeoutMs?: number
  /** Refresh window; default 15 min. */
  readonly staleMs?: number
}

/** @since 0.1.0 */
export const ramRoleArn =
  (_options: RamRoleArnOptions) =>
  (caps: Pick<Capabilities, 'env' | 'http' | 'clock' | 'random'>): CachedProvider =>
    cached({ clock: caps.clock, name: 'ram_role_arn' })(pending('ram_role_arn'))
