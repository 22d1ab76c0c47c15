/**
 * All fakes at once, ready to hand to any provider.
 *
 * @since 0.1.0
 */
import type { Capabilities } from '@alicred/core'
import { type FakeEnv, fakeEnv } from './FakeEnv.js'
import { type FakeExec, fakeExec } from './FakeExec.js'
import { type FakeFs, fakeFs } from './FakeFs.js'
import { type FakeHttp, fakeHttp } from './FakeHttp.js'
import { fakeRandom } from './FakeRandom.js'
import { type ManualClock, manualClock } from './ManualClock.js'

/** @since 0.1.0 */
export interface FakeCapabilities extends Capabilities {
  readonly env: FakeEnv
  readonly fs: FakeFs
  readonly http: FakeHttp
  readonly clock: ManualClock
  readonly exec: FakeExec
}

/** @since 0.1.0 */
export interface FakeCapabilitiesOptions {
  readonly env?: Readonly<Record<string, string>>
  readonly files?: Readonly<Record<string, string>>
  readonly home?: string | null
  readonly now?: number
}

/**
 * @example
 * import { fakeCapabilities } from '@alicred/testing'
 * const caps = fakeCapabilities({ env: { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' } })
 * assert.strictEqual(caps.env.get('ALIBABA_CLOUD_ECS_METADATA_DISABLED'), 'true')
 * @since 0.1.0
 */
export const fakeCapabilities = (o: FakeCapabilitiesOptions = {}): FakeCapabilities => {
  const clock = manualClock(o.now)
  return {
    env: fakeEnv(o.env),
    fs: fakeFs(o.files, o.home === undefined ? {} : { home: o.home }),
    http: fakeHttp(clock),
    clock,
    random: fakeRandom(),
    exec: fakeExec(),
  }
}
