import { spawn } from 'node:child_process'
import { once } from 'node:events'
import type { LookupFunction } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Env, type Http } from '@alicred/core'
import { DEFAULT_USER_AGENT, type NodeHttp, type NodeHttpOptions, nodeHttp } from '@alicred/node'
import { startBlackhole } from '@alicred/testing/emulator'
import { afterEach, describe, expect, it } from 'vitest'
import { startProxy, startServer, type TestProxy, type TestServer, tlsCert } from './helpers/servers.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const server = async (...args: Parameters<typeof startServer>): Promise<TestServer> => {
  const s = await startServer(...args)
  cleanups.push(s.close)
  return s
}
const proxy = async (...args: Parameters<typeof startProxy>): Promise<TestProxy> => {
  const p = await startProxy(...args)
  cleanups.push(p.close)
  return p
}
const client = (options: NodeHttpOptions = {}): NodeHttp => {
  // Tests never read the real process.env: proxy variables come from a record.
  const h = nodeHttp({ env: Env.empty, ...options })
  cleanups.push(h.close)
  return h
}
const get = (url: string, extra: Partial<Http.HttpRequest> = {}): Http.HttpRequest => ({ method: 'GET', url, ...extra })

// Resolves the test-only name credentials.test to loopback, so direct (NO_PROXY) requests to it stay on this host.
const testLookup: LookupFunction = (hostname, options, callback) => {
  const cb = callback as unknown as (
    e: Error | null,
    address: string | Array<{ address: string; family: number }>,
    family?: number,
  ) => void
  if (hostname !== 'credentials.test')
    return cb(Object.assign(new Error('unexpected lookup'), { code: 'ENOTFOUND' }), '', 4)
  return options.all === true ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)
}

const waitFor = async (cond: () => boolean, ms = 2_000): Promise<void> => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('nodeHttp: requests and responses', () => {
  it('returns the whole response and sends method, headers and body as given', async () => {
    const s = await server((_req, res) => {
      res.setHeader('X-Request-Id', 'r-1')
      res.setHeader('Content-Type', 'application/json')
      res.end('{"ok":true}')
    })
    const r = await client().request({
      method: 'POST',
      url: `${s.origin}/path?Action=AssumeRole&Signature=abc`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'x-acs-credentials-provider': 'static_ak' },
      body: 'RoleArn=acs%3Aram&DurationSeconds=3600',
    })()
    expect(r).toEqual({
      _tag: 'Right',
      right: {
        status: 200,
        headers: expect.objectContaining({
          'x-request-id': 'r-1',
          'content-type': 'application/json',
          'content-length': '11',
        }),
        body: '{"ok":true}',
      },
    })
    expect(s.requests).toEqual([
      {
        method: 'POST',
        url: '/path?Action=AssumeRole&Signature=abc',
        headers: expect.objectContaining({
          'content-type': 'application/x-www-form-urlencoded',
          'x-acs-credentials-provider': 'static_ak',
          'content-length': '38',
          'user-agent': DEFAULT_USER_AGENT,
        }),
        body: 'RoleArn=acs%3Aram&DurationSeconds=3600',
      },
    ])
  })

  it('keeps a caller-set User-Agent, and sends none with userAgent: null', async () => {
    const s = await server((_req, res) => res.end())
    await client().request(get(s.origin, { headers: { 'User-Agent': 'mine/1' } }))()
    await client({ userAgent: null }).request(get(s.origin))()
    expect(s.requests.map((r) => r.headers['user-agent'])).toEqual(['mine/1', undefined])
  })

  it('returns a redirect as it is and never follows it', async () => {
    const s = await server((req, res) => {
      if (req.url === '/creds') {
        res.writeHead(302, { Location: '/elsewhere' })
        res.end()
      } else res.end('followed')
    })
    const r = await client().request(get(`${s.origin}/creds`))()
    expect(r).toEqual({
      _tag: 'Right',
      right: { status: 302, headers: expect.objectContaining({ location: '/elsewhere' }), body: '' },
    })
    expect(s.requests.map((q) => q.url)).toEqual(['/creds'])
  })

  it('fails with TooLarge when the declared length is over the cap', async () => {
    const s = await server((_req, res) => res.end('x'.repeat(2_000)))
    const r = await client().request(get(`${s.origin}/big?AccessKeyId=secretish`, { maxResponseBytes: 1_000 }))()
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        kind: 'TooLarge',
        url: `${s.origin}/big`,
        message: `the response from 127.0.0.1:${s.port} declares 2000 bytes, more than the 1000 allowed`,
      },
    })
  })

  it('fails with TooLarge when a streamed (chunked) body goes over the cap, and aborts the transfer', async () => {
    const s = await server((_req, res) => {
      res.write('x'.repeat(800))
      setTimeout(() => res.write('y'.repeat(800)), 20)
      // never ends: only the cap can stop the client
    })
    const started = Date.now()
    const r = await client().request(get(s.origin, { maxResponseBytes: 1_000, readTimeoutMs: 10_000 }))()
    expect(r._tag === 'Left' && r.left.kind).toBe('TooLarge')
    expect(Date.now() - started).toBeLessThan(5_000)
    await waitFor(() => s.open() === 0)
  })

  it('accepts a body of exactly the cap', async () => {
    const s = await server((_req, res) => res.end('x'.repeat(1_000)))
    const r = await client().request(get(s.origin, { maxResponseBytes: 1_000 }))()
    expect(r._tag === 'Right' && r.right.body.length).toBe(1_000)
  })

  it('fails (and never throws) on a header Node refuses to send', async () => {
    const s = await server((_req, res) => res.end())
    const r = await client().request(get(s.origin, { headers: { 'x-bad': 'line\nbreak' } }))()
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        kind: 'InvalidUrl',
        url: `${s.origin}/`,
        message: 'the request cannot be sent as it is (ERR_INVALID_CHAR); check its headers',
      },
    })
    expect(s.requests).toEqual([])
  })

  it('rejects URLs it cannot use with InvalidUrl', async () => {
    const h = client()
    expect(await h.request(get('not a url'))()).toEqual({
      _tag: 'Left',
      left: { _tag: 'HttpError', kind: 'InvalidUrl', url: '<invalid url>', message: 'not a valid absolute URL' },
    })
    expect(await h.request(get('ftp://127.0.0.1/x'))()).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        kind: 'InvalidUrl',
        url: 'ftp://127.0.0.1/x',
        message: 'unsupported scheme ftp:; only http: and https: are supported',
      },
    })
  })
})

describe('nodeHttp: transport failures', () => {
  it('maps a refused connection to ConnectionRefused', async () => {
    const s = await startServer((_q, res) => res.end())
    const { port } = s
    await s.close()
    const r = await client().request(get(`http://127.0.0.1:${port}/x`))()
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        kind: 'ConnectionRefused',
        url: `http://127.0.0.1:${port}/x`,
        message: `connection refused by 127.0.0.1:${port}; is the service running and the port right?`,
      },
    })
  })

  it('maps a connection closed mid-response to ConnectionReset', async () => {
    const s = await server((req) => req.socket.destroy())
    const r = await client().request(get(s.origin))()
    expect(r._tag === 'Left' && r.left.kind).toBe('ConnectionReset')
  })

  it('fails with ReadTimeout when the server accepts but never answers', async () => {
    const s = await server(() => undefined)
    const started = Date.now()
    const r = await client().request(get(`${s.origin}/slow`, { readTimeoutMs: 150, connectTimeoutMs: 5_000 }))()
    const took = Date.now() - started
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        kind: 'ReadTimeout',
        url: `${s.origin}/slow`,
        message: `no complete response from 127.0.0.1:${s.port} within 150 ms`,
      },
    })
    expect(took).toBeGreaterThanOrEqual(140)
    expect(took).toBeLessThan(2_000)
    // The abandoned connection is closed, not left dangling.
    await waitFor(() => s.open() === 0)
  })

  it('counts the read timeout to the end of the body, not to the headers', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200)
      res.write('partial')
    })
    const r = await client().request(get(s.origin, { readTimeoutMs: 150 }))()
    expect(r._tag === 'Left' && r.left.kind).toBe('ReadTimeout')
  })

  it('fails with ConnectTimeout when the connection is never accepted (full accept queue on loopback)', async () => {
    const hole = await startBlackhole()
    cleanups.push(hole.close)
    const started = Date.now()
    const r = await client().request(
      get(`http://127.0.0.1:${hole.port}/`, { connectTimeoutMs: 200, readTimeoutMs: 5_000 }),
    )()
    const took = Date.now() - started
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        kind: 'ConnectTimeout',
        url: `http://127.0.0.1:${hole.port}/`,
        message: `no connection to 127.0.0.1:${hole.port} within 200 ms`,
      },
    })
    expect(took).toBeGreaterThanOrEqual(190)
    expect(took).toBeLessThan(2_000)
  })

  it('uses the defaults from the options when a request sets no timeouts', async () => {
    const s = await server(() => undefined)
    const r = await client({ readTimeoutMs: 100 }).request(get(s.origin))()
    expect(r._tag === 'Left' && r.left.message).toBe(`no complete response from 127.0.0.1:${s.port} within 100 ms`)
  })
})

describe('nodeHttp: connection pooling', () => {
  it('reuses one keep-alive connection for sequential requests, and close() ends it', async () => {
    const s = await server((_req, res) => res.end('ok'))
    const h = client()
    for (let i = 0; i < 3; i++) expect((await h.request(get(s.origin))())._tag).toBe('Right')
    expect(s.connections()).toBe(1)
    expect(s.open()).toBe(1)
    h.close()
    await waitFor(() => s.open() === 0)
  })

  it('opens a new connection per request with keepAlive: false', async () => {
    const s = await server((_req, res) => res.end('ok'))
    const h = client({ keepAlive: false })
    await h.request(get(s.origin))()
    await h.request(get(s.origin))()
    expect(s.connections()).toBe(2)
  })

  it('does not keep the process alive with an idle pooled connection', async () => {
    const s = await server((_req, res) => res.end('ok'))
    const script = `
      import { nodeHttp } from './src/Http.ts'
      import { Env } from '@alicred/core'
      const h = nodeHttp({ env: Env.empty })
      const r = await h.request({ method: 'GET', url: process.argv.at(-1) })()
      console.log(r._tag === 'Right' ? r.right.status : r.left.kind)
      // no close(): the pooled socket is idle and must not hold the process
    `
    const cwd = fileURLToPath(new URL('..', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, s.origin], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
    })
    const started = Date.now()
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    const [code] = (await once(child, 'exit')) as [number | null]
    clearTimeout(killer)
    expect({ code, out: out.trim() }).toEqual({ code: 0, out: '200' })
    // The server keeps idle connections for 30 s; exiting well before proves the client socket was unref'd.
    expect(Date.now() - started).toBeLessThan(12_000)
    expect(s.connections()).toBe(1)
  }, 20_000)
})

describe('nodeHttp: TLS', () => {
  it('talks to an HTTPS server whose CA is added with ca', async () => {
    const s = await server((_req, res) => res.end('secure'), { tls: true })
    const r = await client({ ca: tlsCert }).request(get(`${s.origin}/x`))()
    expect(r._tag === 'Right' && r.right.body).toBe('secure')
  })

  it('rejects an untrusted certificate with a message that says what to do', async () => {
    const s = await server((_req, res) => res.end('secure'), { tls: true })
    const r = await client().request(get(`${s.origin}/x`))()
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left') {
      expect(r.left.kind).toBe('Network')
      expect(r.left.message).toMatch(
        /^the TLS certificate of 127\.0\.0\.1:\d+ was rejected \([A-Z_]+\); if a proxy inspects TLS/,
      )
    }
  })
})

describe('nodeHttp: proxies', () => {
  it('tunnels http:// requests through HTTP_PROXY with CONNECT', async () => {
    const s = await server((req, res) => res.end(`host=${req.headers.host}`))
    const p = await proxy()
    const h = client({ env: Env.fromRecord({ HTTP_PROXY: p.url }) })
    const r = await h.request(get(`http://credentials.test:${s.port}/creds`))()
    expect(r._tag === 'Right' && r.right.body).toBe(`host=credentials.test:${s.port}`)
    expect(p.connects).toEqual([`credentials.test:${s.port}`])
  })

  it('tunnels https:// requests through https_proxy (lower case wins over upper case) and verifies TLS end to end', async () => {
    const s = await server((_req, res) => res.end('via proxy'), { tls: true })
    const p = await proxy()
    const h = client({
      ca: tlsCert,
      // The upper-case variable points at a closed port: using it would fail.
      env: Env.fromRecord({ https_proxy: p.url, HTTPS_PROXY: 'http://127.0.0.1:1' }),
    })
    const r = await h.request(get(`https://credentials.test:${s.port}/creds`))()
    expect(r._tag === 'Right' && r.right.body).toBe('via proxy')
    expect(p.connects).toEqual([`credentials.test:${s.port}`])
  })

  it('reads the proxy variables at request time', async () => {
    const s = await server((_req, res) => res.end('ok'))
    const p = await proxy()
    const record: Record<string, string | undefined> = {}
    const h = client({ env: Env.fromRecord(record), lookup: testLookup })
    await h.request(get(`http://credentials.test:${s.port}/1`))()
    record.HTTP_PROXY = p.url
    await h.request(get(`http://credentials.test:${s.port}/2`))()
    expect(p.connects).toEqual([`credentials.test:${s.port}`])
    expect(s.requests.map((q) => q.url)).toEqual(['/1', '/2'])
  })

  it('goes direct for hosts in NO_PROXY', async () => {
    const s = await server((_req, res) => res.end('direct'))
    const p = await proxy()
    const h = client({ env: Env.fromRecord({ HTTP_PROXY: p.url, NO_PROXY: 'example.com,.test' }), lookup: testLookup })
    const r = await h.request(get(`http://credentials.test:${s.port}/`))()
    expect(r._tag === 'Right' && r.right.body).toBe('direct')
    expect(p.connects).toEqual([])
  })

  it('never proxies loopback, whatever the proxy variables say', async () => {
    const plain = await server((_req, res) => res.end('plain'))
    const secure = await server((_req, res) => res.end('secure'), { tls: true })
    const p = await proxy()
    const h = client({
      ca: tlsCert,
      env: Env.fromRecord({
        HTTP_PROXY: p.url,
        HTTPS_PROXY: p.url,
        ALL_PROXY: p.url,
        http_proxy: p.url,
        https_proxy: p.url,
      }),
    })
    const bodies = [
      await h.request(get(`http://127.0.0.1:${plain.port}/`))(),
      await h.request(get(`https://127.0.0.1:${secure.port}/`))(),
      await h.request(get(`http://localhost:${plain.port}/`))(),
    ].map((r) => (r._tag === 'Right' ? r.right.body : r.left.kind))
    expect(bodies).toEqual(['plain', 'secure', 'plain'])
    expect(p.connects).toEqual([])
  })

  it('names the variable of a malformed proxy URL, without repeating its value', async () => {
    const h = client({ env: Env.fromRecord({ HTTPS_PROXY: 'http://user:hunter2@[::1' }) })
    const r = await h.request(get('https://sts.example.test/?AccessKeyId=x'))()
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        kind: 'InvalidUrl',
        url: 'https://sts.example.test/',
        message: 'HTTPS_PROXY is not a valid proxy URL; set it to http://host:port (or unset it)',
      },
    })
    expect(JSON.stringify(r)).not.toContain('hunter2')
  })

  it('refuses proxy schemes it cannot speak', async () => {
    const h = client({ env: Env.fromRecord({ http_proxy: 'socks5://127.0.0.1:1080' }) })
    const r = await h.request(get('http://sts.example.test/'))()
    expect(r._tag === 'Left' && [r.left.kind, r.left.message]).toEqual([
      'InvalidUrl',
      'http_proxy uses the unsupported scheme socks5:; only http:// and https:// proxies are supported',
    ])
  })

  it('fails clearly when the proxy refuses the tunnel', async () => {
    const p = await proxy({ mode: 'refuse' })
    const h = client({ env: Env.fromRecord({ HTTPS_PROXY: p.url }) })
    const r = await h.request(get('https://credentials.test:8443/'))()
    expect(r._tag === 'Left' && [r.left.kind, r.left.message]).toEqual([
      'Network',
      "the proxy from HTTPS_PROXY refused to open a tunnel to credentials.test:8443 (HTTP 403); check the proxy's address and credentials",
    ])
  })

  it('counts the proxy handshake in the connect timeout and closes the abandoned proxy connection', async () => {
    const p = await proxy({ mode: 'silent' })
    const h = client({ env: Env.fromRecord({ HTTPS_PROXY: p.url }) })
    const r = await h.request(get('https://credentials.test:8443/', { connectTimeoutMs: 200 }))()
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        kind: 'ConnectTimeout',
        url: 'https://credentials.test:8443/',
        message: 'no connection to credentials.test:8443 through the proxy from HTTPS_PROXY within 200 ms',
      },
    })
    await waitFor(() => p.connects.length === 1 && p.open() === 0)
  })

  it('reports a proxy that is down as a refused connection through that proxy', async () => {
    const p = await startProxy()
    const url = p.url
    await p.close()
    const h = client({ env: Env.fromRecord({ HTTPS_PROXY: url }) })
    const r = await h.request(get('https://credentials.test:8443/'))()
    expect(r._tag === 'Left' && [r.left.kind, r.left.message]).toEqual([
      'ConnectionRefused',
      'connection refused by credentials.test:8443 through the proxy from HTTPS_PROXY; is the service running and the port right?',
    ])
  })
})
