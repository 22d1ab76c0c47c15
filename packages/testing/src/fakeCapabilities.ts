/**
 * All fakes at once, ready to hand to any provider. The clock is shared: fake HTTP delays and exec timeouts run on
 * it.
 *
 * @since 0.1.0
 */
import type { Capabilities, Random } from '@alicred/core'
import { type FakeEnv, fakeEnv } from './FakeEnv.js'
import { type FakeExec, fakeExec } from './FakeExec.js'
import { type FakeFs, fakeFs } from './FakeFs.js'
import { type FakeHttp, fakeHttp } from './FakeHttp.js'
import { fakeRandom } from './FakeRandom.js'
import { type FakeReporter, fakeReporter } from './FakeReporter.js'
import { type ManualClock, manualClock } from './ManualClock.js'

/** Every capability, fake, each with its recording and scripting methods. @category fakes @since 0.1.0 */
export interface FakeCapabilities extends Capabilities {
  readonly env: FakeEnv
  readonly fs: FakeFs
  readonly http: FakeHttp
  readonly clock: ManualClock
  readonly exec: FakeExec
  readonly reporter: FakeReporter
}

/**
 * What the fake capabilities start with: environment, files, home directory, time, HTTP routes.
 *
 * @category fakes
 * @since 0.1.0
 */
export interface FakeCapabilitiesOptions {
  /** Environment variables (nothing is read from `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Files by path; `~/` expands to the home directory. */
  readonly files?: Readonly<Record<string, string>>
  /** Default `/home/user`; `null` means "no home directory". */
  readonly home?: string | null
  /** Start time of the manual clock, epoch ms (default 2024-01-01T00:00:00Z). */
  readonly now?: number
  /** Default `fakeRandom()`. */
  readonly random?: Random.Random
}

/**
 * Every capability faked: `fakeEnv`, `fakeFs`, `fakeHttp` and `fakeExec` on one `manualClock`, `fakeRandom`, and a
 * `fakeReporter` recording the warnings.
 *
 * @example
 * import { fakeCapabilities, json } from '@alicred/testing'
 * const caps = fakeCapabilities({ env: { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' } })
 * caps.http.on('GET', 'http://127.0.0.1:8080/creds', json(200, {}))
 * assert.strictEqual(caps.env.get('ALIBABA_CLOUD_ECS_METADATA_DISABLED'), 'true')
 * assert.strictEqual(caps.fs.homedir(), '/home/user')
 * @category fakes
 * @since 0.1.0
 */
export const fakeCapabilities = (o: FakeCapabilitiesOptions = {}): FakeCapabilities => {
  const clock = manualClock(o.now)
  return {
    env: fakeEnv(o.env),
    fs: fakeFs(o.files, o.home === undefined ? {} : { home: o.home }),
    http: fakeHttp(clock),
    clock,
    random: o.random ?? fakeRandom(),
    exec: fakeExec(clock),
    reporter: fakeReporter(),
  }
}
