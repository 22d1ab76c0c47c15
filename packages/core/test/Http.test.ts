import { Http, redactUrl } from '@alicred/core'
import { manualClock } from '@alicred/testing'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'

interface Call {
  readonly url: string
  readonly init: RequestInit
}

// A fake fetch that records each call and answers with `answer` (a Response, a rejection, or a promise that waits).
const fakeFetch = (answer: (call: Call) => Promise<Response>) => {
  const calls: Array<Call> = []
  const fetch: Http.Fetch = (url, init) => {
    const call = { url, init }
    calls.push(call)
    return answer(call)
  }
  return { fetch, calls }
}

// Settles only when the request's signal aborts, as a fetch that never connects does.
const never = (call: Call): Promise<Response> =>
  new Promise((_, reject) =>
    call.init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
  )

const headersOf = (init: RequestInit): Record<string, string> => {
  const out: Record<string, string> = {}
  new Headers(init.headers).forEach((v, k) => {
    out[k] = v
  })
  return out
}

// A body that yields `chunk` every time it is pulled, forever (or `limit` times), counting the pulls.
const endless = (chunk: Uint8Array, limit = Number.POSITIVE_INFINITY) => {
  let pulls = 0
  let cancelled = false
  const stream = new ReadableStream<Uint8Array>({
    pull: (c) => {
      pulls++
      if (pulls > limit) c.close()
      else c.enqueue(chunk)
    },
    cancel: () => {
      cancelled = true
    },
  })
  return { stream, pulls: () => pulls, cancelled: () => cancelled }
}

const get = (url: string, extra: Partial<Http.HttpRequest> = {}): Http.HttpRequest => ({ method: 'GET', url, ...extra })

describe('Http.fromFetch: requests and responses', () => {
  it('returns the whole response (header names lowercased) and sends method, headers and body as given', async () => {
    const { fetch, calls } = fakeFetch(
      async () => new Response('{"a":1}', { status: 201, headers: { 'X-Request-Id': 'r1', 'Content-Type': 'json' } }),
    )
    const r = await Http.fromFetch(fetch).request({
      method: 'POST',
      url: 'http://127.0.0.1:8080/path?q=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '3' },
      body: 'a=b',
    })()
    expect(r).toEqual(
      E.right({ status: 201, headers: { 'x-request-id': 'r1', 'content-type': 'json' }, body: '{"a":1}' }),
    )
    expect(calls.map((c) => [c.url, c.init.method, c.init.body, c.init.redirect, headersOf(c.init)])).toEqual([
      // content-length is the runtime's to compute from the body
      [
        'http://127.0.0.1:8080/path?q=1',
        'POST',
        'a=b',
        'manual',
        { 'content-type': 'application/x-www-form-urlencoded' },
      ],
    ])
    expect(calls[0]!.init.signal).toBeInstanceOf(AbortSignal)
  })

  it('sends its userAgent only when the request sets none, and none by default', async () => {
    const { fetch, calls } = fakeFetch(async () => new Response(''))
    await Http.fromFetch(fetch).request(get('http://127.0.0.1/'))()
    await Http.fromFetch(fetch, { userAgent: 'ua/1' }).request(get('http://127.0.0.1/'))()
    await Http.fromFetch(fetch, { userAgent: 'ua/1' }).request(
      get('http://127.0.0.1/', { headers: { 'User-Agent': 'mine' } }),
    )()
    expect(calls.map((c) => headersOf(c.init)['user-agent'])).toEqual([undefined, 'ua/1', 'mine'])
  })

  it('returns a redirect as it is and never follows it', async () => {
    const { fetch, calls } = fakeFetch(
      async () => new Response(null, { status: 302, headers: { location: 'http://elsewhere.example/steal' } }),
    )
    const r = await Http.fromFetch(fetch).request(get('http://127.0.0.1/creds'))()
    expect(r).toEqual(E.right({ status: 302, headers: { location: 'http://elsewhere.example/steal' }, body: '' }))
    expect(calls.map((c) => c.init.redirect)).toEqual(['manual'])
  })

  it("fails with Network on a browser's opaque redirect (its status and target are hidden)", async () => {
    const opaque = Object.assign(new Response(null, { status: 200 }), {}) as Response
    Object.defineProperty(opaque, 'type', { value: 'opaqueredirect' })
    const r = await Http.fromFetch(async () => opaque).request(get('http://127.0.0.1:9/creds/secret'))()
    expect(r).toEqual(
      E.left({
        _tag: 'HttpError',
        kind: 'Network',
        url: 'http://127.0.0.1:9/…',
        message:
          '127.0.0.1:9 answered with a redirect, which is not followed (a credential request must not be sent elsewhere)',
      }),
    )
  })

  it('calls fetch as a plain function, as runtimes whose own fetch refuses another `this` require', async () => {
    const seen: Array<unknown> = []
    const strict = function (this: unknown): Promise<Response> {
      seen.push(this)
      return this === undefined
        ? Promise.resolve(new Response('ok'))
        : Promise.reject(new TypeError('Illegal invocation'))
    } as Http.Fetch
    const r = await Http.fromFetch(strict).request(get('http://127.0.0.1/'))()
    expect([E.isRight(r), seen]).toEqual([true, [undefined]])
  })

  it('answers an empty body (no stream) with an empty string', async () => {
    const r = await Http.fromFetch(async () => new Response(null, { status: 204 })).request(get('http://127.0.0.1/'))()
    expect(r).toEqual(E.right({ status: 204, headers: {}, body: '' }))
  })

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = new TextEncoder().encode('ä€𝄞')
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => {
        for (const b of bytes) c.enqueue(Uint8Array.of(b))
        c.close()
      },
    })
    const r = await Http.fromFetch(async () => new Response(stream)).request(get('http://127.0.0.1/'))()
    expect(E.map((res: Http.HttpResponse) => res.body)(r)).toEqual(E.right('ä€𝄞'))
  })

  it('looks up globalThis.fetch at each request when given none', async () => {
    const original = globalThis.fetch
    const seen: Array<string> = []
    try {
      const http = Http.fromFetch()
      globalThis.fetch = (async (url: string) => {
        seen.push(url)
        return new Response('late')
      }) as typeof fetch
      const r = await http.request(get('http://127.0.0.1:1/x'))()
      expect([E.map((res: Http.HttpResponse) => res.body)(r), seen]).toEqual([
        E.right('late'),
        ['http://127.0.0.1:1/x'],
      ])
      ;(globalThis as { fetch?: unknown }).fetch = undefined
      expect(await http.request(get('http://127.0.0.1:1/x'))()).toEqual(
        E.left({
          _tag: 'HttpError',
          kind: 'Network',
          url: 'http://127.0.0.1:1/…',
          message: 'this runtime has no global fetch; pass one to Http.fromFetch',
        }),
      )
    } finally {
      globalThis.fetch = original
    }
  })
})

describe('Http.fromFetch: size cap', () => {
  it('fails with TooLarge on a declared length over the cap without reading the body', async () => {
    const body = endless(new Uint8Array(10))
    const { fetch, calls } = fakeFetch(async () => new Response(body.stream, { headers: { 'content-length': '2048' } }))
    const r = await Http.fromFetch(fetch).request(get('http://127.0.0.1/', { maxResponseBytes: 1024 }))()
    expect(r).toEqual(
      E.left({
        _tag: 'HttpError',
        kind: 'TooLarge',
        url: 'http://127.0.0.1/',
        message: 'the response from 127.0.0.1 declares 2048 bytes, more than the 1024 allowed',
      }),
    )
    expect([calls[0]!.init.signal?.aborted, body.cancelled()]).toEqual([true, true])
    expect(body.pulls()).toBeLessThanOrEqual(1) // a stream may pull once to fill its queue
  })

  it('fails with TooLarge while streaming an endless body, stopping right after the cap and aborting', async () => {
    const body = endless(new Uint8Array(1000))
    const { fetch, calls } = fakeFetch(async () => new Response(body.stream))
    const r = await Http.fromFetch(fetch).request(get('http://127.0.0.1/', { maxResponseBytes: 10_000 }))()
    expect(r).toEqual(
      E.left({
        _tag: 'HttpError',
        kind: 'TooLarge',
        url: 'http://127.0.0.1/',
        message: 'the response from 127.0.0.1 is larger than the 10000 bytes allowed',
      }),
    )
    expect([calls[0]!.init.signal?.aborted, body.cancelled()]).toEqual([true, true])
    expect(body.pulls()).toBeLessThanOrEqual(13)
  })

  it('accepts a body of exactly the cap, and uses 1 MiB when the request sets none', async () => {
    const exact = await Http.fromFetch(async () => new Response('x'.repeat(100))).request(
      get('http://127.0.0.1/', { maxResponseBytes: 100 }),
    )()
    expect(E.isRight(exact)).toBe(true)
    const over = await Http.fromFetch(async () => new Response(endless(new Uint8Array(65_536)).stream)).request(
      get('http://127.0.0.1/'),
    )()
    expect(E.isLeft(over) && over.left.message).toBe(
      `the response from 127.0.0.1 is larger than the ${Http.DEFAULT_MAX_RESPONSE_BYTES} bytes allowed`,
    )
  })
})

describe('Http.fromFetch: deadlines (one abort each)', () => {
  it('fails with ConnectTimeout when no response headers arrive in connectTimeoutMs, and aborts the fetch', async () => {
    const clock = manualClock(0)
    const { fetch, calls } = fakeFetch(never)
    const pending = Http.fromFetch(fetch, { clock }).request(
      get('http://127.0.0.1:7/creds/secret-path', { connectTimeoutMs: 1000, readTimeoutMs: 5000 }),
    )()
    await clock.advance(999)
    expect(calls[0]!.init.signal?.aborted).toBe(false)
    await clock.advance(1)
    expect(await pending).toEqual(
      E.left({
        _tag: 'HttpError',
        kind: 'ConnectTimeout',
        url: 'http://127.0.0.1:7/…',
        message:
          'no response from 127.0.0.1:7 within 1000 ms (fetch cannot tell a connection never made from a server that has not answered yet)',
      }),
    )
    expect([calls[0]!.init.signal?.aborted, clock.pending()]).toEqual([true, 0])
  })

  it('fails with ReadTimeout when the body does not end in readTimeoutMs after the headers, and aborts', async () => {
    const clock = manualClock(0)
    const stalled = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new Uint8Array(3)) })
    let answer: (r: Response) => void = () => {}
    const { fetch, calls } = fakeFetch(() => new Promise((r) => (answer = r)))
    const pending = Http.fromFetch(fetch, { clock }).request(
      get('http://127.0.0.1:7/', { connectTimeoutMs: 1000, readTimeoutMs: 3000 }),
    )()
    await clock.advance(900) // headers at 900 ms: inside the connect deadline
    answer(new Response(stalled))
    await clock.advance(2999)
    expect(calls[0]!.init.signal?.aborted).toBe(false)
    await clock.advance(1)
    expect(await pending).toEqual(
      E.left({
        _tag: 'HttpError',
        kind: 'ReadTimeout',
        url: 'http://127.0.0.1:7/',
        message: 'no complete response from 127.0.0.1:7 within 3000 ms',
      }),
    )
    expect([calls[0]!.init.signal?.aborted, clock.pending()]).toEqual([true, 0])
  })

  it('leaves no timer behind after a response, and uses the options as defaults', async () => {
    const clock = manualClock(0)
    const { fetch } = fakeFetch(never)
    const http = Http.fromFetch(fetch, { clock, connectTimeoutMs: 250 })
    const ok = await Http.fromFetch(async () => new Response('ok'), { clock }).request(get('http://127.0.0.1/'))()
    expect([E.isRight(ok), clock.pending()]).toEqual([true, 0])
    const pending = http.request(get('http://127.0.0.1/'))()
    await clock.advance(250)
    const r = await pending
    expect(E.isLeft(r) && r.left.kind).toBe('ConnectTimeout')
  })
})

// What each runtime's fetch rejects with, as observed (messages abbreviated; Deno's repeats the URL).
const SECRET_URL = 'http://127.0.0.1:8080/v1/creds/tok-SECRET?sig=SECRET'
const failures: ReadonlyArray<readonly [string, unknown, Http.HttpErrorKind, string]> = [
  [
    'Node (undici), refused',
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' }),
    }),
    'ConnectionRefused',
    'connection refused by 127.0.0.1:8080; is the service running and the port right?',
  ],
  [
    'Deno, refused',
    new TypeError(
      `error sending request for url (${SECRET_URL}): client error (Connect): tcp connect error: Connection refused (os error 111)`,
    ),
    'ConnectionRefused',
    'connection refused by 127.0.0.1:8080; is the service running and the port right?',
  ],
  [
    'Bun, refused',
    Object.assign(new Error('Unable to connect. Is the computer able to access the url?'), {
      code: 'ConnectionRefused',
      path: SECRET_URL,
    }),
    'ConnectionRefused',
    'connection refused by 127.0.0.1:8080; is the service running and the port right?',
  ],
  [
    'Node (undici), connect timeout',
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
    }),
    'ConnectTimeout',
    'no connection to 127.0.0.1:8080 (UND_ERR_CONNECT_TIMEOUT); check the network, firewall or proxy',
  ],
  [
    'Node (undici), DNS',
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }),
    }),
    'HostUnreachable',
    'cannot reach 127.0.0.1:8080 (ENOTFOUND); check the host name, DNS and network',
  ],
  [
    'Node (undici), closed',
    new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }),
    'ConnectionReset',
    'the connection to 127.0.0.1:8080 was closed before the response was complete (UND_ERR_SOCKET)',
  ],
  [
    'workerd, lost',
    new Error('Network connection lost.'),
    'ConnectionReset',
    'the connection to 127.0.0.1:8080 was closed before the response was complete',
  ],
  [
    'Node (undici), TLS',
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    }),
    'Network',
    'the TLS certificate of 127.0.0.1:8080 was rejected (DEPTH_ZERO_SELF_SIGNED_CERT)',
  ],
  ['a browser', new TypeError('Failed to fetch'), 'Network', 'request to 127.0.0.1:8080 failed (fetch gave no reason)'],
  ['a thrown string', 'boom', 'Network', 'request to 127.0.0.1:8080 failed (fetch gave no reason)'],
]

describe('Http.fromFetch: failures', () => {
  it.each(failures)('maps %s', async (_, thrown, kind, message) => {
    const r = await Http.fromFetch(() => Promise.reject(thrown)).request(get(SECRET_URL))()
    expect(r).toEqual(E.left({ _tag: 'HttpError', kind, url: 'http://127.0.0.1:8080/…', message }))
  })

  it('maps a fetch that throws synchronously like one that rejects', async () => {
    const r = await Http.fromFetch(() => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
    }).request(get('http://127.0.0.1:1/'))()
    expect(E.isLeft(r) && r.left.kind).toBe('ConnectionRefused')
  })

  it('maps a body that breaks off to ConnectionReset', async () => {
    const broken = new ReadableStream<Uint8Array>({
      start: (c) => {
        c.enqueue(new Uint8Array(5))
        c.error(new TypeError('terminated', { cause: { code: 'UND_ERR_SOCKET', message: `at ${SECRET_URL}` } }))
      },
    })
    const r = await Http.fromFetch(async () => new Response(broken)).request(get(SECRET_URL))()
    expect(r).toEqual(
      E.left({
        _tag: 'HttpError',
        kind: 'ConnectionReset',
        url: 'http://127.0.0.1:8080/…',
        message: 'the connection to 127.0.0.1:8080 was closed before the response was complete (UND_ERR_SOCKET)',
      }),
    )
  })

  it('rejects URLs and headers it cannot send with InvalidUrl, without calling fetch', async () => {
    const { fetch, calls } = fakeFetch(async () => new Response(''))
    const http = Http.fromFetch(fetch)
    const results = await Promise.all(
      [get('not a url'), get('ftp://127.0.0.1/x'), get('http://127.0.0.1/x', { headers: { 'X-Bad': 'a\nb' } })].map(
        (r) => http.request(r)(),
      ),
    )
    expect(results).toEqual([
      E.left({ _tag: 'HttpError', kind: 'InvalidUrl', url: '<invalid url>', message: 'not a valid absolute URL' }),
      E.left({
        _tag: 'HttpError',
        kind: 'InvalidUrl',
        url: 'ftp://127.0.0.1/…',
        message: 'unsupported scheme ftp:; only http: and https: are supported',
      }),
      E.left({
        _tag: 'HttpError',
        kind: 'InvalidUrl',
        url: 'http://127.0.0.1/…',
        message: 'the request cannot be sent as it is (an invalid header name or value); check its headers',
      }),
    ])
    expect(calls).toEqual([])
  })

  it('never shows the path, query or userinfo of the URL, nor the text of the runtime error', async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{6,20}$/)
    await fc.assert(
      fc.asyncProperty(
        segment,
        segment,
        segment,
        fc.constantFrom(...failures.map((f) => f[1])),
        async (path, query, user, thrown) => {
          const url = `http://${user}:pw@127.0.0.1:9/${path}?t=${query}`
          const rejecting = Http.fromFetch(() => Promise.reject(thrown))
          const reject = await rejecting.request(get(url))()
          const stall = manualClock(0)
          const timing = Http.fromFetch(fakeFetch(never).fetch, { clock: stall }).request(
            get(url, { connectTimeoutMs: 5 }),
          )()
          await stall.advance(5)
          const timedOut = await timing
          expect(E.isLeft(timedOut) && timedOut.left.kind).toBe('ConnectTimeout')
          const shown = JSON.stringify([reject, timedOut])
          for (const s of [path, query, user, 'SECRET', 'Connection refused (os', 'Unable to connect']) {
            expect(shown).not.toContain(s)
          }
        },
      ),
      { numRuns: 50 },
    )
  })
})

describe('redactUrl', () => {
  it('keeps scheme, host and port; elides the rest; is idempotent, also through Http.redactUrl', () => {
    expect(
      ['http://u:p@127.0.0.1:8080/a/b?c=d#e', 'https://sts.aliyuncs.com/', 'https://sts.aliyuncs.com/?x=1', 'nope'].map(
        redactUrl,
      ),
    ).toEqual(['http://127.0.0.1:8080/…', 'https://sts.aliyuncs.com/', 'https://sts.aliyuncs.com/…', '<invalid url>'])
    expect([redactUrl(redactUrl('http://h:1/x')), Http.redactUrl(redactUrl('http://h:1/x'))]).toEqual([
      'http://h:1/…',
      'http://h:1/…',
    ])
  })
})
