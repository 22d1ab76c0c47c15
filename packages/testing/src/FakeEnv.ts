/**
 * An `Env` over a mutable record, for tests.
 *
 * @since 0.1.0
 */
import type { Env } from '@alicred/core'

/** @since 0.1.0 */
export interface FakeEnv extends Env.Env {
  readonly set: (name: string, value: string | undefined) => void
  /** Every variable name read so far, in order. */
  readonly reads: ReadonlyArray<string>
}

/**
 * @example
 * import { fakeEnv } from '@alicred/testing'
 * const env = fakeEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'id' })
 * assert.strictEqual(env.get('ALIBABA_CLOUD_ACCESS_KEY_ID'), 'id')
 * @since 0.1.0
 */
export const fakeEnv = (initial: Readonly<Record<string, string>> = {}): FakeEnv => {
  const vars = new Map(Object.entries(initial))
  const reads: Array<string> = []
  return {
    get: (name) => {
      reads.push(name)
      return vars.get(name)
    },
    set: (name, value) => {
      if (value === undefined) vars.delete(name)
      else vars.set(name, value)
    },
    reads,
  }
}
