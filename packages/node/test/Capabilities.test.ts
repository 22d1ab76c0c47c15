import { Random } from '@alicred/core'
import { liveCapabilities, liveClock, liveEnv, liveExec } from '@alicred/node'
import { afterEach, describe, expect, it } from 'vitest'
import { startProxy, startServer } from './helpers/servers.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('liveCapabilities', () => {
  it('bundles the live capabilities, with WebCrypto randomness', () => {
    const caps = liveCapabilities()
    cleanups.push(caps.close)
    expect([caps.env, caps.clock, caps.exec, caps.random]).toEqual([liveEnv, liveClock, liveExec, Random.webCrypto])
    expect(caps.random.nonce()).toMatch(/^[0-9a-f]{32}$/)
  })

  it('takes an env record and a home directory', () => {
    const caps = liveCapabilities({ env: { ALIBABA_CLOUD_PROFILE: 'dev' }, home: '/home/test' })
    cleanups.push(caps.close)
    expect([caps.env.get('ALIBABA_CLOUD_PROFILE'), caps.env.get('PATH'), caps.fs.homedir()]).toEqual([
      'dev',
      undefined,
      '/home/test',
    ])
  })

  it('routes HTTP through the proxy named by that env, and close() ends pooled connections', async () => {
    const s = await startServer((_req, res) => res.end('ok'))
    const p = await startProxy()
    cleanups.push(s.close, p.close)
    const caps = liveCapabilities({ env: { HTTP_PROXY: p.url } })
    const r = await caps.http.request({ method: 'GET', url: `http://credentials.test:${s.port}/x` })()
    expect(r._tag === 'Right' && r.right.status).toBe(200)
    expect(p.connects).toEqual([`credentials.test:${s.port}`])
    caps.close()
    const end = Date.now() + 2_000
    while (p.open() > 0 && Date.now() < end) await new Promise((res) => setTimeout(res, 10))
    expect(p.open()).toBe(0)
  })
})
