/**
 * Time formats on the wire: the strict `Expiration` parser (UTC `YYYY-MM-DDThh:mm:ss[.sss]Z`) and the `Timestamp`
 * formatter used in signed requests.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'

/**
 * Formats epoch milliseconds as `YYYY-MM-DDThh:mm:ssZ` (milliseconds dropped), the RPC `Timestamp`.
 *
 * @example
 * import { Expiration } from '@alicred/core'
 * assert.strictEqual(Expiration.formatTimestamp(1428580339000), '2015-04-09T11:52:19Z')
 * @since 0.1.0
 */
export const formatTimestamp = (epochMs: number): string => `${new Date(epochMs).toISOString().slice(0, 19)}Z`

const STRICT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/

/**
 * Parses an `Expiration` in UTC (`2015-04-09T11:52:19Z`, optionally with a fraction). Anything else — offsets,
 * out-of-range fields, dates that do not exist — is a `Left` with a reason that never repeats the input.
 *
 * @example
 * import { Expiration } from '@alicred/core'
 * assert.deepStrictEqual(Expiration.parse('2015-04-09T11:52:19Z'), { _tag: 'Right', right: new Date(1428580339000) })
 * @since 0.1.0
 */
export const parse = (s: string): E.Either<string, Date> => {
  const m = STRICT.exec(s)
  if (m === null) return E.left('expected a UTC time like 2015-04-09T11:52:19Z')
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3))
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) {
    return E.left('expected a UTC time like 2015-04-09T11:52:19Z (a field is out of range)')
  }
  const t = Date.UTC(y, mo - 1, d, h, mi, se, ms)
  const back = new Date(t)
  if (back.getUTCDate() !== d) return E.left('expected a UTC time like 2015-04-09T11:52:19Z (no such day)')
  return E.right(back)
}
