// The start-up path's own `Either` functions (src/internal/Either.ts) against fp-ts's: the same values, the same
// results, for any input, so what they build is an fp-ts `Either` every fp-ts function accepts.

import * as fc from 'fast-check'
import * as FE from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import * as E from '../../src/internal/Either.js'

const either = fc.oneof(
  fc.anything().map((e) => FE.left(e)),
  fc.anything().map((a) => FE.right(a)),
)

describe('internal/Either', () => {
  it('left and right build what fp-ts builds', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(E.left(x)).toStrictEqual(FE.left(x))
        expect(E.right(x)).toStrictEqual(FE.right(x))
      }),
    )
  })

  it('isLeft and isRight answer as fp-ts does', () => {
    fc.assert(
      fc.property(either, (ma) => {
        expect([E.isLeft(ma), E.isRight(ma)]).toStrictEqual([FE.isLeft(ma), FE.isRight(ma)])
      }),
    )
  })

  it('mapLeft and bimap give what fp-ts gives, and leave the other side as it is', () => {
    const f = (u: unknown) => ({ wrapped: u })
    const g = (u: unknown) => [u]
    fc.assert(
      fc.property(either, (ma) => {
        expect(E.mapLeft(f)(ma)).toStrictEqual(FE.mapLeft(f)(ma))
        expect(E.bimap(f, g)(ma)).toStrictEqual(FE.bimap(f, g)(ma))
        if (FE.isRight(ma)) expect(E.mapLeft(f)(ma)).toBe(ma)
      }),
    )
  })

  it('builds values fp-ts functions accept', () => {
    expect(FE.getOrElse(() => 0)(E.right<never, number>(1))).toBe(1)
    expect(FE.match((e: string) => `left ${e}`, String)(E.left('x'))).toBe('left x')
  })
})
