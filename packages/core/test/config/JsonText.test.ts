import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import * as J from '../../src/config/JsonText.js'

const accepts = (s: string): boolean => {
  try {
    JSON.parse(s)
    return true
  } catch {
    return false
  }
}

/** The root object of `text` after `changes`. */
const change = (text: string, changes: J.Changes): string => {
  const tree = J.parse(text)
  if (E.isLeft(tree) || tree.right.kind !== 'object') throw new Error('expected an object')
  return J.setMembers(text, tree.right, changes)
}

describe('JsonText.parse', () => {
  it('accepts exactly what JSON.parse accepts, and reads the same value', () => {
    const texts = fc.oneof(
      fc.json(),
      fc.json().chain((j) => fc.nat(j.length).map((n) => j.slice(0, n))),
      fc.stringMatching(/^[\s{}[\]",:0-9eE.+\-truefalsn\\u]{0,20}$/),
      fc.constantFrom('', ' ', '01', '1.', '.5', '-', '1e', '"\\x"', '"\t"', '\uFEFF{}', '{"a":1,}', '[1,]', 'nul'),
    )
    fc.assert(
      fc.property(texts, (text) => {
        const tree = J.parse(text)
        expect(E.isRight(tree)).toBe(accepts(text))
        if (E.isRight(tree))
          expect(JSON.stringify(J.toValue(text, tree.right, new Map()))).toBe(JSON.stringify(JSON.parse(text)))
      }),
      { numRuns: 5_000 },
    )
  })

  it('says where it stopped, never what it read', () => {
    expect(J.parse('{"secret": sk-123}')).toEqual(E.left('not valid JSON (expected a value, at character 11)'))
    expect(J.parse(`${'['.repeat(600)}${']'.repeat(600)}`)).toEqual(
      E.left('not valid JSON (it is nested more than 512 levels deep, at character 513)'),
    )
  })

  it('keeps __proto__ an own key, as JSON.parse does', () => {
    const text = '{"__proto__": {"polluted": true}}'
    const tree = J.parse(text)
    if (E.isLeft(tree)) throw new Error(tree.left)
    const v = J.toValue(text, tree.right, new Map()) as Record<string, unknown>
    expect(Object.hasOwn(v, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('JsonText.setMembers', () => {
  it.each<[string, string, J.Changes, string]>([
    ['replaces a value in place', '{"a": 1, "b": 2}', [['a', 'x']], '{"a": "x", "b": 2}'],
    ['adds after the last member, in the layout', '{\n  "a": 1\n}', [['b', 2]], '{\n  "a": 1,\n  "b": 2\n}'],
    ['adds in the layout of two members', '{ "a" : 1 ,  "b" : 2 }', [['c', 3]], '{ "a" : 1 ,  "b" : 2 ,  "c" : 3 }'],
    [
      'adds to an empty object',
      '{ }',
      [
        ['a', 1],
        ['b', 'x'],
      ],
      '{"a": 1, "b": "x" }',
    ],
    ['removes the first member with its comma', '{"a": 1, "b": 2, "c": 3}', [['a', undefined]], '{"b": 2, "c": 3}'],
    ['removes a middle member', '{"a": 1, "b": 2, "c": 3}', [['b', undefined]], '{"a": 1, "c": 3}'],
    ['removes the last member', '{"a": 1, "b": 2, "c": 3}', [['c', undefined]], '{"a": 1, "b": 2}'],
    [
      'removes a leading run',
      '{"a": 1, "b": 2, "c": 3}',
      [
        ['a', undefined],
        ['b', undefined],
      ],
      '{"c": 3}',
    ],
    [
      'removes everything',
      '{ "a": 1, "b": 2 }',
      [
        ['a', undefined],
        ['b', undefined],
      ],
      '{  }',
    ],
    [
      'removes everything and adds',
      '{\n  "a": 1,\n  "b": 2\n}',
      [
        ['a', undefined],
        ['b', undefined],
        ['c', 3],
        ['d', 4],
      ],
      '{\n  "c": 3,\n  "d": 4\n}',
    ],
    [
      'removes the last and adds after the one kept',
      '{"a": 1, "b": 2}',
      [
        ['b', undefined],
        ['c', 3],
      ],
      '{"a": 1, "c": 3}',
    ],
    [
      'sets every occurrence of a repeated key',
      '{"a": 1, "x": 0, "a": 2}',
      [['a', 'v']],
      '{"a": "v", "x": 0, "a": "v"}',
    ],
    ['removes every occurrence of a repeated key', '{"a": 1, "x": 0, "a": 2}', [['a', undefined]], '{"x": 0}'],
    [
      'removing a missing key changes nothing',
      '{"a": 12345678901234567890}',
      [['b', undefined]],
      '{"a": 12345678901234567890}',
    ],
  ])('%s', (_, text, changes, expected) => {
    expect(change(text, changes)).toBe(expected)
    expect(accepts(expected)).toBe(true)
  })
})
