import { manualClock } from '@alicred/testing'
import { type Emulator, type EmulatorOptions, openHandles, settle, startEmulator } from '@alicred/testing/emulator'
import { afterEach, describe, expect, it } from 'vitest'
import { jsonOf, rpc, send } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const running: Array<Emulator> = []
const start = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const emu = await startEmulator({
    clock: manualClock(T0),
    accessKeys: [{ accessKeyId: 'akid', accessKeySecret: 'aksecret' }],
    ...options,
  })
  running.push(emu)
  return emu
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()))
})

const who = (emu: Emulator) =>
  rpc(emu, { now: T0, secret: 'aksecret', params: { Action: 'GetCallerIdentity', AccessKeyId: 'akid' } })
const imdsToken = (emu: Emulator, timeoutMs?: number) =>
  send(`${emu.metadataBaseUrl}/latest/api/token`, {
    method: 'PUT',
    headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '60' },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  })

describe('lifecycle', () => {
  it('listens on a free loopback port and names every endpoint', async () => {
    const emu = await start()
    const url = `http://127.0.0.1:${emu.port}`
    expect(emu.port).toBeGreaterThan(0)
    expect({ ...emu }).toMatchObject({
      url,
      host: `127.0.0.1:${emu.port}`,
      stsEndpoint: url,
      metadataBaseUrl: url,
      credentialsUri: `${url}/credentials`,
      cloudSsoSignInUrl: `${url}/login`,
      oauthSignInUrl: url,
    })
    const other = await start()
    expect(other.port).not.toBe(emu.port)
  })

  it('refuses to listen on anything but loopback', async () => {
    await expect(startEmulator({ host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(
      new RangeError('the emulator listens on loopback only (127.0.0.1, ::1, localhost)'),
    )
  })

  it('stops idempotently, destroying hung and keep-alive sockets and delay timers, leaving no handle behind', async () => {
    // Only additions count: the runner's own throttled task-update timer may be pending here and gone at the end.
    const handles = await openHandles()
    const emu = await startEmulator({ clock: manualClock(T0) })
    emu.fault('imds.token', { type: 'hang', times: 1 })
    emu.fault('uri', { type: 'delay', ms: 60_000 })
    const hung = imdsToken(emu).catch((e: Error) => e.message)
    const delayed = send(emu.credentialsUri).catch((e: Error) => e.message)
    while ((emu.counts()['imds.token'] ?? 0) + (emu.counts().uri ?? 0) < 2) await settle()
    const t = Date.now()
    await Promise.all([emu.stop(), emu.stop()])
    expect(Date.now() - t).toBeLessThan(1000)
    expect(await hung).toMatch(/ECONNRESET|socket hang up/)
    expect(await delayed).toMatch(/ECONNRESET|socket hang up/)
    await emu[Symbol.asyncDispose]()
    await expect(imdsToken(emu)).rejects.toThrow('ECONNREFUSED')
    expect(await handles.added()).toEqual([])
  })
})

describe('faults', () => {
  it('answers a status with a body', async () => {
    const emu = await start()
    emu.fault('imds.token', { type: 'status', status: 503, body: 'down', times: 1 })
    const r = await imdsToken(emu)
    expect([r.status, r.body, r.headers['content-type']]).toEqual([503, 'down', 'text/plain;charset=utf-8'])
    expect((await imdsToken(emu)).status).toBe(200)
  })

  it("answers an error in the route's shape", async () => {
    const emu = await start()
    emu.fault('sts.*', {
      type: 'error',
      status: 500,
      code: 'InternalError',
      message: 'The request processing has failed.',
    })
    emu.fault('oauth.*', { type: 'error', status: 503, code: 'temporarily_unavailable' })
    const sts = await who(emu)
    expect([sts.status, jsonOf(sts)]).toEqual([
      500,
      {
        RequestId: expect.any(String),
        HostId: emu.host,
        Code: 'InternalError',
        Message: 'The request processing has failed.',
        Recommend: expect.stringContaining('q=InternalError'),
      },
    ])
    const oauth = await send(`${emu.oauthSignInUrl}/v1/exchange`, { method: 'POST' })
    expect([oauth.status, jsonOf(oauth)]).toEqual([
      503,
      { error: 'temporarily_unavailable', error_description: 'temporarily_unavailable' },
    ])
  })

  it('throttles after N calls for the next K: HTTP 400 Throttling on STS, 429 elsewhere', async () => {
    const emu = await start()
    emu.fault('sts.GetCallerIdentity', { type: 'throttle', after: 2, times: 3 })
    const statuses: Array<number> = []
    for (let i = 0; i < 6; i++) statuses.push((await who(emu)).status)
    expect(statuses).toEqual([200, 200, 400, 400, 400, 200])
    expect(emu.requests().map((r) => r.code ?? r.fault ?? '-')).toEqual([
      '-',
      '-',
      'Throttling',
      'Throttling',
      'Throttling',
      '-',
    ])
    emu.fault('imds.*', { type: 'throttle', code: 'Throttling.User' })
    const r = await imdsToken(emu)
    expect([r.status, r.body]).toEqual([429, 'Throttling.User: Request was denied due to request throttling.'])
  })

  it('delays, then answers normally', async () => {
    const emu = await start()
    emu.fault('uri', { type: 'delay', ms: 80 })
    const t = Date.now()
    expect((await send(emu.credentialsUri)).status).toBe(200)
    expect(Date.now() - t).toBeGreaterThanOrEqual(70)
  })

  it('hangs until the client gives up', async () => {
    const emu = await start()
    emu.fault('imds.token', { type: 'hang' })
    await expect(imdsToken(emu, 100)).rejects.toThrow('timeout')
    expect(emu.requests()).toEqual([
      { seq: 1, at: T0, route: 'imds.token', method: 'PUT', path: '/latest/api/token', fault: 'hang' },
    ])
  })

  it('resets the connection', async () => {
    const emu = await start()
    emu.fault('*', { type: 'reset' })
    await expect(imdsToken(emu)).rejects.toThrow('ECONNRESET')
  })

  it('answers a malformed body', async () => {
    const emu = await start()
    emu.fault('sts.GetCallerIdentity', { type: 'malformed' })
    const r = await who(emu)
    expect([r.status, r.body]).toEqual([200, '{"Credentials":{"AccessKeyId":'])
    expect(() => JSON.parse(r.body)).toThrow()
  })

  it('truncates the body after the headers', async () => {
    const emu = await start()
    emu.fault('uri', { type: 'truncated' })
    await expect(send(emu.credentialsUri)).rejects.toThrow('truncated')
    expect(emu.requests()).toMatchObject([{ route: 'uri', status: 200, fault: 'truncated' }])
  })

  it('draws probabilistic faults from the seed', async () => {
    const sequence = async (seed: number) => {
      const emu = await start({ seed })
      emu.fault('imds.token', { type: 'status', status: 500, probability: 0.5 })
      const out: Array<number> = []
      for (let i = 0; i < 16; i++) out.push((await imdsToken(emu)).status)
      return out
    }
    const a = await sequence(7)
    expect(await sequence(7)).toEqual(a)
    expect(a).toContain(500)
    expect(a).toContain(200)
  })

  it('can be removed one by one or all at once', async () => {
    const emu = await start()
    const remove = emu.fault('imds.token', { type: 'status', status: 500 })
    emu.fault('uri', { type: 'status', status: 500 })
    remove()
    expect((await imdsToken(emu)).status).toBe(200)
    emu.clearFaults()
    expect((await send(emu.credentialsUri)).status).toBe(200)
  })
})

describe('counters and log', () => {
  it('counts per route and logs each request without secrets; resetCounts clears both', async () => {
    const emu = await start()
    await who(emu)
    await imdsToken(emu)
    await send(`${emu.url}/nowhere?secret=x`)
    expect(emu.counts()).toEqual({ 'sts.GetCallerIdentity': 1, 'imds.token': 1, notFound: 1 })
    expect(emu.requests()).toEqual([
      { seq: 1, at: T0, route: 'sts.GetCallerIdentity', method: 'POST', path: '/', status: 200, accessKeyId: '****' },
      { seq: 2, at: T0, route: 'imds.token', method: 'PUT', path: '/latest/api/token', status: 200 },
      { seq: 3, at: T0, route: 'notFound', method: 'GET', path: '/nowhere', status: 404 },
    ])
    emu.resetCounts()
    expect([emu.counts(), emu.requests()]).toEqual([{}, []])
  })

  it('refuses bodies over 1 MiB with 413', async () => {
    const emu = await start()
    const r = await send(`${emu.url}/`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) })
    expect(r.status).toBe(413)
  })
})
