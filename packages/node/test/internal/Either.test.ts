// This package's own `Either` functions (src/internal/Either.ts) against fp-ts's: the same values for any input.

import * as fc from 'fast-check'
import * as FE from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import * as E from '../../src/internal/Either.js'

describe('internal/Either', () => {
  it('left, right and isLeft agree with fp-ts', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(E.left(x)).toStrictEqual(FE.left(x))
        expect(E.right(x)).toStrictEqual(FE.right(x))
        expect([E.isLeft(E.left(x)), E.isLeft(E.right(x))]).toStrictEqual([true, false])
        expect(FE.isLeft(E.left(x))).toBe(true)
      }),
    )
  })
})
