// The ali-oss and @alicloud/pop-core adapters, with the real packages against loopback stand-ins of OSS and of an
// RPC API that record the AccessKey id and the security token of every request, across a credential rotation: two
// clients of each SDK share one cached provider (a credentials URI, also on loopback, driven by a manual clock).
import { inspect } from 'node:util'
import RPCClient from '@alicloud/pop-core'
import { Credential, CredentialsError, Expiration, Provider, Providers } from '@alicred/core'
import { type LiveCapabilities, liveCapabilities, toAliOssOptions, toPopCoreConfig } from '@alicred/node'
import { manualClock } from '@alicred/testing'
import OSS from 'ali-oss'
import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from './helpers/servers.js'

const MIN = 60_000
const T0 = Date.UTC(2024, 0, 1)

let caps: LiveCapabilities
let upstream: TestServer
let oss: TestServer
let rpc: TestServer
const clock = manualClock(T0)
let issued = 0

beforeEach(async () => {
  issued = 0
  await clock.set(T0)
  caps = liveCapabilities({ env: {} })
  // The credentials URI: a new STS credential per call, valid for an hour of the manual clock.
  upstream = await startServer((_req, res) => {
    issued++
    res.setHeader('content-type', 'application/json')
    res.end(
      JSON.stringify({
        Code: 'Success',
        AccessKeyId: `STS.key-${issued}`,
        AccessKeySecret: `secret-${issued}`,
        SecurityToken: `token-${issued}`,
        Expiration: Expiration.formatTimestamp(clock.now() + 60 * MIN),
      }),
    )
  })
  oss = await startServer((_req, res) => {
    res.writeHead(200, { ETag: '"etag"', 'x-oss-request-id': 'req' })
    res.end()
  })
  rpc = await startServer((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ RequestId: 'req', Regions: {} }))
  })
})

afterEach(async () => {
  caps.close()
  await Promise.all([upstream.close(), oss.close(), rpc.close()])
})

const sharedProvider = () => Providers.credentialsUri({ uri: `${upstream.origin}/creds` })({ ...caps, clock })

// The AccessKey id and token of each request the OSS stand-in saw (`Authorization: OSS <id>:<signature>`).
const ossSeen = () =>
  oss.requests.map((r) => [String(r.headers.authorization).slice(4).split(':')[0], r.headers['x-oss-security-token']])
const rpcSeen = () =>
  rpc.requests.map((r) => {
    const q = new URL(r.url, 'http://x').searchParams
    return [q.get('AccessKeyId'), q.get('SecurityToken')]
  })

describe('toAliOssOptions with the real ali-oss', () => {
  it('feeds two clients from one provider: one upstream call per credential, the new one before the old expires', async () => {
    const provider = sharedProvider()
    const client = async () =>
      new OSS({
        ...(await toAliOssOptions(provider, { refreshIntervalMs: 0 })),
        endpoint: oss.origin,
        cname: true,
        bucket: 'bucket',
      })
    const [a, b] = [await client(), await client()]
    await a.put('k', Buffer.from('x'))
    await b.put('k', Buffer.from('x'))
    await a.put('k', Buffer.from('x'))
    expect([ossSeen(), issued]).toEqual([
      [
        ['STS.key-1', 'token-1'],
        ['STS.key-1', 'token-1'],
        ['STS.key-1', 'token-1'],
      ],
      1,
    ])
    // 50 minutes on: inside the provider's 15-minute refresh window, the old credential still valid.
    await clock.advance(50 * MIN)
    await a.put('k', Buffer.from('x')) // asks the provider, which refreshes
    await clock.advance(0)
    await b.put('k', Buffer.from('x'))
    await a.put('k', Buffer.from('x'))
    await clock.advance(15 * MIN) // STS.key-1 has expired by now
    await b.put('k', Buffer.from('x'))
    const seen = ossSeen().slice(3)
    expect(seen.slice(-3)).toEqual([
      ['STS.key-2', 'token-2'],
      ['STS.key-2', 'token-2'],
      ['STS.key-2', 'token-2'],
    ])
    expect(seen.every(([id, token]) => token === `token-${String(id).slice(-1)}`)).toBe(true)
    expect(issued).toBe(2)
  })

  it('gives static AccessKey options without a token, and never shows the secret when printed', async () => {
    const options = await toAliOssOptions(
      Providers.staticAccessKey({ accessKeyId: 'LTAI5tStatic', accessKeySecret: 'static-SECRET' }),
    )
    expect({ ...options, refreshSTSToken: typeof options.refreshSTSToken }).toEqual({
      accessKeyId: 'LTAI5tStatic',
      accessKeySecret: 'static-SECRET',
      refreshSTSToken: 'function',
      refreshSTSTokenInterval: 60_000,
    })
    const refreshed = await options.refreshSTSToken()
    expect({ ...refreshed }).toEqual({ accessKeyId: 'LTAI5tStatic', accessKeySecret: 'static-SECRET', stsToken: '' })
    const sts = await toAliOssOptions(
      Providers.staticSts({ accessKeyId: 'STS.x', accessKeySecret: 'sts-SECRET', securityToken: 'sts-TOKEN' }),
    )
    for (const shown of [options, refreshed, sts, await sts.refreshSTSToken()].flatMap((o) => [
      JSON.stringify(o),
      inspect(o),
      String(inspect(o, { depth: 5 })),
    ])) {
      expect(shown).not.toMatch(/SECRET|TOKEN/)
    }
    // What ali-oss keeps (it copies the options) has the real values.
    expect(Object.assign({}, sts)).toMatchObject({ accessKeySecret: 'sts-SECRET', stsToken: 'sts-TOKEN' })
  })

  it("rejects with the provider's error, and refuses a bearer token", async () => {
    const failing = Provider.fail(new CredentialsError.NotConfigured('env', 'ALIBABA_CLOUD_ACCESS_KEY_ID is not set'))
    await expect(toAliOssOptions(failing)).rejects.toMatchObject({ _tag: 'NotConfigured', provider: 'env' })
    const bearer = Provider.of(Credential.bearer({ bearerToken: 'b-SECRET', source: 'cloud_sso' }))
    await expect(toAliOssOptions(bearer)).rejects.toMatchObject({
      _tag: 'InvalidConfiguration',
      message:
        'ali-oss signs with an AccessKey, but the provider gave a bearer token (source cloud_sso); use an AccessKey or STS source',
    })
  })
})

describe('toPopCoreConfig with the real @alicloud/pop-core', () => {
  it('feeds two RPC clients from one provider across a rotation, one upstream call per credential', async () => {
    const provider = sharedProvider()
    const client = async () =>
      new RPCClient({ endpoint: rpc.origin, apiVersion: '2014-05-26', ...(await toPopCoreConfig(provider)) })
    const [a, b] = [await client(), await client()]
    const call = (c: RPCClient) => c.request('DescribeRegions', {}, { method: 'GET' })
    await call(a)
    await call(b)
    expect([rpcSeen(), issued]).toEqual([
      [
        ['STS.key-1', 'token-1'],
        ['STS.key-1', 'token-1'],
      ],
      1,
    ])
    await clock.advance(50 * MIN) // inside the refresh window, the old credential still valid
    await call(a) // asks the provider, which refreshes
    await clock.advance(0)
    await call(b)
    expect(rpcSeen()[3]).toEqual(['STS.key-2', 'token-2']) // before STS.key-1 expires
    await clock.advance(15 * MIN)
    await call(a)
    await call(b)
    expect(rpcSeen().slice(-2)).toEqual([
      ['STS.key-2', 'token-2'],
      ['STS.key-2', 'token-2'],
    ])
    expect(rpcSeen().every(([id, token]) => token === `token-${String(id).slice(-1)}`)).toBe(true)
    expect(issued).toBe(2)
  })

  it('gives static keys to the config, and never shows the secret when printed', async () => {
    const config = await toPopCoreConfig(
      Providers.staticAccessKey({ accessKeyId: 'LTAI5tPop', accessKeySecret: 'pop-SECRET' }),
    )
    expect([config.accessKeyId, config.accessKeySecret, 'securityToken' in config]).toEqual([
      'LTAI5tPop',
      'pop-SECRET',
      false,
    ])
    const now = await config.credentialsProvider.getCredentials()
    for (const shown of [JSON.stringify(config), inspect(config), JSON.stringify(now), inspect(now)]) {
      expect(shown).not.toContain('SECRET')
    }
    const r = await Providers.staticAccessKey({ accessKeyId: 'LTAI5tPop', accessKeySecret: 'pop-SECRET' })()()
    expect(E.isRight(r)).toBe(true)
  })
})
