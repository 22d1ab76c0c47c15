// Fuzzing the two credential files end to end: an INI profile file and the Aliyun CLI's config.json, each read by
// its provider over fakes (nothing leaves the test: fakeHttp and fakeExec answer every request, with a refusal).
// Every outcome is a credential or a typed CredentialsError, within a deadline, and no secret value of the file
// (AccessKey secrets, STS and bearer tokens, OAuth and CloudSSO tokens, process_command arguments) is ever in an
// error.
import { Config, Providers } from '@alicred/core'
import { fakeCapabilities, json, type Responder, text } from '@alicred/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as CliConfig from '../../src/internal/CliConfig.js'
import * as Ini from '../../src/internal/Ini.js'
import {
  AK_SECRET,
  BEARER,
  checkOutcome,
  OAUTH_ACCESS,
  OAUTH_REFRESH,
  RUNS,
  reflect,
  run,
  SSO_ACCESS,
  STS_TOKEN,
} from './_support.js'

const T0 = Date.UTC(2024, 0, 1)

// What every remote endpoint a profile leads to answers: secrets in bodies the client must not quote, and an error
// document whose Message repeats the whole request, as a careless server might (a server can only repeat what it
// was sent: the client shows a server's Message, scrubbed of every secret it sent).
const upstream = fc.constantFrom<Responder>(
  text(500, `internal error; request was access_key_secret=${AK_SECRET}&token=${STS_TOKEN}`),
  (req) => json(400, { Code: 'InvalidParameter', Message: `bad request: ${reflect(req)}`, RequestId: 'req-1' }),
  json(200, { Credentials: { AccessKeySecret: AK_SECRET } }),
  { error: 'ConnectionRefused' },
  { error: 'ReadTimeout' },
)
const withUpstream = <C extends ReturnType<typeof fakeCapabilities>>(caps: C, reply: Responder): C => {
  caps.http.on('*', /.*/, reply)
  return caps
}
const names = fc.oneof(fc.constantFrom('default', 'dev', 'prod', 'team.prod', 'a b'), fc.string({ maxLength: 6 }))
const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    'true',
    'FALSE',
    '0',
    '3600',
    '899',
    'acs:ram::1:role/r',
    'http://127.0.0.1:9/x',
    'sts.cn-hangzhou.aliyuncs.com',
    '"q"',
    "'",
    '\\',
  ),
)
/** A secret as it may appear in a file: bare, padded or quoted. */
const secretValue = (secret: string) =>
  fc.constantFrom(secret, ` ${secret} `, `"${secret}"`, `'${secret}'`, `${secret};comment`)

// ---------------------------------------------------------------------------------------------------------------
// INI
// ---------------------------------------------------------------------------------------------------------------

const INI_SECRETS: Readonly<Record<string, string>> = {
  access_key_secret: AK_SECRET,
  security_token: STS_TOKEN,
  bearer_token: BEARER,
}
// Plausible values per key (so generated profiles often get far), mixed with junk.
const INI_VALUES: Readonly<Record<string, ReadonlyArray<string>>> = {
  access_key_id: ['LTAI5tKey'],
  role_arn: ['acs:ram::1:role/r'],
  role_session_name: ['session'],
  duration_seconds: ['3600', '899'],
  sts_endpoint: ['http://127.0.0.1:9', 'sts.cn-hangzhou.aliyuncs.com'],
  sts_region_id: ['cn-hangzhou', 'NOT A REGION'],
  role_name: ['my-role'],
  credentials_uri: ['http://127.0.0.1:9/creds', 'ftp://x'],
  public_key_id: ['KP-1'],
  private_key_file: ['/keys/key.pem'],
  oidc_provider_arn: ['acs:ram::1:oidc-provider/p'],
  oidc_token_file_path: ['/var/run/token'],
  enable: ['false', 'true', 'FALSE'],
  disable_imdsv1: ['true', 'false'],
}
const iniValue = (k: string) =>
  k in INI_SECRETS
    ? secretValue(INI_SECRETS[k] as string)
    : k === 'type'
      ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...Ini.types) }, fc.constantFrom(...Config.configTypes), junk)
      : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(INI_VALUES[k] ?? [''])) }, junk)
const iniKey = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...Object.keys(Ini.keys), 'enable') },
  fc.string({ maxLength: 8 }),
)
const iniEntry = iniKey.chain((k) => iniValue(k).map((v) => `${k} = ${v}`))
const oddLine = fc.oneof(
  fc.constantFrom('; comment', '# comment', '', '[', '[]', 'no equals sign', '\u0000', 'type = access_key'),
  fc.string({ maxLength: 16 }),
)
const section = fc
  .tuple(names, iniValue('type'), fc.array(iniEntry, { maxLength: 7 }), fc.array(oddLine, { maxLength: 1 }))
  .map(([name, type, entries, odd]) => [`[${name}]`, `type = ${type}`, ...entries, ...odd])
const iniFile = fc
  .tuple(fc.array(section, { minLength: 1, maxLength: 3 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
  .map(([sections, eol, bom]) => (bom ? '\uFEFF' : '') + sections.flat().join(eol))

const iniCaps = (text: string, profile: string | undefined) =>
  fakeCapabilities({
    now: T0,
    files: { '~/.alibabacloud/credentials': text },
    env: profile === undefined ? {} : { ALIBABA_CLOUD_PROFILE: profile },
  })

describe('fuzz: INI profile files', () => {
  it('any file, any profile: a credential or a typed error, never a secret in the error', async () => {
    await fc.assert(
      fc.asyncProperty(iniFile, fc.option(names, { nil: undefined }), upstream, async (text, profile, reply) => {
        const caps = withUpstream(iniCaps(text, profile), reply)
        checkOutcome(await run(() => Providers.iniProfile()(caps)()()))
      }),
      { numRuns: RUNS },
    )
  })

  it('the generator reaches every outcome (so the property above is not vacuous)', async () => {
    const seen = new Set<string>()
    const inputs = fc.sample(fc.tuple(iniFile, fc.option(names, { nil: undefined }), upstream), {
      numRuns: 3_000,
      seed: 7,
    })
    for (const [text, profile, reply] of inputs) {
      const caps = withUpstream(iniCaps(text, profile), reply)
      seen.add(checkOutcome(await Providers.iniProfile()(caps)()()))
    }
    expect([...seen].sort()).toEqual(['InvalidConfiguration', 'NotConfigured', 'Right', 'SourceFailure'])
  })
})

// ---------------------------------------------------------------------------------------------------------------
// config.json
// ---------------------------------------------------------------------------------------------------------------

const CLI_SECRETS: Readonly<Record<string, string>> = {
  access_key_secret: AK_SECRET,
  sts_token: STS_TOKEN,
  oauth_refresh_token: OAUTH_REFRESH,
  oauth_access_token: OAUTH_ACCESS,
  access_token: SSO_ACCESS,
}
const CLI_KEYS = [
  'access_key_id',
  'ram_role_arn',
  'ram_session_name',
  'expired_seconds',
  'duration_seconds',
  'sts_region',
  'sts_endpoint',
  'enable_vpc',
  'policy',
  'external_id',
  'ram_role_name',
  'oidc_provider_arn',
  'oidc_token_file',
  'source_profile',
  'cloud_sso_sign_in_url',
  'cloud_sso_account_id',
  'cloud_sso_access_config',
  'cloud_sso_access_token_expire',
  'oauth_site_type',
  'oauth_access_token_expire',
  'sts_expiration',
  'region_id',
]
const cliValue = fc.oneof(
  junk,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(T0 / 1000 + 3600, T0 / 1000 - 1, 'CN', 'INTL', 'default', 'dev'),
  fc.jsonValue({ maxDepth: 1 }),
)
const processCommand = fc
  .tuple(
    fc.constantFrom('/usr/bin/helper', 'helper'),
    fc.array(
      fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(`--secret=${AK_SECRET}`, `"${STS_TOKEN}"`, '"', "'", '\\')),
      { maxLength: 4 },
    ),
  )
  .map(([p, args]) => [p, ...args].join(' '))
const profile = fc
  .record({
    name: fc.oneof(names, fc.jsonValue({ maxDepth: 0 })),
    mode: fc.oneof(
      {
        weight: 5,
        arbitrary: fc.constantFrom(...CliConfig.modes),
      },
      junk,
    ),
    fields: fc.dictionary(fc.constantFrom(...CLI_KEYS), cliValue, { maxKeys: 8 }),
    secrets: fc.subarray(Object.keys(CLI_SECRETS)),
    source: fc.option(names, { nil: undefined }),
    command: fc.option(processCommand, { nil: undefined }),
  })
  .map(({ name, mode, fields, secrets, source, command }) => ({
    name,
    mode,
    ...fields,
    ...Object.fromEntries(secrets.map((k) => [k, CLI_SECRETS[k]])),
    ...(source === undefined ? {} : { source_profile: source }),
    ...(command === undefined ? {} : { process_command: command }),
  }))
const cliFile = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({ current: fc.oneof(names, fc.constant(undefined)), profiles: fc.array(profile, { maxLength: 4 }) })
      .map((d) => JSON.stringify(d)),
  },
  {
    weight: 1,
    arbitrary: fc.array(profile, { maxLength: 2 }).map((ps) => JSON.stringify({ profiles: ps }).slice(0, -3)),
  },
  { weight: 1, arbitrary: fc.json({ depthSize: 'small' }) },
)

const cliCaps = (text: string, profileName: string | undefined) =>
  fakeCapabilities({
    now: T0,
    files: { '~/.aliyun/config.json': text },
    env: profileName === undefined ? {} : { ALIBABA_CLOUD_PROFILE: profileName },
  })

describe('fuzz: Aliyun CLI config.json', () => {
  it('any document, any profile: a credential or a typed error, never a secret in the error', async () => {
    await fc.assert(
      fc.asyncProperty(cliFile, fc.option(names, { nil: undefined }), upstream, async (text, name, reply) => {
        const caps = withUpstream(cliCaps(text, name), reply)
        checkOutcome(await run(() => Providers.cliProfile({ onWriteBackError: () => {} })(caps)()()))
      }),
      { numRuns: RUNS },
    )
  })

  it('the generator reaches every outcome (so the property above is not vacuous)', async () => {
    const seen = new Set<string>()
    const inputs = fc.sample(fc.tuple(cliFile, fc.option(names, { nil: undefined }), upstream), {
      numRuns: 3_000,
      seed: 7,
    })
    for (const [text, name, reply] of inputs) {
      const caps = withUpstream(cliCaps(text, name), reply)
      seen.add(checkOutcome(await Providers.cliProfile({ onWriteBackError: () => {} })(caps)()()))
    }
    expect([...seen].sort()).toEqual(['InvalidConfiguration', 'NotConfigured', 'Right', 'SourceFailure'])
  })
})
