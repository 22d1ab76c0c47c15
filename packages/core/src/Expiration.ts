/**
 * Time formats on the wire: the strict `Expiration` parser (UTC `YYYY-MM-DDThh:mm:ss[.sss]Z`), an io-ts codec built
 * on it for response bodies, and the `Timestamp` formatter used in signed requests.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'

/**
 * Formats epoch milliseconds as `YYYY-MM-DDThh:mm:ssZ` (milliseconds dropped), the RPC `Timestamp`.
 *
 * @example
 * import { Expiration } from '@alicred/core'
 * assert.strictEqual(Expiration.formatTimestamp(1428580339000), '2015-04-09T11:52:19Z')
 * @since 0.1.0
 */
export const formatTimestamp = (epochMs: number): string => `${new Date(epochMs).toISOString().slice(0, 19)}Z`

/**
 * The last second the wire format (`YYYY-MM-DDThh:mm:ssZ`, four-digit years) can write: 9999-12-31T23:59:59Z.
 *
 * @since 0.1.0
 */
export const MAX_EPOCH_SECONDS = 253_402_300_799

/**
 * Whether `u` is a point in time in epoch seconds that both a `Date` and the wire format can hold: a finite number
 * from 0 (1970-01-01) to `MAX_EPOCH_SECONDS`. Every decoded `exp`, `*_expire` and `expiration` number is checked
 * with it before it becomes a `Date` (a `Date` out of range is invalid, and printing one throws).
 *
 * @example
 * import { Expiration } from '@alicred/core'
 * assert.deepStrictEqual([1704067200, -1, 1e20, Number.NaN].map(Expiration.isEpochSeconds), [true, false, false, false])
 * @since 0.1.0
 */
export const isEpochSeconds = (u: unknown): u is number =>
  typeof u === 'number' && Number.isFinite(u) && u >= 0 && u <= MAX_EPOCH_SECONDS

/**
 * Epoch seconds as an ISO time for messages, or `an out-of-range time`: never throws, whatever the number.
 *
 * @example
 * import { Expiration } from '@alicred/core'
 * assert.strictEqual(Expiration.describeEpochSeconds(1704067200), '2024-01-01T00:00:00.000Z')
 * assert.strictEqual(Expiration.describeEpochSeconds(-1e20), 'an out-of-range time')
 * @since 0.1.0
 */
export const describeEpochSeconds = (seconds: number): string =>
  isEpochSeconds(seconds) ? new Date(seconds * 1_000).toISOString() : 'an out-of-range time'

const STRICT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/
// Recognised only to say precisely why it is refused (see `parse`).
const OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?[+-]\d{2}:?\d{2}$/

const EXPECTED = 'expected a UTC time like 2015-04-09T11:52:19Z'

/**
 * Parses an `Expiration` in UTC (`2015-04-09T11:52:19Z`, optionally with a fraction). Anything else — offsets,
 * out-of-range fields, dates that do not exist — is a `Left` with a reason that never repeats the input.
 *
 * Offsets such as `+08:00` are refused like the reference does: every Alibaba Cloud endpoint answers in UTC, so an
 * offset means the server is not the one we think it is.
 *
 * @example
 * import { Expiration } from '@alicred/core'
 * assert.deepStrictEqual(Expiration.parse('2015-04-09T11:52:19Z'), { _tag: 'Right', right: new Date(1428580339000) })
 * @since 0.1.0
 */
export const parse = (s: string): E.Either<string, Date> => {
  const m = STRICT.exec(s)
  if (m === null) {
    return E.left(OFFSET.test(s) ? `${EXPECTED} (a timezone offset is not accepted; use Z)` : EXPECTED)
  }
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3))
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) {
    return E.left(`${EXPECTED} (a field is out of range)`)
  }
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear does not.
  const back = new Date(0)
  back.setUTCFullYear(y, mo - 1, d)
  back.setUTCHours(h, mi, se, ms)
  if (back.getUTCDate() !== d) return E.left(`${EXPECTED} (no such day)`)
  return E.right(back)
}

/**
 * io-ts codec: a UTC time string on the wire, a `Date` in memory. Decode failures name the expected format, never the
 * value (through `Decode.decode`).
 *
 * @example
 * import { Expiration } from '@alicred/core'
 * const r = Expiration.utc.decode('2015-04-09T11:52:19Z')
 * assert.deepStrictEqual(r, { _tag: 'Right', right: new Date(1428580339000) })
 * @since 0.1.0
 */
export const utc: t.Type<Date, string, unknown> = new t.Type<Date, string, unknown>(
  'UTC time (YYYY-MM-DDThh:mm:ssZ)',
  (u): u is Date => u instanceof Date && !Number.isNaN(u.getTime()),
  (u, c) =>
    typeof u !== 'string'
      ? t.failure(u, c)
      : E.match<string, Date, t.Validation<Date>>(
          (reason) => t.failure(u, c, reason),
          (d) => t.success(d),
        )(parse(u)),
  (d) => d.toISOString(),
)
