import { request } from 'node:http'
import { createServer, type Server } from 'node:net'
import { Providers } from '@alicred/core'
import { nodeHttp } from '@alicred/node'
import { json } from '@alicred/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../src/index.js'
import { AK, SECRET, type TestRuntime, testRuntime, until } from '../_support/runtime.js'

const OFF = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }
const UPSTREAM = 'http://127.0.0.1:9/upstream'
const LINE = /^ALIBABA_CLOUD_CREDENTIALS_URI=(http:\/\/127\.0\.0\.1:(\d+)(\/[0-9a-f]{32}))\n$/
const upstream = {
  Code: 'Success',
  AccessKeyId: 'STS.upstream',
  AccessKeySecret: SECRET,
  SecurityToken: 'token-SECRET',
  Expiration: '2024-01-01T06:00:00Z',
}

interface Running {
  readonly rt: TestRuntime
  readonly url: string
  readonly port: number
  readonly path: string
  readonly done: Promise<number>
}

let running: Array<Running> = []
afterEach(async () => {
  for (const r of running) {
    r.rt.raise('SIGTERM')
    await r.done
  }
  running = []
})

const start = async (rt: TestRuntime, argv: ReadonlyArray<string> = []): Promise<Running> => {
  const done = main(['serve', ...argv], rt)
  await Promise.race([until(() => LINE.test(rt.out.text)), done])
  const m = LINE.exec(rt.out.text)
  if (m === null) throw new Error(`serve did not start: ${rt.err.text}`)
  const r = { rt, url: m[1]!, port: Number(m[2]), path: m[3]!, done }
  running.push(r)
  return r
}

const get = (
  port: number,
  path: string,
  options: { method?: string; host?: string; authorization?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: {
          ...(options.host === undefined ? {} : { host: options.host }),
          ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
        },
      },
      (res) => {
        let body = ''
        res.on('data', (c) => {
          body += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })

const uriRuntime = () => {
  const rt = testRuntime({ env: { ...OFF, ALIBABA_CLOUD_CREDENTIALS_URI: UPSTREAM } })
  rt.capabilities.http.on('GET', UPSTREAM, json(200, upstream), json(500, { Code: 'Down' }))
  return rt
}

describe('alicred serve', () => {
  it('serves the credentials in the credentials-URI format on the printed URL only', async () => {
    const { rt, port, path } = await start(uriRuntime())
    const ok = await get(port, path)
    expect(ok).toEqual({
      status: 200,
      headers: expect.objectContaining({
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      }),
      body: JSON.stringify(upstream),
    })
    expect((await get(port, '/')).status).toBe(404)
    expect((await get(port, `${path}/`)).status).toBe(404)
    expect((await get(port, path.slice(0, -1))).status).toBe(404)
    expect((await get(port, path, { host: `evil.example:${port}` })).status).toBe(404)
    expect((await get(port, path, { host: `localhost:${port}` })).status).toBe(200)
    const post = await get(port, path, { method: 'POST' })
    expect([post.status, post.headers.allow]).toEqual([405, 'GET'])
    // one upstream fetch: everything after the first answer came from the cache
    expect(rt.capabilities.http.requestsTo(UPSTREAM)).toHaveLength(1)
    for (const secret of [SECRET, 'token-SECRET', path.slice(1)]) expect(rt.err.text).not.toContain(secret)
  })

  it('once it is stopped, env and explain with its URI show scheme, host and port only, never the path', async () => {
    const served = await start(uriRuntime())
    served.rt.raise('SIGTERM')
    expect(await served.done).toBe(0)
    running = running.filter((r) => r !== served)
    const http = nodeHttp({})
    try {
      for (const argv of [['env'], ['explain'], ['explain', '--json'], ['--debug', 'env']]) {
        const base = testRuntime({ env: { ...OFF, ALIBABA_CLOUD_CREDENTIALS_URI: served.url } })
        const rt = testRuntime({
          env: { ...OFF, ALIBABA_CLOUD_CREDENTIALS_URI: served.url },
          overrides: { capabilities: { ...base.capabilities, http } },
        })
        expect(await main(argv, rt)).toBe(1)
        const shown = `${rt.out.text}\n${rt.err.text}`
        expect(shown, argv.join(' ')).toContain(`http://127.0.0.1:${served.port}/…`)
        expect(shown, argv.join(' ')).not.toContain(served.path.slice(1))
        expect(shown, argv.join(' ')).not.toContain(served.path.slice(1, 9))
      }
    } finally {
      http.close()
    }
  })

  it('with --token, also requires Authorization: Bearer <token>, which the credentials_uri provider sends', async () => {
    const rt = uriRuntime()
    const done = main(['serve', '--token'], rt)
    const TWO =
      /^ALIBABA_CLOUD_CREDENTIALS_URI=(http:\/\/127\.0\.0\.1:(\d+)(\/[0-9a-f]{32}))\nALICRED_CREDENTIALS_URI_TOKEN=([\w-]{43})\n$/
    await Promise.race([until(() => TWO.test(rt.out.text)), done])
    const m = TWO.exec(rt.out.text)
    if (m === null) throw new Error(`serve did not start: ${rt.err.text}`)
    running.push({ rt, url: m[1]!, port: Number(m[2]), path: m[3]!, done })
    const [, url, port, path, token] = m as unknown as [string, string, string, string, string]
    expect((await get(Number(port), path)).status).toBe(401)
    expect((await get(Number(port), path, { authorization: `Bearer ${token.slice(0, -1)}x` })).status).toBe(401)
    expect((await get(Number(port), path, { authorization: token })).status).toBe(401)
    expect((await get(Number(port), path, { authorization: `Bearer ${token}` })).status).toBe(200)
    // a wrong path is still a 404, token or not
    expect((await get(Number(port), '/', { authorization: `Bearer ${token}` })).status).toBe(404)
    const http = nodeHttp({})
    try {
      const base = testRuntime().capabilities
      const withToken = { ...testRuntime({ env: { ALICRED_CREDENTIALS_URI_TOKEN: token } }).capabilities, http }
      const ok = await Providers.credentialsUri({ uri: url })(withToken)()()
      expect(ok._tag === 'Right' && ok.right.type === 'sts' && ok.right.accessKeyId).toBe('STS.upstream')
      const refused = await Providers.credentialsUri({ uri: url })({ ...base, http })()()
      expect(refused._tag === 'Left' && refused.left.message).toBe(
        `credentials URI GET http://127.0.0.1:${port}/… answered HTTP 401: code Unauthorized: the server wants a bearer token; set ALICRED_CREDENTIALS_URI_TOKEN (\`alicred serve --token\` prints it)`,
      )
    } finally {
      http.close()
    }
    for (const secret of [token, path.slice(1)]) expect(rt.err.text).not.toContain(secret)
  })

  it('is read back by the credentials_uri provider, as any SDK would', async () => {
    const { url } = await start(uriRuntime())
    const http = nodeHttp({})
    try {
      const caps = { ...testRuntime().capabilities, http }
      const r = await Providers.credentialsUri({ uri: url })(caps)()()
      expect(
        r._tag === 'Right' &&
          r.right.type === 'sts' && [r.right.type, r.right.accessKeyId, r.right.accessKeySecret, r.right.expiration],
      ).toEqual(['sts', 'STS.upstream', SECRET, new Date('2024-01-01T06:00:00Z')])
    } finally {
      http.close()
    }
  })

  it('never serves an expired credential: once the source fails after expiry, 503 with the reason', async () => {
    const { rt, port, path } = await start(uriRuntime())
    await rt.capabilities.clock.advance(6 * 3_600_000 + 1)
    const r = await get(port, path)
    expect(r.status).toBe(503)
    expect(JSON.parse(r.body)).toEqual({
      Code: 'CredentialsUnavailable',
      Message: expect.stringContaining('SourceFailure'),
    })
    expect(r.body).not.toContain(SECRET)
  })

  it('serves STS credentials without a known expiry with a rolling Expiration an hour ahead', async () => {
    const rt = testRuntime({ env: { ...OFF, ...AK, ALIBABA_CLOUD_SECURITY_TOKEN: 'tok' } })
    const { port, path } = await start(rt)
    expect(JSON.parse((await get(port, path)).body).Expiration).toBe('2024-01-01T01:00:00Z')
    await rt.capabilities.clock.advance(30 * 60_000)
    expect(JSON.parse((await get(port, path)).body).Expiration).toBe('2024-01-01T01:30:00Z')
  })

  it('stops on a signal, closing the port, exit 0', async () => {
    const r = await start(uriRuntime())
    running = []
    expect(r.rt.raise('SIGINT')).toBe(1)
    expect(await r.done).toBe(0)
    expect(r.rt.subscribers()).toBe(0)
    await expect(get(r.port, r.path)).rejects.toThrow(/ECONNREFUSED/)
  })

  it('refuses a long-lived AccessKey pair: the URI format has no place for it (exit 1)', async () => {
    const rt = testRuntime({ env: { ...OFF, ...AK } })
    expect(await main(['serve'], rt)).toBe(1)
    expect(rt.out.text).toBe('')
    expect(rt.err.text).toBe(
      'alicred serve: the credential from default/env is a long-lived AccessKey pair, but the credentials-URI format carries only STS credentials (with SecurityToken and Expiration); serve a source that yields STS credentials, such as a ram_role_arn profile.\n',
    )
  })

  it('a busy port: one line, exit 1', async () => {
    const busy: Server = createServer()
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
    const port = (busy.address() as { port: number }).port
    try {
      const rt = uriRuntime()
      expect(await main(['serve', '--port', String(port)], rt)).toBe(1)
      expect(rt.err.text).toBe(
        `alicred serve: port ${port} on 127.0.0.1 is already in use; choose another with --port, or leave --port out to take a free one.\n`,
      )
    } finally {
      await new Promise((r) => busy.close(r))
    }
  })

  it('a bad --port is a usage error', async () => {
    const rt = uriRuntime()
    expect(await main(['serve', '--port', 'http'], rt)).toBe(2)
    expect(rt.err.text).toBe(
      "alicred serve: --port must be a whole number from 0 to 65535 (0 takes any free port), not 'http'. Run 'alicred serve --help' for usage.\n",
    )
  })
})
