/**
 * The HTTP capability: one request in, one response (or a typed transport error) out. Providers build URLs, headers
 * and bodies; the capability moves bytes. Every endpoint providers use is overridable, scheme included, so tests
 * point them at fakes or the emulator on 127.0.0.1.
 *
 * @since 0.1.0
 */
import type * as TE from 'fp-ts/TaskEither'

/** @since 0.1.0 */
export type Method = 'GET' | 'POST' | 'PUT'

/** @since 0.1.0 */
export interface HttpRequest {
  readonly method: Method
  /** Absolute URL, query string included. */
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  /** Time allowed to establish the connection. */
  readonly connectTimeoutMs?: number
  /** Time allowed between sending the request and receiving the whole response. */
  readonly readTimeoutMs?: number
  /** Responses larger than this fail with `TooLarge`. */
  readonly maxResponseBytes?: number
}

/** @since 0.1.0 */
export interface HttpResponse {
  readonly status: number
  /** Header names lowercased. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** @since 0.1.0 */
export type HttpErrorKind =
  | 'ConnectTimeout'
  | 'ReadTimeout'
  | 'ConnectionRefused'
  | 'ConnectionReset'
  | 'HostUnreachable'
  | 'TooLarge'
  | 'InvalidUrl'
  | 'Network'

/** @since 0.1.0 */
export interface HttpError {
  readonly _tag: 'HttpError'
  readonly kind: HttpErrorKind
  /** The URL without its query string (queries carry signatures and key ids). */
  readonly url: string
  readonly message: string
}

/** @since 0.1.0 */
export interface Http {
  readonly request: (req: HttpRequest) => TE.TaskEither<HttpError, HttpResponse>
}

/** Default response cap: credential responses are a few hundred bytes. @since 0.1.0 */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024

/**
 * Strips the query string and any userinfo from a URL, for messages.
 *
 * @example
 * import { Http } from '@alicred/core'
 * assert.strictEqual(Http.redactUrl('https://u:p@sts.aliyuncs.com/?AccessKeyId=x'), 'https://sts.aliyuncs.com/')
 * @since 0.1.0
 */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return '<invalid url>'
  }
}

/**
 * Builds an `HttpError`.
 *
 * @since 0.1.0
 */
export const httpError = (kind: HttpErrorKind, url: string, message: string): HttpError => ({
  _tag: 'HttpError',
  kind,
  url: redactUrl(url),
  message,
})

/**
 * Whether a transport error may go away if tried again.
 *
 * @since 0.1.0
 */
export const isTransient = (e: HttpError): boolean => e.kind !== 'InvalidUrl' && e.kind !== 'TooLarge'
