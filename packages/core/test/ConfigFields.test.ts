// `ConfigFields.kinds` is the codecs' knowledge written as plain data (so the drop-in facade can check field types
// without loading io-ts). This derives the same table from the codecs themselves and holds the two equal.
import { ConfigFields } from '@alicred/core'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import * as Codecs from '../src/internal/Codecs.js'
import * as Config from '../src/internal/Config.js'

// Every codec a config field decodes with, and its kind. A field codec not listed here fails the test: a new kind of
// field has to be added to `FieldKind` (and to the facade's mapping) on purpose.
const KIND_OF = new Map<t.Mixed, ConfigFields.FieldKind>([
  [Codecs.Text, 'text'],
  [Codecs.SiteType, 'text'],
  [Codecs.Flag, 'flag'],
  [Codecs.SessionSeconds, 'number'],
  [Codecs.KeyPairSeconds, 'number'],
  [Codecs.Millis, 'number'],
  [Codecs.EpochSeconds, 'number'],
])

const kindOf = (field: string, codec: t.Mixed): ConfigFields.FieldKind | string => {
  if (codec instanceof t.LiteralType) return 'text'
  return KIND_OF.get(codec) ?? `an unknown codec '${codec.name}' for ${field}`
}

// The fields of a config codec (exact, intersection, type and partial codecs, nested), each with its field codec.
const fieldsOf = (codec: t.Mixed): ReadonlyArray<readonly [string, t.Mixed]> => {
  if (codec instanceof t.ExactType) return fieldsOf(codec.type)
  if (codec instanceof t.IntersectionType) return (codec.types as ReadonlyArray<t.Mixed>).flatMap(fieldsOf)
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) {
    return Object.entries(codec.props as Record<string, t.Mixed>)
  }
  throw new Error(`not a config codec: ${codec.name}`)
}

const derived = (codecs: ReadonlyArray<t.Mixed>): Record<string, ReadonlyArray<string>> => {
  const out: Record<string, Array<string>> = {}
  for (const codec of codecs) {
    for (const [field, c] of fieldsOf(codec)) {
      const kind = kindOf(field, c)
      const seen = out[field] ?? []
      out[field] = seen.includes(kind) ? seen : [...seen, kind]
    }
  }
  return out
}

describe('ConfigFields.kinds', () => {
  it('is what the codecs of every config type say, one kind per field', () => {
    const fromCodecs = derived([...Object.values(Config.codecs), Config.RamRoleArnKeysConfig])
    const table = Object.fromEntries(Object.entries(ConfigFields.kinds).map(([f, k]) => [f, [k]]))
    expect(fromCodecs).toEqual(table)
  })

  it('the derivation sees through the codec shapes the configs use', () => {
    const codec = t.exact(
      t.intersection([
        t.type({ type: t.literal('x'), a: Codecs.Text }),
        t.partial({ b: Codecs.Millis, c: Codecs.Flag, d: t.string }),
      ]),
    )
    expect(derived([codec])).toEqual({
      type: ['text'],
      a: ['text'],
      b: ['number'],
      c: ['flag'],
      d: ["an unknown codec 'string' for d"],
    })
  })
})
