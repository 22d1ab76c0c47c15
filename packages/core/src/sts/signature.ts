/**
 * Alibaba Cloud RPC signature v1 (HMAC-SHA1), as STS `AssumeRole` and the other RPC actions expect it, plus the
 * SHA256withRSA variant used by `GenerateSessionAccessKey`. Pure functions over strings; hashing goes through
 * WebCrypto so core stays runtime-agnostic.
 *
 * @since 0.1.0
 */

/**
 * RFC 3986 percent-encoding as the RPC signature wants it: UTF-8, unreserved `A-Z a-z 0-9 - _ . ~` literal,
 * everything else `%XX` upper-case (space is `%20`, `*` is `%2A`).
 *
 * @example
 * import { Signature } from '@alicred/core'
 * assert.strictEqual(Signature.percentEncode('a b*~'), 'a%20b%2A~')
 * @since 0.1.0
 */
export const percentEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/**
 * The canonicalized query: keys sorted by UTF-16 code units (JS default sort), each pair percent-encoded and
 * joined with `&`. `Signature` itself is never part of it.
 *
 * @since 0.1.0
 */
export const canonicalize = (params: Readonly<Record<string, string>>): string =>
  Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&')

/**
 * `METHOD&%2F&percentEncode(canonicalized query)`.
 *
 * @example
 * import { Signature } from '@alicred/core'
 * assert.strictEqual(Signature.stringToSign('', { q: 'value' }), '&%2F&q%3Dvalue')
 * @since 0.1.0
 */
export const stringToSign = (method: string, params: Readonly<Record<string, string>>): string =>
  `${method}&${percentEncode('/')}&${percentEncode(canonicalize(params))}`

const utf8 = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>

/**
 * Standard base64 (with `=` padding) of bytes, without `Buffer`.
 *
 * @since 0.1.0
 */
export const base64 = (bytes: ArrayBuffer | Uint8Array): string => {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  let bin = ''
  for (let i = 0; i < u8.length; i += 0x8000) bin += String.fromCharCode(...u8.subarray(i, i + 0x8000))
  return btoa(bin)
}

/**
 * Lower-case hex of bytes.
 *
 * @since 0.1.0
 */
export const hex = (bytes: ArrayBuffer | Uint8Array): string =>
  Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  )

const hmac = async (hash: 'SHA-1' | 'SHA-256', key: string, data: string): Promise<ArrayBuffer> => {
  const k = await globalThis.crypto.subtle.importKey('raw', utf8(key), { name: 'HMAC', hash }, false, ['sign'])
  return globalThis.crypto.subtle.sign('HMAC', k, utf8(data))
}

/**
 * Base64 HMAC-SHA1 of `data` under `key` (UTF-8 both).
 *
 * @example
 * import { Signature } from '@alicred/core'
 * assert.strictEqual(await Signature.hmacSha1Base64('source', 'secret'), 'Jv4yi8SobFhg5t1C7nWLbhBSFZQ=')
 * @since 0.1.0
 */
export const hmacSha1Base64 = async (data: string, key: string): Promise<string> =>
  base64(await hmac('SHA-1', key, data))

/**
 * Hex HMAC-SHA256 (the `ACS3-HMAC-SHA256` signature).
 *
 * @since 0.1.0
 */
export const hmacSha256Hex = async (data: string, key: string): Promise<string> => hex(await hmac('SHA-256', key, data))

/**
 * Hex SHA-256 of a UTF-8 string.
 *
 * @since 0.1.0
 */
export const sha256Hex = async (data: string): Promise<string> =>
  hex(await globalThis.crypto.subtle.digest('SHA-256', utf8(data)))

/**
 * The RPC v1 signature: base64 HMAC-SHA1 of the string-to-sign under `secret + '&'`.
 *
 * @since 0.1.0
 */
export const signRpc = (method: string, params: Readonly<Record<string, string>>, secret: string): Promise<string> =>
  hmacSha1Base64(stringToSign(method, params), `${secret}&`)

/**
 * Base64 RSASSA-PKCS1-v1_5 / SHA-256 of `data` with an imported private key (`SignatureMethod=SHA256withRSA`).
 *
 * @since 0.1.0
 */
export const rsaSha256Base64 = async (data: string, key: CryptoKey): Promise<string> =>
  base64(await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, utf8(data)))

/**
 * A form or query string as the reference sends it: `encodeURIComponent` on keys and values, insertion order.
 *
 * @since 0.1.0
 */
export const formEncode = (params: Readonly<Record<string, string>>): string =>
  Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
