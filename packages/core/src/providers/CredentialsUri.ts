/**
 * `credentials_uri`: GET a URL that answers with an STS credential (sidecars, `alicred serve`).
 *
 * Wire: `GET <uri>` (the URL as given; `Authorization: Bearer <token>` only when a token is configured), 5 s
 * connect / 10 s read; the answer is
 * `{"AccessKeyId","AccessKeySecret","SecurityToken","Expiration"}` plus an optional `Code` that must be `Success`
 * when present. Unlike the reference: no URI means `NotConfigured` (never a request to `https://undefined`), the
 * body is decoded strictly, and plain `http://` is refused for hosts other than loopback and link-local unless
 * `allowInsecureHttp` is set.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { Capabilities } from '../Capabilities.js'
import { type CredentialsError, NotConfigured, SourceFailure } from '../CredentialsError.js'
import * as Env from '../Env.js'
import * as EnvVars from '../EnvVars.js'
import * as Http from '../Http.js'
import {
  checkEndpoint,
  decodeBody,
  identifierField,
  jsonBody,
  MetadataAnswer,
  positiveOr,
  send,
  stsFromBlock,
} from '../internal/Remote.js'
import type { CachedProvider, Provider } from '../Provider.js'
import { cachedSource } from '../Provider.js'
import { redactUrl, redactUrlIn } from '../Redacted.js'
import { CREDENTIALS_URI_TOKEN_ENV } from './CredentialsUriToken.js'

/** Options of `credentialsUri`. @category sources @since 0.1.0 */
export interface CredentialsUriOptions {
  /** Falls back to `ALIBABA_CLOUD_CREDENTIALS_URI`. */
  readonly uri?: string
  /** Allow plain `http://` to hosts other than loopback and link-local. Default false. */
  readonly allowInsecureHttp?: boolean
  /** Default 5000. */
  readonly connectTimeoutMs?: number
  /** Default 10000. */
  readonly readTimeoutMs?: number
  /** Refresh once less than this is left. Default 15 min. */
  readonly staleMs?: number
  /**
   * Sent as `Authorization: Bearer <token>` (`alicred serve --token` requires it). Falls back to
   * `ALICRED_CREDENTIALS_URI_TOKEN`. A secret: never shown.
   */
  readonly token?: string
}

/** The variable the URI falls back to. @since 0.1.0 */
export const CREDENTIALS_URI_ENV = EnvVars.CREDENTIALS_URI

export { CREDENTIALS_URI_TOKEN_ENV }

const NAME = 'credential_uri'

const where = (fromOption: boolean) =>
  fromOption
    ? { label: 'the credentials URI (option `uri`)', location: { key: 'uri' } }
    : { label: CREDENTIALS_URI_ENV, location: { envVar: CREDENTIALS_URI_ENV } }

/**
 * A provider that GETs STS credentials from a URL, cached and refreshed 15 minutes before they expire.
 * Its credentials' `source` is `credential_uri` (the reference's provider name).
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { fakeCapabilities, json } from '@alicred/testing'
 * const caps = fakeCapabilities({ now: Date.UTC(2024, 0, 1) })
 * caps.http.on('GET', 'http://127.0.0.1:8080/creds', json(200, {
 *   AccessKeyId: 'id', AccessKeySecret: 'secret', SecurityToken: 'token', Expiration: '2024-01-01T06:00:00Z',
 * }))
 * const r = await Providers.credentialsUri({ uri: 'http://127.0.0.1:8080/creds' })(caps)()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'credential_uri')
 * @category sources
 * @since 0.1.0
 */
export const credentialsUri =
  (options: CredentialsUriOptions = {}) =>
  (caps: Pick<Capabilities, 'env' | 'http' | 'clock' | 'random' | 'reporter'>): CachedProvider => {
    const fetchOnce: Provider = () => async () => {
      const given = Env.nonBlank(options.uri)
      const fromOption = given !== undefined
      const raw = given ?? Env.nonEmpty(CREDENTIALS_URI_ENV)(caps.env)
      if (raw === undefined) {
        return E.left(new NotConfigured(NAME, `${CREDENTIALS_URI_ENV} is not set (and no \`uri\` option was given)`))
      }
      const url = checkEndpoint(NAME, raw, where(fromOption), options.allowInsecureHttp === true)
      if (E.isLeft(url)) return url
      // The path and query of a credentials URI are secrets (`alicred serve`'s random path, a sidecar's token):
      // messages show scheme, host and port only.
      const what = `credentials URI GET ${redactUrl(raw)}`
      const tokenFromOption = options.token !== undefined && options.token.trim() !== ''
      const token = tokenFromOption ? options.token?.trim() : Env.nonEmpty(CREDENTIALS_URI_TOKEN_ENV)(caps.env)
      const res = await send(caps.http, {
        method: 'GET',
        url: raw,
        ...(token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } }),
        connectTimeoutMs: positiveOr(options.connectTimeoutMs, 5_000),
        readTimeoutMs: positiveOr(options.readTimeoutMs, 10_000),
      })
      if (E.isLeft(res)) {
        // A custom `Http` may put the URL in its error: its message is cleaned of the path, and its url masked.
        const e = res.left
        return E.left(
          new SourceFailure(NAME, `${what} failed: ${redactUrlIn(e.message, raw)} (${e.kind} on ${redactUrl(raw)})`, {
            retryable: Http.isTransient(e),
          }),
        )
      }
      return pipe(
        jsonBody(NAME, what, (status) =>
          status === 401
            ? token === undefined
              ? `the server wants a bearer token; set ${CREDENTIALS_URI_TOKEN_ENV} (\`alicred serve --token\` prints it)`
              : `the server refused the token in ${tokenFromOption ? 'the token option' : CREDENTIALS_URI_TOKEN_ENV}; is it the one this server printed?`
            : undefined,
        )(res.right),
        E.chainFirst(checkCode(what)),
        E.chain(decodeBody(NAME, what, MetadataAnswer)),
        E.map(stsFromBlock(NAME)),
        E.mapLeft((e): CredentialsError => e),
      )
    }
    return cachedSource(NAME, options, caps)(fetchOnce)
  }

const checkCode =
  (what: string) =>
  (body: unknown): E.Either<SourceFailure, unknown> => {
    if (typeof body !== 'object' || body === null || !('Code' in body)) return E.right(body)
    const code = (body as { Code: unknown }).Code
    if (code === 'Success') return E.right(body)
    const shown = identifierField(body, 'Code')
    const requestId = identifierField(body, 'RequestId')
    const details: { code?: string; requestId?: string; status: number; retryable: boolean } = {
      status: 200,
      retryable: false,
    }
    if (shown !== undefined) details.code = shown
    if (requestId !== undefined) details.requestId = requestId
    return E.left(
      new SourceFailure(
        NAME,
        `${what} answered Code ${shown ?? '(not an identifier)'} instead of Success; check the credentials server`,
        details,
      ),
    )
  }
