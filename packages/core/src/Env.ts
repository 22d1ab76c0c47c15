/**
 * The environment capability: read a variable. Core never touches `process.env`; `@alicred/node` passes a live
 * one and tests pass a record.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export interface Env {
  /** The variable's value, or `undefined` when unset. */
  readonly get: (name: string) => string | undefined
}

/**
 * An `Env` over a fixed record.
 *
 * @example
 * import { Env } from '@alicred/core'
 * const env = Env.fromRecord({ ALIBABA_CLOUD_PROFILE: 'dev' })
 * assert.strictEqual(env.get('ALIBABA_CLOUD_PROFILE'), 'dev')
 * @since 0.1.0
 */
export const fromRecord = (record: Readonly<Record<string, string | undefined>>): Env => ({
  get: (name) => (Object.hasOwn(record, name) ? record[name] : undefined),
})

/**
 * An `Env` over a lookup function, e.g. a live one reading the process environment on every call.
 *
 * @example
 * import { Env } from '@alicred/core'
 * const env = Env.fromFunction((name) => (name === 'HOME' ? '/home/me' : undefined))
 * assert.strictEqual(env.get('HOME'), '/home/me')
 * @since 0.1.0
 */
export const fromFunction = (get: (name: string) => string | undefined): Env => ({ get })

/** An empty environment. @since 0.1.0 */
export const empty: Env = fromRecord({})

/**
 * A value with surrounding whitespace removed; empty or whitespace-only counts as absent. The rule `nonEmpty` applies
 * to variables, for option values that fall back to one (`Env.nonBlank(options.roleName) ?? Env.nonEmpty(…)(env)`).
 *
 * @example
 * import { Env } from '@alicred/core'
 * assert.deepStrictEqual([Env.nonBlank('  x '), Env.nonBlank('   '), Env.nonBlank(undefined)], ['x', undefined, undefined])
 *
 * @since 0.1.0
 */
export const nonBlank = (value: string | undefined): string | undefined => {
  const v = value?.trim()
  return v === undefined || v === '' ? undefined : v
}

/**
 * A variable's value with surrounding whitespace removed; empty or whitespace-only counts as unset.
 *
 * @example
 * import { Env } from '@alicred/core'
 * const env = Env.fromRecord({ A: '  x ', B: '   ' })
 * assert.deepStrictEqual([Env.nonEmpty('A')(env), Env.nonEmpty('B')(env), Env.nonEmpty('C')(env)], ['x', undefined, undefined])
 *
 * @since 0.1.0
 */
export const nonEmpty =
  (name: string) =>
  (env: Env): string | undefined =>
    nonBlank(env.get(name))

/**
 * Boolean variables are true when the value is `true` in any case, surrounding whitespace ignored (the reference's
 * rule: `1` and `yes` are not true).
 *
 * @example
 * import { Env } from '@alicred/core'
 * const env = Env.fromRecord({ A: 'TRUE', B: '1' })
 * assert.deepStrictEqual([Env.isTrue('A')(env), Env.isTrue('B')(env)], [true, false])
 *
 * @since 0.1.0
 */
export const isTrue =
  (name: string) =>
  (env: Env): boolean =>
    env.get(name)?.trim().toLowerCase() === 'true'
