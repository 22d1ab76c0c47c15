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
 * A URL as a message may show it: `scheme://host:port/…`. Everything after the authority goes: the query holds
 * signatures and key ids, and the path of a credentials URI is itself a secret (a token or a session id often sits
 * there). Userinfo goes too. Applying it twice gives the same text.
 *
 * @example
 * import { redactUrl } from '@alicred/core'
 * assert.strictEqual(redactUrl('http://u:p@127.0.0.1:8080/creds/s3cr3t?t=1'), 'http://127.0.0.1:8080/…')
 * assert.strictEqual(redactUrl('https://sts.aliyuncs.com/'), 'https://sts.aliyuncs.com/')
 * assert.strictEqual(redactUrl('not a url'), '<invalid url>')
 * @since 0.1.0
 */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url)
    const rest = u.pathname === '/' && u.search === '' && u.hash === '' ? '/' : '/…'
    return `${u.protocol}//${u.host}${rest}`
  } catch {
    return '<invalid url>'
  }
}
