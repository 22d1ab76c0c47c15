/**
 * Deterministic randomness: nonces `nonce-0001`, `nonce-0002`, … and a fixed jitter fraction.
 *
 * @since 0.1.0
 */
import type { Random } from '@alicred/core'

/**
 * @example
 * import { fakeRandom } from '@alicred/testing'
 * const r = fakeRandom()
 * assert.strictEqual(r.nonce(), 'nonce-0001')
 * @since 0.1.0
 */
export const fakeRandom = (jitter = 0.5): Random.Random => {
  let n = 0
  return {
    nonce: () => `nonce-${String(++n).padStart(4, '0')}`,
    float: () => jitter,
  }
}
