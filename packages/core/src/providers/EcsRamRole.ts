/**
 * `ecs_ram_role`: credentials of the instance's RAM role from the ECS metadata service (IMDSv2, v1 fallback).
 *
 * @since 0.1.0
 */
import type { Capabilities } from '../Capabilities.js'
import type { CachedProvider } from '../Provider.js'
import { cached } from '../Provider.js'
import { pending } from './_pending.js'

/** @since 0.1.0 */
export interface EcsRamRoleOptions {
  /** Falls back to `ALIBABA_CLOUD_ECS_METADATA`, then discovery (once). */
  readonly roleName?: string
  /** No v1 fallback; also set by `ALIBABA_CLOUD_IMDSV1_DISABLED=true`. */
  readonly disableIMDSv1?: boolean
  /** Default `http://100.100.100.200`. */
  readonly metadataBaseUrl?: string
  readonly connectTimeoutMs?: number
  readonly readTimeoutMs?: number
  /** Background refresh window; default 60 min. */
  readonly prefetchMs?: number
}

/** @since 0.1.0 */
export const ecsRamRole =
  (_options: EcsRamRoleOptions = {}) =>
  (caps: Pick<Capabilities, 'env' | 'http' | 'clock' | 'random'>): CachedProvider =>
    cached({ clock: caps.clock, name: 'ecs_ram_role' })(pending('ecs_ram_role'))
