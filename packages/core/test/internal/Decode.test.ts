import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import * as Decode from '../../src/internal/Decode.js'

const Body = t.type({
  Credentials: t.type({ AccessKeyId: t.string, Expiration: t.string }),
  Items: t.array(t.type({ Name: t.string })),
  Mode: t.union([t.literal('AK'), t.literal('StsToken')]),
})

describe('decode', () => {
  it('decodes a valid value', () => {
    const v = { Credentials: { AccessKeyId: 'id', Expiration: 'x' }, Items: [], Mode: 'AK' }
    expect(Decode.decode(Body)(v)).toEqual(E.right(v))
  })

  it('reports paths (array elements as [i], union members hidden) and types, never values', () => {
    const r = Decode.decode(Body)({
      Credentials: { AccessKeyId: 42, Expiration: null },
      Items: [{ Name: 'ok' }, { Name: false }],
      Mode: 'Other',
    })
    expect(r).toEqual(
      E.left(
        [
          'Credentials.AccessKeyId: expected string, got number',
          'Credentials.Expiration: expected string, got null',
          'Items[1].Name: expected string, got boolean',
          'Mode: expected "AK", got string',
          'Mode: expected "StsToken", got string',
        ].join('; '),
      ),
    )
  })

  it('reports a missing field and a wrong root', () => {
    expect(Decode.decode(t.type({ a: t.string }))({})).toEqual(E.left('a: expected string, got missing'))
    expect(Decode.decode(t.type({ a: t.string }))('text')).toEqual(E.left('<root>: expected { a: string }, got string'))
  })

  it('caps the report at five problems and says how many more', () => {
    const codec = t.type(Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((k) => [k, t.string])))
    const r = Decode.decode(codec)({})
    expect(r).toEqual(
      E.left(
        'a: expected string, got missing; b: expected string, got missing; c: expected string, got missing; d: expected string, got missing; e: expected string, got missing; and 2 more',
      ),
    )
  })

  it('property: a string value never appears in the report', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6 }).filter((s) => /^[A-Za-z0-9]+$/.test(s)),
        (secret) => {
          const r = Decode.decode(t.type({ AccessKeySecret: t.number }))({ AccessKeySecret: secret })
          expect(r).toEqual(E.left('AccessKeySecret: expected number, got string'))
        },
      ),
    )
  })
})

describe('parseJson', () => {
  it('parses JSON', () => {
    expect(Decode.parseJson('{"a":[1]}')).toEqual(E.right({ a: [1] }))
  })

  it('says where parsing stopped, or that the body is empty, never the text', () => {
    expect(Decode.parseJson('  ')).toEqual(E.left('the body is empty'))
    expect(Decode.parseJson('{"a": 1')).toEqual(E.left('not valid JSON (stopped at character 7)'))
    // V8 quotes the text in some messages ("Unexpected token 's', \"{…}\" is not valid JSON"): none of it is kept.
    expect(Decode.parseJson('{"a": sk-SECRET}')).toEqual(E.left('not valid JSON'))
  })

  it('property: the reason never contains the text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8 }).filter((s) => /^[A-Za-z]+$/.test(s)),
        (secret) => {
          const r = Decode.parseJson(`{"k": ${secret}}`)
          expect(E.isLeft(r) && r.left).not.toContain(secret)
        },
      ),
    )
  })
})
