/**
 * `external` (Aliyun CLI `External` mode): run a command that prints credentials as JSON.
 *
 * @since 0.1.0
 */
import type { Capabilities } from '../Capabilities.js'
import type { CachedProvider } from '../Provider.js'
import { cached } from '../Provider.js'
import { pending } from './_pending.js'

/** What External hands back for persisting. @since 0.1.0 */
export interface ExternalUpdate {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken?: string
  /** Epoch seconds; 0 when unknown. */
  readonly expiration: number
}

/** @since 0.1.0 */
export interface ExternalOptions {
  /** Split into argv per the CLI's rules (POSIX or Windows); never run through a shell. */
  readonly processCommand: string
  /** Default 60 000. */
  readonly timeoutMs?: number
  /** Split with Windows rules. Default: `false` (the live Node runtime passes `process.platform === 'win32'`). */
  readonly windows?: boolean
  readonly onUpdate?: (update: ExternalUpdate) => Promise<void>
}

/** @since 0.1.0 */
export const external =
  (_options: ExternalOptions) =>
  (caps: Pick<Capabilities, 'clock' | 'random'> & { readonly exec?: Capabilities['exec'] }): CachedProvider =>
    cached({ clock: caps.clock, name: 'external', staleMs: 180_000 })(pending('external'))
