/**
 * Decoding values from outside (env, files, HTTP bodies) with io-ts, and reporting failures by path and expected
 * type only. io-ts's default reporter prints the offending value, which may be a secret; this one never does.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type * as t from 'io-ts'

const MAX_LINES = 5

// The members of unions and intersections are keyed by index in the context but are not part of the data's path;
// array elements are, and read as `[i]`.
const pathOf = (context: t.Context): string => {
  let path = ''
  context.forEach((entry, i) => {
    const parent = i === 0 ? undefined : (context[i - 1]?.type as { _tag?: string } | undefined)?._tag
    if (i === 0 || entry.key === '' || parent === 'UnionType' || parent === 'IntersectionType') return
    if (/^\d+$/.test(entry.key) && (parent === 'ArrayType' || parent === 'ReadonlyArrayType')) path += `[${entry.key}]`
    else path += path === '' ? entry.key : `.${entry.key}`
  })
  return path
}

/**
 * Describes decode errors as `path: expected type` lines, e.g. `Credentials.AccessKeyId: expected string`.
 * Values are never shown.
 *
 * @since 0.1.0
 */
export const describeErrors = (errors: t.Errors): string => {
  const lines = errors.map((e) => {
    const path = pathOf(e.context)
    const expected = e.context[e.context.length - 1]?.type.name ?? 'unknown'
    const found = e.value === undefined ? 'missing' : e.value === null ? 'null' : typeof e.value
    return `${path === '' ? '<root>' : path}: expected ${expected}, got ${found}`
  })
  const unique = Array.from(new Set(lines))
  const shown = unique.slice(0, MAX_LINES).join('; ')
  return unique.length > MAX_LINES ? `${shown}; and ${unique.length - MAX_LINES} more` : shown
}

/**
 * Decodes with a codec; the `Left` is a description safe to show (see `describeErrors`).
 *
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
