/**
 * Alibaba Cloud RPC signature v1 (HMAC-SHA1), as STS `AssumeRole` and the other RPC actions expect it, plus the
 * SHA256withRSA variant used by `GenerateSessionAccessKey`. Pure functions over strings; hashing goes through
 * WebCrypto so core stays runtime-agnostic.
 *
 * @since 0.1.0
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Replaces unpaired UTF-16 surrogates with U+FFFD, as `TextEncoder` does, so encoding is total: `encodeURIComponent`
 * throws on them, and a value read from a damaged config file must give an error from STS, not a crash here.
 *
 * @category signing
 * @since 0.1.0
 */
export const wellFormed = (s: string): string => s.replace(LONE_SURROGATE, '\uFFFD')

/**
 * RFC 3986 percent-encoding as the RPC signature wants it: UTF-8, unreserved `A-Z a-z 0-9 - _ . ~` literal,
 * everything else `%XX` upper-case (space is `%20`, `*` is `%2A`).
 *
 * @example
 * import { Signature } from '@alicred/core'
 * assert.strictEqual(Signature.percentEncode('a b*~'), 'a%20b%2A~')
 * @category signing
 * @since 0.1.0
 */
export const percentEncode = (s: string): string =>
  encodeURIComponent(wellFormed(s)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/**
 * The canonicalized query: keys sorted by UTF-16 code units (JS default sort), each pair percent-encoded and
 * joined with `&`. `Signature` itself is never part of it.
 *
 * @category signing
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
 * @category signing
 * @since 0.1.0
 */
export const stringToSign = (method: string, params: Readonly<Record<string, string>>): string =>
  `${method}&${percentEncode('/')}&${percentEncode(canonicalize(params))}`

const utf8 = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>

/**
 * Standard base64 (with `=` padding) of bytes, without `Buffer`.
 *
 * @category signing
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
 * @category signing
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
 * @category signing
 * @since 0.1.0
 */
export const hmacSha1Base64 = async (data: string, key: string): Promise<string> =>
  base64(await hmac('SHA-1', key, data))

/**
 * Hex HMAC-SHA256 (the `ACS3-HMAC-SHA256` signature).
 *
 * @category signing
 * @since 0.1.0
 */
export const hmacSha256Hex = async (data: string, key: string): Promise<string> => hex(await hmac('SHA-256', key, data))

/**
 * Hex SHA-256 of a UTF-8 string.
 *
 * @category signing
 * @since 0.1.0
 */
export const sha256Hex = async (data: string): Promise<string> =>
  hex(await globalThis.crypto.subtle.digest('SHA-256', utf8(data)))

/**
 * The RPC v1 signature: base64 HMAC-SHA1 of the string-to-sign under `secret + '&'`.
 *
 * @category signing
 * @since 0.1.0
 */
export const signRpc = (method: string, params: Readonly<Record<string, string>>, secret: string): Promise<string> =>
  hmacSha1Base64(stringToSign(method, params), `${secret}&`)

/**
 * Base64 RSASSA-PKCS1-v1_5 / SHA-256 of `data` with an imported private key (`SignatureMethod=SHA256withRSA`).
 *
 * @category signing
 * @since 0.1.0
 */
export const rsaSha256Base64 = async (data: string, key: CryptoKey): Promise<string> =>
  base64(await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, utf8(data)))

/**
 * A form or query string as the reference sends it: plain `encodeURIComponent` on values (and keys, which are ASCII
 * names, so this changes nothing), in insertion order. Unlike `percentEncode` it leaves `!'()*` literal — the
 * reference does, and STS decodes both the same way.
 *
 * @example
 * import { Signature } from '@alicred/core'
 * assert.strictEqual(Signature.formEncode({ RoleSessionName: 'a b*', DurationSeconds: '3600' }), 'RoleSessionName=a%20b*&DurationSeconds=3600')
 * @category signing
 * @since 0.1.0
 */
export const formEncode = (params: Readonly<Record<string, string>>): string =>
  Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(v))}`)
    .join('&')

/**
 * Turns a string-to-sign into a `Signature` value. Keys never leave the signer.
 *
 * @category signing
 * @since 0.1.0
 */
export type Signer = (stringToSign: string) => Promise<string>

/**
 * `SignatureMethod=HMAC-SHA1`: base64 HMAC-SHA1 under `secret + '&'`.
 *
 * @category signing
 * @since 0.1.0
 */
export const hmacSha1Signer =
  (secret: string): Signer =>
  (data) =>
    hmacSha1Base64(data, `${secret}&`)

/**
 * `SignatureMethod=SHA256withRSA`: base64 RSASSA-PKCS1-v1_5 / SHA-256 with an imported private key.
 *
 * @category signing
 * @since 0.1.0
 */
export const rsaSha256Signer =
  (key: CryptoKey): Signer =>
  (data) =>
    rsaSha256Base64(data, key)

/** A signed RPC query. Holds no secret: the signature travels in the URL anyway. @category signing @since 0.1.0 */
export interface SignedQuery {
  /** The query as given, in its insertion order, with `Signature` appended last. */
  readonly query: Readonly<Record<string, string>>
  /** What was signed; STS echoes its own in `SignatureDoesNotMatch` errors, so a mismatch can be diagnosed. */
  readonly stringToSign: string
  readonly signature: string
}

/**
 * Signs an RPC request: the signed parameters are the query and the form body together (a body key wins over a query
 * key of the same name, as in the reference), and `Signature` is appended to the query.
 *
 * @example
 * import { Signature } from '@alicred/core'
 * const signed = await Signature.signQuery(Signature.hmacSha1Signer('secret'))('GET', { Action: 'X' })
 * assert.strictEqual(signed.stringToSign, 'GET&%2F&Action%3DX')
 * assert.deepStrictEqual(Object.keys(signed.query), ['Action', 'Signature'])
 * @category signing
 * @since 0.1.0
 */
export const signQuery =
  (signer: Signer) =>
  async (
    method: string,
    query: Readonly<Record<string, string>>,
    form: Readonly<Record<string, string>> = {},
  ): Promise<SignedQuery> => {
    const toSign = stringToSign(method, { ...query, ...form })
    const signature = await signer(toSign)
    return { query: { ...query, Signature: signature }, stringToSign: toSign, signature }
  }
