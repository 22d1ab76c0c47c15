import { Http } from '@alicred/core'
import { fakeHttp, json, manualClock, text } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'

const get = (url: string, extra: Partial<Http.HttpRequest> = {}): Http.HttpRequest => ({ method: 'GET', url, ...extra })

describe('fakeHttp', () => {
  it('answers routed requests and records them', async () => {
    const http = fakeHttp(manualClock()).on('GET', 'http://127.0.0.1/creds', json(200, { a: 1 }, { 'X-Id': 'r1' }))
    const req = get('http://127.0.0.1/creds?x=1', { headers: { accept: 'json' } })
    expect(await http.request(req)()).toEqual(
      E.right({
        status: 200,
        headers: { 'content-type': 'application/json;charset=utf-8', 'x-id': 'r1' },
        body: '{"a":1}',
      }),
    )
    expect([http.requests, http.requestsTo('http://127.0.0.1/creds'), http.unrouted]).toEqual([[req], [req], []])
  })

  it('refuses unrouted requests, saying which routes exist, and lists them in unrouted', async () => {
    const http = fakeHttp(manualClock()).on('POST', 'https://sts.example.com/', json(200, {}))
    const req = get('http://100.100.100.200/latest/meta-data/ram/security-credentials/?token=x')
    expect(await http.request(req)()).toEqual(
      E.left(
        Http.httpError(
          'ConnectionRefused',
          req.url,
          'connection refused (no fake route for GET http://100.100.100.200/latest/meta-data/ram/security-credentials/; routes: POST https://sts.example.com/)',
        ),
      ),
    )
    expect(http.unrouted).toEqual([req])
    const empty = await fakeHttp(manualClock()).request(get('http://x/'))()
    expect(E.isLeft(empty) && empty.left.message).toBe(
      'connection refused (no fake route for GET http://x/; no routes are set up)',
    )
  })

  it('matches by method, exact path, prefix*, full URL with ?, and RegExp; later routes win', async () => {
    const http = fakeHttp(manualClock())
      .on('*', /\/any$/, text(200, 'regexp'))
      .on('GET', 'http://h/p*', text(200, 'prefix'))
      .on('GET', 'http://h/p/exact', text(200, 'exact'))
      .on('GET', 'http://h/q?a=1', text(200, 'query'))
      .on('PUT', 'http://h/p/exact', text(200, 'put'))
    const bodies = await Promise.all(
      [
        get('http://h/p/exact'),
        get('http://h/p/other'),
        { method: 'PUT' as const, url: 'http://h/p/exact' },
        get('http://h/q?a=1'),
        { method: 'POST' as const, url: 'http://h/any' },
      ].map(async (r) => {
        const res = await http.request(r)()
        return E.isRight(res) ? res.right.body : res.left.kind
      }),
    )
    expect(bodies).toEqual(['exact', 'prefix', 'put', 'query', 'regexp'])
    expect((await http.request(get('http://h/q?a=2'))())._tag).toBe('Left')
  })

  it('answers replies in turn, repeating the last; function replies see the request and the count', async () => {
    const http = fakeHttp(manualClock()).on('GET', 'http://h/', json(500, {}), (req, n) =>
      text(200, `${req.url} #${n}`),
    )
    const statuses = []
    for (let i = 0; i < 3; i++) {
      const r = await http.request(get('http://h/'))()
      statuses.push(E.isRight(r) ? `${r.right.status} ${r.right.body}` : r.left.kind)
    }
    expect(statuses).toEqual(['500 {}', '200 http://h/ #1', '200 http://h/ #2'])
  })

  it('scripted transport errors, delays on the clock and read timeouts', async () => {
    const clock = manualClock(0)
    const http = fakeHttp(clock)
      .on('GET', 'http://h/err', { error: 'ConnectionReset' })
      .on('GET', 'http://h/slow', { status: 200, body: 'ok', delayMs: 500 })
      .on('GET', 'http://h/hang', { hang: true })
    expect(await http.request(get('http://h/err'))()).toEqual(
      E.left(Http.httpError('ConnectionReset', 'http://h/err', 'ConnectionReset (scripted)')),
    )
    const slow = http.request(get('http://h/slow'))()
    const tooSlow = http.request(get('http://h/slow', { readTimeoutMs: 100 }))()
    const hang = http.request(get('http://h/hang', { readTimeoutMs: 300 }))()
    await clock.advance(100)
    expect(await tooSlow).toEqual(E.left(Http.httpError('ReadTimeout', 'http://h/slow', 'no response within 100 ms')))
    await clock.advance(200)
    expect(await hang).toEqual(E.left(Http.httpError('ReadTimeout', 'http://h/hang', 'no response within 300 ms')))
    await clock.advance(200)
    expect(await slow).toEqual(E.right({ status: 200, headers: {}, body: 'ok' }))
  })

  it('refuses bodies over maxResponseBytes', async () => {
    const http = fakeHttp(manualClock()).on('GET', 'http://h/', text(200, 'x'.repeat(11)))
    expect(await http.request(get('http://h/', { maxResponseBytes: 10 }))()).toEqual(
      E.left(Http.httpError('TooLarge', 'http://h/', 'response larger than 10 bytes')),
    )
  })

  it('a route with no replies says so', async () => {
    const http = fakeHttp(manualClock()).on('GET', 'http://h/')
    expect(await http.request(get('http://h/'))()).toEqual(
      E.left(
        Http.httpError(
          'ConnectionReset',
          'http://h/',
          'no reply scripted for GET http://h/ (pass at least one reply to on())',
        ),
      ),
    )
  })

  it('reset forgets routes and requests', async () => {
    const http = fakeHttp(manualClock()).on('GET', 'http://h/', text(200, ''))
    await http.request(get('http://h/'))()
    http.reset()
    await http.request(get('http://h/'))()
    expect([http.requests.length, http.unrouted.length]).toEqual([1, 1])
  })

  it('json and text build replies', () => {
    expect([json(201, [1]), text(200, 'r', { 'x-a': 'b' })]).toEqual([
      { status: 201, body: '[1]', headers: { 'content-type': 'application/json;charset=utf-8' } },
      { status: 200, body: 'r', headers: { 'content-type': 'text/plain', 'x-a': 'b' } },
    ])
  })
})
