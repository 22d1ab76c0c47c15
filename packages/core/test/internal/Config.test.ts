import { readFileSync } from 'node:fs'
import { Config, Credential, CredentialsError, Env, EnvVars, type Provider, Providers } from '@alicred/core'
import { type FakeCapabilities, json } from '@alicred/testing'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { decodeWith } from '../../src/internal/Config.js'
import {
  ecsRoutes,
  expectNoLeak,
  jwt,
  leftOf,
  rightOf,
  SECRET,
  setup,
  shape,
  stsBlock,
  stsRoutes,
  T0,
  TOKEN,
} from './_config.js'

const TYPES =
  'access_key, sts, bearer, ecs_ram_role, ram_role_arn, oidc_role_arn, rsa_key_pair, credentials_uri, cloud_sso, oauth, external'

describe('decodeConfig: valid configs', () => {
  it('trims text and keeps only the fields of the type', () => {
    expect(
      Config.decodeConfig({ type: ' access_key ', accessKeyId: ' id ', accessKeySecret: SECRET, roleArn: 'x' }),
    ).toEqual(E.right({ type: 'access_key', accessKeyId: 'id', accessKeySecret: SECRET }))
  })

  it('reads numbers and flags written as text (INI values are text)', () => {
    expect(
      Config.decodeConfig({
        type: 'ram_role_arn',
        accessKeyId: 'id',
        accessKeySecret: SECRET,
        securityToken: TOKEN,
        roleArn: 'acs:ram::1:role/r',
        roleSessionName: 'rsn',
        policy: '{"Version":"1"}',
        externalId: 'ext',
        durationSeconds: '1800',
        stsEndpoint: 'sts.cn-beijing.aliyuncs.com',
        stsRegionId: 'cn-beijing',
        enableVpc: 'TRUE',
        connectTimeout: 2000,
        timeout: '3000',
      }),
    ).toEqual(
      E.right({
        type: 'ram_role_arn',
        accessKeyId: 'id',
        accessKeySecret: SECRET,
        securityToken: TOKEN,
        roleArn: 'acs:ram::1:role/r',
        roleSessionName: 'rsn',
        policy: '{"Version":"1"}',
        externalId: 'ext',
        durationSeconds: 1800,
        stsEndpoint: 'sts.cn-beijing.aliyuncs.com',
        stsRegionId: 'cn-beijing',
        enableVpc: true,
        connectTimeout: 2000,
        timeout: 3000,
      }),
    )
  })

  it('treats undefined, null, blank text and 0 as unset (the reference defaults falsy values)', () => {
    expect(
      Config.decodeConfig({
        type: 'ram_role_arn',
        accessKeyId: 'id',
        accessKeySecret: SECRET,
        securityToken: '',
        roleArn: 'arn',
        roleSessionName: undefined,
        policy: null,
        durationSeconds: 0,
        timeout: '  ',
      }),
    ).toEqual(E.right({ type: 'ram_role_arn', accessKeyId: 'id', accessKeySecret: SECRET, roleArn: 'arn' }))
  })

  it('decodes every type from its minimal config', () => {
    const minimal: ReadonlyArray<Record<string, unknown>> = [
      { type: 'access_key', accessKeyId: 'id', accessKeySecret: 's' },
      { type: 'sts', accessKeyId: 'id', accessKeySecret: 's', securityToken: 't' },
      { type: 'bearer', bearerToken: 'b' },
      { type: 'ecs_ram_role' },
      { type: 'ram_role_arn', accessKeyId: 'id', accessKeySecret: 's', roleArn: 'arn' },
      { type: 'oidc_role_arn' },
      { type: 'rsa_key_pair', publicKeyId: 'k', privateKeyFile: '/k.pem' },
      { type: 'credentials_uri' },
      { type: 'cloud_sso', signInUrl: 'u', accountId: 'a', accessConfig: 'c', accessToken: 't', accessTokenExpire: 1 },
      { type: 'oauth', siteType: 'CN' },
      { type: 'external', processCommand: 'cred' },
    ]
    expect(minimal.map((c) => Config.decodeConfig(c))).toEqual(minimal.map((c) => E.right(c)))
    expect(minimal.map((c) => c.type).join(', ')).toBe(TYPES)
  })

  it('normalises the OAuth site to upper case', () => {
    expect(Config.decodeConfig({ type: 'oauth', siteType: 'intl' })).toEqual(
      E.right({ type: 'oauth', siteType: 'INTL' }),
    )
  })
})

describe('decodeConfig: invalid configs name the field and never its value', () => {
  const cases: ReadonlyArray<readonly [string, unknown, string, string, CredentialsError.Location]> = [
    ['not an object', SECRET, 'config', 'the config is not an object with a `type` field', {}],
    ['an array', [SECRET], 'config', 'the config is not an object with a `type` field', {}],
    [
      'no type',
      { accessKeyId: 'id' },
      'config',
      `the config has no \`type\`; set it to one of: ${TYPES}`,
      { key: 'type' },
    ],
    [
      'a typo in the type',
      { type: 'acces_key' },
      'config',
      `the config has the unknown type 'acces_key'; set \`type\` to one of: ${TYPES}`,
      { key: 'type' },
    ],
    [
      'a secret pasted as the type',
      { type: SECRET },
      'config',
      `the config has an unsupported type; set \`type\` to one of: ${TYPES}`,
      { key: 'type' },
    ],
    [
      'a 30-character word as the type (AccessKey secrets look like that)',
      { type: 'abcdefghijklmnopqrstuvwxyz0123' },
      'config',
      `the config has an unsupported type; set \`type\` to one of: ${TYPES}`,
      { key: 'type' },
    ],
    [
      'an empty secret',
      { type: 'access_key', accessKeyId: 'id', accessKeySecret: '' },
      'access_key',
      'the config `accessKeySecret` is missing or empty (type access_key needs it)',
      { key: 'accessKeySecret' },
    ],
    [
      'a number where text belongs',
      { type: 'access_key', accessKeyId: 42, accessKeySecret: SECRET },
      'access_key',
      'the config `accessKeyId` must be non-empty text',
      { key: 'accessKeyId' },
    ],
    [
      'a short session',
      { type: 'ram_role_arn', accessKeyId: 'id', accessKeySecret: SECRET, roleArn: 'arn', durationSeconds: 899 },
      'ram_role_arn',
      'the config `durationSeconds` must be a whole number of seconds, at least 900',
      { key: 'durationSeconds' },
    ],
    [
      'a flag that is not a boolean',
      { type: 'ram_role_arn', accessKeyId: 'id', accessKeySecret: SECRET, roleArn: 'arn', enableVpc: 'yes' },
      'ram_role_arn',
      'the config `enableVpc` must be true or false',
      { key: 'enableVpc' },
    ],
    [
      'several problems at once',
      { type: 'ram_role_arn', accessKeySecret: SECRET, durationSeconds: 60, timeout: -1 },
      'ram_role_arn',
      'the config `roleArn` is missing or empty (type ram_role_arn needs it); `durationSeconds` must be a whole number of seconds, at least 900; `timeout` must be a whole number of milliseconds from 1 to 2147483647',
      { key: 'roleArn' },
    ],
    [
      'a timeout a timer cannot wait (it would fire at once)',
      { type: 'ecs_ram_role', timeout: 2_147_483_648 },
      'ecs_ram_role',
      'the config `timeout` must be a whole number of milliseconds from 1 to 2147483647',
      { key: 'timeout' },
    ],
    [
      'an access token expiry past the year 9999',
      {
        type: 'cloud_sso',
        signInUrl: 'https://signin.example',
        accountId: '1',
        accessConfig: 'ac',
        accessToken: SECRET,
        accessTokenExpire: 253_402_300_800,
      },
      'cloud_sso',
      'the config `accessTokenExpire` must be a time in epoch seconds (up to the year 9999)',
      { key: 'accessTokenExpire' },
    ],
    [
      'a key pair session over an hour',
      { type: 'rsa_key_pair', publicKeyId: 'k', privateKeyFile: '/k', durationSeconds: 3601 },
      'rsa_key_pair',
      'the config `durationSeconds` must be a whole number of seconds from 900 to 3600',
      { key: 'durationSeconds' },
    ],
    [
      'an unknown OAuth site',
      { type: 'oauth', siteType: 'EU' },
      'oauth',
      'the config `siteType` must be CN or INTL',
      { key: 'siteType' },
    ],
  ]
  it.each(cases)('%s', (_, input, provider, message, location) => {
    const e = leftOf(Config.decodeConfig(input))
    expect(e).toBeInstanceOf(CredentialsError.InvalidConfiguration)
    expect(shape(e)).toEqual({ _tag: 'InvalidConfiguration', provider, message })
    expect(e._tag === 'InvalidConfiguration' && e.location).toEqual(location)
    expectNoLeak(e)
  })

  it('never throws and never shows a value, whatever the input (property)', () => {
    const fields = [
      'type',
      'accessKeyId',
      'accessKeySecret',
      'securityToken',
      'roleArn',
      'durationSeconds',
      'enableVpc',
      'timeout',
      'bearerToken',
      'siteType',
    ]
    const value = fc.oneof(
      fc.constant(SECRET),
      fc.constant(` ${SECRET} `),
      fc.constantFrom(...Config.configTypes),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.constant(SECRET), { maxLength: 2 }),
      fc.dictionary(fc.string(), fc.constant(SECRET), { maxKeys: 2 }),
    )
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(fc.constantFrom(...fields), value), value), (u) => {
        const r = Config.decodeConfig(u)
        if (E.isLeft(r)) expectNoLeak(r.left)
        else expect(Config.Config.is(r.right)).toBe(true)
      }),
    )
  })
})

describe('decodeFor: a reader with names of its own', () => {
  const ROLE = 'acs:ram::1:role/r'
  const upper = (f: string) => f.toUpperCase()

  it('accepts only the types given, and names fields and the first key with the reader’s names', () => {
    const decode = Config.decodeFor({ types: ['access_key'], keyName: upper })
    expect(decode({ type: 'access_key', accessKeyId: 'id', accessKeySecret: SECRET })).toEqual(
      E.right({ type: 'access_key', accessKeyId: 'id', accessKeySecret: SECRET }),
    )
    expect(decode({ type: 'access_key', accessKeyId: 'id' })).toEqual(
      E.left({
        message: '`ACCESSKEYSECRET` is missing or empty (type access_key needs it)',
        key: 'ACCESSKEYSECRET',
      }),
    )
    expect(decode({ type: 'sts', accessKeyId: 'id', accessKeySecret: SECRET, securityToken: TOKEN })).toEqual(
      E.left({ message: "has the unknown type 'sts'; set `TYPE` to one of: access_key", key: 'TYPE' }),
    )
    expect(decode(null)).toEqual(E.left({ message: 'is not an object with a `type` field' }))
  })

  it('checks the AccessKey a ram_role_arn config leaves to the environment only when given one', () => {
    const config = { type: 'ram_role_arn', roleArn: ROLE }
    expect(Config.decodeFor()(config)).toEqual(E.right(config))
    const keys = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET }
    expect(Config.decodeFor({ env: Env.fromRecord(keys) })(config)).toEqual(E.right(config))
    expect(Config.decodeFor({ env: Env.empty, keyName: upper })(config)).toEqual(
      E.left({
        message:
          'ram_role_arn needs the AccessKey that calls AssumeRole: set accessKeyId and accessKeySecret, or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (ALIBABA_CLOUD_ACCESS_KEY_ID is not set)',
        key: 'ACCESSKEYID',
      }),
    )
    // Half a pair is refused whatever the environment holds, and the key is the missing half.
    expect(Config.decodeFor({ env: Env.fromRecord(keys) })({ ...config, accessKeyId: 'id' })).toMatchObject({
      _tag: 'Left',
      left: { key: 'accessKeySecret' },
    })
  })

  it('says what decodeConfig says, without its subject, and never shows a value (property)', () => {
    const value = fc.oneof(
      fc.constant(SECRET),
      fc.constantFrom(...Config.configTypes),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    )
    const fields = ['type', 'accessKeyId', 'accessKeySecret', 'securityToken', 'roleArn', 'durationSeconds', 'timeout']
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fields), value), (u) => {
        const ours = Config.decodeFor()(u)
        const theirs = Config.decodeConfig(u)
        if (E.isRight(ours) || E.isRight(theirs)) expect(ours).toEqual(theirs)
        else {
          expect(`the config ${ours.left.message}`).toBe(theirs.left.message)
          expect(JSON.stringify(ours.left)).not.toContain(SECRET)
        }
      }),
    )
  })
})

describe('environment fallbacks: the fields a type may take from a variable, and what the constructor checks', () => {
  it('lists, per type, each needed field with its variable and what reads it', () => {
    expect(Config.envFallbacks).toEqual({
      ram_role_arn: [{ field: 'roleArn', envVar: EnvVars.ROLE_ARN, readBy: 'decoding' }],
      oidc_role_arn: [
        { field: 'roleArn', envVar: EnvVars.ROLE_ARN, readBy: 'provider' },
        { field: 'oidcProviderArn', envVar: EnvVars.OIDC_PROVIDER_ARN, readBy: 'provider' },
        { field: 'oidcTokenFilePath', envVar: EnvVars.OIDC_TOKEN_FILE, readBy: 'provider' },
      ],
      credentials_uri: [{ field: 'credentialsURI', envVar: EnvVars.CREDENTIALS_URI, readBy: 'provider' }],
    })
    expect(Config.switchedOffBy).toEqual({ ecs_ram_role: EnvVars.ECS_METADATA_DISABLED })
  })

  it('unmet: the first need neither the config nor the environment meets, in order', () => {
    const env = (r: Record<string, string>) => Env.fromRecord(r)
    const none = Env.empty
    expect([
      Config.unmet('oidc_role_arn', none)({ type: 'oidc_role_arn' }),
      Config.unmet('oidc_role_arn', none)({ type: 'oidc_role_arn', roleArn: 'r', oidcProviderArn: '  ' }),
      Config.unmet(
        'oidc_role_arn',
        env({ [EnvVars.OIDC_PROVIDER_ARN]: 'p' }),
      )({ roleArn: 'r', oidcTokenFilePath: null }),
      Config.unmet(
        'oidc_role_arn',
        env({ [EnvVars.ROLE_ARN]: 'r', [EnvVars.OIDC_PROVIDER_ARN]: 'p' }),
      )({
        oidcTokenFilePath: '/t',
      }),
      Config.unmet('ram_role_arn', env({ [EnvVars.ROLE_ARN]: ' ' }))({ type: 'ram_role_arn' }),
      Config.unmet('ram_role_arn', env({ [EnvVars.ROLE_ARN]: 'r' }))({ type: 'ram_role_arn' }),
      Config.unmet('credentials_uri', none)({ type: 'credentials_uri', credentialsURI: '' }),
      Config.unmet('credentials_uri', env({ [EnvVars.CREDENTIALS_URI]: 'http://127.0.0.1/c' }))({}),
    ]).toEqual([
      { _tag: 'Missing', type: 'oidc_role_arn', field: 'roleArn', envVar: EnvVars.ROLE_ARN },
      { _tag: 'Missing', type: 'oidc_role_arn', field: 'oidcProviderArn', envVar: EnvVars.OIDC_PROVIDER_ARN },
      { _tag: 'Missing', type: 'oidc_role_arn', field: 'oidcTokenFilePath', envVar: EnvVars.OIDC_TOKEN_FILE },
      undefined,
      { _tag: 'Missing', type: 'ram_role_arn', field: 'roleArn', envVar: EnvVars.ROLE_ARN },
      undefined,
      { _tag: 'Missing', type: 'credentials_uri', field: 'credentialsURI', envVar: EnvVars.CREDENTIALS_URI },
      undefined,
    ])
  })

  it('unmet: a type switched off by its variable (true in any case), before any field', () => {
    const off = (v: string) => Env.fromRecord({ [EnvVars.ECS_METADATA_DISABLED]: v })
    expect([
      Config.unmet('ecs_ram_role', off(' TRUE '))({ type: 'ecs_ram_role', roleName: 'r' }),
      Config.unmet('ecs_ram_role', off('false'))({ type: 'ecs_ram_role' }),
      Config.unmet('ecs_ram_role', Env.empty)({ type: 'ecs_ram_role' }),
      Config.unmet('access_key', off('true'))({ type: 'access_key' }),
    ]).toEqual([
      { _tag: 'SwitchedOff', type: 'ecs_ram_role', envVar: EnvVars.ECS_METADATA_DISABLED },
      undefined,
      undefined,
      undefined,
    ])
  })

  it('decoding with env reads the fields decoding reads, only when the config leaves them out', () => {
    const env = Env.fromRecord({
      [EnvVars.ROLE_ARN]: ' acs:ram::1:role/env ',
      [EnvVars.OIDC_PROVIDER_ARN]: 'p',
      [EnvVars.CREDENTIALS_URI]: 'http://127.0.0.1/c',
    })
    const decode = decodeWith(Config.configTypes, { environmentAccessKey: true, env })
    expect([
      decode({ type: 'ram_role_arn' }),
      decode({ type: 'ram_role_arn', roleArn: '  ' }),
      decode({ type: 'ram_role_arn', roleArn: 'acs:ram::1:role/own' }),
      decode({ type: 'oidc_role_arn' }),
      decode({ type: 'credentials_uri' }),
    ]).toEqual([
      E.right({ type: 'ram_role_arn', roleArn: 'acs:ram::1:role/env' }),
      E.right({ type: 'ram_role_arn', roleArn: 'acs:ram::1:role/env' }),
      E.right({ type: 'ram_role_arn', roleArn: 'acs:ram::1:role/own' }),
      E.right({ type: 'oidc_role_arn' }),
      E.right({ type: 'credentials_uri' }),
    ])
  })

  it('decoding without env, or with the variable unset, reads nothing: roleArn is missing', () => {
    const missing = E.left({
      _tag: 'InvalidFields',
      type: 'ram_role_arn',
      fields: [{ field: 'roleArn', expected: 'non-empty text', missing: true }],
    })
    const withEnv = Env.fromRecord({ [EnvVars.ROLE_ARN]: 'acs:ram::1:role/env' })
    expect([
      decodeWith(['ram_role_arn'], { environmentAccessKey: true })({ type: 'ram_role_arn' }),
      decodeWith(['ram_role_arn'], { environmentAccessKey: true, env: Env.empty })({ type: 'ram_role_arn' }),
      Config.decodeConfig({ type: 'ram_role_arn' })._tag,
      Config.decodeConfig({ type: 'ram_role_arn' }, withEnv),
    ]).toEqual([missing, missing, 'Left', E.right({ type: 'ram_role_arn', roleArn: 'acs:ram::1:role/env' })])
  })
})

describe('fromConfig: static types', () => {
  it('gives the credential of access_key, sts and bearer configs', async () => {
    const caps = setup()
    const run = (c: Config.Config) => Config.fromConfig(c)(caps)()()
    expect(await run({ type: 'access_key', accessKeyId: 'id', accessKeySecret: SECRET })).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'id', accessKeySecret: SECRET, source: 'static_ak' })),
    )
    expect(await run({ type: 'sts', accessKeyId: 'id', accessKeySecret: SECRET, securityToken: TOKEN })).toEqual(
      E.right(
        Credential.sts({ accessKeyId: 'id', accessKeySecret: SECRET, securityToken: TOKEN, source: 'static_sts' }),
      ),
    )
    expect(await run({ type: 'bearer', bearerToken: TOKEN })).toEqual(
      E.right(Credential.bearer({ bearerToken: TOKEN, source: 'bearer' })),
    )
  })

  it('never falls back to the environment inside an explicit access_key or sts config', async () => {
    const caps = setup({
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
        ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN,
      },
    })
    const ak = leftOf(await Config.fromConfig({ type: 'access_key' } as unknown as Config.Config)(caps)()())
    const sts = leftOf(
      await Config.fromConfig({ type: 'sts', accessKeyId: 'id', accessKeySecret: 'x', securityToken: '' })(caps)()(),
    )
    expect([shape(ak), shape(sts)]).toEqual([
      {
        _tag: 'InvalidConfiguration',
        provider: 'access_key',
        message:
          'the config `accessKeyId` is missing or empty (type access_key needs it); `accessKeySecret` is missing or empty (type access_key needs it)',
      },
      {
        _tag: 'InvalidConfiguration',
        provider: 'sts',
        message: 'the config `securityToken` is missing or empty (type sts needs it)',
      },
    ])
    expect(caps.env.reads).toEqual([])
  })
})

// fromConfig must hand each remote provider exactly the options the config describes: run the config and the
// provider called by hand on twin fakes, and compare results and every request or command.
const same = async (
  config: Config.Config,
  direct: (caps: FakeCapabilities) => Provider.Provider,
  routes: (caps: FakeCapabilities) => void,
) => {
  const a = setup()
  const b = setup()
  for (const caps of [a, b]) routes(caps)
  const viaConfig = await Config.fromConfig(config)(a)()()
  const byHand = await direct(b)()()
  expect(viaConfig).toEqual(byHand)
  expect(a.http.requests).toEqual(b.http.requests)
  expect(a.exec.calls).toEqual(b.exec.calls)
  return { credential: rightOf(viaConfig), caps: a }
}

describe('fromConfig: remote types dispatch to their provider with every option', () => {
  it('ram_role_arn with an AccessKey', async () => {
    const { credential, caps } = await same(
      {
        type: 'ram_role_arn',
        accessKeyId: 'id',
        accessKeySecret: SECRET,
        roleArn: 'acs:ram::1:role/r',
        roleSessionName: 'rsn',
        policy: '{"Version":"1"}',
        externalId: 'ext',
        durationSeconds: 1800,
        stsRegionId: 'cn-beijing',
        enableVpc: true,
        connectTimeout: 1234,
        timeout: 5678,
      },
      (c) =>
        Providers.ramRoleArn({
          source: Providers.staticAccessKey({ accessKeyId: 'id', accessKeySecret: SECRET }),
          roleArn: 'acs:ram::1:role/r',
          roleSessionName: 'rsn',
          policy: '{"Version":"1"}',
          externalId: 'ext',
          durationSeconds: 1800,
          region: 'cn-beijing',
          vpc: true,
          connectTimeoutMs: 1234,
          readTimeoutMs: 5678,
        })(c),
      stsRoutes,
    )
    expect(credential.source).toBe('ram_role_arn/static_ak')
    expect(caps.http.requests.map((r) => [r.url.split('?')[0], r.connectTimeoutMs, r.readTimeoutMs])).toEqual([
      ['https://sts-vpc.cn-beijing.aliyuncs.com/', 1234, 5678],
    ])
  })

  it('ram_role_arn without an AccessKey calls AssumeRole with ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (read once, at build)', async () => {
    const caps = setup({
      env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET },
    })
    stsRoutes(caps)
    const p = Config.fromConfig({ type: 'ram_role_arn', roleArn: 'acs:ram::1:role/r', roleSessionName: 'rsn' })(caps)
    caps.env.set('ALIBABA_CLOUD_ACCESS_KEY_ID', 'changed-later')
    const credential = rightOf(await p()())
    expect(credential.source).toBe('ram_role_arn/static_ak')
    expect(caps.http.requests[0]?.url).toMatch(/[?&]AccessKeyId=env-id(&|$)/)
    expect(caps.http.requests[0]?.url).not.toMatch(/SecurityToken=/)
  })

  it('ram_role_arn without a roleArn assumes the role in ALIBABA_CLOUD_ROLE_ARN, as the reference does', async () => {
    const caps = setup({ env: { ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/from-env' } })
    stsRoutes(caps)
    const p = Config.fromConfig({ type: 'ram_role_arn', accessKeyId: 'id', accessKeySecret: SECRET } as never)(caps)
    expect(rightOf(await p()()).source).toBe('ram_role_arn/static_ak')
    expect(caps.http.requests[0]?.body).toMatch(/(^|&)RoleArn=acs%3Aram%3A%3A1%3Arole%2Ffrom-env(&|$)/)
  })

  it('ram_role_arn without an AccessKey takes ALIBABA_CLOUD_SECURITY_TOKEN too when it is set', async () => {
    const caps = setup({
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.env-id',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
        ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN,
      },
    })
    stsRoutes(caps)
    const credential = rightOf(await Config.fromConfig({ type: 'ram_role_arn', roleArn: 'arn' })(caps)()())
    expect(credential.source).toBe('ram_role_arn/static_sts')
    expect(caps.http.requests[0]?.url).toMatch(/[?&]SecurityToken=/)
  })

  it.each([
    [
      'no AccessKey in the config or the environment',
      { type: 'ram_role_arn', roleArn: 'arn' },
      {},
      'ram_role_arn needs the AccessKey that calls AssumeRole: set accessKeyId and accessKeySecret, or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (ALIBABA_CLOUD_ACCESS_KEY_ID is not set)',
      'accessKeyId',
    ],
    [
      'the secret missing from the environment',
      { type: 'ram_role_arn', roleArn: 'arn' },
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id' },
      'ram_role_arn needs the AccessKey that calls AssumeRole: set accessKeyId and accessKeySecret, or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set)',
      'accessKeyId',
    ],
    [
      'half a pair in the config is never completed from the environment',
      { type: 'ram_role_arn', roleArn: 'arn', accessKeyId: 'id' },
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET },
      'accessKeySecret is missing; set both accessKeyId and accessKeySecret, or neither to use ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'accessKeySecret',
    ],
    [
      'only the secret in the config',
      { type: 'ram_role_arn', roleArn: 'arn', accessKeySecret: SECRET },
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET },
      'accessKeyId is missing; set both accessKeyId and accessKeySecret, or neither to use ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'accessKeyId',
    ],
    [
      'a token without its pair',
      { type: 'ram_role_arn', roleArn: 'arn', securityToken: TOKEN },
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET },
      'securityToken is set without accessKeyId and accessKeySecret; set all three',
      'accessKeyId',
    ],
  ] as const)('ram_role_arn: %s is refused without a request', async (_name, config, env, message, key) => {
    const caps = setup({ env })
    stsRoutes(caps)
    const e = leftOf(await Config.fromConfig(config as Config.Config)(caps)()())
    expect(shape(e)).toEqual({ _tag: 'InvalidConfiguration', provider: 'ram_role_arn', message })
    expect(e._tag === 'InvalidConfiguration' && e.location).toEqual({ key })
    expect(caps.http.requests).toEqual([])
    expectNoLeak(e)
  })

  it('ram_role_arn with an STS triple and an explicit endpoint', async () => {
    const { credential, caps } = await same(
      {
        type: 'ram_role_arn',
        accessKeyId: 'id',
        accessKeySecret: SECRET,
        securityToken: TOKEN,
        roleArn: 'arn',
        roleSessionName: 'rsn',
        stsEndpoint: 'sts.cn-shanghai.aliyuncs.com',
      },
      (c) =>
        Providers.ramRoleArn({
          source: Providers.staticSts({ accessKeyId: 'id', accessKeySecret: SECRET, securityToken: TOKEN }),
          roleArn: 'arn',
          roleSessionName: 'rsn',
          endpoint: 'sts.cn-shanghai.aliyuncs.com',
        })(c),
      stsRoutes,
    )
    expect(credential.source).toBe('ram_role_arn/static_sts')
    expect(caps.http.requests[0]?.url).toMatch(/^https:\/\/sts\.cn-shanghai\.aliyuncs\.com\/\?.*SecurityToken=/)
  })

  it('oidc_role_arn', async () => {
    const files = (c: FakeCapabilities) => {
      c.fs.put('/var/run/oidc/token', jwt)
      stsRoutes(c)
    }
    const { credential } = await same(
      {
        type: 'oidc_role_arn',
        roleArn: 'arn',
        oidcProviderArn: 'provider-arn',
        oidcTokenFilePath: '/var/run/oidc/token',
        roleSessionName: 'rsn',
        policy: 'p',
        durationSeconds: 1000,
        stsRegionId: 'cn-hangzhou',
        timeout: 7000,
      },
      (c) =>
        Providers.oidcRoleArn({
          roleArn: 'arn',
          oidcProviderArn: 'provider-arn',
          oidcTokenFile: '/var/run/oidc/token',
          roleSessionName: 'rsn',
          policy: 'p',
          durationSeconds: 1000,
          region: 'cn-hangzhou',
          readTimeoutMs: 7000,
        })(c),
      files,
    )
    expect(credential.source).toBe('oidc_role_arn')
  })

  it('ecs_ram_role', async () => {
    const { credential } = await same(
      { type: 'ecs_ram_role', roleName: 'my-role', disableIMDSv1: true, connectTimeout: 300, timeout: 400 },
      (c) =>
        Providers.ecsRamRole({ roleName: 'my-role', disableIMDSv1: true, connectTimeoutMs: 300, readTimeoutMs: 400 })(
          c,
        ),
      ecsRoutes,
    )
    expect(credential.source).toBe('ecs_ram_role')
  })

  it('credentials_uri', async () => {
    const uri = 'http://127.0.0.1:8080/creds'
    const { credential } = await same(
      { type: 'credentials_uri', credentialsURI: uri, timeout: 900 },
      (c) => Providers.credentialsUri({ uri, readTimeoutMs: 900 })(c),
      (c) => void c.http.on('GET', uri, json(200, { Code: 'Success', ...stsBlock() })),
    )
    expect(credential.source).toBe('credential_uri')
  })

  it('rsa_key_pair', async () => {
    const key = (
      JSON.parse(readFileSync(new URL('../fixtures/rsa-vectors.json', import.meta.url), 'utf8')) as {
        pkcs8Base64: string
      }
    ).pkcs8Base64
    const pem = `-----BEGIN PRIVATE KEY-----\n${key.trim()}\n-----END PRIVATE KEY-----\n`
    const { credential } = await same(
      {
        type: 'rsa_key_pair',
        publicKeyId: 'TMPSK.pub',
        privateKeyFile: '/keys/pk.pem',
        durationSeconds: 1200,
        stsEndpoint: 'sts.ap-northeast-1.aliyuncs.com',
      },
      (c) =>
        Providers.rsaKeyPair({
          publicKeyId: 'TMPSK.pub',
          privateKeyFile: '/keys/pk.pem',
          durationSeconds: 1200,
          endpoint: 'sts.ap-northeast-1.aliyuncs.com',
        })(c),
      (c) => {
        c.fs.put('/keys/pk.pem', pem)
        c.http.on(
          'GET',
          /^https:\/\/sts\.ap-northeast-1\.aliyuncs\.com\//,
          json(200, {
            SessionAccessKey: {
              SessionAccessKeyId: 'TMPSK.id',
              SessionAccessKeySecret: 'session-secret',
              Expiration: '2024-01-01T01:00:00Z',
            },
          }),
        )
      },
    )
    expect(credential.source).toBe('rsa_key_pair')
  })

  it('cloud_sso', async () => {
    const expire = T0 / 1000 + 3600
    const { credential } = await same(
      {
        type: 'cloud_sso',
        signInUrl: 'http://127.0.0.1:9000/start',
        accountId: 'acc',
        accessConfig: 'ac',
        accessToken: TOKEN,
        accessTokenExpire: expire,
      },
      (c) =>
        Providers.cloudSso({
          signInUrl: 'http://127.0.0.1:9000/start',
          accountId: 'acc',
          accessConfig: 'ac',
          accessToken: TOKEN,
          accessTokenExpire: expire,
        })(c),
      (c) =>
        void c.http.on('POST', 'http://127.0.0.1:9000/cloud-credentials', json(200, { CloudCredential: stsBlock() })),
    )
    expect(credential.source).toBe('cloud_sso')
  })

  it('oauth, with the write-back hook', async () => {
    const updates: Array<unknown> = []
    const onUpdate = async (u: unknown) => void updates.push(u)
    const a = setup()
    const b = setup()
    const routes = (c: FakeCapabilities) =>
      c.http
        .on(
          'POST',
          'http://127.0.0.1:9001/v1/token',
          json(200, { access_token: 'at-2', refresh_token: 'rt-2', expires_in: 3600 }),
        )
        .on(
          'POST',
          'http://127.0.0.1:9001/v1/exchange',
          json(200, {
            accessKeyId: 'STS.o',
            accessKeySecret: 'os',
            securityToken: 'ot',
            expiration: '2024-01-01T01:00:00Z',
          }),
        )
    routes(a)
    routes(b)
    const viaConfig = await Config.fromConfig(
      { type: 'oauth', siteType: 'CN', signInUrl: 'http://127.0.0.1:9001', refreshToken: 'rt-1' },
      { onOAuthUpdate: onUpdate },
    )(a)()()
    const byHand = await Providers.oauth({
      siteType: 'CN',
      signInUrl: 'http://127.0.0.1:9001',
      refreshToken: 'rt-1',
      onUpdate,
    })(b)()()
    expect(viaConfig).toEqual(byHand)
    expect(a.http.requests).toEqual(b.http.requests)
    expect(rightOf(viaConfig).source).toBe('oauth')
    expect(updates).toHaveLength(2)
    expect(updates[0]).toEqual(updates[1])
  })

  it('external, with the Windows splitting rule and the process timeout', async () => {
    const out = JSON.stringify({
      mode: 'StsToken',
      access_key_id: 'ak',
      access_key_secret: 'sk',
      sts_token: 'st',
      expiration: '2024-01-01T01:00:00Z',
    })
    const a = setup()
    const b = setup()
    for (const c of [a, b]) c.exec.on('C:\\tools\\cred.exe', { exitCode: 0, stdout: out, stderr: '' })
    const viaConfig = await Config.fromConfig(
      { type: 'external', processCommand: 'C:\\tools\\cred.exe get', timeout: 5000 },
      { windows: true },
    )(a)()()
    const byHand = await Providers.external({
      processCommand: 'C:\\tools\\cred.exe get',
      timeoutMs: 5000,
      windows: true,
    })(b)()()
    expect(viaConfig).toEqual(byHand)
    expect(rightOf(viaConfig).source).toBe('external')
    expect(a.exec.calls).toEqual(b.exec.calls)
    expect(a.exec.calls.map((c) => [c.file, c.args, c.timeoutMs])).toEqual([['C:\\tools\\cred.exe', ['get'], 5000]])
  })

  it('an invalid config fails on every call without I/O', async () => {
    const caps = setup()
    const p = Config.fromConfig({ type: 'ram_role_arn', accessKeyId: 'id', accessKeySecret: SECRET, roleArn: '' })(caps)
    const [r1, r2] = [await p()(), await p()()]
    expect(r1).toEqual(r2)
    expect(shape(leftOf(r1))).toEqual({
      _tag: 'InvalidConfiguration',
      provider: 'ram_role_arn',
      message: 'the config `roleArn` is missing or empty (type ram_role_arn needs it)',
    })
    expect(caps.http.requests).toEqual([])
  })
})
