/**
 * The reporting capability: where warnings go. Core never prints: a cache serving a stale credential, a credential
 * that arrived already past its expiration, a write-back that could not be saved — each becomes one line handed to
 * the `Reporter` in the capabilities. `@alicred/node` supplies one that writes to `console.warn`, `@alicred/testing`
 * one that records; a capabilities record without a reporter reports nothing.
 *
 * Lines hold no secret and no file contents.
 *
 * @since 0.1.0
 */

/** The reporting capability: where warnings go. @category capabilities @since 0.1.0 */
export interface Reporter {
  /** Something worth a human's attention that did not stop the work (one line, starting `alicred: `). */
  readonly warn: (message: string) => void
}

/**
 * A reporter that drops everything.
 *
 * @example
 * import { Reporter } from '@alicred/core'
 * Reporter.silent.warn('alicred: nobody hears this')
 * @category capabilities
 * @since 0.1.0
 */
export const silent: Reporter = { warn: () => {} }

/**
 * Hands `message` to `reporter` if there is one. A reporter that throws changes nothing: reporting must never turn
 * a served credential into a failure.
 *
 * @example
 * import { Reporter } from '@alicred/core'
 * const lines: Array<string> = []
 * Reporter.warn('alicred: hello', { warn: (m) => lines.push(m) })
 * Reporter.warn('alicred: dropped', undefined)
 * assert.deepStrictEqual(lines, ['alicred: hello'])
 * @category capabilities
 * @since 0.1.0
 */
export const warn = (message: string, reporter: Reporter | undefined): void => {
  if (reporter === undefined) return
  try {
    reporter.warn(message)
  } catch {
    // a broken reporter must not change a result
  }
}
