/**
 * The live `Reporter`: warnings to `console.warn` (standard error), one line each.
 *
 * @since 0.1.0
 */
import type { Reporter } from '@alicred/core'

/**
 * Writes each warning with `console.warn`, read when called (so a program that swaps `console.warn` is honoured).
 *
 * @example
 * import { consoleReporter } from '@alicred/node'
 * assert.strictEqual(typeof consoleReporter.warn, 'function')
 * @category capabilities
 * @since 0.1.0
 */
export const consoleReporter: Reporter.Reporter = {
  warn: (message) => {
    globalThis.console.warn(message)
  },
}
