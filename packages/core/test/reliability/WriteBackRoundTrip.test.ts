// Round-trip check of config.json write-back on generated documents: JSON texts with any layout (spaces, tabs, CRLF,
// none), number literals no double holds (12345678901234567890, 1e400, 0.1000000000000000055511151231257827, -0,
// 1E+2), escapes, nested values, `__proto__`, and duplicate keys everywhere (owned ones in the target profile
// included), with profiles of every write-back mode chained through source_profile. For each, External and OAuth
// write-backs must: change what the document means exactly as patching that profile would; leave every byte before
// and after the target profile as found; inside it, keep every member it does not own byte for byte and in order;
// refuse only when there is no such profile; and write exactly that text through the file system.
import { CliConfig, WriteBack as WB } from '@alicred/core'
import { fakeFs } from '@alicred/testing'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import * as JsonText from '../../src/config/JsonText.js'

const FILE = '/home/user/.aliyun/config.json'
const RUNS = 3_000

const ws = fc.constantFrom('', ' ', '  ', '\n', '\n    ', '\r\n\t', '\t', ' \n  ')
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom(
    '12345678901234567890',
    '1e400',
    '-1e400',
    '-0',
    '1E+2',
    '0.1000000000000000055511151231257827',
    '9007199254740993',
    '0',
  ),
)
const stringText = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"\\u00e9"', '"a\\/b"', '"\\n\\t"', '"\\ud83d\\ude00"', '""'),
)
const keys = fc.constantFrom('a', 'b', 'x', '__proto__', 'name', 'mode', 'access_key_id', 'sts_token', 'n\\u0061me')

const { value } = fc.letrec<{ value: string; member: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberText,
    stringText,
    fc.constantFrom('true', 'false', 'null'),
    fc
      .tuple(ws, fc.array(fc.tuple(ws, tie('value'), ws), { maxLength: 3 }))
      .map(([w, items]) => (items.length === 0 ? `[${w}]` : `[${items.map(([a, v, b]) => `${a}${v}${b}`).join(',')}]`)),
    fc
      .tuple(ws, fc.array(tie('member'), { maxLength: 3 }))
      .map(([w, ms]) => (ms.length === 0 ? `{${w}}` : `{${ms.join(',')}}`)),
  ),
  member: fc.tuple(ws, keys, ws, ws, tie('value'), ws).map(([a, k, b, c, v, d]) => `${a}"${k}"${b}:${c}${v}${d}`),
}))

const names = fc.constantFrom('p1', 'p2', 'p3')
const modes = fc.constantFrom('External', 'OAuth', 'AK', 'ChainableRamRoleArn')
const ownedKeys = fc.constantFrom(
  'access_key_id',
  'access_key_secret',
  'sts_token',
  'sts_expiration',
  'oauth_refresh_token',
)
const member = (k: string, v: string) =>
  fc.tuple(ws, ws, ws, ws).map(([a, b, c, d]) => `${a}${JSON.stringify(k)}${b}:${c}${v}${d}`)
const profile = fc
  .tuple(
    names,
    modes,
    fc.option(names, { nil: undefined }),
    fc.array(
      fc.oneof(
        keys.chain((k) => value.chain((v) => member(k, v))),
        ownedKeys.chain((k) => value.chain((v) => member(k, v))),
      ),
      {
        maxLength: 4,
      },
    ),
    fc.boolean(),
  )
  .chain(([name, mode, source, extra, nameLast]) =>
    fc
      .tuple(
        member('name', JSON.stringify(name)),
        member('mode', JSON.stringify(mode)),
        source === undefined ? fc.constant(undefined) : member('source_profile', JSON.stringify(source)),
        fc.shuffledSubarray(extra, { minLength: extra.length, maxLength: extra.length }),
      )
      .map(([n, m, s, rest]) => {
        const all = [m, ...(s === undefined ? [] : [s]), ...rest]
        return `{${(nameLast ? [...all, n] : [n, ...all]).join(',')}}`
      }),
  )
const documents = fc
  .tuple(
    fc.array(profile, { minLength: 1, maxLength: 4 }),
    fc.array(
      keys.chain((k) => value.chain((v) => member(k, v))),
      { maxLength: 3 },
    ),
    ws,
    ws,
    names,
  )
  .map(
    ([profiles, extra, a, b, current]) =>
      `{${[`${a}"current":${JSON.stringify(current)}`, ...extra, `"profiles":${b}[${profiles.join(',')}]`].join(',')}}${a}`,
  )

const patches = fc.oneof(
  fc
    .record({
      accessKeyId: fc.string({ minLength: 1, maxLength: 6 }),
      accessKeySecret: fc.string({ minLength: 1, maxLength: 6 }),
      securityToken: fc.option(fc.string({ minLength: 1, maxLength: 6 }), { nil: undefined }),
      expiration: fc.nat(),
    })
    .map(({ securityToken, ...u }) => ({
      mode: 'External' as const,
      patch: WB.externalPatch(securityToken === undefined ? u : { ...u, securityToken }),
    })),
  fc
    .record({
      refreshToken: fc.string({ maxLength: 6 }),
      accessToken: fc.string({ maxLength: 6 }),
      accessTokenExpire: fc.nat(),
      accessKeyId: fc.string({ maxLength: 6 }),
      accessKeySecret: fc.string({ maxLength: 6 }),
      securityToken: fc.string({ maxLength: 6 }),
      stsExpiration: fc.nat(),
    })
    .map((u) => ({ mode: 'OAuth' as const, patch: WB.oauthPatch(u) })),
)

const OWNED = new Set([
  'access_key_id',
  'access_key_secret',
  'sts_token',
  'sts_expiration',
  'oauth_refresh_token',
  'oauth_access_token',
  'oauth_access_token_expire',
])

/** The target profile's node in `text`, found the way JSON.parse and the reader see the document. */
const targetOf = (text: string, name: string, mode: 'OAuth' | 'External') => {
  const tree = JsonText.parse(text)
  if (E.isLeft(tree)) throw new Error(`generated an invalid document: ${tree.left}`)
  const objects = new Map<object, JsonText.ObjectNode>()
  const root = JsonText.toValue(text, tree.right, objects) as { profiles?: Array<unknown> }
  const target = CliConfig.findWriteTarget(root.profiles ?? [], name, mode)
  return target === undefined ? undefined : objects.get(target)
}

const notOwned = (text: string, node: JsonText.ObjectNode, patch: WB.Patch): ReadonlyArray<string> =>
  node.members.filter((m) => !Object.hasOwn(patch, m.key)).map((m) => text.slice(m.start, m.value.end))

describe('write-back round trip on generated documents', () => {
  it('changes only the owned keys of the target profile and every other byte stays as found', async () => {
    let written = 0
    await fc.assert(
      fc.asyncProperty(documents, names, patches, async (text, name, { mode, patch }) => {
        expect(() => JSON.parse(text)).not.toThrow()
        const node = targetOf(text, name, mode)
        const r = WB.edit(text, name, mode, patch)
        if (node === undefined) {
          expect(r).toEqual(E.left(`it no longer has a ${mode} profile reachable from '${name}'`))
          return
        }
        if (E.isLeft(r)) throw new Error(`refused a document it could edit: ${r.left}`)
        const next = r.right
        // what it means: the old meaning with the patch applied to that profile, nothing else
        const expected = JSON.parse(text) as { profiles: Array<unknown> }
        const target = CliConfig.findWriteTarget(expected.profiles, name, mode) as Record<string, unknown>
        for (const [k, v] of Object.entries(patch)) {
          if (v === undefined) delete target[k]
          else target[k] = v
        }
        expect(JSON.stringify(JSON.parse(next))).toBe(JSON.stringify(expected))
        // the bytes: everything around the profile as found; inside it, every member it does not own, in order
        const tail = text.length - node.end
        expect(next.slice(0, node.start)).toBe(text.slice(0, node.start))
        expect(next.slice(next.length - tail)).toBe(text.slice(node.end))
        const after = targetOf(next, name, mode)
        if (after === undefined) throw new Error('the profile is gone after the edit')
        expect(after.start).toBe(node.start)
        expect(notOwned(next, after, patch)).toEqual(notOwned(text, node, patch))
        for (const m of after.members) if (Object.hasOwn(patch, m.key)) expect(OWNED.has(m.key)).toBe(true)
        // and the file system gets exactly that text (or nothing, when nothing changed)
        const fs = fakeFs({ [FILE]: text })
        const failures: Array<string> = []
        await WB.writeBack(fs, FILE, name, mode, patch, (f) => void failures.push(f.message))
        expect(failures).toEqual([])
        expect(fs.files.get(FILE)).toBe(next)
        if (next !== text) written++
      }),
      { numRuns: RUNS },
    )
    // the property is not vacuous: most cases found a profile and wrote
    expect(written).toBeGreaterThan(RUNS / 10)
  }, 120_000)
})
