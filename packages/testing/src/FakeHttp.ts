/**
 * A scripted, recording `Http`: routes answer with responses, transport errors, delays or hangs; every request is
 * recorded for whole-value assertions. Delays and read timeouts run on the given clock, so a `manualClock` drives
 * them. Unrouted requests fail with `ConnectionRefused`, so nothing ever leaves the test.
 *
 * @since 0.1.0
 */
import { type Clock, Http } from '@alicred/core'
import * as E from 'fp-ts/Either'

/** A scripted answer. @since 0.1.0 */
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

/** @since 0.1.0 */
export type Responder = Reply | ((req: Http.HttpRequest, n: number) => Reply | Promise<Reply>)

/** @since 0.1.0 */
export interface Route {
  readonly method?: Http.Method
  /** Matches when the URL (without query) equals a string, starts with it when it ends in `*`, or tests a RegExp. */
  readonly url: string | RegExp
  /** Answers in turn; the last repeats. */
  readonly replies: ReadonlyArray<Responder>
}

/** @since 0.1.0 */
export interface FakeHttp extends Http.Http {
  /** Adds a route; later routes win over earlier ones. */
  readonly on: (method: Http.Method | '*', url: string | RegExp, ...replies: ReadonlyArray<Responder>) => FakeHttp
  /** Every request, in order. */
  readonly requests: ReadonlyArray<Http.HttpRequest>
  /** Requests whose URL (without query) matches. */
  readonly requestsTo: (url: string | RegExp) => ReadonlyArray<Http.HttpRequest>
  readonly reset: () => void
}

/** JSON reply helper. @since 0.1.0 */
export const json = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json;charset=utf-8', ...headers },
})

const realClock: Clock.Clock = {
  now: () => Date.now(),
  sleep: (ms) => () => new Promise((r) => setTimeout(r, ms).unref?.()),
}

const pathOf = (url: string): string => {
  const i = url.indexOf('?')
  return i === -1 ? url : url.slice(0, i)
}

const matches = (pattern: string | RegExp, url: string): boolean =>
  typeof pattern === 'string'
    ? pattern.endsWith('*')
      ? pathOf(url).startsWith(pattern.slice(0, -1))
      : pathOf(url) === pattern
    : pattern.test(url)

/**
 * @example
 * import { fakeHttp, json } from '@alicred/testing'
 * const http = fakeHttp().on('GET', 'http://127.0.0.1/creds', json(200, { ok: true }))
 * const r = await http.request({ method: 'GET', url: 'http://127.0.0.1/creds' })()
 * assert.strictEqual(r._tag === 'Right' && r.right.status, 200)
 * @since 0.1.0
 */
export const fakeHttp = (clock: Clock.Clock = realClock): FakeHttp => {
  const routes: Array<{ route: Route; calls: number }> = []
  const requests: Array<Http.HttpRequest> = []
  const self: FakeHttp = {
    on: (method, url, ...replies) => {
      routes.unshift({ route: method === '*' ? { url, replies } : { method, url, replies }, calls: 0 })
      return self
    },
    requests,
    requestsTo: (url) => requests.filter((r) => matches(url, r.url)),
    reset: () => {
      routes.length = 0
      requests.length = 0
    },
    request: (req) => async () => {
      requests.push(req)
      const hit = routes.find(
        (r) => (r.route.method === undefined || r.route.method === req.method) && matches(r.route.url, req.url),
      )
      if (hit === undefined) {
        return E.left(
          Http.httpError(
            'ConnectionRefused',
            req.url,
            `connection refused (no fake route for ${req.method} ${Http.redactUrl(req.url)})`,
          ),
        )
      }
      const n = hit.calls++
      const responder = hit.route.replies[Math.min(n, hit.route.replies.length - 1)]
      if (responder === undefined) return E.left(Http.httpError('ConnectionReset', req.url, 'no reply scripted'))
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
