/**
 * The record of capabilities providers are built from. Each provider asks only for what it uses
 * (`Pick<Capabilities, 'env' | 'fs'>`), so fakes stay small.
 *
 * @since 0.1.0
 */
import type { Clock } from './Clock.js'
import type { Env } from './Env.js'
import type { Exec } from './Exec.js'
import type { Fs } from './Fs.js'
import type { Http } from './Http.js'
import type { Random } from './Random.js'
import type { Reporter } from './Reporter.js'

/** @since 0.1.0 */
export interface Capabilities {
  readonly env: Env
  readonly fs: Fs
  readonly http: Http
  readonly clock: Clock
  readonly random: Random
  /** Only the CLI `External` mode needs it; without it that mode fails with `InvalidConfiguration`. */
  readonly exec?: Exec
  /** Where warnings go (stale credentials served, clock skew, write-backs that failed). Without it, nowhere. */
  readonly reporter?: Reporter
}
