/**
 * Redaction: how secrets render. Every value that holds a secret renders through these helpers so that `String`,
 * `JSON.stringify`, `util.inspect` and `console.log` never show it, while reading the field still gives the value.
 *
 * @since 0.1.0
 */

/** The text shown in place of a secret. @since 0.1.0 */
export const REDACTED = '<redacted>'

/**
 * The symbol Node's `util.inspect` (and so `console.log`) looks up. Taken with `Symbol.for` so core needs no `node:`
 * import and still works in Deno, Bun and browsers.
 *
 * @since 0.1.0
 */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never

/**
 * Shows the first characters of a public key id (never a secret) so logs stay useful: `LTAI****`.
 *
 * @example
 * import { maskId } from '@alicred/core'
 * assert.strictEqual(maskId('LTAI5tExample'), 'LTAI****')
 * @since 0.1.0
 */
export const maskId = (id: string): string => (id.length <= 4 ? '****' : `${id.slice(0, 4)}****`)

/**
 * Shows a URL as scheme, host and port only: `http://127.0.0.1:8080/…`. For URLs whose path and query are
 * themselves secrets (a credentials URI, `alicred serve`'s random path): never the path, query, fragment or
 * userinfo. Anything that does not parse shows as `<invalid url>`.
 *
 * @example
 * import { maskUrl } from '@alicred/core'
 * assert.strictEqual(maskUrl('http://u:p@127.0.0.1:8080/5f1e9c0a?token=x#f'), 'http://127.0.0.1:8080/…')
 * assert.strictEqual(maskUrl('not a url'), '<invalid url>')
 * @since 0.1.0
 */
export const maskUrl = (url: string): string => {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}/…`
  } catch {
    return '<invalid url>'
  }
}

/**
 * Removes a URL's path and query from a text that may repeat them (a transport error from a custom `Http`),
 * in the forms a message may carry them: as given, percent-decoded, and the whole URL (which becomes `maskUrl`).
 *
 * @example
 * import { maskUrlIn } from '@alicred/core'
 * const url = 'http://127.0.0.1:8080/5f1e9c0a?x=1'
 * assert.strictEqual(maskUrlIn(`GET ${url} failed; path /5f1e9c0a?x=1`, url), 'GET http://127.0.0.1:8080/… failed; path /…')
 * @since 0.1.0
 */
export const maskUrlIn = (text: string, url: string): string => {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return text.split(url).join('<invalid url>')
  }
  let out = text.split(url).join(maskUrl(url)).split(u.href).join(maskUrl(url))
  const decoded = (s: string): string => {
    try {
      return decodeURIComponent(s)
    } catch {
      return s
    }
  }
  const tail = `${u.pathname}${u.search}`
  // Longest first, so a path is not half-replaced by a shorter form of itself.
  const forms: ReadonlyArray<readonly [string, string]> = [
    [tail, '/…'],
    [decoded(tail), '/…'],
    [u.pathname, '/…'],
    [decoded(u.pathname), '/…'],
    [u.search, '?…'],
    [decoded(u.search), '?…'],
  ]
  for (const [f, shown] of [...forms].sort((a, b) => b[0].length - a[0].length))
    if (f.length > 1) out = out.split(f).join(shown)
  return out
}
