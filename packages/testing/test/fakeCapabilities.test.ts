import { Credential, Provider, Providers } from '@alicred/core'
import { fakeCapabilities, fakeRandom, json } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'

describe('fakeCapabilities', () => {
  it('wires every fake from the options', async () => {
    const caps = fakeCapabilities({
      env: { ALIBABA_CLOUD_PROFILE: 'dev' },
      files: { '~/.alibabacloud/credentials': '[dev]' },
      home: '/home/me',
      now: 1_000,
      random: fakeRandom(0.25),
    })
    expect([
      caps.env.get('ALIBABA_CLOUD_PROFILE'),
      await caps.fs.readFile('/home/me/.alibabacloud/credentials')(),
      caps.clock.now(),
      caps.random.float(),
    ]).toEqual(['dev', E.right('[dev]'), 1_000, 0.25])
  })

  it('shares one manual clock between http delays, exec timeouts and the clock', async () => {
    const caps = fakeCapabilities({ now: 0 })
    caps.http.on('GET', 'http://127.0.0.1/x', { ...json(200, {}), delayMs: 50 })
    caps.exec.on('cmd', { hang: true })
    const r = caps.http.request({ method: 'GET', url: 'http://127.0.0.1/x' })()
    const x = caps.exec.run({ file: 'cmd', args: [], timeoutMs: 80 })()
    expect(caps.clock.pending()).toBe(2)
    await caps.clock.advance(80)
    expect([(await r)._tag, (await x)._tag]).toEqual(['Right', 'Left'])
  })

  it('defaults: empty env, no files, /home/user, 2024-01-01, fakeRandom', async () => {
    const caps = fakeCapabilities()
    expect([
      caps.env.get('HOME'),
      caps.fs.files.size,
      caps.fs.homedir(),
      caps.clock.now(),
      caps.random.nonce(),
    ]).toEqual([undefined, 0, '/home/user', Date.UTC(2024, 0, 1), 'nonce-0001'])
  })

  it('is enough to run a provider', async () => {
    const caps = fakeCapabilities()
    const p = Provider.cached(
      {},
      { clock: caps.clock },
    )(Providers.staticAccessKey({ accessKeyId: 'id', accessKeySecret: 's' }))
    expect(await p()()).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'id', accessKeySecret: 's', source: 'static_ak' })),
    )
  })
})
