import { type Credential, CredentialsError, Env } from '@alicred/core'
import { defaultProvider, liveClock, liveEnv, sharedCapabilities, withOverrides } from '@alicred/node'
import { fakeCapabilities } from '@alicred/testing'
import type * as E from 'fp-ts/Either'
import { afterEach, describe, expect, it } from 'vitest'
import { startProxy, startServer } from './helpers/servers.js'

const SECRET = 'sk-SECRET-defaultprov'
const NOW = Date.parse('2024-01-01T00:00:00Z')
const base = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }
const withKeys = { ...base, ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET }

/** The key id of a Right holding a key credential (undefined otherwise). */
const idOf = (r: E.Either<unknown, Credential.Credential>): string | undefined =>
  r._tag === 'Right' && r.right.type !== 'bearer' ? r.right.accessKeyId : undefined

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('defaultProvider', () => {
  it('walks the default chain over the capabilities given', async () => {
    const caps = fakeCapabilities({ now: NOW, env: withKeys })
    const r = await defaultProvider({ capabilities: caps })()()
    expect(r._tag === 'Right' && [r.right.type, r.right.source, idOf(r)]).toEqual([
      'access_key',
      'default/env',
      'env-id',
    ])
  })

  it('is cached: concurrent first calls share one walk, later calls reuse the credential until forceRefresh', async () => {
    const caps = fakeCapabilities({ now: NOW, env: withKeys })
    const p = defaultProvider({ capabilities: caps })
    const results = await Promise.all([p()(), p()(), p()()])
    expect(results.map((r) => r._tag)).toEqual(['Right', 'Right', 'Right'])
    const readsAfterFirst = caps.env.reads.filter((n) => n === 'ALIBABA_CLOUD_ACCESS_KEY_ID').length
    caps.env.set('ALIBABA_CLOUD_ACCESS_KEY_ID', 'rotated-id')
    const cached = await p()()
    expect(idOf(cached)).toBe('env-id')
    expect(caps.env.reads.filter((n) => n === 'ALIBABA_CLOUD_ACCESS_KEY_ID').length).toBe(readsAfterFirst)
    const fresh = await p.forceRefresh()()
    expect(idOf(fresh)).toBe('rotated-id')
  })

  it('walks only the links asked for', async () => {
    const caps = fakeCapabilities({ now: NOW, env: withKeys })
    const r = await defaultProvider({ capabilities: caps, links: ['profile'] })()()
    expect(r._tag === 'Left' && r.left).toBeInstanceOf(CredentialsError.ChainExhausted)
    expect(r._tag === 'Left' && r.left._tag === 'ChainExhausted' && r.left.attempts.map((a) => a.provider)).toEqual([
      'default/profile',
    ])
  })

  it('uses the profile option', async () => {
    const ini = `[default]\ntype = access_key\naccess_key_id = d\naccess_key_secret = ${SECRET}\n[dev]\ntype = access_key\naccess_key_id = dev-id\naccess_key_secret = ${SECRET}\n`
    const caps = fakeCapabilities({ now: NOW, env: base, files: { '~/.alibabacloud/credentials': ini } })
    const r = await defaultProvider({ capabilities: caps, profile: 'dev' })()()
    expect(r._tag === 'Right' && [idOf(r), r.right.source]).toEqual(['dev-id', 'default/profile/static_ak'])
  })

  it('names the chain after the name option', async () => {
    const caps = fakeCapabilities({ now: NOW, env: withKeys })
    const r = await defaultProvider({ capabilities: caps, name: 'app' })()()
    expect(r._tag === 'Right' && r.right.source).toBe('app/env')
  })
})

describe('withOverrides / sharedCapabilities', () => {
  it('shares one set of live capabilities', () => {
    expect(sharedCapabilities()).toBe(sharedCapabilities())
    expect(sharedCapabilities().env).toBe(liveEnv)
    expect(withOverrides().http).toBe(sharedCapabilities().http)
  })

  it('replaces capabilities one by one and keeps live ones for the rest', () => {
    const clock = { now: () => 1, sleep: liveClock.sleep }
    const caps = withOverrides({ clock })
    expect([caps.clock, caps.env, caps.fs, caps.http]).toEqual([
      clock,
      sharedCapabilities().env,
      sharedCapabilities().fs,
      sharedCapabilities().http,
    ])
  })

  it('reads proxy variables from a replaced env', async () => {
    const s = await startServer((_req, res) => res.end('ok'))
    const p = await startProxy()
    cleanups.push(s.close, p.close)
    const caps = withOverrides({ env: Env.fromRecord({ HTTP_PROXY: p.url }) })
    expect(caps.http).not.toBe(sharedCapabilities().http)
    cleanups.push(() => (caps.http as { close?: () => void }).close?.())
    const r = await caps.http.request({ method: 'GET', url: `http://credentials.test:${s.port}/` })()
    expect(r._tag === 'Right' && r.right.body).toBe('ok')
    expect(p.connects).toEqual([`credentials.test:${s.port}`])
  })
})
