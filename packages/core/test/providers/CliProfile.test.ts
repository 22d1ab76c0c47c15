import { Credential, CredentialsError, Providers, type WriteBack } from '@alicred/core'
import { type FakeCapabilities, json } from '@alicred/testing'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import {
  CLI_PATH,
  expectNoLeak,
  HOME,
  leftOf,
  rightOf,
  SECRET,
  setup,
  shape,
  stsBlock,
  stsRoutes,
  T0,
  TOKEN,
} from '../config/_support.js'

const AK = (name: string, id = `${name}-id`) => ({ name, mode: 'AK', access_key_id: id, access_key_secret: SECRET })
const file = (
  profiles: ReadonlyArray<Record<string, unknown>>,
  current?: string,
  extra: Record<string, unknown> = {},
) => JSON.stringify({ ...(current === undefined ? {} : { current }), profiles, ...extra }, null, 4)
const akCredential = (id: string) =>
  Credential.accessKey({ accessKeyId: id, accessKeySecret: SECRET, source: 'cli_profile/static_ak' })
const run = (caps: FakeCapabilities, options: Providers.CliProfileOptions = {}) =>
  Providers.cliProfile(options)(caps)()()

describe('cliProfile: choosing the profile', () => {
  it('uses `current`', async () => {
    const caps = setup({ files: { [CLI_PATH]: file([AK('a'), AK('b')], 'b') } })
    expect(await run(caps)).toEqual(E.right(akCredential('b-id')))
  })

  it('ALIBABA_CLOUD_PROFILE wins over `current`, the option over both', async () => {
    const caps = setup({
      env: { ALIBABA_CLOUD_PROFILE: 'a' },
      files: { [CLI_PATH]: file([AK('a'), AK('b'), AK('c')], 'b') },
    })
    expect(await run(caps)).toEqual(E.right(akCredential('a-id')))
    expect(await run(caps, { profile: 'c' })).toEqual(E.right(akCredential('c-id')))
  })

  it('an empty `current` is no obstacle when ALIBABA_CLOUD_PROFILE or the option names the profile', async () => {
    const caps = setup({ env: { ALIBABA_CLOUD_PROFILE: 'a' }, files: { [CLI_PATH]: file([AK('a'), AK('b')], '') } })
    expect(await run(caps)).toEqual(E.right(akCredential('a-id')))
    expect(await run(caps, { profile: 'b' })).toEqual(E.right(akCredential('b-id')))
  })

  it('a profile without `mode` gets the one the Aliyun CLI infers from its keys', async () => {
    const caps = setup({
      files: { [CLI_PATH]: file([{ name: 'a', access_key_id: 'a-id', access_key_secret: SECRET }], 'a') },
    })
    expect(await run(caps)).toEqual(E.right(akCredential('a-id')))
  })

  it('falls back to `default` when there is no `current`', async () => {
    const caps = setup({ files: { [CLI_PATH]: file([AK('x'), AK('default')]) } })
    expect(await run(caps)).toEqual(E.right(akCredential('default-id')))
  })

  it('honours ALIBABA_CLOUD_CONFIG_FILE (with ~ expanded) and the file option', async () => {
    const caps = setup({
      env: { ALIBABA_CLOUD_CONFIG_FILE: '~/alt.json' },
      files: { [`${HOME}/alt.json`]: file([AK('a')], 'a'), '/etc/cli.json': file([AK('e')], 'e') },
    })
    expect(await run(caps)).toEqual(E.right(akCredential('a-id')))
    expect(await run(caps, { file: '/etc/cli.json' })).toEqual(E.right(akCredential('e-id')))
  })
})

describe('cliProfile: skip (NotConfigured)', () => {
  const cases: ReadonlyArray<readonly [string, Parameters<typeof setup>[0], string]> = [
    [
      'switched off',
      { env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'TRUE' }, files: { [CLI_PATH]: file([AK('a')], 'a') } },
      'switched off by ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true',
    ],
    ['no file', {}, `${CLI_PATH} does not exist; run \`aliyun configure\` or set ALIBABA_CLOUD_CONFIG_FILE`],
    [
      'no profiles',
      { files: { [CLI_PATH]: '{"current":"","profiles":[]}' } },
      `${CLI_PATH} has no profiles; run \`aliyun configure\``,
    ],
    [
      'ALIBABA_CLOUD_PROFILE naming a profile the file lacks',
      { env: { ALIBABA_CLOUD_PROFILE: 'stage' }, files: { [CLI_PATH]: file([AK('a'), AK('b')], 'a') } },
      `${CLI_PATH} has no profile 'stage' (named by ALIBABA_CLOUD_PROFILE); it has: a, b`,
    ],
    [
      'no current and no default',
      { files: { [CLI_PATH]: file([AK('a')]) } },
      `${CLI_PATH} has no \`current\` profile and no profile 'default'; set ALIBABA_CLOUD_PROFILE (it has: a)`,
    ],
  ]
  it.each(cases)('%s', async (_, o, message) => {
    const e = leftOf(await run(setup(o)))
    expect(shape(e)).toEqual({ _tag: 'NotConfigured', provider: 'cli_profile', message })
  })

  it('only `true` switches the source off', async () => {
    const caps = setup({
      env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: '1' },
      files: { [CLI_PATH]: file([AK('a')], 'a') },
    })
    expect(await run(caps)).toEqual(E.right(akCredential('a-id')))
  })
})

describe('cliProfile: stop (InvalidConfiguration)', () => {
  const loop = [
    { name: 'a', mode: 'ChainableRamRoleArn', source_profile: 'b', ram_role_arn: 'arn-a' },
    { name: 'b', mode: 'ChainableRamRoleArn', source_profile: 'a', ram_role_arn: 'arn-b' },
  ]
  type Case = readonly [
    string,
    Parameters<typeof setup>[0],
    string,
    CredentialsError.Location,
    ((c: FakeCapabilities) => void)?,
  ]
  const cases: ReadonlyArray<Case> = [
    [
      'not JSON',
      { files: { [CLI_PATH]: `{"current":"a","profiles":[{"access_key_secret":"${SECRET}"` } },
      `${CLI_PATH} is not valid JSON; fix or remove the file`,
      { file: CLI_PATH },
    ],
    [
      'not an object',
      { files: { [CLI_PATH]: `"${SECRET}"` } },
      `${CLI_PATH} is not a JSON object with a \`profiles\` list; fix or remove the file`,
      { file: CLI_PATH },
    ],
    [
      'an empty current (aliyun-cli configuration_test.go TestNewConfigFromBytes: the CLI keeps it empty and finds no profile)',
      { files: { [CLI_PATH]: file([AK('a'), AK('default')], '') } },
      `${CLI_PATH} has an empty \`current\` (the Aliyun CLI refuses it too); run \`aliyun configure switch --profile <name>\` or set ALIBABA_CLOUD_PROFILE`,
      { file: CLI_PATH, key: 'current' },
    ],
    [
      'current naming a missing profile',
      { files: { [CLI_PATH]: file([AK('a')], 'gone') } },
      `${CLI_PATH} names 'gone' as \`current\`, but has no such profile; run \`aliyun configure switch --profile <name>\` (it has: a)`,
      { file: CLI_PATH, profile: 'gone', key: 'current' },
    ],
    [
      'a ChainableRamRoleArn loop',
      { files: { [CLI_PATH]: file(loop, 'a') } },
      `${CLI_PATH}: profiles form a cycle through source_profile: 'a' → 'b' → 'a'; make one of them use its own credentials`,
      { file: CLI_PATH, profile: 'b', key: 'source_profile' },
    ],
    [
      'an unsupported mode',
      { files: { [CLI_PATH]: file([{ name: 'a', mode: 'SAML' }], 'a') } },
      `${CLI_PATH}: profile 'a' has the unknown mode 'SAML'; use one of: AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, CloudSSO, OAuth, External`,
      { file: CLI_PATH, profile: 'a', key: 'mode' },
    ],
    [
      'a missing key',
      {
        files: {
          [CLI_PATH]: file([{ name: 'a', mode: 'RamRoleArn', access_key_id: 'id', access_key_secret: SECRET }], 'a'),
        },
      },
      `${CLI_PATH}: profile 'a' (mode RamRoleArn): \`ram_role_arn\` is missing or empty (mode RamRoleArn needs it)`,
      { file: CLI_PATH, profile: 'a', key: 'ram_role_arn' },
    ],
    [
      'a 10 MB file',
      { files: { [CLI_PATH]: file([AK('a')], 'a', { padding: 'x'.repeat(10 * 1024 * 1024) }) } },
      `${CLI_PATH} is larger than 1048576 bytes, far more than a credentials file needs; check that it is the right file`,
      { file: CLI_PATH },
    ],
    [
      'an unreadable file',
      {},
      `cannot read ${CLI_PATH}: permission denied; make it readable by this user (for example \`chmod 600 ${CLI_PATH}\`)`,
      { file: CLI_PATH },
      (c) => c.fs.failOn(CLI_PATH, 'EACCES'),
    ],
    [
      'ALIBABA_CLOUD_CONFIG_FILE naming a missing file',
      { env: { ALIBABA_CLOUD_CONFIG_FILE: '/etc/aliyun.json' } },
      'ALIBABA_CLOUD_CONFIG_FILE points to /etc/aliyun.json, which does not exist; fix the path or unset ALIBABA_CLOUD_CONFIG_FILE',
      { file: '/etc/aliyun.json', envVar: 'ALIBABA_CLOUD_CONFIG_FILE' },
    ],
  ]
  for (const [name, o, message, location, tweak] of cases) {
    it(name, async () => {
      const caps = setup(o)
      tweak?.(caps)
      const e = leftOf(await run(caps))
      expect(e).toBeInstanceOf(CredentialsError.InvalidConfiguration)
      // Node versions differ on whether JSON.parse says where it stopped
      expect({ ...shape(e), message: e.message.replace(/ \(stopped at character \d+\)/, '') }).toEqual({
        _tag: 'InvalidConfiguration',
        provider: 'cli_profile',
        message,
      })
      expect(e._tag === 'InvalidConfiguration' && e.location).toEqual(location)
      expectNoLeak(e)
    })
  }
})

describe('cliProfile: role modes', () => {
  it('RamRoleArn sends policy and external_id too', async () => {
    const profile = {
      name: 'r',
      mode: 'RamRoleArn',
      access_key_id: 'id',
      access_key_secret: SECRET,
      ram_role_arn: 'arn',
      ram_session_name: 'rsn',
      expired_seconds: 1200,
      sts_region: 'cn-beijing',
      enable_vpc: false,
      policy: '{"Version":"1"}',
      external_id: 'ext',
      sts_token: '',
    }
    const viaFile = stsRoutes(setup({ files: { [CLI_PATH]: file([profile], 'r') } }))
    const byHand = stsRoutes(setup())
    const c = rightOf(await run(viaFile))
    const d = rightOf(
      await Providers.ramRoleArn({
        source: Providers.staticAccessKey({ accessKeyId: 'id', accessKeySecret: SECRET }),
        roleArn: 'arn',
        roleSessionName: 'rsn',
        durationSeconds: 1200,
        region: 'cn-beijing',
        vpc: false,
        policy: '{"Version":"1"}',
        externalId: 'ext',
      })(byHand)()(),
    )
    expect(c).toEqual(Credential.modify({ source: 'cli_profile/ram_role_arn/static_ak' })(d))
    expect(viaFile.http.requests).toEqual(byHand.http.requests)
    expect(viaFile.http.requests[0]?.body).toContain('ExternalId=ext')
  })

  it('ChainableRamRoleArn assumes each role with the credential of its source', async () => {
    const caps = setup({
      files: {
        [CLI_PATH]: file(
          [
            {
              name: 'top',
              mode: 'ChainableRamRoleArn',
              source_profile: 'mid',
              ram_role_arn: 'arn-top',
              sts_endpoint: 'sts.cn-shanghai.aliyuncs.com',
            },
            { name: 'mid', mode: 'ChainableRamRoleArn', source_profile: 'base', ram_role_arn: 'arn-mid' },
            AK('base'),
          ],
          'top',
        ),
      },
    })
    caps.http
      .on('POST', /^https:\/\/sts\.aliyuncs\.com\//, json(200, { Credentials: stsBlock('STS.mid') }))
      .on('POST', /^https:\/\/sts\.cn-shanghai\.aliyuncs\.com\//, json(200, { Credentials: stsBlock('STS.top') }))
    const c = rightOf(await run(caps))
    expect([c.source, c.type === 'sts' && c.accessKeyId]).toEqual([
      'cli_profile/ram_role_arn/ram_role_arn/static_ak',
      'STS.top',
    ])
    expect(
      caps.http.requests.map((r) => [
        r.url.split('?')[0],
        /AccessKeyId=([^&]+)/.exec(r.url)?.[1],
        /RoleArn=([^&]+)/.exec(r.body ?? '')?.[1],
      ]),
    ).toEqual([
      ['https://sts.aliyuncs.com/', 'base-id', 'arn-mid'],
      ['https://sts.cn-shanghai.aliyuncs.com/', 'STS.mid', 'arn-top'],
    ])
  })
})

describe('cliProfile: write-back', () => {
  const oauthRoutes = (caps: FakeCapabilities): FakeCapabilities => {
    caps.http
      .on(
        'POST',
        'https://oauth.aliyun.com/v1/token',
        json(200, { access_token: 'at-2', refresh_token: 'rt-2', expires_in: 3600 }),
      )
      .on(
        'POST',
        'https://oauth.aliyun.com/v1/exchange',
        json(200, {
          accessKeyId: 'STS.o',
          accessKeySecret: 'o-secret',
          securityToken: 'o-token',
          expiration: '2024-01-01T01:00:00Z',
        }),
      )
    return caps
  }
  const profiles = [
    { name: 'top', mode: 'ChainableRamRoleArn', source_profile: 'login', ram_role_arn: 'arn' },
    {
      name: 'login',
      mode: 'OAuth',
      oauth_site_type: 'CN',
      oauth_refresh_token: 'rt-1',
      region_id: 'cn-hangzhou',
      output_format: 'json',
    },
    AK('other'),
  ]

  it('OAuth: the rotated tokens and the STS credential land in the OAuth profile; nothing else changes', async () => {
    const caps = oauthRoutes(
      setup({ files: { [CLI_PATH]: file(profiles, 'login', { language: 'en', meta_path: '' }) } }),
    )
    const failures: Array<WriteBack.WriteBackFailure> = []
    const c = rightOf(await run(caps, { onWriteBackError: (f) => void failures.push(f) }))
    expect(c.source).toBe('cli_profile/oauth')
    const written = JSON.parse(caps.fs.files.get(CLI_PATH) ?? 'null')
    expect(written).toEqual({
      current: 'login',
      language: 'en',
      meta_path: '',
      profiles: [
        profiles[0],
        {
          ...profiles[1],
          oauth_refresh_token: 'rt-2',
          oauth_access_token: 'at-2',
          oauth_access_token_expire: T0 / 1000 + 3600,
          access_key_id: 'STS.o',
          access_key_secret: 'o-secret',
          sts_token: 'o-token',
          sts_expiration: T0 / 1000 + 3600,
        },
        profiles[2],
      ],
    })
    expect(caps.fs.files.get(CLI_PATH)).toBe(JSON.stringify(written, null, 4))
    expect(failures).toEqual([])
  })

  it('OAuth behind a ChainableRamRoleArn profile: write-back follows source_profile', async () => {
    const caps = stsRoutes(oauthRoutes(setup({ files: { [CLI_PATH]: file(profiles, 'top') } })))
    expect(rightOf(await run(caps)).source).toBe('cli_profile/ram_role_arn/oauth')
    const written = JSON.parse(caps.fs.files.get(CLI_PATH) ?? 'null') as { profiles: Array<Record<string, unknown>> }
    expect([written.profiles[0], written.profiles[1]?.oauth_refresh_token, written.profiles[2]]).toEqual([
      profiles[0],
      'rt-2',
      profiles[2],
    ])
  })

  it('External: a command that cannot run is named by profile and key, never by any part of the command', async () => {
    const command = `ALIBABA_CLOUD_ACCESS_KEY_SECRET=${SECRET} helper`
    const caps = setup({
      files: {
        [CLI_PATH]: file(
          [
            { name: 'tools', mode: 'External', process_command: command },
            { name: 'role', mode: 'ChainableRamRoleArn', source_profile: 'tools', ram_role_arn: 'acs:ram::1:role/r' },
          ],
          'role',
        ),
      },
    })
    const e = leftOf(await run(caps))
    expect(e).toEqual(
      new CredentialsError.InvalidConfiguration(
        'cli_profile/ram_role_arn/external',
        "the process_command of profile 'tools' was not found or cannot be run; check that its first word is the path of an executable",
        { profile: 'tools', key: 'process_command' },
      ),
    )
    for (const text of [e.message, JSON.stringify(e), e.stack ?? '']) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain('ALIBABA_CLOUD_ACCESS_KEY_SECRET')
    }
  })

  it('CloudSSO: the fresh STS credential lands in the CloudSSO profile, and a later run reuses it without a request', async () => {
    const sso = {
      name: 'sso',
      mode: 'CloudSSO',
      cloud_sso_sign_in_url: 'https://signin-portal.example/login',
      cloud_sso_account_id: 'acc',
      cloud_sso_access_config: 'ac',
      access_token: 'sso-token',
      cloud_sso_access_token_expire: T0 / 1000 + 7200,
    }
    const caps = setup({ files: { [CLI_PATH]: file([sso, AK('other')], 'sso') } })
    caps.http.on(
      'POST',
      'https://signin-portal.example/cloud-credentials',
      json(200, {
        CloudCredential: {
          AccessKeyId: 'STS.s',
          AccessKeySecret: 's-secret',
          SecurityToken: 's-token',
          Expiration: '2024-01-01T01:00:00Z',
        },
      }),
    )
    expect(rightOf(await run(caps)).source).toBe('cli_profile/cloud_sso')
    const saved = {
      ...sso,
      access_key_id: 'STS.s',
      access_key_secret: 's-secret',
      sts_token: 's-token',
      sts_expiration: T0 / 1000 + 3600,
    }
    expect(JSON.parse(caps.fs.files.get(CLI_PATH) ?? 'null')).toEqual({
      current: 'sso',
      profiles: [saved, AK('other')],
    })
    // a new process: the saved credential is used as it is
    const again = setup({ files: { [CLI_PATH]: caps.fs.files.get(CLI_PATH) ?? '' } })
    const c = rightOf(await run(again))
    expect([c.type === 'sts' && c.accessKeyId, again.http.requests]).toEqual(['STS.s', []])
  })

  it('External: the credential is cached in the External profile', async () => {
    const caps = setup({
      files: {
        [CLI_PATH]: file(
          [{ name: 'ext', mode: 'External', process_command: "cred-helper --profile 'my team'" }, AK('other')],
          'ext',
        ),
      },
    })
    caps.exec.on('cred-helper', {
      exitCode: 0,
      stderr: '',
      stdout: JSON.stringify({
        mode: 'StsToken',
        access_key_id: 'STS.e',
        access_key_secret: 'e-secret',
        sts_token: 'e-token',
        expiration: '2024-01-01T01:00:00Z',
      }),
    })
    expect(rightOf(await run(caps)).source).toBe('cli_profile/external')
    expect(caps.exec.calls.map((c) => [c.file, c.args])).toEqual([['cred-helper', ['--profile', 'my team']]])
    expect(JSON.parse(caps.fs.files.get(CLI_PATH) ?? 'null')).toEqual({
      current: 'ext',
      profiles: [
        {
          name: 'ext',
          mode: 'External',
          process_command: "cred-helper --profile 'my team'",
          access_key_id: 'STS.e',
          access_key_secret: 'e-secret',
          sts_token: 'e-token',
          sts_expiration: T0 / 1000 + 3600,
        },
        AK('other'),
      ],
    })
  })

  it('a failed write-back is reported and the credential is still returned', async () => {
    const caps = oauthRoutes(setup({ files: { [CLI_PATH]: file(profiles, 'login') } }))
    const writeFileAtomic = caps.fs.writeFileAtomic
    const failures: Array<WriteBack.WriteBackFailure> = []
    const fs = {
      ...caps.fs,
      writeFileAtomic: (p: string, d: string) =>
        p === CLI_PATH
          ? () => Promise.resolve(E.left({ _tag: 'FsError' as const, code: 'EACCES' as const, path: p, message: 'ro' }))
          : writeFileAtomic(p, d),
    }
    const c = rightOf(
      await Providers.cliProfile({ onWriteBackError: (f) => void failures.push(f) })({ ...caps, fs })()(),
    )
    expect(c.source).toBe('cli_profile/oauth')
    expect(failures.map((f) => [f.profile, f.mode, f.message])).toEqual([
      [
        'login',
        'OAuth',
        `could not save OAuth credentials of profile 'login' to ${CLI_PATH}: it cannot be written (EACCES: ro); the refresh token rotated, so the Aliyun CLI may ask you to log in again`,
      ],
    ])
    expect(JSON.stringify(failures)).not.toContain('o-secret')
  })

  it("by default a failed write-back is one line to the capabilities' reporter", async () => {
    const caps = oauthRoutes(setup({ files: { [CLI_PATH]: file(profiles, 'login') } }))
    const fs = {
      ...caps.fs,
      writeFileAtomic: (p: string) => () =>
        Promise.resolve(E.left({ _tag: 'FsError' as const, code: 'EACCES' as const, path: p, message: 'ro' })),
    }
    expect(rightOf(await Providers.cliProfile()({ ...caps, fs })()()).source).toBe('cli_profile/oauth')
    expect(caps.reporter.warnings).toEqual([
      `alicred: could not save OAuth credentials of profile 'login' to ${CLI_PATH}: it cannot be written (EACCES: ro); the refresh token rotated, so the Aliyun CLI may ask you to log in again`,
    ])
  })
})

describe('cliProfile: file reads', () => {
  it('after the first credential the file is not read again', async () => {
    const caps = setup({ files: { [CLI_PATH]: file([AK('a')], 'a') } })
    const p = Providers.cliProfile()(caps)
    await p()()
    caps.fs.put(CLI_PATH, 'broken')
    expect(await p()()).toEqual(E.right(akCredential('a-id')))
    expect(caps.fs.reads).toEqual([CLI_PATH])
  })

  it('is switched off at once when ALIBABA_CLOUD_CLI_PROFILE_DISABLED turns true', async () => {
    const caps = setup({ files: { [CLI_PATH]: file([AK('a')], 'a') } })
    const p = Providers.cliProfile()(caps)
    await p()()
    caps.env.set('ALIBABA_CLOUD_CLI_PROFILE_DISABLED', 'true')
    expect(leftOf(await p()())._tag).toBe('NotConfigured')
  })
})

describe('cliProfile: properties', () => {
  const value = fc.oneof(
    fc.constant(SECRET),
    fc.constant(TOKEN),
    fc.constantFrom('a', 'b', 'AK', 'StsToken', 'ChainableRamRoleArn', 'RamRoleArn', 'External', 'OAuth'),
    fc.integer(),
    fc.boolean(),
    fc.constant(''),
    fc.constant(null),
  )
  const keys = [
    'name',
    'mode',
    'source_profile',
    'access_key_id',
    'access_key_secret',
    'sts_token',
    'ram_role_arn',
    'expired_seconds',
    'enable_vpc',
    'oauth_site_type',
    'process_command',
    'policy',
  ]
  const doc = fc.record(
    {
      current: fc.oneof(fc.constantFrom('a', 'b'), value),
      profiles: fc.oneof(fc.array(fc.dictionary(fc.constantFrom(...keys), value), { maxLength: 5 }), value),
    },
    { requiredKeys: [] },
  )
  it('any config.json, valid or corrupted, gives a credential or a typed error, never a throw, a hang or a secret', async () => {
    await fc.assert(
      fc.asyncProperty(doc, fc.nat(), fc.boolean(), async (d, cut, truncate) => {
        const text = JSON.stringify(d)
        const caps = setup({ files: { [CLI_PATH]: truncate ? text.slice(0, cut % (text.length + 1)) : text } })
        const r = await run(caps, { onWriteBackError: () => {} })
        if (E.isLeft(r)) {
          expect(CredentialsError.isCredentialsError(r.left)).toBe(true)
          expectNoLeak(r.left)
        }
      }),
    )
  })
})
