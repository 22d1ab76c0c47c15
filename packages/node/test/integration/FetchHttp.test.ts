// Http.fromFetch of @alicred/core over Node's own global fetch (undici), against servers on 127.0.0.1: the same
// contract as nodeHttp (packages/node/test/Http.test.ts), with the one documented difference (a server that accepts
// but never answers fails the connect deadline, as fetch has no "connected" event).
// The same Http runs in Deno, Bun and workerd: test/runtimes/conformance.
import { Http } from '@alicred/core'
import { startBlackhole } from '@alicred/testing/emulator'
import { afterEach, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../helpers/servers.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const server = async (...args: Parameters<typeof startServer>): Promise<TestServer> => {
  const s = await startServer(...args)
  cleanups.push(s.close)
  return s
}

const get = (url: string, extra: Partial<Http.HttpRequest> = {}): Http.HttpRequest => ({ method: 'GET', url, ...extra })

const waitFor = async (cond: () => boolean, ms = 2_000): Promise<void> => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

// The connection of an abandoned request is closed. (Node's fetch may then open a spare idle one to the same origin,
// without a request on it; the server's cleanup closes that.)
const closedOne = (s: TestServer): boolean => s.connections() - s.open() >= 1

const http = Http.fromFetch()

describe('Http.fromFetch over Node fetch, on loopback', () => {
  it('returns the whole response and sends method, headers and body as given', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Acs-Request-Id': 'req-1' })
      res.end('{"ok":true}')
    })
    const r = await http.request({
      method: 'POST',
      url: `${s.origin}/v1/creds?x=1`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'x-extra': 'e' },
      body: 'a=b&c=d',
    })()
    expect(r._tag === 'Right' && [r.right.status, r.right.body, r.right.headers['x-acs-request-id']]).toEqual([
      200,
      '{"ok":true}',
      'req-1',
    ])
    expect(
      s.requests.map((q) => [
        q.method,
        q.url,
        q.body,
        q.headers['content-type'],
        q.headers['x-extra'],
        q.headers['content-length'],
      ]),
    ).toEqual([['POST', '/v1/creds?x=1', 'a=b&c=d', 'application/x-www-form-urlencoded', 'e', '7']])
  })

  it('returns a redirect as it is and never follows it', async () => {
    const target = await server((_req, res) => res.end('followed'))
    const s = await server((_req, res) => {
      res.writeHead(302, { Location: `${target.origin}/steal` })
      res.end()
    })
    const r = await http.request(get(`${s.origin}/creds`))()
    expect(r._tag === 'Right' && [r.right.status, r.right.headers.location]).toEqual([302, `${target.origin}/steal`])
    expect(target.requests).toEqual([])
  })

  it('fails with TooLarge when the declared length is over the cap', async () => {
    const s = await server((_req, res) => res.end('x'.repeat(2_000)))
    const r = await http.request(get(`${s.origin}/big?AccessKeyId=secretish`, { maxResponseBytes: 1_000 }))()
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        kind: 'TooLarge',
        url: `${s.origin}/…`,
        message: `the response from 127.0.0.1:${s.port} declares 2000 bytes, more than the 1000 allowed`,
      },
    })
  })

  it('fails with TooLarge while a chunked body streams past the cap, and aborts the transfer', async () => {
    const s = await server((_req, res) => {
      res.write('x'.repeat(800))
      setTimeout(() => res.write('y'.repeat(800)), 20)
      // never ends: only the cap can stop the client
    })
    const started = Date.now()
    const r = await http.request(get(s.origin, { maxResponseBytes: 1_000, readTimeoutMs: 10_000 }))()
    expect(r._tag === 'Left' && r.left.kind).toBe('TooLarge')
    expect(Date.now() - started).toBeLessThan(5_000)
    await waitFor(() => closedOne(s))
  })

  it('maps a refused connection to ConnectionRefused', async () => {
    const s = await startServer((_q, res) => res.end())
    const { port } = s
    await s.close()
    const r = await http.request(get(`http://127.0.0.1:${port}/secret/path?token=t`))()
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        kind: 'ConnectionRefused',
        url: `http://127.0.0.1:${port}/…`,
        message: `connection refused by 127.0.0.1:${port}; is the service running and the port right?`,
      },
    })
  })

  it('maps a connection closed before the answer to ConnectionReset', async () => {
    const s = await server((req) => req.socket.destroy())
    const r = await http.request(get(s.origin))()
    expect(r._tag === 'Left' && r.left.kind).toBe('ConnectionReset')
  })

  it('maps a connection closed mid-body to ConnectionReset', async () => {
    const s = await server((req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('partial')
      setTimeout(() => req.socket.destroy(), 20)
    })
    const r = await http.request(get(s.origin))()
    expect(r._tag === 'Left' && r.left.kind).toBe('ConnectionReset')
  })

  it('fails with ReadTimeout when the body stalls after the headers, and closes the connection', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200)
      res.write('partial')
    })
    const started = Date.now()
    const r = await http.request(get(s.origin, { connectTimeoutMs: 5_000, readTimeoutMs: 150 }))()
    const took = Date.now() - started
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        kind: 'ReadTimeout',
        url: `${s.origin}/`,
        message: `no complete response from 127.0.0.1:${s.port} within 150 ms`,
      },
    })
    expect(took).toBeGreaterThanOrEqual(140)
    expect(took).toBeLessThan(2_000)
    await waitFor(() => closedOne(s))
  })

  it('fails with ConnectTimeout when the connection is never accepted (black-holed port)', async () => {
    const hole = await startBlackhole()
    cleanups.push(hole.close)
    const started = Date.now()
    const r = await http.request(
      get(`http://127.0.0.1:${hole.port}/`, { connectTimeoutMs: 200, readTimeoutMs: 5_000 }),
    )()
    const took = Date.now() - started
    expect(r._tag === 'Left' && [r.left.kind, r.left.url]).toEqual(['ConnectTimeout', `http://127.0.0.1:${hole.port}/`])
    expect(took).toBeGreaterThanOrEqual(190)
    expect(took).toBeLessThan(2_000)
  })

  it('(the documented difference) counts a server that accepts but never answers against the connect deadline', async () => {
    const s = await server(() => undefined)
    const r = await http.request(get(s.origin, { connectTimeoutMs: 150, readTimeoutMs: 5_000 }))()
    expect(r._tag === 'Left' && r.left.kind).toBe('ConnectTimeout')
    await waitFor(() => closedOne(s))
  })
})
