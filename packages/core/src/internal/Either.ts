/**
 * The `Either` functions of the start-up path, over fp-ts's own representation (`{ _tag: 'Left', left }` and
 * `{ _tag: 'Right', right }`). Importing `fp-ts/Either` loads a dozen fp-ts modules, which costs more at start-up
 * than the rest of what a static credential needs (docs/packaging.md); these functions are one line each. The values
 * they make are fp-ts `Either`s, and `test/internal/Either.test.ts` holds each function to fp-ts's own.
 *
 * Internal: not exported by the package. Modules that are loaded only when their source is used import
 * `fp-ts/Either` itself.
 *
 * @since 0.1.0
 */
import type { Either, Left, Right } from 'fp-ts/Either'

export type { Either, Left, Right }

/** @since 0.1.0 */
export const left = <E = never, A = never>(e: E): Either<E, A> => ({ _tag: 'Left', left: e })

/** @since 0.1.0 */
export const right = <E = never, A = never>(a: A): Either<E, A> => ({ _tag: 'Right', right: a })

/** @since 0.1.0 */
export const isLeft = <E>(ma: Either<E, unknown>): ma is Left<E> => ma._tag === 'Left'

/** @since 0.1.0 */
export const isRight = <A>(ma: Either<unknown, A>): ma is Right<A> => ma._tag === 'Right'

/** @since 0.1.0 */
export const mapLeft =
  <E, G>(f: (e: E) => G) =>
  <A>(fa: Either<E, A>): Either<G, A> =>
    isLeft(fa) ? left(f(fa.left)) : fa

/** @since 0.1.0 */
export const bimap =
  <E, G, A, B>(f: (e: E) => G, g: (a: A) => B) =>
  (fa: Either<E, A>): Either<G, B> =>
    isLeft(fa) ? left(f(fa.left)) : right(g(fa.right))
