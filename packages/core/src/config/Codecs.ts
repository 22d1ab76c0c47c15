/**
 * The field types every configuration reader shares (the typed `Config`, INI profiles, the CLI's config.json):
 * trimmed non-empty strings, whole numbers that may be written as text, booleans that may be written as text. Each
 * type is named after what it expects, so a decode failure can say "expected a whole number of seconds, at least
 * 900" without ever repeating the value it got.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { MAX_EPOCH_SECONDS } from '../Expiration.js'

/**
 * A string with a non-blank character, trimmed.
 *
 * @since 0.1.0
 */
export const Text = new t.Type<string, string, unknown>(
  'non-empty text',
  (u): u is string => typeof u === 'string' && u.trim() !== '',
  (u, c) => (typeof u === 'string' && u.trim() !== '' ? t.success(u.trim()) : t.failure(u, c)),
  t.identity,
)

const WHOLE = /^\s*\d{1,15}\s*$/

/**
 * A whole number within `[min, max]`, given as a number or as decimal text (INI values are text).
 *
 * @since 0.1.0
 */
export const wholeNumber = (
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): t.Type<number, number, unknown> =>
  new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= min && u <= max,
    (u, c) => {
      const n = typeof u === 'number' ? u : typeof u === 'string' && WHOLE.test(u) ? Number(u) : Number.NaN
      return Number.isSafeInteger(n) && n >= min && n <= max ? t.success(n) : t.failure(u, c)
    },
    t.identity,
  )

/**
 * `true` or `false`, as a boolean or as text in any case (`True`, `FALSE`).
 *
 * @since 0.1.0
 */
export const Flag = new t.Type<boolean, boolean, unknown>(
  'true or false',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) => {
    if (typeof u === 'boolean') return t.success(u)
    const s = typeof u === 'string' ? u.trim().toLowerCase() : undefined
    return s === 'true' ? t.success(true) : s === 'false' ? t.success(false) : t.failure(u, c)
  },
  t.identity,
)

/** A role session length for STS AssumeRole / AssumeRoleWithOIDC. @since 0.1.0 */
export const SessionSeconds = wholeNumber('a whole number of seconds, at least 900', 900)

/** A key pair session length (GenerateSessionAccessKey accepts 900..3600). @since 0.1.0 */
export const KeyPairSeconds = wholeNumber('a whole number of seconds from 900 to 3600', 900, 3600)

/** The longest delay a timer can wait (larger ones fire at once in Node and browsers). @since 0.1.0 */
export const MAX_TIMER_MS = 2_147_483_647

/** A timeout. @since 0.1.0 */
export const Millis = wholeNumber(`a whole number of milliseconds from 1 to ${MAX_TIMER_MS}`, 1, MAX_TIMER_MS)

/** A point in time as epoch seconds (the CLI's `*_expire` fields), at most 9999-12-31T23:59:59Z. @since 0.1.0 */
export const EpochSeconds = wholeNumber('a time in epoch seconds (up to the year 9999)', 1, MAX_EPOCH_SECONDS)

/**
 * The OAuth site of the Aliyun CLI, in any case; decoded to upper case.
 *
 * @since 0.1.0
 */
export const SiteType = new t.Type<'CN' | 'INTL', string, unknown>(
  'CN or INTL',
  (u): u is 'CN' | 'INTL' => u === 'CN' || u === 'INTL',
  (u, c) => {
    const s = typeof u === 'string' ? u.trim().toUpperCase() : undefined
    return s === 'CN' || s === 'INTL' ? t.success(s) : t.failure(u, c)
  },
  t.identity,
)

/**
 * Drops fields that count as unset in every reader: `undefined`, `null`, blank text and the number `0` (the
 * reference treats a falsy value as "use the default", and the Aliyun CLI writes `""` and `0` for every field it
 * does not use).
 *
 * @since 0.1.0
 */
export const dropUnset = (record: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(record)) {
    if (v === undefined || v === null || v === 0 || (typeof v === 'string' && v.trim() === '')) continue
    out[k] = v
  }
  return out
}
