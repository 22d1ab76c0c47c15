/**
 * The HTTP capability: one request in, one response (or a typed transport error) out. Providers build URLs, headers
 * and bodies; the capability moves bytes. Every endpoint providers use is overridable, scheme included, so tests
 * point them at fakes or the emulator on 127.0.0.1.
 *
 * @since 0.1.0
 */
import type * as TE from 'fp-ts/TaskEither'
import { type Clock, system as systemClock } from './Clock.js'
import * as E from './internal/Either.js'
import { redactUrl as redactedUrl } from './Redacted.js'

/** The HTTP methods sources use. @category capabilities @since 0.1.0 */
export type Method = 'GET' | 'POST' | 'PUT'

/** One HTTP request, with its own timeouts and response cap. @category capabilities @since 0.1.0 */
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

/** An HTTP answer of any status: sources decide what a status means. @category capabilities @since 0.1.0 */
export interface HttpResponse {
  readonly status: number
  /** Header names lowercased. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Why a request got no answer. @category capabilities @since 0.1.0 */
export type HttpErrorKind =
  | 'ConnectTimeout'
  | 'ReadTimeout'
  | 'ConnectionRefused'
  | 'ConnectionReset'
  | 'HostUnreachable'
  | 'TooLarge'
  | 'InvalidUrl'
  | 'Network'

/**
 * A request that got no answer: its kind, the URL without its query, and a message.
 *
 * @category capabilities
 * @since 0.1.0
 */
export interface HttpError {
  readonly _tag: 'HttpError'
  readonly kind: HttpErrorKind
  /** The URL without its query string (queries carry signatures and key ids). */
  readonly url: string
  readonly message: string
}

/** The HTTP capability: sends one request. @category capabilities @since 0.1.0 */
export interface Http {
  readonly request: (req: HttpRequest) => TE.TaskEither<HttpError, HttpResponse>
}

/** Default response cap: credential responses are a few hundred bytes. @category capabilities @since 0.1.0 */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024

// The pathname WHATWG URL gives `/…`.
const ELIDED = '/%E2%80%A6'

/**
 * Strips the query string and any userinfo from a URL, for messages.
 *
 * @example
 * import { Http } from '@alicred/core'
 * assert.strictEqual(Http.redactUrl('https://u:p@sts.aliyuncs.com/?AccessKeyId=x'), 'https://sts.aliyuncs.com/')
 * @category capabilities
 * @since 0.1.0
 */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url)
    // A URL already redacted to `scheme://host/…` stays so (its `…` would otherwise come back percent-encoded).
    return `${u.protocol}//${u.host}${u.pathname === ELIDED ? '/…' : u.pathname}`
  } catch {
    return '<invalid url>'
  }
}

/**
 * Builds an `HttpError`.
 *
 * @category capabilities
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
 * @category capabilities
 * @since 0.1.0
 */
export const isTransient = (e: HttpError): boolean => e.kind !== 'InvalidUrl' && e.kind !== 'TooLarge'

/**
 * The `fetch` that `fromFetch` calls: the runtime's global one, or any function of its shape (a test fake, a fetch
 * bound to a custom agent or dispatcher).
 *
 * @category capabilities
 * @since 0.1.0
 */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>

/** Options of `fromFetch`. @category capabilities @since 0.1.0 */
export interface FetchHttpOptions {
  /** Used when a request sets no `connectTimeoutMs`. Default 5 000 ms. */
  readonly connectTimeoutMs?: number
  /** Used when a request sets no `readTimeoutMs`. Default 10 000 ms. */
  readonly readTimeoutMs?: number
  /** `User-Agent` sent when a request sets none. Default: none of ours (the runtime sends its own, if any). */
  readonly userAgent?: string
  /** Runs the two deadlines (tests pass a manual clock). Default `Clock.system` (`setTimeout`). */
  readonly clock?: Pick<Clock, 'sleep'>
}

type Outcome<A> = { readonly _tag: 'Done'; readonly value: A } | { readonly _tag: 'Deadline' }

// Resolves `Deadline` after `ms` unless `stop` aborts first (which also releases the timer).
const deadline = (clock: Pick<Clock, 'sleep'>, ms: number, stop: AbortSignal): Promise<Outcome<never>> =>
  clock
    .sleep(ms, stop)()
    .then(() => ({ _tag: 'Deadline' }) as const)

const done = <A>(p: Promise<A>): Promise<Outcome<A>> => p.then((value) => ({ _tag: 'Done', value }) as const)

// Codes and phrases by which Node (undici), Deno, Bun, workerd and browsers report why a fetch failed. The text of
// such an error is never shown (Deno's repeats the whole URL): only the kind found here, and the code when it is one.
const PATTERNS: ReadonlyArray<readonly [HttpErrorKind | 'Tls', RegExp]> = [
  ['ConnectionRefused', /ECONNREFUSED|ConnectionRefused|connection refused|os error 111\b|os error 10061\b/i],
  ['ConnectTimeout', /UND_ERR_CONNECT_TIMEOUT|ETIMEDOUT|ConnectTimeout|connection timed out|os error 110\b/i],
  [
    'HostUnreachable',
    /ENOTFOUND|EAI_AGAIN|EAI_NONAME|EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN|EADDRNOTAVAIL|dns error|failed to lookup|name or service not known|no route to host|network is unreachable/i,
  ],
  ['Tls', /CERT_|SSL|TLS|certificate|UNABLE_TO_VERIFY/i],
  [
    'ConnectionReset',
    /ECONNRESET|EPIPE|ECONNABORTED|ConnectionReset|ConnectionClosed|connection reset|connection closed|UND_ERR_SOCKET|other side closed|network connection lost|unexpected eof|os error 104\b/i,
  ],
]

const clues = (e: unknown): { readonly text: string; readonly code: string | undefined } => {
  const parts: Array<string> = []
  let code: string | undefined
  let cur: unknown = e
  for (let depth = 0; depth < 4 && typeof cur === 'object' && cur !== null; depth++) {
    const o = cur as { readonly code?: unknown; readonly name?: unknown; readonly message?: unknown; cause?: unknown }
    if (typeof o.code === 'string') {
      parts.push(o.code)
      if (/^[A-Za-z][A-Za-z0-9_]{1,39}$/.test(o.code)) code ??= o.code
    }
    if (typeof o.name === 'string') parts.push(o.name)
    if (typeof o.message === 'string') parts.push(o.message)
    cur = o.cause
  }
  return { text: parts.join(' | '), code }
}

const classify = (e: unknown, target: string): { readonly kind: HttpErrorKind; readonly message: string } => {
  const { text, code } = clues(e)
  const found = PATTERNS.find(([, re]) => re.test(text))?.[0]
  const because = code === undefined ? '' : ` (${code})`
  switch (found) {
    case 'ConnectionRefused':
      return { kind: found, message: `connection refused by ${target}; is the service running and the port right?` }
    case 'ConnectTimeout':
      return { kind: found, message: `no connection to ${target}${because}; check the network, firewall or proxy` }
    case 'HostUnreachable':
      return { kind: found, message: `cannot reach ${target}${because}; check the host name, DNS and network` }
    case 'Tls':
      return { kind: 'Network', message: `the TLS certificate of ${target} was rejected${because}` }
    case 'ConnectionReset':
      return {
        kind: found,
        message: `the connection to ${target} was closed before the response was complete${because}`,
      }
    default:
      return {
        kind: 'Network',
        message: `request to ${target} failed${because === '' ? ' (fetch gave no reason)' : because}`,
      }
  }
}

const concat = (chunks: ReadonlyArray<Uint8Array>, total: number): Uint8Array => {
  const all = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    all.set(c, at)
    at += c.byteLength
  }
  return all
}

const ignore = (): void => {}

/**
 * The `Http` capability over a WHATWG `fetch`, for runtimes without `node:http`: Deno, Bun, Cloudflare Workers,
 * browsers (and Node, whose global `fetch` works too). It keeps the contract of the Node `Http`:
 *
 * - two deadlines, each one abort: `connectTimeoutMs` until the response headers arrive, then `readTimeoutMs` until
 *   the whole body has. `fetch` has no "connected" event, so, unlike the Node `Http` (whose connect timeout ends
 *   when the socket is up), the time a server takes to start answering counts against the connect timeout and
 *   fails as `ConnectTimeout`; the read timeout covers the body only. Neither is ever longer than on Node;
 * - the response size cap is enforced while the body streams in (a declared `content-length` over the cap fails at
 *   once), and the request is aborted;
 * - redirects are not followed (`redirect: 'manual'`): the 3xx answer is returned as it is. A browser hides it (an
 *   opaque redirect), which fails as `Network`;
 * - failures are mapped to `ConnectionRefused`, `ConnectTimeout`, `ReadTimeout`, `ConnectionReset`,
 *   `HostUnreachable`, `TooLarge`, `InvalidUrl` or `Network` from what each runtime reports. Messages name only the
 *   host and port; the error's `url` is `scheme://host:port/…` (a credentials URI's path is a secret), and no text of
 *   the runtime's own error (Deno's repeats the URL) is shown.
 *
 * It imports nothing from Node. `fetch` defaults to `globalThis.fetch`, looked up at each request.
 *
 * @example
 * import { Http } from '@alicred/core'
 * const fake: Http.Fetch = async () => new Response('{"ok":true}', { status: 200 })
 * const r = await Http.fromFetch(fake).request({ method: 'GET', url: 'http://127.0.0.1:8080/creds' })()
 * assert.deepStrictEqual(r._tag === 'Right' && [r.right.status, r.right.body], [200, '{"ok":true}'])
 * @category capabilities
 * @since 0.1.0
 */
export const fromFetch = (fetch?: Fetch, options: FetchHttpOptions = {}): Http => {
  const settings: FetchSettings = {
    clock: options.clock ?? systemClock,
    connectMs: options.connectTimeoutMs ?? 5_000,
    readMs: options.readTimeoutMs ?? 10_000,
    userAgent: options.userAgent,
  }
  return {
    request: (req) => async () => {
      const call = prepare(req, fetch ?? globalThis.fetch, settings)
      if (E.isLeft(call)) return call
      const headers = await awaitHeaders(call.right)
      return E.isLeft(headers) ? headers : readBody(call.right, headers.right)
    },
  }
}

interface FetchSettings {
  readonly clock: Pick<Clock, 'sleep'>
  readonly connectMs: number
  readonly readMs: number
  readonly userAgent: string | undefined
}

// One request, checked and ready to send.
interface FetchCall {
  readonly req: HttpRequest
  readonly fetch: Fetch
  readonly clock: Pick<Clock, 'sleep'>
  readonly headers: Headers
  /** `host:port`, all that messages show. */
  readonly target: string
  readonly maxBytes: number
  readonly connectMs: number
  readonly readMs: number
  /** Aborts the fetch: a deadline passed, or the body is over the cap. */
  readonly abort: AbortController
  readonly fail: (kind: HttpErrorKind, message: string) => E.Either<HttpError, never>
}

// Checks the URL, the scheme, the headers and that there is a fetch, before anything is sent.
const prepare = (req: HttpRequest, fetch: Fetch | undefined, s: FetchSettings): E.Either<HttpError, FetchCall> => {
  const shown = redactedUrl(req.url)
  const fail = (kind: HttpErrorKind, message: string): E.Either<HttpError, never> =>
    E.left({ _tag: 'HttpError', kind, url: shown, message })
  let url: URL
  try {
    url = new URL(req.url)
  } catch {
    return fail('InvalidUrl', 'not a valid absolute URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail('InvalidUrl', `unsupported scheme ${url.protocol}; only http: and https: are supported`)
  }
  if (typeof fetch !== 'function') {
    return fail('Network', 'this runtime has no global fetch; pass one to Http.fromFetch')
  }
  let headers: Headers
  try {
    headers = new Headers(req.headers)
  } catch {
    return fail(
      'InvalidUrl',
      'the request cannot be sent as it is (an invalid header name or value); check its headers',
    )
  }
  // The runtime computes it from the body; some refuse it when set by hand.
  headers.delete('content-length')
  if (s.userAgent !== undefined && !headers.has('user-agent')) headers.set('user-agent', s.userAgent)
  return E.right({
    req,
    fetch,
    clock: s.clock,
    headers,
    target: url.host,
    maxBytes: req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    connectMs: req.connectTimeoutMs ?? s.connectMs,
    readMs: req.readTimeoutMs ?? s.readMs,
    abort: new AbortController(),
    fail,
  })
}

// Phase 1: sends the request and waits for the response headers, within the connect deadline.
const awaitHeaders = async (c: FetchCall): Promise<E.Either<HttpError, Response>> => {
  const headersIn = new AbortController()
  // Called as a plain function: a runtime's own fetch (workerd, browsers) refuses to run as a method of another object.
  const fetch = c.fetch
  const sent = Promise.resolve().then(() =>
    fetch(c.req.url, {
      method: c.req.method,
      headers: c.headers,
      ...(c.req.body === undefined ? {} : { body: c.req.body }),
      redirect: 'manual',
      signal: c.abort.signal,
    }),
  )
  sent.catch(ignore) // a fetch we gave up on rejects once aborted
  let res: Response
  try {
    const first = await Promise.race([done(sent), deadline(c.clock, c.connectMs, headersIn.signal)])
    if (first._tag === 'Deadline') {
      c.abort.abort()
      return c.fail(
        'ConnectTimeout',
        `no response from ${c.target} within ${c.connectMs} ms (fetch cannot tell a connection never made from a server that has not answered yet)`,
      )
    }
    res = first.value
  } catch (e) {
    const k = classify(e, c.target)
    return c.fail(k.kind, k.message)
  } finally {
    headersIn.abort()
  }
  if (res.type === 'opaqueredirect') {
    c.abort.abort()
    return c.fail(
      'Network',
      `${c.target} answered with a redirect, which is not followed (a credential request must not be sent elsewhere)`,
    )
  }
  const declared = Number(res.headers.get('content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > c.maxBytes) {
    res.body?.cancel().catch(ignore)
    c.abort.abort()
    return c.fail(
      'TooLarge',
      `the response from ${c.target} declares ${declared} bytes, more than the ${c.maxBytes} allowed`,
    )
  }
  return E.right(res)
}

// Reads a body to its end, stopping as soon as it is over `maxBytes`.
const collect = async (
  reader: ReadableStreamDefaultReader<Uint8Array> | undefined,
  maxBytes: number,
): Promise<Uint8Array | 'large'> => {
  const chunks: Array<Uint8Array> = []
  let total = 0
  for (;;) {
    const next = reader === undefined ? { done: true as const } : await reader.read()
    if (next.done) return concat(chunks, total)
    total += next.value.byteLength
    if (total > maxBytes) return 'large'
    chunks.push(next.value)
  }
}

// Phase 2: the body, streamed against the cap, within the read deadline.
const readBody = async (c: FetchCall, res: Response): Promise<E.Either<HttpError, HttpResponse>> => {
  const record: Record<string, string> = {}
  res.headers.forEach((v, k) => {
    record[k.toLowerCase()] = v
  })
  const bodyIn = new AbortController()
  const reader = res.body?.getReader()
  try {
    const body = await Promise.race([done(collect(reader, c.maxBytes)), deadline(c.clock, c.readMs, bodyIn.signal)])
    if (body._tag === 'Deadline' || body.value === 'large') {
      reader?.cancel().catch(ignore)
      c.abort.abort()
      return body._tag === 'Deadline'
        ? c.fail('ReadTimeout', `no complete response from ${c.target} within ${c.readMs} ms`)
        : c.fail('TooLarge', `the response from ${c.target} is larger than the ${c.maxBytes} bytes allowed`)
    }
    return E.right({ status: res.status, headers: record, body: new TextDecoder().decode(body.value) })
  } catch (e) {
    const k = classify(e, c.target)
    c.abort.abort()
    return c.fail(
      k.kind === 'Network' ? 'ConnectionReset' : k.kind,
      k.kind === 'Network' ? `the connection to ${c.target} was closed before the response was complete` : k.message,
    )
  } finally {
    bodyIn.abort()
  }
}
