/**
 * The live `Env`: `process.env`, read at call time, so a variable set after start-up (by a test harness, a secrets
 * loader or `dotenv`) is seen by the next credential fetch.
 *
 * @since 0.1.0
 */
import { Env } from '@alicred/core'

/**
 * The process environment, read on every `get`.
 *
 * @example
 * import { liveEnv } from '@alicred/node'
 * process.env.ALIBABA_CLOUD_PROFILE = 'dev'
 * assert.strictEqual(liveEnv.get('ALIBABA_CLOUD_PROFILE'), 'dev')
 * @category capabilities
 * @since 0.1.0
 */
export const liveEnv: Env.Env = {
  get: (name) => process.env[name],
}

/**
 * Accepts either an `Env` or a plain record (`{ ALIBABA_CLOUD_PROFILE: 'dev' }`), so callers can pass a snapshot
 * instead of the live environment.
 *
 * @category capabilities
 * @since 0.1.0
 */
export const toEnv = (env: Env.Env | Readonly<Record<string, string | undefined>>): Env.Env =>
  isEnv(env) ? env : Env.fromRecord(env)

const isEnv = (u: Env.Env | Readonly<Record<string, string | undefined>>): u is Env.Env =>
  typeof (u as { readonly get?: unknown }).get === 'function'
