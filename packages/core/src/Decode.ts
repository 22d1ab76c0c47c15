/**
 * Decoding values from outside (env, files, HTTP bodies) with io-ts, and reporting failures by path and expected
 * type only. io-ts's default reporter prints the offending value, which may be a secret; this one never does.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type * as t from 'io-ts'

/**
 * Describes decode errors as `path: expected type` lines, e.g. `Credentials.AccessKeyId: expected string`.
 * Values are never shown.
 *
 * @since 0.1.0
 */
export const describeErrors = (errors: t.Errors): string => {
  const lines = errors.map((e) => {
    const path = e.context
      .slice(1)
      .map((c) => c.key)
      .filter((k) => k !== '' && !/^\d+$/.test(k))
      .join('.')
    const expected = e.context[e.context.length - 1]?.type.name ?? 'unknown'
    const found = e.value === undefined ? 'missing' : e.value === null ? 'null' : typeof e.value
    return `${path === '' ? '<root>' : path}: expected ${expected}, got ${found}`
  })
  return Array.from(new Set(lines)).slice(0, 5).join('; ')
}

/**
 * Decodes with a codec; the `Left` is a description safe to show (see `describeErrors`).
 *
 * @example
 * import { Decode } from '@alicred/core'
 * import * as t from 'io-ts'
 * const r = Decode.decode(t.type({ a: t.string }))({ a: 1 })
 * assert.deepStrictEqual(r, { _tag: 'Left', left: 'a: expected string, got number' })
 * @since 0.1.0
 */
export const decode =
  <A, O>(codec: t.Type<A, O, unknown>) =>
  (u: unknown): E.Either<string, A> =>
    pipe(codec.decode(u), E.mapLeft(describeErrors))

/**
 * `JSON.parse` as an `Either`. The `Left` says where parsing stopped, never what the text was.
 *
 * @since 0.1.0
 */
export const parseJson = (text: string): E.Either<string, unknown> =>
  E.tryCatch(
    () => JSON.parse(text) as unknown,
    (e) => {
      const at = e instanceof Error ? /position (\d+)/.exec(e.message)?.[1] : undefined
      return text.trim() === ''
        ? 'the body is empty'
        : `not valid JSON${at === undefined ? '' : ` (stopped at character ${at})`}`
    },
  )
