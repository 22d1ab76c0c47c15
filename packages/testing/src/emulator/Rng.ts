/**
 * A seeded pseudo-random generator for the emulator: request ids, issued key ids and secrets, role ids and fault
 * probabilities are reproducible from the seed, so a failing test replays exactly. Not for real secrets.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export interface Rng {
  /** A float in `[0, 1)`. */
  readonly next: () => number
  /** `n` characters drawn from `alphabet`. */
  readonly chars: (n: number, alphabet: string) => string
  /** An upper-case UUID-shaped request id, as Alibaba Cloud returns. */
  readonly requestId: () => string
}

const HEX = '0123456789ABCDEF'

/**
 * mulberry32: tiny, fast and good enough to spread test data; the state is one 32-bit integer. Internal to the
 * emulator (not exported by the package): users reach it through `startEmulator({ seed })`, and the same seed
 * replays the same sequence (`seededRng(7).next() === seededRng(7).next()`).
 *
 * @since 0.1.0
 */
export const seededRng = (seed: number): Rng => {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const chars = (n: number, alphabet: string): string => {
    let s = ''
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)]
    return s
  }
  return {
    next,
    chars,
    requestId: () => [8, 4, 4, 4, 12].map((n) => chars(n, HEX)).join('-'),
  }
}

/** Characters of issued key ids and secrets. @since 0.1.0 */
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
/** @since 0.1.0 */
export const DIGITS = '0123456789'
