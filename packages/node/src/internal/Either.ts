/**
 * The `Either` functions this package uses, over fp-ts's own representation (`{ _tag: 'Left', left }` and
 * `{ _tag: 'Right', right }`): every module here is loaded when the package is, and importing `fp-ts/Either` loads
 * a dozen fp-ts modules, which costs more at start-up than the rest of a static credential (docs/packaging.md). The
 * values are fp-ts `Either`s; `test/internal/Either.test.ts` holds each function to fp-ts's own. The same as
 * `@alicred/core`'s internal module of that name, which is not exported.
 *
 * Internal: not exported by the package.
 *
 * @since 0.1.0
 */
import type { Either, Left } from 'fp-ts/Either'

export type { Either }

/** @since 0.1.0 */
export const left = <E = never, A = never>(e: E): Either<E, A> => ({ _tag: 'Left', left: e })

/** @since 0.1.0 */
export const right = <E = never, A = never>(a: A): Either<E, A> => ({ _tag: 'Right', right: a })

/** @since 0.1.0 */
export const isLeft = <E>(ma: Either<E, unknown>): ma is Left<E> => ma._tag === 'Left'
