/**
 * The randomness capability: signature nonces and backoff jitter. The default uses WebCrypto, available in every
 * runtime core supports; tests pass a seeded one for byte-exact requests.
 *
 * @since 0.1.0
 */

/** The randomness capability: signature nonces and backoff jitter. @category capabilities @since 0.1.0 */
export interface Random {
  /** A unique, unguessable nonce (32 lowercase hex characters by default). */
  readonly nonce: () => string
  /** A float in `[0, 1)`, used for jitter. */
  readonly float: () => number
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/**
 * Randomness from `globalThis.crypto`.
 *
 * @example
 * import { Random } from '@alicred/core'
 * assert.match(Random.webCrypto.nonce(), /^[0-9a-f]{32}$/)
 * @category capabilities
 * @since 0.1.0
 */
export const webCrypto: Random = {
  nonce: () => hex(globalThis.crypto.getRandomValues(new Uint8Array(16))),
  float: () => globalThis.crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32,
}
