import { CliConfig } from '@alicred/core'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { SECRET, TOKEN } from './_support.js'

const doc = (profiles: ReadonlyArray<Record<string, unknown>>, current?: string): CliConfig.CliDocument =>
  current === undefined ? { profiles } : { current, profiles }

describe('CliConfig.parseDocument', () => {
  it('reads current and profiles and ignores every other key', () => {
    const text = JSON.stringify({
      current: ' dev ',
      profiles: [{ name: 'dev', mode: 'AK' }],
      meta_path: '',
      language: 'en',
    })
    expect(CliConfig.parseDocument(text)).toEqual(E.right({ current: 'dev', profiles: [{ name: 'dev', mode: 'AK' }] }))
  })

  it('missing profiles mean nothing is set up; an empty current is kept (for the reader to refuse)', () => {
    expect(CliConfig.parseDocument('{"current":" ","profiles":null}')).toEqual(E.right({ current: '', profiles: [] }))
    expect(CliConfig.parseDocument('{}')).toEqual(E.right({ profiles: [] }))
  })

  const cases: ReadonlyArray<readonly [string, string, CliConfig.CliError]> = [
    ['not JSON', `{"profiles":[{"access_key_secret":"${SECRET}"`, { message: 'is not valid JSON' }],
    ['empty', '  ', { message: 'is empty' }],
    ['a JSON array', `["${SECRET}"]`, { message: 'is not a JSON object with a `profiles` list' }],
    ['JSON null', 'null', { message: 'is not a JSON object with a `profiles` list' }],
    [
      'profiles not a list',
      `{"profiles":{"default":"${SECRET}"}}`,
      { message: '`profiles` must be a list', key: 'profiles' },
    ],
    [
      'a profile that is not an object',
      `{"profiles":[{"name":"a"},"${SECRET}"]}`,
      { message: '`profiles[1]` is not an object', key: 'profiles' },
    ],
    [
      'current not text',
      '{"current":3,"profiles":[]}',
      { message: '`current` must be a profile name (text)', key: 'current' },
    ],
  ]
  it.each(cases)('%s', (_, text, error) => {
    const r = CliConfig.parseDocument(text)
    expect(
      E.mapLeft((e: CliConfig.CliError) => ({ ...e, message: e.message.replace(/ \(stopped at character \d+\)/, '') }))(
        r,
      ),
    ).toEqual(E.left(error))
    expect(JSON.stringify(r)).not.toContain(SECRET)
  })
})

const AK = { name: 'ak', mode: 'AK', access_key_id: 'id', access_key_secret: SECRET }
// What the Aliyun CLI writes for fields a mode does not use: blank text and zeros.
const cliBlanks = {
  sts_token: '',
  ram_role_arn: '',
  expired_seconds: 0,
  sts_expiration: 0,
  enable_vpc: false,
  region_id: 'cn-hangzhou',
}

describe('CliConfig.resolve: every mode reads every documented key', () => {
  const cases: ReadonlyArray<readonly [string, Record<string, unknown>, Record<string, unknown>]> = [
    ['AK', { ...cliBlanks, ...AK }, { type: 'access_key', accessKeyId: 'id', accessKeySecret: SECRET }],
    [
      'StsToken',
      { name: 'p', mode: 'StsToken', access_key_id: 'id', access_key_secret: SECRET, sts_token: TOKEN },
      { type: 'sts', accessKeyId: 'id', accessKeySecret: SECRET, securityToken: TOKEN },
    ],
    [
      'RamRoleArn',
      {
        ...cliBlanks,
        name: 'p',
        mode: 'RamRoleArn',
        access_key_id: 'id',
        access_key_secret: SECRET,
        ram_role_arn: 'acs:ram::1:role/r',
        ram_session_name: 'rsn',
        expired_seconds: 1800,
        sts_region: 'cn-beijing',
        sts_endpoint: 'sts.cn-beijing.aliyuncs.com',
        enable_vpc: true,
        policy: 'p',
        external_id: 'ext',
      },
      {
        type: 'ram_role_arn',
        accessKeyId: 'id',
        accessKeySecret: SECRET,
        roleArn: 'acs:ram::1:role/r',
        roleSessionName: 'rsn',
        durationSeconds: 1800,
        stsRegionId: 'cn-beijing',
        stsEndpoint: 'sts.cn-beijing.aliyuncs.com',
        enableVpc: true,
        policy: 'p',
        externalId: 'ext',
      },
    ],
    [
      'EcsRamRole',
      { ...cliBlanks, name: 'p', mode: 'EcsRamRole', ram_role_name: 'my-role' },
      { type: 'ecs_ram_role', roleName: 'my-role' },
    ],
    [
      'OIDC',
      {
        ...cliBlanks,
        name: 'p',
        mode: 'OIDC',
        ram_role_arn: 'arn',
        oidc_provider_arn: 'parn',
        oidc_token_file: '/t',
        ram_session_name: 's',
        duration_seconds: 1200,
        expired_seconds: 3000,
        sts_region: 'cn-shanghai',
        sts_endpoint: 'e',
        enable_vpc: true,
        policy: 'p',
      },
      {
        type: 'oidc_role_arn',
        roleArn: 'arn',
        oidcProviderArn: 'parn',
        oidcTokenFilePath: '/t',
        roleSessionName: 's',
        durationSeconds: 1200,
        stsRegionId: 'cn-shanghai',
        stsEndpoint: 'e',
        enableVpc: true,
        policy: 'p',
      },
    ],
    [
      'OIDC without duration_seconds uses expired_seconds (the reference dropped it)',
      {
        name: 'p',
        mode: 'OIDC',
        ram_role_arn: 'arn',
        oidc_provider_arn: 'parn',
        oidc_token_file: '/t',
        expired_seconds: 3000,
      },
      {
        type: 'oidc_role_arn',
        roleArn: 'arn',
        oidcProviderArn: 'parn',
        oidcTokenFilePath: '/t',
        durationSeconds: 3000,
      },
    ],
    [
      'CloudSSO',
      {
        name: 'p',
        mode: 'CloudSSO',
        cloud_sso_sign_in_url: 'https://signin',
        cloud_sso_account_id: 'acc',
        cloud_sso_access_config: 'ac',
        access_token: TOKEN,
        cloud_sso_access_token_expire: 1704070800,
      },
      {
        type: 'cloud_sso',
        signInUrl: 'https://signin',
        accountId: 'acc',
        accessConfig: 'ac',
        accessToken: TOKEN,
        accessTokenExpire: 1704070800,
      },
    ],
    [
      'CloudSSO with the STS credential an earlier login saved',
      {
        name: 'p',
        mode: 'CloudSSO',
        cloud_sso_sign_in_url: 'https://signin',
        cloud_sso_account_id: 'acc',
        cloud_sso_access_config: 'ac',
        access_token: TOKEN,
        cloud_sso_access_token_expire: 1704070800,
        access_key_id: 'STS.saved',
        access_key_secret: SECRET,
        sts_token: TOKEN,
        sts_expiration: 1704067200,
      },
      {
        type: 'cloud_sso',
        signInUrl: 'https://signin',
        accountId: 'acc',
        accessConfig: 'ac',
        accessToken: TOKEN,
        accessTokenExpire: 1704070800,
        accessKeyId: 'STS.saved',
        accessKeySecret: SECRET,
        securityToken: TOKEN,
        stsExpiration: 1704067200,
      },
    ],
    [
      'OAuth with the STS credential an earlier exchange saved',
      {
        name: 'p',
        mode: 'OAuth',
        oauth_site_type: 'CN',
        oauth_access_token: TOKEN,
        access_key_id: 'STS.saved',
        access_key_secret: SECRET,
        sts_token: TOKEN,
        sts_expiration: 1704067200,
      },
      {
        type: 'oauth',
        siteType: 'CN',
        accessToken: TOKEN,
        accessKeyId: 'STS.saved',
        accessKeySecret: SECRET,
        securityToken: TOKEN,
        stsExpiration: 1704067200,
      },
    ],
    [
      'OAuth',
      {
        ...cliBlanks,
        name: 'p',
        mode: 'OAuth',
        oauth_site_type: 'intl',
        oauth_refresh_token: 'rt',
        oauth_access_token: TOKEN,
        oauth_access_token_expire: 1704070800,
      },
      { type: 'oauth', siteType: 'INTL', refreshToken: 'rt', accessToken: TOKEN, accessTokenExpire: 1704070800 },
    ],
    [
      'External',
      { name: 'p', mode: 'External', process_command: 'cred get' },
      { type: 'external', processCommand: 'cred get' },
    ],
  ]
  it.each(cases)('%s', (_, profile, config) => {
    const name = String(profile.name)
    expect(CliConfig.resolve(name)(doc([profile]))).toEqual(E.right({ _tag: 'Config', profile: name, config }))
  })

  // aliyun/aliyun-cli config/profile_test.go TestAutoModeRecognition, and the AutoModeRecognition it tests
  it.each([
    [
      'AK',
      { access_key_id: 'id', access_key_secret: SECRET },
      { type: 'access_key', accessKeyId: 'id', accessKeySecret: SECRET },
    ],
    [
      'StsToken',
      { access_key_id: 'id', access_key_secret: SECRET, sts_token: TOKEN, ram_role_arn: 'arn' },
      { type: 'sts', accessKeyId: 'id', accessKeySecret: SECRET, securityToken: TOKEN },
    ],
    [
      'RamRoleArn',
      { access_key_id: 'id', access_key_secret: SECRET, ram_role_arn: 'arn' },
      { type: 'ram_role_arn', accessKeyId: 'id', accessKeySecret: SECRET, roleArn: 'arn' },
    ],
    ['EcsRamRole', { ram_role_name: 'role' }, { type: 'ecs_ram_role', roleName: 'role' }],
    ['External', { process_command: 'external' }, { type: 'external', processCommand: 'external' }],
    [
      'OIDC',
      { oidc_provider_arn: 'oidc_provider_arn', oidc_token_file: '/path/to/tokenfile', ram_role_arn: 'ram/role/arn' },
      {
        type: 'oidc_role_arn',
        oidcProviderArn: 'oidc_provider_arn',
        oidcTokenFilePath: '/path/to/tokenfile',
        roleArn: 'ram/role/arn',
      },
    ],
    [
      'CloudSSO',
      {
        cloud_sso_sign_in_url: 'https://signin',
        cloud_sso_account_id: 'acc',
        cloud_sso_access_config: 'ac',
        access_token: TOKEN,
        cloud_sso_access_token_expire: 1704070800,
      },
      {
        type: 'cloud_sso',
        signInUrl: 'https://signin',
        accountId: 'acc',
        accessConfig: 'ac',
        accessToken: TOKEN,
        accessTokenExpire: 1704070800,
      },
    ],
  ])('a profile without mode gets the one the CLI infers: %s', (mode, keys, config) => {
    for (const blank of [{}, { mode: '' }, { mode: null }]) {
      const profile = { name: 'p', ...blank, ...keys }
      expect(CliConfig.inferMode(profile)).toBe(mode)
      expect(CliConfig.resolve('p')(doc([profile]))).toEqual(E.right({ _tag: 'Config', profile: 'p', config }))
    }
  })

  it('a mode that is given wins over what the keys suggest (as in the CLI)', () => {
    const profile = { name: 'p', mode: 'AK', access_key_id: 'id', access_key_secret: SECRET, sts_token: TOKEN }
    expect(CliConfig.resolve('p')(doc([profile]))).toEqual(
      E.right({
        _tag: 'Config',
        profile: 'p',
        config: { type: 'access_key', accessKeyId: 'id', accessKeySecret: SECRET },
      }),
    )
  })

  it('ChainableRamRoleArn resolves through source_profile, with every role key', () => {
    const d = doc([
      {
        name: 'top',
        mode: 'ChainableRamRoleArn',
        source_profile: 'mid',
        ram_role_arn: 'arn-top',
        ram_session_name: 's',
        expired_seconds: 900,
        sts_region: 'cn-beijing',
        sts_endpoint: 'e',
        enable_vpc: true,
        policy: 'p',
        external_id: 'x',
      },
      { name: 'mid', mode: 'ChainableRamRoleArn', source_profile: 'ak', ram_role_arn: 'arn-mid', expired_seconds: 0 },
      AK,
    ])
    expect(CliConfig.resolve('top')(d)).toEqual(
      E.right({
        _tag: 'Chain',
        profile: 'top',
        role: {
          roleArn: 'arn-top',
          roleSessionName: 's',
          durationSeconds: 900,
          stsRegionId: 'cn-beijing',
          stsEndpoint: 'e',
          enableVpc: true,
          policy: 'p',
          externalId: 'x',
        },
        source: {
          _tag: 'Chain',
          profile: 'mid',
          role: { roleArn: 'arn-mid' },
          source: {
            _tag: 'Config',
            profile: 'ak',
            config: { type: 'access_key', accessKeyId: 'id', accessKeySecret: SECRET },
          },
        },
      }),
    )
  })

  it('covers every mode', () => {
    expect(
      [...cases.map(([m]) => m.split(' ')[0]), 'ChainableRamRoleArn'].filter((m, i, a) => a.indexOf(m) === i).sort(),
    ).toEqual([...CliConfig.modes].sort())
  })
})

describe('CliConfig.resolve: broken profiles name the profile and key', () => {
  const chain = (name: string, source: string) => ({
    name,
    mode: 'ChainableRamRoleArn',
    source_profile: source,
    ram_role_arn: `arn-${name}`,
  })
  const modes = 'AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, CloudSSO, OAuth, External'
  const cases: ReadonlyArray<readonly [string, ReadonlyArray<Record<string, unknown>>, string, CliConfig.CliError]> = [
    ['a missing profile', [AK], 'nope', { profile: 'nope', message: "there is no profile 'nope'" }],
    [
      'no mode',
      [{ name: 'p', access_key_id: 'id' }],
      'p',
      {
        profile: 'p',
        key: 'mode',
        message: `profile 'p' has no \`mode\` (and its keys fit none); use one of: ${modes}`,
      },
    ],
    [
      'no mode, and keys the CLI reads as RsaKeyPair',
      [{ name: 'p', private_key: SECRET, key_pair_name: 'kp' }],
      'p',
      {
        profile: 'p',
        key: 'mode',
        message: `profile 'p' has no \`mode\`, and its keys make it a RsaKeyPair profile to the Aliyun CLI, which alicred does not read; use one of: ${modes}`,
      },
    ],
    [
      'no mode, and a bearer token',
      [{ name: 'p', bearer_token: SECRET }],
      'p',
      {
        profile: 'p',
        key: 'mode',
        message: `profile 'p' has no \`mode\`, and its keys make it a BearerToken profile to the Aliyun CLI, which alicred does not read; use one of: ${modes}`,
      },
    ],
    [
      'an unknown mode',
      [{ name: 'p', mode: 'SAML' }],
      'p',
      { profile: 'p', key: 'mode', message: `profile 'p' has the unknown mode 'SAML'; use one of: ${modes}` },
    ],
    [
      'a secret as mode',
      [{ name: 'p', mode: SECRET }],
      'p',
      { profile: 'p', key: 'mode', message: `profile 'p' has an unsupported \`mode\`; use one of: ${modes}` },
    ],
    [
      'an AK profile without its secret',
      [{ name: 'p', mode: 'AK', access_key_id: 'id', access_key_secret: '' }],
      'p',
      {
        profile: 'p',
        key: 'access_key_secret',
        message: "profile 'p' (mode AK): `access_key_secret` is missing or empty (mode AK needs it)",
      },
    ],
    [
      "a RamRoleArn profile without its AccessKey (a file never borrows the environment's)",
      [{ name: 'p', mode: 'RamRoleArn', ram_role_arn: 'arn' }],
      'p',
      {
        profile: 'p',
        key: 'access_key_id',
        message:
          "profile 'p' (mode RamRoleArn): `access_key_id` is missing or empty (mode RamRoleArn needs it); `access_key_secret` is missing or empty (mode RamRoleArn needs it)",
      },
    ],
    [
      'a malformed enable_vpc',
      [
        {
          name: 'p',
          mode: 'RamRoleArn',
          access_key_id: 'id',
          access_key_secret: SECRET,
          ram_role_arn: 'a',
          enable_vpc: 'sure',
        },
      ],
      'p',
      { profile: 'p', key: 'enable_vpc', message: "profile 'p' (mode RamRoleArn): `enable_vpc` must be true or false" },
    ],
    [
      'an OIDC duration named by duration_seconds',
      [{ name: 'p', mode: 'OIDC', duration_seconds: 60 }],
      'p',
      {
        profile: 'p',
        key: 'duration_seconds',
        message: "profile 'p' (mode OIDC): `duration_seconds` must be a whole number of seconds, at least 900",
      },
    ],
    [
      'an OAuth profile without a site',
      [{ name: 'p', mode: 'OAuth', oauth_refresh_token: SECRET }],
      'p',
      {
        profile: 'p',
        key: 'oauth_site_type',
        message: "profile 'p' (mode OAuth): `oauth_site_type` is missing or empty (mode OAuth needs it)",
      },
    ],
    [
      'a chain without a role',
      [{ name: 'p', mode: 'ChainableRamRoleArn', source_profile: 'ak' }, AK],
      'p',
      {
        profile: 'p',
        key: 'ram_role_arn',
        message:
          "profile 'p' (mode ChainableRamRoleArn): `ram_role_arn` is missing or empty (mode ChainableRamRoleArn needs it)",
      },
    ],
    [
      'a chain without a source',
      [{ name: 'p', mode: 'ChainableRamRoleArn', ram_role_arn: 'a' }],
      'p',
      {
        profile: 'p',
        key: 'source_profile',
        message:
          "profile 'p' (mode ChainableRamRoleArn): `source_profile` is missing or empty; name the profile whose credentials assume the role",
      },
    ],
    [
      'a chain to a missing source',
      [chain('p', 'gone')],
      'p',
      {
        profile: 'p',
        key: 'source_profile',
        message: "profile 'p' names source_profile 'gone', which is not in the file",
      },
    ],
    [
      'a profile that is its own source',
      [chain('self', 'self')],
      'self',
      {
        profile: 'self',
        key: 'source_profile',
        message:
          "profiles form a cycle through source_profile: 'self' → 'self'; make one of them use its own credentials",
      },
    ],
    [
      'a loop of three, entered from outside it',
      [chain('top', 'a'), chain('a', 'b'), chain('b', 'c'), chain('c', 'a')],
      'top',
      {
        profile: 'c',
        key: 'source_profile',
        message:
          "profiles form a cycle through source_profile: 'a' → 'b' → 'c' → 'a'; make one of them use its own credentials",
      },
    ],
    [
      'a broken source deep in a chain',
      [chain('top', 'a'), { name: 'a', mode: 'StsToken', access_key_id: 'id', access_key_secret: SECRET }],
      'top',
      {
        profile: 'a',
        key: 'sts_token',
        message: "profile 'a' (mode StsToken): `sts_token` is missing or empty (mode StsToken needs it)",
      },
    ],
  ]
  it.each(cases)('%s', (_, profiles, name, error) => {
    const r = CliConfig.resolve(name)(doc(profiles))
    expect(r).toEqual(E.left(error))
    expect(JSON.stringify(r)).not.toContain(SECRET)
  })
})

describe('CliConfig.findWriteTarget', () => {
  const oauth = { name: 'o', mode: 'OAuth' }
  it('finds the profile of the mode by name or through source_profile, as the reference does', () => {
    const profiles = [{ name: 'top', mode: 'ChainableRamRoleArn', source_profile: 'o' }, oauth, AK]
    expect(CliConfig.findWriteTarget(profiles, 'top', 'OAuth')).toBe(oauth)
    expect(CliConfig.findWriteTarget(profiles, 'o', 'OAuth')).toBe(oauth)
    expect(CliConfig.findWriteTarget(profiles, 'ak', 'OAuth')).toBeUndefined()
    expect(CliConfig.findWriteTarget(profiles, 'missing', 'OAuth')).toBeUndefined()
    expect(CliConfig.findWriteTarget(profiles, 'top', 'External')).toBeUndefined()
  })
  it('stops on a loop', () => {
    const loop = [
      { name: 'a', mode: 'ChainableRamRoleArn', source_profile: 'b' },
      { name: 'b', mode: 'ChainableRamRoleArn', source_profile: 'a' },
    ]
    expect(CliConfig.findWriteTarget(loop, 'a', 'OAuth')).toBeUndefined()
  })
})

describe('CliConfig: properties', () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(SECRET),
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 }),
    ),
  })).value
  const profileValue = fc.oneof(
    fc.constant(SECRET),
    fc.constantFrom(...CliConfig.modes),
    fc.constantFrom('a', 'b', 'c'),
    fc.integer(),
    fc.boolean(),
    fc.constant(''),
  )
  const profileKeys = [
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
  ]
  const profile = fc.dictionary(fc.constantFrom(...profileKeys), profileValue)
  const document = fc.record({ current: fc.constantFrom('a', 'b', 'c'), profiles: fc.array(profile, { maxLength: 6 }) })

  it('resolving any profile of any document terminates with a config or an error that shows no secret', () => {
    fc.assert(
      fc.property(document, fc.constantFrom('a', 'b', 'c'), (d, name) => {
        const r = CliConfig.resolve(name)(d)
        expect(JSON.stringify(E.isLeft(r) ? r.left : 'ok')).not.toContain(SECRET)
      }),
    )
  })

  it('parsing any text, valid or corrupted JSON, never throws and never shows the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          json.map((v) => JSON.stringify(v)),
          document.map((d) => JSON.stringify(d)),
          fc.string(),
        ),
        fc.nat(),
        (text, cut) => {
          for (const t of [text, text.slice(0, cut % (text.length + 1))]) {
            const r = CliConfig.parseDocument(t)
            if (E.isLeft(r)) expect(r.left.message).not.toContain(SECRET)
          }
        },
      ),
    )
  })
})

describe('CliConfig: names long enough to be a pasted secret are described, not shown', () => {
  const long = 'abcdefghijklmnopqrstuvwxyz0123'
  it('in lists and messages', () => {
    expect(CliConfig.profileNames(doc([{ name: long }, { name: 'dev team' }]))).toEqual([
      '<a 30-character name>',
      'dev team',
    ])
    expect(CliConfig.resolve(long)(doc([]))).toEqual(
      E.left({ profile: '<a 30-character name>', message: "there is no profile '<a 30-character name>'" }),
    )
    expect(
      CliConfig.resolve('p')(
        doc([{ name: 'p', mode: 'ChainableRamRoleArn', ram_role_arn: 'a', source_profile: long }]),
      ),
    ).toEqual(
      E.left({
        profile: 'p',
        key: 'source_profile',
        message: "profile 'p' names source_profile '<a 30-character name>', which is not in the file",
      }),
    )
  })
})
