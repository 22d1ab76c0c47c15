/**
 * Scrubbing what a client sent out of what a server says back. STS (and servers in front of it) may repeat the
 * request in an error `Message`: the security token in the query, percent-encoded once or twice, in either case of
 * hex; a form body decoded with `+` read as a space (or a space written as `+`); a token cut short; a value
 * base64-encoded inside some other field. `scrub` finds every such form of every secret and replaces it.
 *
 * How: the text is read as a sequence of bytes the server may have meant — `%XX` (any case, any number of `%25`
 * layers) is one byte, `+` and a space stand for each other, any other character is its UTF-8 bytes — and every run
 * that spells a secret, or a prefix of it at least `MIN_PREFIX` bytes long, is replaced. Base64 forms of a secret
 * (standard and URL-safe alphabets, at each of the three alignments it can take inside a longer value) are treated
 * as secrets of their own, so they are found in every encoding too.
 *
 * Internal to the package (`StsClient.scrub` is its public face).
 *
 * @since 0.1.0
 */
import { REDACTED } from '../Redacted.js'

/** A leading part of a secret this long, or longer, counts as the secret. @since 0.1.0 */
export const MIN_PREFIX = 8

/** Secrets shorter than this are not hunted (they would match ordinary words). @since 0.1.0 */
export const MIN_SECRET = 4

const utf8 = new TextEncoder()

const HEX = /^[0-9a-fA-F]{2}$/

interface Needle {
  readonly bytes: Uint8Array
  /** The fewest leading bytes that count as a match. */
  readonly least: number
}

const needle = (text: string): Needle | undefined => {
  const bytes = utf8.encode(text)
  return bytes.length < MIN_SECRET ? undefined : { bytes, least: Math.min(bytes.length, MIN_PREFIX) }
}

// The characters of base64(x) that depend only on x, when x starts at byte offset `k` of a longer value: the first
// characters also carry the bytes before it, the last ones the bytes after it.
const base64Cores = (secret: string): ReadonlyArray<string> => {
  const bytes = utf8.encode(secret)
  const out: Array<string> = []
  for (const k of [0, 1, 2]) {
    const padded = new Uint8Array(k + bytes.length)
    padded.set(bytes, k)
    let binary = ''
    for (const b of padded) binary += String.fromCharCode(b)
    const std = btoa(binary).replace(/=+$/, '')
    const lead = k === 0 ? 0 : k + 1
    // The last character may mix in the next byte unless the value ends on a 3-byte boundary.
    const trail = padded.length % 3 === 0 ? 0 : 1
    const core = std.slice(lead, std.length - trail)
    if (core.length >= MIN_PREFIX) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  return out
}

/** One reading of the text at `p`: how many characters it takes and the bytes it may stand for. */
type Unit = readonly [length: number, bytes: ReadonlyArray<Uint8Array>]

const PLUS = Uint8Array.of(0x2b)
const SPACE = Uint8Array.of(0x20)

const unitsAt = (text: string, p: number): ReadonlyArray<Unit> => {
  const c = text[p]
  if (c === undefined) return []
  const units: Array<Unit> = []
  if (c === '%') {
    // %XX, %25XX, %2525XX, ...: each `25` is one more round of encoding. Every depth is a reading (`%2541` may be
    // `%41` decoded once, or `A` decoded twice).
    for (let q = p + 1; HEX.test(text.slice(q, q + 2)); q += 2) {
      units.push([q + 2 - p, [Uint8Array.of(Number.parseInt(text.slice(q, q + 2), 16))]])
      if (text.slice(q, q + 2) !== '25') break
    }
  }
  if (c === '+' || c === ' ') units.push([1, [PLUS, SPACE]])
  else {
    const cp = text.codePointAt(p) ?? 0
    const ch = String.fromCodePoint(cp)
    units.push([ch.length, [utf8.encode(ch)]])
  }
  return units
}

const startsWith = (hay: Uint8Array, at: number, part: Uint8Array): boolean => {
  if (at + part.length > hay.length) return false
  for (let i = 0; i < part.length; i++) if (hay[at + i] !== part[i]) return false
  return true
}

/** The end of the longest run from `start` that spells at least `least` leading bytes of the needle, or -1. */
const matchAt = (text: string, start: number, n: Needle): number => {
  let best = -1
  // Every (text position, needle bytes matched) reachable from `start`; both only grow, so positions are visited in
  // order and each pair at most once.
  const frontier = new Map<number, Set<number>>([[start, new Set([0])]])
  for (let p = start; p <= text.length && frontier.size > 0; p++) {
    const here = frontier.get(p)
    if (here === undefined) continue
    frontier.delete(p)
    for (const i of here) {
      if (i >= n.least && p > best) best = p
      if (i === n.bytes.length) continue
      for (const [len, options] of unitsAt(text, p)) {
        for (const bytes of options) {
          if (!startsWith(n.bytes, i, bytes)) continue
          const next = frontier.get(p + len) ?? new Set<number>()
          next.add(i + bytes.length)
          frontier.set(p + len, next)
        }
      }
    }
  }
  return best
}

// Every form of every secret, as needles: the secret itself and its base64 cores.
const needles = (secrets: ReadonlyArray<string>): ReadonlyArray<Needle> =>
  secrets.flatMap((s) => [s, ...(s.length >= MIN_PREFIX ? base64Cores(s) : [])]).flatMap((s) => needle(s) ?? [])

/**
 * Replaces every form of every secret in `text` with `<redacted>` (see the module header for the forms).
 * Exported from the package as `StsClient.scrub`.
 *
 * @since 0.1.0
 */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string => {
  const ns = needles(secrets)
  if (ns.length === 0) return text
  let out = ''
  let p = 0
  while (p < text.length) {
    let end = -1
    for (const n of ns) end = Math.max(end, matchAt(text, p, n))
    if (end > p) {
      out += REDACTED
      p = end
    } else {
      const cp = text.codePointAt(p) ?? 0
      const ch = String.fromCodePoint(cp)
      out += ch
      p += ch.length
    }
  }
  return out
}

/**
 * Whether `text` holds any form of any secret.
 *
 * @since 0.1.0
 */
export const holdsAny = (text: string, secrets: ReadonlyArray<string>): boolean => scrub(text, secrets) !== text
