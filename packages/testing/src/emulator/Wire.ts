/**
 * The emulator's view of HTTP: a fully read request, a reply value the handlers return, and the error bodies each
 * family of endpoints uses (STS's `{RequestId, HostId, Code, Message, Recommend}`, OAuth's `{error,
 * error_description}`). Handlers are pure over these values; only the server touches sockets.
 *
 * @since 0.1.0
 */

/** A request with its body read and its query and form decoded (first value of a repeated key wins). @since 0.1.0 */
export interface Incoming {
  readonly method: string
  /** Path without the query string. */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** Header names lowercased; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The body decoded as `application/x-www-form-urlencoded` when it is declared so; else empty. */
  readonly form: Readonly<Record<string, string>>
}

/** What a handler answers. `code` and `accessKeyId` only feed the request log. @since 0.1.0 */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The error code, for the log. */
  readonly code?: string
  /** The access key id that authenticated (or tried to), for the log (masked there). */
  readonly accessKeyId?: string
}

/** @since 0.1.0 */
export const JSON_TYPE = 'application/json;charset=utf-8'

/** @since 0.1.0 */
export const json = (status: number, body: unknown, extra: Partial<Reply> = {}): Reply => ({
  status,
  headers: { 'content-type': JSON_TYPE },
  body: JSON.stringify(body),
  ...extra,
})

/** @since 0.1.0 */
export const text = (status: number, body: string, extra: Partial<Reply> = {}): Reply => ({
  status,
  headers: { 'content-type': 'text/plain;charset=utf-8' },
  body,
  ...extra,
})

/** An STS error as the gateway sends it. @since 0.1.0 */
export interface StsError {
  readonly status: number
  readonly code: string
  readonly message: string
}

/** @since 0.1.0 */
export const stsError = (status: number, code: string, message: string): StsError => ({ status, code, message })

/**
 * Renders an STS error in the gateway's JSON shape.
 *
 * @since 0.1.0
 */
export const stsErrorReply = (e: StsError, requestId: string, host: string, accessKeyId?: string): Reply =>
  json(
    e.status,
    {
      RequestId: requestId,
      HostId: host,
      Code: e.code,
      Message: e.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(e.code)}&product=Sts&requestId=${requestId}`,
    },
    accessKeyId === undefined ? { code: e.code } : { code: e.code, accessKeyId },
  )

/** `The input parameter "X" that is mandatory for processing this request is not supplied.` @since 0.1.0 */
export const missing = (name: string): StsError =>
  stsError(
    400,
    'MissingParameter',
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  )

/** @since 0.1.0 */
export const invalid = (name: string): StsError =>
  stsError(400, 'InvalidParameter', `The specified parameter "${name}" is not valid.`)

/** Decodes `a=1&b=2` (`+` is a space, as browsers and the reference send it). @since 0.1.0 */
export const decodeForm = (s: string): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(s)) if (!(k in out)) out[k] = v
  return out
}

/** `Bearer <token>` → token. @since 0.1.0 */
export const bearerToken = (headers: Readonly<Record<string, string>>): string | undefined => {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')
  return m?.[1]
}
