import { Chain, Credential, CredentialsError, type Provider } from '@alicred/core'
import { type FakeCapabilities, json } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import {
  CLI_PATH,
  ecsRoutes,
  expectNoLeak,
  INI_PATH,
  jwt,
  leftOf,
  rightOf,
  SECRET,
  setup,
  shape,
  stsBlock,
  stsRoutes,
  TOKEN,
} from './internal/_config.js'

const URI = 'http://127.0.0.1:8080/creds'
const TOKEN_FILE = '/var/run/secrets/oidc/token'
const cliFile = JSON.stringify({
  current: 'cli',
  profiles: [{ name: 'cli', mode: 'AK', access_key_id: 'cli-id', access_key_secret: SECRET }],
})
const iniFile = `[default]\ntype = access_key\naccess_key_id = ini-id\naccess_key_secret = ${SECRET}\n`
const envAk = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET }
const envOidc = {
  ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/pod',
  ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1:oidc-provider/ack',
  ALIBABA_CLOUD_OIDC_TOKEN_FILE: TOKEN_FILE,
}
const OFF = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }

/** Every source of the chain set up at once; `without` removes some. */
const everything = (without: ReadonlyArray<Chain.LinkName> = []): FakeCapabilities => {
  const has = (l: Chain.LinkName) => !without.includes(l)
  const caps = setup({
    env: {
      ...(has('env') ? envAk : {}),
      ...(has('oidc_role_arn') ? envOidc : {}),
      ...(has('credential_uri') ? { ALIBABA_CLOUD_CREDENTIALS_URI: URI } : {}),
      ...(has('ecs_ram_role') ? {} : OFF),
    },
    files: {
      [TOKEN_FILE]: jwt,
      ...(has('cli_profile') ? { [CLI_PATH]: cliFile } : {}),
      ...(has('profile') ? { [INI_PATH]: iniFile } : {}),
    },
  })
  stsRoutes(caps, 'STS.oidc')
  caps.http.on('GET', URI, json(200, { Code: 'Success', ...stsBlock('STS.uri') }))
  ecsRoutes(caps)
  return caps
}

const sourceOf = async (p: Provider.Provider) => rightOf(await p()()).source

describe('defaultChain: order, link by link', () => {
  const order: ReadonlyArray<readonly [ReadonlyArray<Chain.LinkName>, string]> = [
    [[], 'default/env'],
    [['env'], 'default/oidc_role_arn'],
    [['env', 'oidc_role_arn'], 'default/cli_profile/static_ak'],
    [['env', 'oidc_role_arn', 'cli_profile'], 'default/profile/static_ak'],
    [['env', 'oidc_role_arn', 'cli_profile', 'profile'], 'default/credential_uri'],
    [['env', 'oidc_role_arn', 'cli_profile', 'profile', 'credential_uri'], 'default/ecs_ram_role'],
  ]
  it.each(order)('without %j the answer comes from %s', async (without, source) => {
    const caps = everything(without)
    expect(await sourceOf(Chain.defaultChain()(caps))).toBe(source)
  })

  it('a link that answers stops the walk: later sources are not touched', async () => {
    const caps = everything(['env', 'oidc_role_arn'])
    expect(await sourceOf(Chain.defaultChain()(caps))).toBe('default/cli_profile/static_ak')
    expect(caps.fs.reads).toEqual([CLI_PATH])
    expect(caps.http.requests).toEqual([])
  })

  it('the credential itself is the source’s, renamed', async () => {
    expect(await Chain.defaultChain()(everything())()()).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'env-id', accessKeySecret: SECRET, source: 'default/env' })),
    )
  })
})

describe('defaultChain: every link skipped', () => {
  it('lists every link and why, in words a newcomer can act on', async () => {
    const caps = setup({ env: OFF })
    const e = leftOf(await Chain.defaultChain()(caps)()())
    expect(e).toBeInstanceOf(CredentialsError.ChainExhausted)
    expect(e._tag === 'ChainExhausted' && e.attempts.map((a) => [a.provider, a.error._tag])).toEqual([
      ['default/env', 'NotConfigured'],
      ['default/oidc_role_arn', 'NotConfigured'],
      ['default/cli_profile', 'NotConfigured'],
      ['default/profile', 'NotConfigured'],
      ['default/credential_uri', 'NotConfigured'],
      ['default/ecs_ram_role', 'NotConfigured'],
    ])
    expect(shape(e)).toEqual({
      _tag: 'ChainExhausted',
      provider: 'default',
      message: [
        'no credentials found by default: every source was skipped',
        '├─ default/env: NotConfigured: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set; set both to use an AccessKey from the environment',
        '├─ default/oidc_role_arn: NotConfigured: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE are not set; set all three to use RRSA (OIDC)',
        `├─ default/cli_profile: NotConfigured: ${CLI_PATH} does not exist; run \`aliyun configure\` or set ALIBABA_CLOUD_CONFIG_FILE`,
        `├─ default/profile: NotConfigured: ${INI_PATH} does not exist; create it with a [default] profile or set ALIBABA_CLOUD_CREDENTIALS_FILE`,
        '├─ default/credential_uri: NotConfigured: ALIBABA_CLOUD_CREDENTIALS_URI is not set; set it to a credentials URL',
        '└─ default/ecs_ram_role: NotConfigured: switched off by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true',
      ].join('\n'),
    })
    expect(caps.http.requests).toEqual([])
  })

  it('off ECS, the metadata link skips too (a fake: nothing leaves the process)', async () => {
    const caps = setup()
    const e = leftOf(await Chain.defaultChain()(caps)()())
    expect(e._tag === 'ChainExhausted' && e.attempts.map((a) => [a.provider, a.error._tag])).toContainEqual([
      'default/ecs_ram_role',
      'NotConfigured',
    ])
    expect(caps.http.requests.every((r) => r.url.startsWith('http://100.100.100.200/'))).toBe(true)
  })

  it('env vars set to empty strings count as unset', async () => {
    const caps = setup({
      env: {
        ...OFF,
        ALIBABA_CLOUD_ACCESS_KEY_ID: '',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: '',
        ALIBABA_CLOUD_SECURITY_TOKEN: '',
        ALIBABA_CLOUD_ROLE_ARN: '',
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: '',
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: '',
        ALIBABA_CLOUD_PROFILE: '',
        ALIBABA_CLOUD_CREDENTIALS_FILE: '',
        ALIBABA_CLOUD_CONFIG_FILE: '',
        ALIBABA_CLOUD_CREDENTIALS_URI: '',
      },
    })
    const e = leftOf(await Chain.defaultChain()(caps)()())
    expect(e._tag === 'ChainExhausted' && e.attempts.length).toBe(6)
  })

  it('a partial OIDC setup is named', async () => {
    const caps = setup({ env: { ...OFF, ALIBABA_CLOUD_ROLE_ARN: 'arn' } })
    const e = leftOf(await Chain.defaultChain()(caps)()())
    expect(e._tag === 'ChainExhausted' && e.attempts[1]?.error.message).toBe(
      'ALIBABA_CLOUD_ROLE_ARN is set but ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE are not; set all three to use RRSA (OIDC)',
    )
  })
})

describe('defaultChain: a broken link stops the chain', () => {
  const broken: ReadonlyArray<readonly [string, (c: FakeCapabilities) => void, string]> = [
    ['half an env credential', (c) => c.env.set('ALIBABA_CLOUD_ACCESS_KEY_SECRET', SECRET), 'default/env'],
    [
      'an OIDC token file that is missing',
      (c) => {
        for (const [k, v] of Object.entries(envOidc)) c.env.set(k, v)
        c.fs.remove(TOKEN_FILE)
      },
      'default/oidc_role_arn',
    ],
    ['a config.json that is not JSON', (c) => c.fs.put(CLI_PATH, `{${SECRET}`), 'default/cli_profile'],
    [
      'a ChainableRamRoleArn loop',
      (c) =>
        c.fs.put(
          CLI_PATH,
          JSON.stringify({
            current: 'a',
            profiles: [{ name: 'a', mode: 'ChainableRamRoleArn', source_profile: 'a', ram_role_arn: 'r' }],
          }),
        ),
      'default/cli_profile',
    ],
    [
      'a credentials file with an unknown type',
      (c) => c.fs.put(INI_PATH, '[default]\ntype = magic\n'),
      'default/profile',
    ],
    [
      'an unreadable credentials file',
      (c) => {
        c.fs.put(INI_PATH, iniFile)
        c.fs.failOn(INI_PATH, 'EACCES')
      },
      'default/profile',
    ],
  ]
  it.each(broken)('%s', async (_, breakIt, provider) => {
    const caps = setup({ env: { ALIBABA_CLOUD_CREDENTIALS_URI: URI }, files: { [TOKEN_FILE]: jwt } })
    ecsRoutes(caps)
    caps.http.on('GET', URI, json(200, { Code: 'Success', ...stsBlock('STS.uri') }))
    breakIt(caps)
    const e = leftOf(await Chain.defaultChain()(caps)()())
    expect([e._tag === 'ChainExhausted' ? 'ChainExhausted' : 'stopped', e.provider.startsWith(provider)]).toEqual([
      'stopped',
      true,
    ])
    expect(e._tag).not.toBe('NotConfigured')
    expect(caps.http.requestsTo(URI)).toEqual([])
    expect(caps.http.requestsTo(/100\.100\.100\.200/)).toEqual([])
    expectNoLeak(e)
  })
})

describe('defaultChain: ALIBABA_CLOUD_PROFILE', () => {
  it('naming a profile in neither file stops before the URI and ECS links answer for another identity', async () => {
    const caps = everything(['env', 'oidc_role_arn'])
    caps.env.set('ALIBABA_CLOUD_PROFILE', 'stage')
    const e = leftOf(await Chain.defaultChain()(caps)()())
    expect(shape(e)).toEqual({
      _tag: 'InvalidConfiguration',
      provider: 'default/profile',
      message: `ALIBABA_CLOUD_PROFILE names the profile 'stage', which no profile source could load (cli_profile: ${CLI_PATH} has no profile 'stage' (named by ALIBABA_CLOUD_PROFILE); it has: cli; profile: ${INI_PATH} has no [stage] profile (named by ALIBABA_CLOUD_PROFILE); it has: default); fix the name or create the profile`,
    })
    expect(e._tag === 'InvalidConfiguration' && e.location).toEqual({
      profile: 'stage',
      envVar: 'ALIBABA_CLOUD_PROFILE',
    })
    expect(caps.http.requests).toEqual([])
  })

  it('naming a profile of the INI file only: the CLI link skips, the INI link answers', async () => {
    const caps = everything(['env', 'oidc_role_arn'])
    caps.fs.put(
      INI_PATH,
      `${iniFile}[stage]\ntype = access_key\naccess_key_id = stage-id\naccess_key_secret = ${SECRET}\n`,
    )
    caps.env.set('ALIBABA_CLOUD_PROFILE', 'stage')
    const c = rightOf(await Chain.defaultChain()(caps)()())
    expect([c.source, c.type !== 'bearer' && c.accessKeyId]).toEqual(['default/profile/static_ak', 'stage-id'])
  })

  it('the profile option works the same way', async () => {
    const caps = everything(['env', 'oidc_role_arn'])
    const e = leftOf(await Chain.defaultChain({ profile: 'nope' })(caps)()())
    expect([e._tag, e.message.startsWith("the profile option names the profile 'nope'")]).toEqual([
      'InvalidConfiguration',
      true,
    ])
  })
})

describe('defaultChain: no stickiness, cheap re-walks', () => {
  it('a chain that found nothing looks again on the next call', async () => {
    const caps = setup({ env: OFF })
    const p = Chain.defaultChain()(caps)
    expect(leftOf(await p()())._tag).toBe('ChainExhausted')
    caps.env.set('ALIBABA_CLOUD_ACCESS_KEY_ID', 'late-id')
    caps.env.set('ALIBABA_CLOUD_ACCESS_KEY_SECRET', SECRET)
    expect(await sourceOf(p)).toBe('default/env')
  })

  it('every call starts from the first link, so an earlier source set later wins', async () => {
    const caps = everything(['env', 'oidc_role_arn'])
    const p = Chain.defaultChain()(caps)
    expect(await sourceOf(p)).toBe('default/cli_profile/static_ak')
    for (const [k, v] of Object.entries(envAk)) caps.env.set(k, v)
    expect(await sourceOf(p)).toBe('default/env')
  })

  it('a failure does not pin the chain to the failing link', async () => {
    const caps = everything(['env', 'oidc_role_arn', 'cli_profile'])
    caps.fs.put(INI_PATH, '[default]\ntype = magic\n')
    const p = Chain.defaultChain()(caps)
    expect(leftOf(await p()())._tag).toBe('InvalidConfiguration')
    for (const [k, v] of Object.entries(envAk)) caps.env.set(k, v)
    expect(await sourceOf(p)).toBe('default/env')
  })

  it('after the first success a file link reads nothing again; a missing file is looked for each time', async () => {
    const caps = everything(['env', 'oidc_role_arn', 'cli_profile'])
    const p = Chain.defaultChain()(caps)
    for (let i = 0; i < 3; i++) expect(await sourceOf(p)).toBe('default/profile/static_ak')
    expect(caps.fs.reads).toEqual([CLI_PATH, INI_PATH, CLI_PATH, CLI_PATH])
  })

  it('remote links keep their cache between walks', async () => {
    const caps = everything(['env'])
    const p = Chain.defaultChain()(caps)
    for (let i = 0; i < 3; i++) expect(await sourceOf(p)).toBe('default/oidc_role_arn')
    expect(caps.http.requests).toHaveLength(1)
  })
})

describe('defaultChain: options', () => {
  it('links can be reordered', async () => {
    const caps = everything()
    expect(await sourceOf(Chain.defaultChain({ links: ['profile', 'env'] })(caps))).toBe('default/profile/static_ak')
  })

  it('links can be dropped; the exhausted chain lists only the links walked', async () => {
    const caps = everything(['env'])
    const e = leftOf(await Chain.defaultChain({ links: ['env'] })(caps)()())
    expect(e._tag === 'ChainExhausted' && e.attempts.map((a) => a.provider)).toEqual(['default/env'])
    expect(caps.fs.reads).toEqual([])
    const none = leftOf(await Chain.defaultChain({ links: [] })(caps)()())
    expect(shape(none)).toEqual({
      _tag: 'ChainExhausted',
      provider: 'default',
      message: 'no credentials found by default: it has no sources to try',
    })
  })

  it('an unknown link is refused', async () => {
    const e = leftOf(await Chain.defaultChain({ links: ['env', 'ecs' as Chain.LinkName] })(setup())()())
    expect(shape(e)).toEqual({
      _tag: 'InvalidConfiguration',
      provider: 'default',
      message:
        "unknown chain link 'ecs'; links are: env, oidc_role_arn, cli_profile, profile, credential_uri, ecs_ram_role",
    })
  })

  it('the chain can be renamed', async () => {
    expect(await sourceOf(Chain.defaultChain({ name: 'app' })(everything()))).toBe('app/env')
  })

  it('a trace sink sees every link walked, with no secret', async () => {
    const caps = everything(['env', 'oidc_role_arn', 'cli_profile'])
    caps.env.set('ALIBABA_CLOUD_ACCESS_KEY_SECRET', '')
    const events: Array<Provider.TraceEvent> = []
    await Chain.defaultChain({ trace: (e) => events.push(e) })(caps)()()
    expect(events.map((e) => [e.provider, e.outcome])).toEqual([
      ['default/env', 'skipped'],
      ['default/oidc_role_arn', 'skipped'],
      ['default/cli_profile', 'skipped'],
      ['default/profile', 'success'],
    ])
    expect(events[3]).toEqual({
      provider: 'default/profile',
      outcome: 'success',
      durationMs: 0,
      credential: { type: 'access_key', source: 'profile/static_ak', accessKeyId: 'ini-****' },
    })
    expect(JSON.stringify(events)).not.toContain(SECRET)
    expect(JSON.stringify(events)).not.toContain(TOKEN)
  })
})

describe('defaultChain: the other ALIBABA_CLOUD_* variables reach the links that honour them', () => {
  it('STS region, VPC flag and session name shape the OIDC call', async () => {
    const caps = everything(['env'])
    caps.env.set('ALIBABA_CLOUD_STS_REGION', 'cn-beijing')
    caps.env.set('ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED', 'True')
    caps.env.set('ALIBABA_CLOUD_ROLE_SESSION_NAME', 'pod-session')
    expect(await sourceOf(Chain.defaultChain()(caps))).toBe('default/oidc_role_arn')
    const [req] = caps.http.requests
    expect([req?.url.split('?')[0], /RoleSessionName=([^&]+)/.exec(req?.body ?? '')?.[1]]).toEqual([
      'https://sts-vpc.cn-beijing.aliyuncs.com/',
      'pod-session',
    ])
  })

  it('ALIBABA_CLOUD_ECS_METADATA names the role, so no discovery request is made', async () => {
    const caps = everything(['env', 'oidc_role_arn', 'cli_profile', 'profile', 'credential_uri'])
    caps.env.set('ALIBABA_CLOUD_ECS_METADATA', 'my-role')
    expect(await sourceOf(Chain.defaultChain()(caps))).toBe('default/ecs_ram_role')
    expect(caps.http.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT http://100.100.100.200/latest/api/token',
      'GET http://100.100.100.200/latest/meta-data/ram/security-credentials/my-role',
    ])
  })

  it('ALIBABA_CLOUD_IMDSV1_DISABLED makes a failed IMDSv2 token fatal instead of a v1 fallback', async () => {
    const caps = setup({ env: { ALIBABA_CLOUD_IMDSV1_DISABLED: 'true', ALIBABA_CLOUD_ECS_METADATA: 'my-role' } })
    ecsRoutes(caps)
    caps.http.on('PUT', 'http://100.100.100.200/latest/api/token', json(403, {}))
    const e = leftOf(await Chain.defaultChain()(caps)()())
    expect([e._tag, e.provider]).toEqual(['SourceFailure', 'default/ecs_ram_role'])
    expect(caps.http.requests.map((r) => r.method)).toEqual(['PUT'])
  })

  it('ALIBABA_CLOUD_CLI_PROFILE_DISABLED skips config.json without reading it', async () => {
    const caps = everything(['env', 'oidc_role_arn'])
    caps.env.set('ALIBABA_CLOUD_CLI_PROFILE_DISABLED', 'true')
    expect(await sourceOf(Chain.defaultChain()(caps))).toBe('default/profile/static_ak')
    expect(caps.fs.reads).toEqual([INI_PATH])
  })

  it('ALIBABA_CLOUD_CONFIG_FILE and ALIBABA_CLOUD_CREDENTIALS_FILE move the files', async () => {
    const caps = setup({
      env: { ...OFF, ALIBABA_CLOUD_CONFIG_FILE: '/cfg/cli.json', ALIBABA_CLOUD_CREDENTIALS_FILE: '/cfg/creds' },
      files: { '/cfg/cli.json': cliFile, '/cfg/creds': iniFile, [CLI_PATH]: cliFile, [INI_PATH]: iniFile },
    })
    expect(await sourceOf(Chain.defaultChain()(caps))).toBe('default/cli_profile/static_ak')
    expect(await sourceOf(Chain.defaultChain({ links: ['profile'] })(caps))).toBe('default/profile/static_ak')
    expect(caps.fs.reads).toEqual(['/cfg/cli.json', '/cfg/creds'])
  })

  it('a file variable pointing at nothing stops the chain rather than silently use another source', async () => {
    const caps = setup({
      env: { ...envOidc, ALIBABA_CLOUD_CONFIG_FILE: '/cfg/missing.json' },
      files: { [INI_PATH]: iniFile },
    })
    caps.env.set('ALIBABA_CLOUD_ROLE_ARN', '')
    const e = leftOf(await Chain.defaultChain()(caps)()())
    expect(shape(e)).toEqual({
      _tag: 'InvalidConfiguration',
      provider: 'default/cli_profile',
      message:
        'ALIBABA_CLOUD_CONFIG_FILE points to /cfg/missing.json, which does not exist; fix the path or unset ALIBABA_CLOUD_CONFIG_FILE',
    })
  })
})

describe('defaultChain: one name per source', () => {
  // The reference's `providerName` of each default-chain source (`default/<name>`); node's differential test checks
  // these against @alicloud/credentials itself. Its URI provider says `credential_uri` (its config type is
  // `credentials_uri`), so the link does too.
  const REFERENCE = ['env', 'oidc_role_arn', 'cli_profile', 'profile', 'credential_uri', 'ecs_ram_role']

  it('the links are named as the reference names their sources', () => {
    expect([...Chain.DEFAULT_LINKS].sort()).toEqual([...REFERENCE].sort())
  })

  it.each(Chain.DEFAULT_LINKS)(
    '%s: the trace event, the credential source and the skips before it agree',
    async (link) => {
      const caps = everything(Chain.DEFAULT_LINKS.filter((l) => l !== link))
      const events: Array<Provider.TraceEvent> = []
      const source = await sourceOf(Chain.defaultChain({ trace: (e) => events.push(e) })(caps))
      expect(source.split('/').slice(0, 2)).toEqual(['default', link])
      const before = Chain.DEFAULT_LINKS.slice(0, Chain.DEFAULT_LINKS.indexOf(link))
      expect(events.map((e) => [e.provider, e.outcome])).toEqual([
        ...before.map((l) => [`default/${l}`, 'skipped']),
        [`default/${link}`, 'success'],
      ])
      // What a link's trace event carries is the source's own view: its name is the link's.
      const chosen = events.at(-1)
      expect(chosen?.outcome === 'success' && chosen.credential.source.split('/')[0]).toBe(link)
    },
  )

  it('every link skipped: attempts, their errors and trace events name each link the same way', async () => {
    const events: Array<Provider.TraceEvent> = []
    const e = leftOf(await Chain.defaultChain({ trace: (t) => events.push(t) })(setup({ env: OFF }))()())
    const links = Chain.DEFAULT_LINKS.map((l) => `default/${l}`)
    expect(e._tag === 'ChainExhausted' && e.attempts.map((a) => [a.provider, a.error.provider])).toEqual(
      links.map((l) => [l, l]),
    )
    // Trace events see the link's error before the chain prefixes it.
    expect(
      events.map((t) => [t.provider, t.outcome === 'success' ? undefined : `default/${t.error.provider}`]),
    ).toEqual(links.map((l) => [l, l]))
  })
})
