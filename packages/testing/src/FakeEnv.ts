/**
 * An `Env` over a mutable record, for tests: seed variables, change them between calls, see what was read.
 *
 * @since 0.1.0
 */
import type { Env } from '@alicred/core'

/** An `Env` over a record, that can be changed and remembers what was read. @category fakes @since 0.1.0 */
export interface FakeEnv extends Env.Env {
  /** Sets a variable; `undefined` unsets it. */
  readonly set: (name: string, value: string | undefined) => void
  /** Every variable name read so far, in order (repeats included). */
  readonly reads: ReadonlyArray<string>
}

/**
 * A fake environment. Nothing is read from `process.env`; an entry whose value is `undefined` is unset.
 *
 * @example
 * import { fakeEnv } from '@alicred/testing'
 * const env = fakeEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'id' })
 * assert.strictEqual(env.get('ALIBABA_CLOUD_ACCESS_KEY_ID'), 'id')
 * env.set('ALIBABA_CLOUD_ACCESS_KEY_ID', undefined)
 * assert.strictEqual(env.get('ALIBABA_CLOUD_ACCESS_KEY_ID'), undefined)
 * assert.deepStrictEqual(env.reads, ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_ID'])
 * @category fakes
 * @since 0.1.0
 */
export const fakeEnv = (initial: Readonly<Record<string, string | undefined>> = {}): FakeEnv => {
  const vars = new Map<string, string>()
  for (const [k, v] of Object.entries(initial)) if (v !== undefined) vars.set(k, v)
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
