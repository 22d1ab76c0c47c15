/**
 * A reporter that records: the warnings a provider gave, in order, for tests to assert on (instead of spying on the
 * console).
 *
 * @since 0.1.0
 */
import type { Reporter } from '@alicred/core'

/** A `Reporter` that keeps the warnings it is given. @category fakes @since 0.1.0 */
export interface FakeReporter extends Reporter.Reporter {
  /** Every warning so far, oldest first. */
  readonly warnings: ReadonlyArray<string>
  /** Forgets the warnings so far. */
  readonly clear: () => void
}

/**
 * A recording `Reporter`.
 *
 * @example
 * import { fakeReporter } from '@alicred/testing'
 * const r = fakeReporter()
 * r.warn('alicred: something')
 * assert.deepStrictEqual(r.warnings, ['alicred: something'])
 * @category fakes
 * @since 0.1.0
 */
export const fakeReporter = (): FakeReporter => {
  const warnings: Array<string> = []
  return {
    warn: (message) => {
      warnings.push(message)
    },
    warnings,
    clear: () => {
      warnings.length = 0
    },
  }
}
