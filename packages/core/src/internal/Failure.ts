/**
 * Turning transport and protocol problems of remote sources into `SourceFailure`s with the right `retryable` flag:
 * timeouts, resets, throttling and 5xx may pass; 4xx and malformed bodies will not.
 *
 * @since 0.1.0
 */
import { SourceFailure } from '../CredentialsError.js'
import type { HttpError } from '../Http.js'
import * as Http from '../Http.js'

/**
 * A transport error of a call to `what` (e.g. `STS AssumeRole`).
 *
 * @since 0.1.0
 */
export const fromHttpError =
  (provider: string, what: string) =>
  (e: HttpError): SourceFailure =>
    // The URL is redacted again: an `HttpError` built by hand (a custom `Http`) may still carry a signed query.
    new SourceFailure(provider, `${what} failed: ${e.message} (${e.kind} on ${Http.redactUrl(e.url)})`, {
      retryable: Http.isTransient(e),
    })

/**
 * Whether an HTTP status may succeed if tried again: 429 (throttled) and 5xx.
 *
 * @since 0.1.0
 */
export const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500

const MAX_SERVER_MESSAGE = 300

/**
 * Makes a server's error message safe to show. STS answers `SignatureDoesNotMatch` with the server's string to sign,
 * which holds the request's query (AccessKeyId, and the SecurityToken when the caller used STS credentials): it is
 * cut off there. The rest is collapsed to one line and capped in length.
 *
 * @since 0.1.0
 */
export const sanitizeServerMessage = (message: string): string => {
  const cut = message.search(/string\s*to\s*sign/i)
  const kept = (cut === -1 ? message : `${message.slice(0, cut)}(string to sign omitted)`).replace(/\s+/g, ' ').trim()
  return kept.length > MAX_SERVER_MESSAGE ? `${kept.slice(0, MAX_SERVER_MESSAGE)}…` : kept
}

/**
 * An unexpected status from `what`. The body is not included (it may echo a secret); `code`, `requestId` and a
 * server `message` may be, when the caller has decoded them (the message goes through `sanitizeServerMessage`).
 *
 * @since 0.1.0
 */
export const fromStatus = (
  provider: string,
  what: string,
  status: number,
  extra: { readonly code?: string; readonly requestId?: string; readonly message?: string } = {},
): SourceFailure => {
  const details: { status: number; retryable: boolean; code?: string; requestId?: string } = {
    status,
    retryable: isRetryableStatus(status),
  }
  if (extra.code !== undefined) details.code = extra.code
  if (extra.requestId !== undefined) details.requestId = extra.requestId
  const parts = [`${what} answered HTTP ${status}`]
  if (extra.code !== undefined) parts.push(`code ${extra.code}`)
  if (extra.message !== undefined && extra.message.trim() !== '') parts.push(sanitizeServerMessage(extra.message))
  if (extra.requestId !== undefined) parts.push(`request id ${extra.requestId}`)
  return new SourceFailure(provider, parts.join(': '), details)
}

/**
 * A body that did not decode.
 *
 * @since 0.1.0
 */
export const malformed = (provider: string, what: string, reason: string, status?: number): SourceFailure =>
  new SourceFailure(
    provider,
    `${what} answered with an unexpected body (${reason})`,
    status === undefined ? { retryable: false } : { status, retryable: false },
  )
