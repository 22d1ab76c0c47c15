/**
 * Editing a JSON document as text: change the members of one object and leave every other byte as found. Write-back
 * to the Aliyun CLI's config.json owns a few keys of one profile; a parse-and-stringify round trip would also rewrite
 * everything else (`12345678901234567890` becomes `12345678901234567000`, `1e400` becomes `null`, duplicate keys
 * collapse, the layout changes). Here the document is read into a tree of spans over the text, the keys are found
 * the way `JSON.parse` would see them, and only the spans of the owned members are replaced, inserted or removed.
 *
 * Not exported from the package: `WriteBack` is its only user.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'

/** A value of the document and where it is in the text. @since 0.1.0 */
export type Node = ObjectNode | ArrayNode | ScalarNode

/** @since 0.1.0 */
export interface ObjectNode {
  readonly kind: 'object'
  /** The `{`. */
  readonly start: number
  /** Just after the `}`. */
  readonly end: number
  readonly members: ReadonlyArray<Member>
}

/** @since 0.1.0 */
export interface ArrayNode {
  readonly kind: 'array'
  readonly start: number
  readonly end: number
  readonly items: ReadonlyArray<Node>
}

/** A string, number, `true`, `false` or `null`, kept as its text. @since 0.1.0 */
export interface ScalarNode {
  readonly kind: 'scalar'
  readonly start: number
  readonly end: number
}

/** @since 0.1.0 */
export interface Member {
  /** The key, decoded. */
  readonly key: string
  /** The opening quote of the key. */
  readonly start: number
  /** Just after the closing quote of the key. */
  readonly keyEnd: number
  readonly value: Node
}

/** Deeper nesting is refused (a parser on the call stack must not overflow it). @since 0.1.0 */
export const MAX_DEPTH = 512

const WS = new Set([' ', '\t', '\n', '\r'])
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
// biome-ignore lint/suspicious/noControlCharactersInRegex: unescaped control characters are what JSON forbids
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y

class Stop extends Error {
  constructor(
    readonly reason: string,
    readonly at: number,
  ) {
    super(reason)
  }
}

/**
 * Reads a JSON text (RFC 8259, exactly what `JSON.parse` accepts) into spans. The `Left` says where reading
 * stopped, never what the text was.
 *
 * @since 0.1.0
 */
export const parse = (text: string): E.Either<string, Node> => {
  let p = 0
  const ws = (): void => {
    while (p < text.length && WS.has(text[p] as string)) p++
  }
  const fail = (reason: string): never => {
    throw new Stop(reason, p)
  }
  const token = (re: RegExp): number => {
    re.lastIndex = p
    return re.test(text) ? re.lastIndex : -1
  }
  const value = (depth: number): Node => {
    if (depth > MAX_DEPTH) fail(`it is nested more than ${MAX_DEPTH} levels deep`)
    ws()
    const start = p
    const c = text[p]
    if (c === '{') {
      p++
      const members: Array<Member> = []
      ws()
      if (text[p] === '}') {
        p++
        return { kind: 'object', start, end: p, members }
      }
      for (;;) {
        ws()
        const keyStart = p
        const keyEnd = token(STRING)
        if (keyEnd === -1) fail('expected a key in double quotes')
        p = keyEnd
        const key = JSON.parse(text.slice(keyStart, keyEnd)) as string
        ws()
        if (text[p] !== ':') fail('expected `:` after a key')
        p++
        members.push({ key, start: keyStart, keyEnd, value: value(depth + 1) })
        ws()
        if (text[p] === ',') {
          p++
          continue
        }
        if (text[p] === '}') {
          p++
          return { kind: 'object', start, end: p, members }
        }
        fail('expected `,` or `}` in an object')
      }
    }
    if (c === '[') {
      p++
      const items: Array<Node> = []
      ws()
      if (text[p] === ']') {
        p++
        return { kind: 'array', start, end: p, items }
      }
      for (;;) {
        items.push(value(depth + 1))
        ws()
        if (text[p] === ',') {
          p++
          continue
        }
        if (text[p] === ']') {
          p++
          return { kind: 'array', start, end: p, items }
        }
        fail('expected `,` or `]` in an array')
      }
    }
    const end = c === '"' ? token(STRING) : c === '-' || (c !== undefined && c >= '0' && c <= '9') ? token(NUMBER) : -1
    if (end !== -1) {
      p = end
      return { kind: 'scalar', start, end }
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, p)) {
        p += word.length
        return { kind: 'scalar', start, end: p }
      }
    }
    return fail(c === undefined ? 'it ends too early' : 'expected a value')
  }
  try {
    const root = value(0)
    ws()
    if (p !== text.length) fail('there is more after the document')
    return E.right(root)
  } catch (e) {
    if (e instanceof Stop) return E.left(`not valid JSON (${e.reason}, at character ${e.at})`)
    throw e
  }
}

/**
 * The value `JSON.parse` would give for `node`, and, for each object in it, the node it came from (so a record found
 * by searching the value can be edited in the text). Duplicate keys resolve as in `JSON.parse`: the last one wins,
 * at the place of the first.
 *
 * @since 0.1.0
 */
export const toValue = (text: string, node: Node, objects: Map<object, ObjectNode>): unknown => {
  switch (node.kind) {
    case 'scalar':
      return JSON.parse(text.slice(node.start, node.end)) as unknown
    case 'array':
      return node.items.map((n) => toValue(text, n, objects))
    case 'object': {
      const out: Record<string, unknown> = {}
      // defineProperty: a key `__proto__` is an own property, as JSON.parse makes it.
      for (const m of node.members) {
        Object.defineProperty(out, m.key, {
          value: toValue(text, m.value, objects),
          enumerable: true,
          writable: true,
          configurable: true,
        })
      }
      objects.set(out, node)
      return out
    }
  }
}

/** Members to set (a JSON value) or remove (`undefined`). @since 0.1.0 */
export type Changes = ReadonlyArray<readonly [key: string, value: string | number | undefined]>

interface Edit {
  readonly start: number
  readonly end: number
  readonly text: string
}

/**
 * The text with the members of `object` changed: each key set is written where it already is (every occurrence, if
 * the key repeats) or added after the last member, in the object's own layout; each key removed goes with its comma.
 * Nothing else changes.
 *
 * @since 0.1.0
 */
export const setMembers = (text: string, object: ObjectNode, changes: Changes): string => {
  const ms = object.members
  const removed = new Set<number>()
  const edits: Array<Edit> = []
  const added: Array<string> = []
  const last = ms[ms.length - 1]
  const first = ms[0]
  // The object's layout, from its members: what comes before the first one, between two, and between key and value.
  const lead = first === undefined ? '' : text.slice(object.start + 1, first.start)
  const between =
    ms.length >= 2 ? text.slice((ms[ms.length - 2] as Member).value.end, (last as Member).start) : `,${lead || ' '}`
  const colon = last === undefined ? ': ' : text.slice(last.keyEnd, last.value.start)
  for (const [key, v] of changes) {
    const at = ms.flatMap((m, i) => (m.key === key ? [i] : []))
    if (v === undefined) {
      for (const i of at) removed.add(i)
      continue
    }
    const shown = JSON.stringify(v)
    if (at.length === 0) added.push(`${JSON.stringify(key)}${colon}${shown}`)
    for (const i of at) {
      const m = ms[i] as Member
      edits.push({ start: m.value.start, end: m.value.end, text: shown })
    }
  }
  const kept = ms.flatMap((_, i) => (removed.has(i) ? [] : [i]))
  // Removals: a member goes with the separator before it; a leading run goes with the separator after it.
  const firstKept = kept[0]
  for (const i of [...removed].sort((a, b) => a - b)) {
    const m = ms[i] as Member
    if (firstKept === undefined) continue
    if (i < firstKept) {
      if (i === 0) edits.push({ start: m.start, end: (ms[firstKept] as Member).start, text: '' })
      continue
    }
    edits.push({ start: (ms[i - 1] as Member).value.end, end: m.value.end, text: '' })
  }
  if (firstKept === undefined && first !== undefined && last !== undefined) {
    // Every member goes: the additions (if any) take their place.
    edits.push({ start: first.start, end: last.value.end, text: added.join(between) })
  } else if (added.length > 0) {
    const lastKept = kept[kept.length - 1]
    edits.push(
      lastKept === undefined
        ? { start: object.start + 1, end: object.start + 1, text: added.join(', ') }
        : {
            start: (ms[lastKept] as Member).value.end,
            end: (ms[lastKept] as Member).value.end,
            text: added.map((a) => `${between}${a}`).join(''),
          },
    )
  }
  let out = text
  for (const e of edits.sort((a, b) => b.start - a.start || b.end - a.end)) {
    out = `${out.slice(0, e.start)}${e.text}${out.slice(e.end)}`
  }
  return out
}
