// Keeps docs/troubleshooting.md keyed by real messages: each `### `message`` heading (with `…` standing for any text)
// must be a message that the code produces in one of the scenarios below, all run against fakes.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Chain, Config, type CredentialsError, Provider, Providers, Signature } from '@alicred/core'
import Client from '@alicred/node'
import { type FakeCapabilitiesOptions, fakeCapabilities, json, text } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const page = fileURLToPath(new URL('../docs/troubleshooting.md', import.meta.url))

// Messages that come from the live `Http` of @alicred/node (its own tests cover them); fakes cannot produce them.
const LIVE_ONLY = new Set([
  'STS AssumeRole failed: no complete response from sts.aliyuncs.com within 10000 ms (ReadTimeout on https://sts.aliyuncs.com/)',
])

const headings = (): ReadonlyArray<string> =>
  readFileSync(page, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('### '))
    .flatMap((l) => {
      const h = l.slice(4)
      if (h.startsWith('`` ')) return [h.slice(3, -3)]
      // `a` / `b`: two messages under one heading
      return /^`[^`]*`( \/ `[^`]*`)+$/.test(h) ? h.split(' / ').map((s) => s.slice(1, -1)) : [h.slice(1, -1)]
    })

const pattern = (heading: string): RegExp =>
  new RegExp(`^${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/…/g, '[\\s\\S]*?')}$`)

const HOME = '/home/me'
const STS = 'https://sts.aliyuncs.com/'
const METADATA = 'http://100.100.100.200'
// Every capabilities record made, so the warnings given to their reporters count as produced messages.
const made: Array<ReturnType<typeof fakeCapabilities>> = []
const caps = (o: FakeCapabilitiesOptions = {}) => {
  const c = fakeCapabilities({ home: HOME, ...o })
  made.push(c)
  return c
}
const ini = (s: string, env = {}) => caps({ env, files: { '~/.alibabacloud/credentials': s } })
const cli = (doc: unknown, env = {}) => caps({ env, files: { '~/.aliyun/config.json': JSON.stringify(doc) } })
const ak = Providers.staticAccessKey({ accessKeyId: 'LTAI5tExample', accessKeySecret: 'example-secret' })
const ROLE = 'acs:ram::1234567890123456:role/r'

const messagesOf = (e: CredentialsError.CredentialsError): ReadonlyArray<string> => [
  e.message,
  e.message.split('\n')[0] ?? '',
  ...(e._tag === 'ChainExhausted' ? e.attempts.map((a) => a.error.message) : []),
]

let warnings: Array<string> = []
beforeEach(() => {
  warnings = []
  made.length = 0
  vi.spyOn(console, 'warn').mockImplementation((...args: Array<unknown>) => {
    const line = args.map(String).join(' ')
    warnings.push(line, line.replace(/^alicred: /, ''))
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

const run = async (p: Provider.Provider): Promise<ReadonlyArray<string>> => {
  const r = await p()()
  return E.isLeft(r) ? messagesOf(r.left) : []
}

const sts = (...replies: Parameters<ReturnType<typeof caps>['http']['on']>[2][]) => {
  const c = caps()
  c.http.on('POST', STS, ...replies)
  return Providers.ramRoleArn({ source: ak, roleArn: ROLE })(c)
}

const scenarios = async (): Promise<ReadonlyArray<string>> => {
  const out: Array<string> = []
  const add = async (p: Provider.Provider) => {
    out.push(...(await run(p)))
  }
  // the chain
  const offEcs = caps()
  offEcs.http.on('PUT', `${METADATA}/latest/api/token`, { error: 'ConnectTimeout' })
  await add(Chain.defaultChain(offEcs))
  await add(
    Chain.defaultChain(caps({ env: { ALIBABA_CLOUD_PROFILE: 'prod', ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' } })),
  )
  await add(
    Chain.defaultChain(caps({ env: { ALIBABA_CLOUD_ROLE_ARN: ROLE, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' } })),
  )
  // environment
  await add(Providers.environment(caps({ env: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'x' } })))
  // files
  await add(Providers.iniProfile()(caps({ env: { ALIBABA_CLOUD_CREDENTIALS_FILE: '/etc/creds' } })))
  const unreadable = ini('[default]\n')
  unreadable.fs.failOn('~/.alibabacloud/credentials', 'EACCES')
  await add(Providers.iniProfile()(unreadable))
  await add(Providers.iniProfile()(ini('[default]\ntype = a\ntype = b\n')))
  await add(Providers.iniProfile()(ini('[default]\ntype = acess_key\n')))
  await add(Providers.iniProfile()(ini('[default]\ntype = ram_role_arn\naccess_key_id = x\naccess_key_secret = y\n')))
  await add(Providers.cliProfile()(caps({ files: { '~/.aliyun/config.json': '{"profiles": [' } })))
  await add(Providers.cliProfile()(cli({ current: 'dev', profiles: [{ name: 'a', mode: 'AK' }] })))
  await add(Providers.cliProfile()(cli({ current: 'a', profiles: [{ name: 'a', mode: 'Ak' }] })))
  await add(Providers.cliProfile()(cli({ current: '', profiles: [{ name: 'a', mode: 'AK' }] })))
  const cycle = [
    { name: 'a', mode: 'ChainableRamRoleArn', ram_role_arn: ROLE, source_profile: 'b' },
    { name: 'b', mode: 'ChainableRamRoleArn', ram_role_arn: ROLE, source_profile: 'a' },
  ]
  await add(Providers.cliProfile()(cli({ current: 'a', profiles: cycle })))
  // an OAuth profile whose write-back finds the profile gone
  const oauth = cli({
    current: 'dev',
    profiles: [
      { name: 'dev', mode: 'OAuth', oauth_site_type: 'CN', oauth_access_token: 'at', oauth_access_token_expire: 2e9 },
    ],
  })
  oauth.http.on('POST', 'https://oauth.aliyun.com/v1/exchange', () => {
    oauth.fs.put('~/.aliyun/config.json', '{"profiles": []}')
    return json(200, { accessKeyId: 'a', accessKeySecret: 'b', securityToken: 'c', expiration: '2024-01-01T01:00:00Z' })
  })
  await add(Providers.cliProfile()(oauth))
  // configuration of a source
  await add(Providers.ramRoleArn({ source: ak })(caps()))
  await add(Providers.ramRoleArn({ source: ak, roleArn: ROLE, durationSeconds: 100 })(caps()))
  await add(Providers.ramRoleArn({ source: ak, roleArn: ROLE, endpoint: 'http://sts.example.com' })(caps()))
  await add(Providers.ramRoleArn({ source: ak, roleArn: ROLE, region: 'cn hangzhou' })(caps()))
  await add(Providers.ramRoleArn({ source: Providers.environment(caps()), roleArn: ROLE })(caps()))
  await add(Providers.staticAccessKey({ accessKeyId: '', accessKeySecret: ' ' }))
  await add(Config.fromConfig({ type: 'ram_role_arn', roleArn: ROLE })(caps()))
  for (const config of [{}, { type: 'foo' }, { type: 'ecs_ram_role' }]) {
    try {
      new Client(config, null, {
        capabilities: { ...caps({ env: { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' } }) },
      })
    } catch (e) {
      out.push((e as Error).message)
    }
  }
  await add(Config.fromConfig({ type: 'access_key', accessKeyId: 'x' } as unknown as Config.Config)(caps()))
  // STS
  const error = (status: number, Code: string, Message: string) =>
    json(status, { Code, Message, RequestId: '4C3E8F1A-0B2D-4E6F-9A8B-7C6D5E4F3A2B' })
  await add(sts(error(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.')))
  await add(sts(error(403, 'NoPermission', 'You are not authorized to do this action.')))
  await add(sts(error(400, 'Throttling.User', 'Request was denied due to user flow control.')))
  await add(sts(text(500, 'upstream error')))
  await add(
    sts(json(200, { Credentials: { AccessKeyId: 'a', AccessKeySecret: 'b', SecurityToken: 'c', Expiration: 'x' } })),
  )
  await add(
    sts((req) => {
      // STS computed the same string to sign, so the secret is what differs.
      const url = new URL(req.url)
      const params = Object.fromEntries([...url.searchParams, ...new URLSearchParams(req.body ?? '')])
      delete params.Signature
      const toSign = Signature.stringToSign('POST', params)
      return json(400, {
        Code: 'SignatureDoesNotMatch',
        Message: `Specified signature is not matched with our calculation. server string to sign is:${toSign}`,
      })
    }),
  )
  // OIDC
  const TOKEN = '/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token'
  const pod = caps({
    env: { ALIBABA_CLOUD_ROLE_ARN: ROLE, ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'p', ALIBABA_CLOUD_OIDC_TOKEN_FILE: TOKEN },
  })
  await add(Providers.oidcRoleArn({})(pod))
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  pod.fs.put(TOKEN, `${b64({ alg: 'RS256' })}.${b64({ exp: Date.UTC(2024, 0, 1) / 1000 })}.c2ln\n`)
  await add(Providers.oidcRoleArn({})(pod))
  // ECS metadata
  const ecs = (env = {}) => {
    const c = caps({ env })
    c.http.on('PUT', `${METADATA}/latest/api/token`, text(200, 'token'))
    return c
  }
  const noRole = ecs()
  noRole.http.on('GET', `${METADATA}/latest/meta-data/ram/security-credentials/`, text(404, ''))
  await add(Providers.ecsRamRole()(noRole))
  const v2only = caps({ env: { ALIBABA_CLOUD_IMDSV1_DISABLED: 'true' } })
  v2only.http.on('PUT', `${METADATA}/latest/api/token`, text(403, ''))
  await add(Providers.ecsRamRole()(v2only))
  const failed = ecs()
  failed.http.on('GET', `${METADATA}/latest/meta-data/ram/security-credentials/r`, json(200, { Code: 'Failed' }))
  await add(Providers.ecsRamRole({ roleName: 'r' })(failed))
  // credentials URI, CloudSSO, OAuth, External
  await add(Providers.credentialsUri()(caps()))
  const uri = caps()
  uri.http.on('GET', 'http://127.0.0.1:8080/c', json(200, { Code: 'Failed' }))
  await add(Providers.credentialsUri({ uri: 'http://127.0.0.1:8080/c' })(uri))
  const sso = { signInUrl: 'https://signin.example/login', accountId: '1', accessConfig: 'ac', accessToken: 't' }
  await add(Providers.cloudSso({ ...sso, accessTokenExpire: 1 })(caps()))
  await add(Providers.oauth({ siteType: 'CN', accessToken: 'a', accessTokenExpire: 1 })(caps()))
  const helper = caps()
  helper.exec.on('cred-helper', { exitCode: 2, stdout: '', stderr: '' })
  await add(Providers.external({ processCommand: 'cred-helper --json' })(helper))
  const sloppy = caps()
  sloppy.exec.on('cred-helper', {
    exitCode: 0,
    stdout: '{"access_key_id":"a","access_key_secret":"b","expiration":"tomorrow"}',
    stderr: '',
  })
  await add(Providers.external({ processCommand: 'cred-helper --json' })(sloppy))
  // caching
  const expiring = (c: ReturnType<typeof caps>, ...later: Parameters<ReturnType<typeof caps>['http']['on']>[2][]) => {
    c.http.on(
      'GET',
      'http://127.0.0.1/c',
      json(200, { AccessKeyId: 'a', AccessKeySecret: 'b', SecurityToken: 'c', Expiration: '2024-01-01T01:00:00Z' }),
      ...later,
    )
    return Providers.credentialsUri({ uri: 'http://127.0.0.1/c' })(c)
  }
  const outage = caps()
  const down = expiring(outage, text(503, ''))
  await down()()
  await outage.clock.advance(61 * 60_000)
  await add(down)
  const stale = caps()
  const flaky = Providers.ramRoleArn({ source: ak, roleArn: ROLE })(stale)
  stale.http.on(
    'POST',
    STS,
    json(200, {
      Credentials: { AccessKeyId: 'a', AccessKeySecret: 'b', SecurityToken: 'c', Expiration: '2024-01-01T01:00:00Z' },
    }),
    text(503, ''),
  )
  await flaky()()
  await stale.clock.advance(51 * 60_000)
  await add(flaky)
  await add(
    sts(
      json(200, {
        Credentials: { AccessKeyId: 'a', AccessKeySecret: 'b', SecurityToken: 'c', Expiration: '2023-01-01T00:00:00Z' },
      }),
    ),
  )
  await add(
    Provider.protect('mine')(() => () => {
      throw new TypeError('boom')
    }),
  )
  const reported = made.flatMap((c) => c.reporter.warnings).flatMap((w) => [w, w.replace(/^alicred: /, '')])
  return [...out, ...warnings, ...reported]
}

describe('docs/troubleshooting.md', () => {
  it('is keyed by messages the code produces', async () => {
    const produced = await scenarios()
    expect(headings().length).toBeGreaterThan(40)
    const undocumented = headings()
      .filter((h) => !LIVE_ONLY.has(h))
      .filter((h) => !produced.some((m) => pattern(h).test(m)))
    expect(undocumented).toEqual([])
  })
})
