/**
 * A scripted, recording `Http`: routes answer with responses, transport errors, delays or hangs; every request is
 * recorded for whole-value assertions. Delays and read timeouts run on the given clock, so a `manualClock` drives
 * them. Unrouted requests fail with `ConnectionRefused` ("no fake route for GET http://…") and are listed in
 * `unrouted`, so nothing ever leaves the test and a missing route is easy to spot.
 *
 * @since 0.1.0
 */
import { type Clock, Http } from '@alicred/core'
import * as E from 'fp-ts/Either'

/** A scripted answer. @category fakes @since 0.1.0 */
export type Reply =
  | {
      readonly status: number
      readonly body?: string
      readonly headers?: Readonly<Record<string, string>>
      readonly delayMs?: number
    }
  | { readonly error: Http.HttpErrorKind; readonly delayMs?: number }
  /** Never answers: the request's read timeout fires (or it hangs forever without one). */
  | { readonly hang: true }

/**
 * A `FakeHttp` route's answer: a reply, or a function of the request and its number on that route.
 *
 * @category fakes
 * @since 0.1.0
 */
export type Responder = Reply | ((req: Http.HttpRequest, n: number) => Reply | Promise<Reply>)

/** A `FakeHttp` route: the method and URL it matches, and its answers in turn. @category fakes @since 0.1.0 */
export interface Route {
  readonly method?: Http.Method
  /**
   * A string matches the URL without its query (or the whole URL when the string has a `?`); a trailing `*` matches
   * any URL starting with the rest; a RegExp is tested against the whole URL.
   */
  readonly url: string | RegExp
  /** Answers in turn; the last repeats. */
  readonly replies: ReadonlyArray<Responder>
}

/** An `Http` that answers from routes and records every request. @category fakes @since 0.1.0 */
export interface FakeHttp extends Http.Http {
  /** Adds a route; later routes win over earlier ones. */
  readonly on: (method: Http.Method | '*', url: string | RegExp, ...replies: ReadonlyArray<Responder>) => FakeHttp
  /** Every request, in order. */
  readonly requests: ReadonlyArray<Http.HttpRequest>
  /** Requests no route matched, in order (each was answered with `ConnectionRefused`). */
  readonly unrouted: ReadonlyArray<Http.HttpRequest>
  /** Requests whose URL (without query) matches. */
  readonly requestsTo: (url: string | RegExp) => ReadonlyArray<Http.HttpRequest>
  /** Forgets every route and every recorded request. */
  readonly reset: () => void
}

/**
 * A JSON reply: `body` serialized, `content-type: application/json`.
 *
 * @example
 * import { json } from '@alicred/testing'
 * assert.deepStrictEqual(json(200, { ok: true }), {
 *   status: 200,
 *   body: '{"ok":true}',
 *   headers: { 'content-type': 'application/json;charset=utf-8' },
 * })
 * @category fakes
 * @since 0.1.0
 */
export const json = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json;charset=utf-8', ...headers },
})

/**
 * A plain-text reply (IMDS answers role names and tokens as text).
 *
 * @example
 * import { text } from '@alicred/testing'
 * assert.deepStrictEqual(text(200, 'my-role'), { status: 200, body: 'my-role', headers: { 'content-type': 'text/plain' } })
 * @category fakes
 * @since 0.1.0
 */
export const text = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  body,
  headers: { 'content-type': 'text/plain', ...headers },
})

// Used only when no clock is given, for delays and read timeouts; unref'd so a forgotten hang never holds vitest open.
const realClock: Clock.Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => () =>
    new Promise((resolve) => {
      if (signal?.aborted === true) return resolve()
      const timer = setTimeout(resolve, ms)
      ;(timer as { unref?: () => void }).unref?.()
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer)
          resolve()
        },
        { once: true },
      )
    }),
}

const pathOf = (url: string): string => {
  const i = url.indexOf('?')
  return i === -1 ? url : url.slice(0, i)
}

const matches = (pattern: string | RegExp, url: string): boolean => {
  if (typeof pattern !== 'string') {
    pattern.lastIndex = 0 // a /g or /y RegExp keeps state between tests
    return pattern.test(url)
  }
  const target = pattern.includes('?') ? url : pathOf(url)
  return pattern.endsWith('*') ? target.startsWith(pattern.slice(0, -1)) : target === pattern
}

const describeRoute = (r: Route): string => `${r.method ?? '*'} ${String(r.url)}`

/**
 * A fake `Http`. Add routes with `on(method, url, ...replies)`: replies answer in turn and the last one repeats; a
 * function reply sees the request and how many times the route answered before. Delays, hangs and read timeouts
 * run on `clock` (pass the test's `manualClock`).
 *
 * @example
 * import { fakeHttp, json, manualClock } from '@alicred/testing'
 * const http = fakeHttp(manualClock())
 *   .on('GET', 'http://127.0.0.1/creds', json(500, {}), json(200, { ok: true }))
 * const first = await http.request({ method: 'GET', url: 'http://127.0.0.1/creds' })()
 * const second = await http.request({ method: 'GET', url: 'http://127.0.0.1/creds?x=1' })()
 * assert.strictEqual(first._tag === 'Right' && first.right.status, 500)
 * assert.strictEqual(second._tag === 'Right' && second.right.status, 200)
 * const missing = await http.request({ method: 'POST', url: 'http://127.0.0.1/other' })()
 * assert.match(missing._tag === 'Left' ? missing.left.message : '', /no fake route for POST http:\/\/127.0.0.1\/other/)
 * @category fakes
 * @since 0.1.0
 */
export const fakeHttp = (clock: Clock.Clock = realClock): FakeHttp => {
  const routes: Array<{ route: Route; calls: number }> = []
  const requests: Array<Http.HttpRequest> = []
  const unrouted: Array<Http.HttpRequest> = []
  const self: FakeHttp = {
    on: (method, url, ...replies) => {
      routes.unshift({ route: method === '*' ? { url, replies } : { method, url, replies }, calls: 0 })
      return self
    },
    requests,
    unrouted,
    requestsTo: (url) => requests.filter((r) => matches(url, r.url)),
    reset: () => {
      routes.length = 0
      requests.length = 0
      unrouted.length = 0
    },
    request: (req) => async () => {
      requests.push(req)
      const hit = routes.find(
        (r) => (r.route.method === undefined || r.route.method === req.method) && matches(r.route.url, req.url),
      )
      if (hit === undefined) {
        unrouted.push(req)
        const known = routes.map((r) => describeRoute(r.route))
        return E.left(
          Http.httpError(
            'ConnectionRefused',
            req.url,
            `connection refused (no fake route for ${req.method} ${Http.redactUrl(req.url)}; ${
              known.length === 0 ? 'no routes are set up' : `routes: ${known.join(', ')}`
            })`,
          ),
        )
      }
      const n = hit.calls++
      const responder = hit.route.replies[Math.min(n, hit.route.replies.length - 1)]
      if (responder === undefined) {
        return E.left(
          Http.httpError(
            'ConnectionReset',
            req.url,
            `no reply scripted for ${describeRoute(hit.route)} (pass at least one reply to on())`,
          ),
        )
      }
      const reply = typeof responder === 'function' ? await responder(req, n) : responder
      const readTimeout = req.readTimeoutMs
      const timedOut = (): E.Either<Http.HttpError, Http.HttpResponse> =>
        E.left(Http.httpError('ReadTimeout', req.url, `no response within ${readTimeout} ms`))
      if ('hang' in reply) {
        if (readTimeout === undefined) return new Promise<never>(() => {})
        await clock.sleep(readTimeout)()
        return timedOut()
      }
      const delay = reply.delayMs ?? 0
      if (delay > 0) {
        if (readTimeout !== undefined && delay > readTimeout) {
          await clock.sleep(readTimeout)()
          return timedOut()
        }
        await clock.sleep(delay)()
      }
      if ('error' in reply) return E.left(Http.httpError(reply.error, req.url, `${reply.error} (scripted)`))
      const body = reply.body ?? ''
      const max = req.maxResponseBytes ?? Http.DEFAULT_MAX_RESPONSE_BYTES
      if (new TextEncoder().encode(body).length > max) {
        return E.left(Http.httpError('TooLarge', req.url, `response larger than ${max} bytes`))
      }
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(reply.headers ?? {})) headers[k.toLowerCase()] = v
      return E.right({ status: reply.status, headers, body })
    },
  }
  return self
}
