/**
 * Deterministic randomness: nonces `nonce-0001`, `nonce-0002`, … and scripted jitter fractions.
 *
 * @since 0.1.0
 */
import type { Random } from '@alicred/core'

/**
 * A fake `Random`. `jitter` is the fraction every `float()` returns, or a list of fractions returned in turn
 * (cycling), to script backoff delays.
 *
 * @example
 * import { fakeRandom } from '@alicred/testing'
 * const r = fakeRandom([0, 0.5])
 * assert.deepStrictEqual([r.nonce(), r.nonce()], ['nonce-0001', 'nonce-0002'])
 * assert.deepStrictEqual([r.float(), r.float(), r.float()], [0, 0.5, 0])
 * @category fakes
 * @since 0.1.0
 */
export const fakeRandom = (jitter: number | ReadonlyArray<number> = 0.5): Random.Random => {
  const floats = typeof jitter === 'number' ? [jitter] : jitter.length === 0 ? [0.5] : jitter
  for (const f of floats) {
    if (!(f >= 0 && f <= 1)) throw new RangeError(`fakeRandom: jitter ${f} is outside [0, 1]`)
  }
  let n = 0
  let i = 0
  return {
    nonce: () => `nonce-${String(++n).padStart(4, '0')}`,
    float: () => floats[i++ % floats.length]!,
  }
}
