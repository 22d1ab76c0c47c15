// Cases from aliyun/credentials-nodejs (the reference's own repository, v2.4.7), `test/`. Each names the file and the
// `it(...)` it comes from. What a test checks through internals (builder fields, private request objects) is turned
// into what the public API shows: the credential, the failure, or the request the library sends (host, parameters).
import {
  agree,
  type Case,
  CLI_CONFIG,
  type Ctx,
  INI_FILE,
  jwt,
  metadataAnswer,
  peer,
  type Reply,
  row,
  type Source,
  stsAnswer,
} from '../harness.js'

const from = (file: string, test: string): Source => ({ repo: 'aliyun/credentials-nodejs', file, test })

const NO_ECS = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }
/** The default chain reading one CLI profile (ECS metadata off, so a failing profile fails the chain). */
const cliProfile = (name: string) => ({ ...NO_ECS, ALIBABA_CLOUD_PROFILE: name })

const stsOk =
  (id = 'STS.akid', secret = 'aksecret', token = 'ststoken') =>
  (c: Ctx): Reply =>
    stsAnswer({ AccessKeyId: id, AccessKeySecret: secret, SecurityToken: token, Expiration: c.iso(3600) })

const ecsCredentials = (c: Ctx, extra: Record<string, unknown> = {}): Reply =>
  metadataAnswer({
    Code: 'Success',
    AccessKeyId: 'STS.ecs',
    AccessKeySecret: 'ecs-secret',
    SecurityToken: 'ecs-token',
    Expiration: c.iso(3600),
    LastUpdated: c.iso(0),
    ...extra,
  })

const ecsOk = (c: Ctx) => ({
  'imds.token': { text: 'tokenxxxxx' },
  'imds.roles': { text: 'rolename' },
  'imds.credentials': ecsCredentials(c),
})

const stsError = (code: string, status = 404): Reply => ({
  status,
  json: { RequestId: 'req-1', HostId: 'sts.aliyuncs.com', Code: code, Message: `${code} error` },
})

// test/fixtures/.aliyun/config.json and the profiles of cli_profile.test.ts's getCredentialsProvider() test
const cliFixture = (c: Ctx) => ({
  current: 'AK',
  profiles: [
    { name: 'AK', mode: 'AK', access_key_id: 'akid', access_key_secret: 'secret' },
    {
      name: 'StsToken',
      mode: 'StsToken',
      access_key_id: 'access_key_id',
      access_key_secret: 'access_key_secret',
      sts_token: 'sts_token',
    },
    { name: 'RamRoleArn', mode: 'RamRoleArn', access_key_id: 'akid', access_key_secret: 'secret', ram_role_arn: 'arn' },
    { name: 'Invalid_RamRoleArn', mode: 'RamRoleArn' },
    { name: 'EcsRamRole', mode: 'EcsRamRole', ram_role_name: 'rolename' },
    {
      name: 'OIDC',
      mode: 'OIDC',
      ram_role_arn: 'role_arn',
      oidc_token_file: 'path/to/oidc/file',
      oidc_provider_arn: 'provider_arn',
    },
    { name: 'ChainableRamRoleArn', mode: 'ChainableRamRoleArn', ram_role_arn: 'arn', source_profile: 'AK' },
    { name: 'ChainableRamRoleArn2', mode: 'ChainableRamRoleArn', source_profile: 'InvalidSource' },
    {
      name: 'CloudSSO',
      mode: 'CloudSSO',
      cloud_sso_sign_in_url: 'https://signin.aliyun.com',
      cloud_sso_account_id: '123456',
      cloud_sso_access_config: 'config',
      access_token: 'sso_token',
      cloud_sso_access_token_expire: c.s(3600),
    },
    {
      name: 'CloudSSO_Expired',
      mode: 'CloudSSO',
      cloud_sso_sign_in_url: 'https://signin.aliyun.com',
      cloud_sso_account_id: '123456',
      cloud_sso_access_config: 'config',
      access_token: 'expired_token',
      cloud_sso_access_token_expire: 0,
    },
    {
      name: 'OAuth_CN',
      mode: 'OAuth',
      oauth_site_type: 'CN',
      oauth_refresh_token: 'refreshToken',
      oauth_access_token: 'accessToken',
      oauth_access_token_expire: c.s(3600),
    },
    {
      name: 'OAuth_INTL',
      mode: 'OAuth',
      oauth_site_type: 'INTL',
      oauth_refresh_token: 'refreshToken',
      oauth_access_token: 'accessToken',
      oauth_access_token_expire: c.s(3600),
    },
    { name: 'OAuth_Invalid', mode: 'OAuth', oauth_site_type: 'INVALID' },
    {
      name: 'External',
      mode: 'External',
      process_command: '/bin/echo \'{"mode":"AK","access_key_id":"ak","access_key_secret":"sk"}\'',
    },
    {
      name: 'get_credentials_error',
      mode: 'RamRoleArn',
      access_key_id: 'akid',
      access_key_secret: 'secret',
      ram_role_arn: 'arn',
    },
    { name: 'Unsupported', mode: 'Unsupported' },
  ],
})

// test/providers/profile.test.ts's inistr
const INI = `
[default]
enable = true
type = access_key
access_key_id = foo
access_key_secret = bar

[notype]
access_key_id = foo
access_key_secret = bar

[noak]
type = access_key
access_key_secret = bar

[emptyak]
type = access_key
access_key_id =
access_key_secret = bar

[ecs]
type = ecs_ram_role
role_name = EcsRamRoleTest

[noecs]
type = ecs_ram_role

[emptyecs]
type = ecs_ram_role
role_name =

[ram]
type = ram_role_arn
access_key_id = foo
access_key_secret = bar
role_arn = role_arn
role_session_name = session_name

[noram]
type = ram_role_arn
access_key_secret = bar
role_arn = role_arn
role_session_name = session_name

[emptyram]
type = ram_role_arn
access_key_id =
access_key_secret = bar
role_arn = role_arn
role_session_name = session_name

[rsa]
type = rsa_key_pair
public_key_id = publicKeyId
private_key_file = ./pk.pem

[error_type]
type = error_type
public_key_id = publicKeyId
private_key_file = ./pk_error.pem
`

// test/fixtures/credentials
const FIXTURE_CREDENTIALS = `[default]
enable = true
type = access_key
access_key_id = access-key-id-02
access_key_secret = access-key-secret-02

[demo]
enable = true
type = ram_role_arn
access_key_id = access-key-id-03
access_key_secret = access-key-secret-03
role_arn = acs:ram::demo:role/demo
role_session_name = demo

[demo1]
enable = false
type = ram_role_arn
access_key_id = access-key-id-03
access_key_secret = access-key-secret-03
role_arn = acs:ram::demo:role/demo
role_session_name = demo

[demo6]
enable = true
type = access_key
access_key_id = access-key-id-06
access_key_secret = access-key-secret-06`

/** The INI profile `name` of `text`, through the default chain (CLI profile and ECS metadata off). */
const iniProfile = (name: string, extra: Record<string, string> = {}) => ({
  ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
  ALIBABA_CLOUD_PROFILE: name,
  ...extra,
})

const STATIC_AK = 'test/providers/static_ak.test.ts'
const STATIC_STS = 'test/providers/static_sts.test.ts'
const CREDENTIALS = 'test/credentials.test.ts'
const ENV = 'test/providers/env.test.ts'
const DEFAULT = 'test/providers/default.test.ts'
const PROFILE = 'test/providers/profile.test.ts'
const CLI = 'test/providers/cli_profile.test.ts'
const ECS = 'test/providers/ecs_ram_role.test.ts'
const RAM = 'test/providers/ram_role_arn.test.ts'
const OIDC = 'test/providers/oidc_role_arn.test.ts'
const URI = 'test/providers/uri.test.ts'
const EXTERNAL = 'test/providers/external.test.ts'
const OAUTH = 'test/providers/oauth.test.ts'
const SSO = 'test/providers/cloud_sso.test.ts'
const LEGACY_PROFILE = 'test/profile_credentials_provider.test.ts'

const ram = (extra: Record<string, unknown> = {}) => ({
  type: 'ram_role_arn',
  accessKeyId: 'akid',
  accessKeySecret: 'aksecret',
  roleArn: 'roleArn',
  ...extra,
})

const oidc = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  type: 'oidc_role_arn',
  roleArn: 'roleArn',
  oidcProviderArn: 'oidcProviderArn',
  oidcTokenFilePath: `${c.home}/OIDCToken.txt`,
  ...extra,
})
const oidcToken = (c: Ctx) => ({ 'OIDCToken.txt': jwt(c.s(3600)) })

const uri = { type: 'credentials_uri', credentialsURI: 'http://127.0.0.1:9999' }
const uriOk = (c: Ctx): Reply =>
  metadataAnswer({
    AccessKeyId: 'akid',
    AccessKeySecret: 'aksecret',
    SecurityToken: 'ststoken',
    Expiration: c.iso(3600),
  })

const oauthProfile = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  [CLI_CONFIG]: {
    current: 'oauth',
    profiles: [
      {
        name: 'oauth',
        mode: 'OAuth',
        oauth_site_type: 'CN',
        oauth_access_token: 'token',
        oauth_access_token_expire: c.s(2000),
        ...extra,
      },
    ],
  },
})
const exchangeOk = (expiration: string): Reply => ({
  json: { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'token', expiration },
})

const ssoProfile = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  [CLI_CONFIG]: {
    current: 'sso',
    profiles: [
      {
        name: 'sso',
        mode: 'CloudSSO',
        cloud_sso_sign_in_url: 'https://signin.aliyun.com',
        cloud_sso_account_id: '123456',
        cloud_sso_access_config: 'config',
        access_token: 'token',
        cloud_sso_access_token_expire: c.s(1000),
        ...extra,
      },
    ],
  },
})

const externalProfile = (command: string) => ({
  [CLI_CONFIG]: { current: 'ext', profiles: [{ name: 'ext', mode: 'External', process_command: command }] },
})

export const cases: ReadonlyArray<Case> = [
  // ---------------------------------------------------------------------------------------------- credentials.test.ts
  {
    id: 'node/credentials/access_key',
    from: from(CREDENTIALS, 'should return AssessKeyCredential when type is access_key'),
    what: 'access_key config',
    config: { type: 'access_key', accessKeyId: 'accessKeyId', accessKeySecret: 'accessKeySecret' },
    expect: {
      ok: { type: 'access_key', accessKeyId: 'accessKeyId', accessKeySecret: 'accessKeySecret', securityToken: null },
    },
    verdict: agree,
  },
  {
    id: 'node/credentials/bearer',
    from: from(CREDENTIALS, 'should return BearerTokenCredential when type is bearer'),
    what: 'bearer config: empty key fields',
    config: { type: 'bearer', bearerToken: 'bearerToken' },
    expect: { ok: { type: 'bearer', accessKeyId: '', accessKeySecret: '', securityToken: '' } },
    verdict: agree,
  },
  {
    id: 'node/credentials/sts',
    from: from(CREDENTIALS, 'should return StsTokenCredential when type is sts'),
    what: 'sts config',
    config: {
      type: 'sts',
      accessKeyId: 'accessKeyId',
      accessKeySecret: 'accessKeySecret',
      securityToken: 'securityToken',
    },
    expect: { ok: { type: 'sts', accessKeyId: 'accessKeyId', securityToken: 'securityToken' } },
    verdict: agree,
  },
  {
    id: 'node/credentials/ecs_ram_role',
    from: from(CREDENTIALS, 'should return EcsRamRoleCredential when type is ecs_ram_role'),
    what: 'ecs_ram_role config with asyncCredentialUpdateEnabled',
    config: { type: 'ecs_ram_role', roleName: 'roleName', asyncCredentialUpdateEnabled: true },
    answers: ecsOk,
    expect: { ok: { type: 'ecs_ram_role' } },
    verdict: agree,
  },
  {
    id: 'node/credentials/ram_role_arn',
    from: from(CREDENTIALS, 'should return RamRoleArnCredential when type is ram_role_arn'),
    what: 'ram_role_arn config',
    config: {
      type: 'ram_role_arn',
      accessKeyId: 'accessKeyId',
      accessKeySecret: 'accessKeySecret',
      roleArn: 'roleArn',
    },
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { type: 'ram_role_arn' } },
    verdict: agree,
  },
  {
    id: 'node/credentials/credentials_uri',
    from: from(CREDENTIALS, 'should return URICredential when type is credentials_uri'),
    what: 'credentials_uri config with a plain-http URI to a remote host',
    config: { type: 'credentials_uri', credentialsURI: 'http://a_local_or_remote_address/' },
    answers: (c) => ({ uri: uriOk(c) }),
    expect: { ok: { type: 'credentials_uri' } },
    verdict: row('uri-plain-http', { fail: true, requests: { uri: 0 } }),
  },
  {
    id: 'node/credentials/no-type',
    from: from(CREDENTIALS, 'should failed when config has no type'),
    what: 'a config without type',
    config: {},
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/credentials/invalid-type',
    from: from(CREDENTIALS, 'should failed when config has invalid type'),
    what: 'an unknown type',
    config: { type: 'invalid_type' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/credentials/should-ok',
    from: from(CREDENTIALS, 'Credentials should ok'),
    what: 'access_key config read through the deprecated getters',
    config: { type: 'access_key', accessKeyId: 'akid', accessKeySecret: 'aksecret' },
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'node/credentials/no-config',
    from: from(CREDENTIALS, 'should return default providerChain credentials'),
    what: 'no config, nothing configured anywhere: the default chain fails',
    env: NO_ECS,
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------- static_ak / static_sts
  {
    id: 'node/static_ak/no-id',
    from: from(STATIC_AK, 'should failed when no accessKeyId'),
    what: 'access_key without id',
    config: { type: 'access_key' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/static_ak/no-secret',
    from: from(STATIC_AK, 'should failed when no accessKeyId'),
    what: 'access_key without secret',
    config: { type: 'access_key', accessKeyId: 'akid' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/static_ak/ok',
    from: from(STATIC_AK, 'should ok'),
    what: 'access_key with both',
    config: { type: 'access_key', accessKeyId: 'accessKeyId', accessKeySecret: 'accessKeySecret' },
    expect: { ok: { accessKeyId: 'accessKeyId', accessKeySecret: 'accessKeySecret', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'node/static_ak/env',
    from: from(STATIC_AK, 'should ok with env'),
    what: 'access_key without keys takes ALIBABA_CLOUD_ACCESS_KEY_* in the reference',
    config: { type: 'access_key' },
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'akid_from_env', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aksecret_from_env' },
    expect: { ok: { accessKeyId: 'akid_from_env', accessKeySecret: 'aksecret_from_env' } },
    verdict: row('no-env-fallback', { fail: true }),
  },
  {
    id: 'node/static_sts/no-id',
    from: from(STATIC_STS, 'should failed when no accessKeyId'),
    what: 'sts without id',
    config: { type: 'sts' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/static_sts/no-secret',
    from: from(STATIC_STS, 'should failed when no accessKeyId'),
    what: 'sts without secret',
    config: { type: 'sts', accessKeyId: 'akid' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/static_sts/no-token',
    from: from(STATIC_STS, 'should failed when no accessKeyId'),
    what: 'sts without token',
    config: { type: 'sts', accessKeyId: 'akid', accessKeySecret: 'aksecret' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/static_sts/ok',
    from: from(STATIC_STS, 'should ok'),
    what: 'sts with all three',
    config: { type: 'sts', accessKeyId: 'accessKeyId', accessKeySecret: 'accessKeySecret', securityToken: 'token' },
    expect: { ok: { accessKeyId: 'accessKeyId', accessKeySecret: 'accessKeySecret', securityToken: 'token' } },
    verdict: agree,
  },
  {
    id: 'node/static_sts/env',
    from: from(STATIC_STS, 'should ok with env'),
    what: 'sts without fields takes ALIBABA_CLOUD_* in the reference',
    config: { type: 'sts' },
    env: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'akid_from_env',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aksecret_from_env',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'token_from_env',
    },
    expect: { ok: { accessKeyId: 'akid_from_env', securityToken: 'token_from_env' } },
    verdict: row('no-env-fallback', { fail: true }),
  },

  // ----------------------------------------------------------------------------------------------------- env, default
  {
    id: 'node/env/none',
    from: from(ENV, 'should ok'),
    what: 'no ALIBABA_CLOUD_ACCESS_KEY_ID: the chain fails',
    env: { ...NO_ECS, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/env/id-only',
    from: from(ENV, 'should ok'),
    what: 'ALIBABA_CLOUD_ACCESS_KEY_ID without the secret',
    env: { ...NO_ECS, ALIBABA_CLOUD_ACCESS_KEY_ID: 'akid' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/env/pair',
    from: from(ENV, 'should ok'),
    what: 'AccessKey pair from the environment',
    env: { ...NO_ECS, ALIBABA_CLOUD_ACCESS_KEY_ID: 'akid', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aksecret' },
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'node/env/token',
    from: from(ENV, 'should ok'),
    what: 'AccessKey pair and token from the environment',
    env: {
      ...NO_ECS,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'akid',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aksecret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'token',
    },
    expect: { ok: { accessKeyId: 'akid', securityToken: 'token' } },
    verdict: agree,
  },
  {
    id: 'node/default/nothing',
    from: from(DEFAULT, 'getCredentials'),
    what: 'CLI profile off, nothing else: the chain fails',
    env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/default/env',
    from: from(DEFAULT, 'getCredentials'),
    what: 'CLI profile off, AccessKey in the environment, called twice',
    env: {
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'akid',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aksecret',
    },
    calls: 2,
    expect: { ok: { type: 'default', accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'node/default/oidc',
    from: from(DEFAULT, 'DefaultCredentialsProvider'),
    what: 'the three OIDC variables add the OIDC link after env',
    env: (c) => ({
      ...NO_ECS,
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: `${c.home}/oidc.token`,
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'oidcproviderarn',
      ALIBABA_CLOUD_ROLE_ARN: 'rolearn',
    }),
    files: (c) => ({ 'oidc.token': jwt(c.s(3600)) }),
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: {
      ok: { type: 'default', accessKeyId: 'STS.akid' },
      stsParams: { Action: 'AssumeRoleWithOIDC', RoleArn: 'rolearn' },
    },
    verdict: agree,
  },

  // -------------------------------------------------------------------------------------------- profile.test.ts (INI)
  ...(
    [
      ['notype', 'a profile without type'],
      ['noak', 'access_key without access_key_id'],
      ['emptyak', 'access_key with an empty access_key_id'],
      ['noram', 'ram_role_arn without access_key_id'],
      ['emptyram', 'ram_role_arn with an empty access_key_id'],
      ['error_type', 'an unknown type'],
    ] as const
  ).map(
    ([name, what]): Case => ({
      id: `node/profile/${name}`,
      from: from(PROFILE, 'getCredentialsProvider should ok'),
      what: `INI [${name}]: ${what}`,
      env: iniProfile(name, NO_ECS),
      files: { [INI_FILE]: INI },
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'node/profile/default',
    from: from(PROFILE, 'getCredentialsProvider should ok'),
    what: 'INI [default] access_key',
    env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ...NO_ECS },
    files: { [INI_FILE]: INI },
    expect: { ok: { accessKeyId: 'foo', accessKeySecret: 'bar', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'node/profile/noecs',
    from: from(PROFILE, 'getCredentialsProvider should ok'),
    what: 'INI ecs_ram_role without role_name discovers the role',
    env: iniProfile('noecs'),
    files: { [INI_FILE]: INI },
    answers: ecsOk,
    expect: { ok: { accessKeyId: 'STS.ecs' } },
    verdict: agree,
  },
  {
    id: 'node/profile/ecs',
    from: from(PROFILE, 'getCredentialsProvider should ok'),
    what: 'INI ecs_ram_role with role_name',
    env: iniProfile('ecs'),
    files: { [INI_FILE]: INI },
    answers: (c) => ({ 'imds.token': { text: 't' }, 'imds.credentials': ecsCredentials(c) }),
    expect: { ok: { accessKeyId: 'STS.ecs' }, requests: { 'imds.roles': 0 } },
    verdict: agree,
  },
  {
    id: 'node/profile/ram',
    from: from(PROFILE, 'getCredentialsProvider should ok'),
    what: 'INI ram_role_arn',
    env: iniProfile('ram', NO_ECS),
    files: { [INI_FILE]: INI },
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsParams: { RoleArn: 'role_arn', RoleSessionName: 'session_name' } },
    verdict: agree,
  },
  {
    id: 'node/profile/rsa',
    from: from(PROFILE, 'getCredentialsProvider should ok'),
    what: 'INI rsa_key_pair with a missing key file',
    env: iniProfile('rsa', NO_ECS),
    files: { [INI_FILE]: INI },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/profile/missing-file-env',
    from: from(PROFILE, 'getCredentials should ok'),
    what: 'ALIBABA_CLOUD_CREDENTIALS_FILE names a file that does not exist',
    env: (c) => iniProfile('custom', { ...NO_ECS, ALIBABA_CLOUD_CREDENTIALS_FILE: `${c.home}/credentials.invalid` }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/profile/missing-profile',
    from: from(PROFILE, 'getCredentials should ok'),
    what: 'the profile named by ALIBABA_CLOUD_PROFILE is not in the file',
    env: iniProfile('custom', NO_ECS),
    files: { [INI_FILE]: INI },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/profile/default-twice',
    from: from(PROFILE, 'getCredentials should ok'),
    what: 'INI [default], called twice',
    env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ...NO_ECS },
    files: { [INI_FILE]: INI },
    calls: 2,
    expect: { ok: { accessKeyId: 'foo', accessKeySecret: 'bar' } },
    verdict: agree,
  },
  {
    id: 'node/legacy-profile/file-env-default',
    from: from(LEGACY_PROFILE, 'should success with no credential_name'),
    what: 'ALIBABA_CLOUD_CREDENTIALS_FILE names test/fixtures/credentials; [default]',
    env: (c) => ({
      ...NO_ECS,
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
      ALIBABA_CLOUD_CREDENTIALS_FILE: `${c.home}/fixture-credentials`,
    }),
    files: { 'fixture-credentials': FIXTURE_CREDENTIALS },
    expect: { ok: { accessKeyId: 'access-key-id-02' } },
    verdict: agree,
  },
  {
    id: 'node/legacy-profile/file-env-demo',
    from: from(LEGACY_PROFILE, 'should success with valid credential_name'),
    what: 'ALIBABA_CLOUD_CREDENTIALS_FILE, profile demo (ram_role_arn)',
    env: (c) => ({
      ...iniProfile('demo', NO_ECS),
      ALIBABA_CLOUD_CREDENTIALS_FILE: `${c.home}/fixture-credentials`,
    }),
    files: { 'fixture-credentials': FIXTURE_CREDENTIALS },
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: {
      ok: { accessKeyId: 'STS.akid' },
      stsParams: { RoleArn: 'acs:ram::demo:role/demo', RoleSessionName: 'demo' },
    },
    verdict: agree,
  },
  {
    id: 'node/legacy-profile/file-env-invalid',
    from: from(LEGACY_PROFILE, 'should failed with invalid credential_name'),
    what: 'ALIBABA_CLOUD_CREDENTIALS_FILE, a profile that is not there',
    env: (c) => ({
      ...iniProfile('invalid', NO_ECS),
      ALIBABA_CLOUD_CREDENTIALS_FILE: `${c.home}/fixture-credentials`,
    }),
    files: { 'fixture-credentials': FIXTURE_CREDENTIALS },
    expect: { fail: true },
    verdict: agree,
  },

  // ---------------------------------------------------------------------------------------- cli_profile.test.ts (CLI)
  {
    id: 'node/cli/disabled',
    from: from(CLI, 'ALIBABA_CLOUD_CLI_PROFILE_DISABLED should ok'),
    what: 'CLI profile disabled: the INI profile answers instead',
    env: { ...NO_ECS, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' },
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c), [INI_FILE]: INI }),
    expect: { ok: { accessKeyId: 'foo' } },
    verdict: agree,
  },
  {
    id: 'node/cli/no-file',
    from: from(CLI, 'getConfiguration'),
    what: 'no config.json',
    env: cliProfile('AK'),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/cli/invalid-json',
    from: from(CLI, 'getConfiguration'),
    what: 'config.json is not JSON (nothing else configured)',
    env: NO_ECS,
    files: { [CLI_CONFIG]: '' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/cli/invalid-json-then-ini',
    from: from(CLI, 'getConfiguration'),
    what: 'config.json is not JSON and an INI file exists',
    env: NO_ECS,
    files: { [CLI_CONFIG]: '{', [INI_FILE]: INI },
    verdict: row('stop-on-broken', { fail: true }),
  },
  {
    id: 'node/cli/no-profiles',
    from: from(CLI, 'getConfiguration'),
    what: 'config.json without profiles',
    env: NO_ECS,
    files: { [CLI_CONFIG]: { current: 'default', profiles: [] } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/cli/current',
    from: from(CLI, 'getCredentials() should ok'),
    what: 'the current profile of test/fixtures/.aliyun/config.json',
    env: NO_ECS,
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'secret', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'node/cli/mock-config-jacksontian',
    from: from(CLI, 'getConfiguration'),
    what: 'mock_cli_config.json, profile jacksontian',
    env: cliProfile('jacksontian'),
    files: {
      [CLI_CONFIG]: {
        current: 'default',
        profiles: [
          { name: 'default', mode: 'AK', access_key_id: 'akid', access_key_secret: 'secret' },
          { name: 'jacksontian', mode: 'AK', access_key_id: 'akid', access_key_secret: 'secret' },
        ],
      },
    },
    expect: { ok: { accessKeyId: 'akid' } },
    verdict: agree,
  },
  {
    id: 'node/cli/inexist',
    from: from(CLI, 'getCredentials() should ok'),
    what: 'a profile name that is not in the file',
    env: cliProfile('inexist'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/cli/AK',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode AK',
    env: cliProfile('AK'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'secret', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'node/cli/StsToken',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode StsToken',
    env: cliProfile('StsToken'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    expect: { ok: { accessKeyId: 'access_key_id', accessKeySecret: 'access_key_secret', securityToken: 'sts_token' } },
    verdict: agree,
  },
  {
    id: 'node/cli/RamRoleArn',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode RamRoleArn',
    env: cliProfile('RamRoleArn'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: {
      ok: { accessKeyId: 'STS.akid' },
      stsHost: 'sts.aliyuncs.com',
      stsParams: { RoleArn: 'arn', AccessKeyId: 'akid' },
    },
    verdict: agree,
  },
  {
    id: 'node/cli/Invalid_RamRoleArn',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode RamRoleArn without keys',
    env: cliProfile('Invalid_RamRoleArn'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/cli/EcsRamRole',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode EcsRamRole',
    env: { ALIBABA_CLOUD_PROFILE: 'EcsRamRole' },
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    answers: ecsOk,
    expect: { ok: { accessKeyId: 'STS.ecs' }, requests: { 'imds.roles': 0 } },
    verdict: agree,
  },
  {
    id: 'node/cli/OIDC',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode OIDC with a token file that does not exist',
    env: cliProfile('OIDC'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/cli/ChainableRamRoleArn',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode ChainableRamRoleArn from AK',
    env: cliProfile('ChainableRamRoleArn'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsParams: { RoleArn: 'arn', AccessKeyId: 'akid' } },
    verdict: agree,
  },
  {
    id: 'node/cli/ChainableRamRoleArn2',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode ChainableRamRoleArn with a missing source profile',
    env: cliProfile('ChainableRamRoleArn2'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/cli/CloudSSO',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode CloudSSO',
    env: cliProfile('CloudSSO'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    answers: (c) => ({
      sso: {
        json: {
          CloudCredential: {
            AccessKeyId: 'ak',
            AccessKeySecret: 'sk',
            SecurityToken: 'token',
            Expiration: c.iso(3600),
          },
        },
      },
    }),
    expect: { ok: { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'token' } },
    verdict: agree,
  },
  {
    id: 'node/cli/CloudSSO_Expired',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode CloudSSO with cloud_sso_access_token_expire 0',
    env: cliProfile('CloudSSO_Expired'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    expect: { fail: true, requests: { sso: 0 } },
    verdict: agree,
  },
  ...(['OAuth_CN', 'OAuth_INTL'] as const).map(
    (name): Case => ({
      id: `node/cli/${name}`,
      from: from(CLI, 'getCredentialsProvider() should ok'),
      what: `mode OAuth, ${name}`,
      env: cliProfile(name),
      files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
      answers: (c) => ({ 'oauth.exchange': exchangeOk(c.iso(3600)) }),
      expect: {
        ok: { accessKeyId: 'ak', securityToken: 'token' },
        requests: { 'oauth.token': 0, 'oauth.exchange': 1 },
      },
      verdict: agree,
    }),
  ),
  {
    id: 'node/cli/OAuth_Invalid',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode OAuth with an invalid site type',
    env: cliProfile('OAuth_Invalid'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/cli/External',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'mode External (/bin/echo)',
    env: cliProfile('External'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    expect: { ok: { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'node/cli/Unsupported',
    from: from(CLI, 'getCredentialsProvider() should ok'),
    what: 'an unsupported mode',
    env: cliProfile('Unsupported'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/cli/get_credentials_error',
    from: from(CLI, 'getCredentials() should ok'),
    what: 'RamRoleArn refused by STS (InvalidAccessKeyId.NotFound), called twice',
    env: cliProfile('get_credentials_error'),
    files: (c) => ({ [CLI_CONFIG]: cliFixture(c) }),
    answers: { sts: stsError('InvalidAccessKeyId.NotFound') },
    calls: 2,
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/cli/oauth-write-back',
    from: from(CLI, 'OAuth token update callback should overwrite existing config.json'),
    what: 'an OAuth refresh writes the rotated tokens and the STS credential back',
    env: cliProfile('OAuth_CN'),
    files: (c) => ({
      [CLI_CONFIG]: {
        current: 'OAuth_CN',
        profiles: [
          {
            mode: 'OAuth',
            name: 'OAuth_CN',
            oauth_site_type: 'CN',
            oauth_refresh_token: 'old_refresh',
            oauth_access_token: 'old_access',
            oauth_access_token_expire: c.s(60),
          },
          { mode: 'ChainableRamRoleArn', name: 'via_oauth', source_profile: 'OAuth_CN', ram_role_arn: 'arn' },
        ],
      },
    }),
    answers: (c) => ({
      'oauth.token': { json: { access_token: 'new_access', refresh_token: 'new_refresh', expires_in: 3600 } },
      'oauth.exchange': exchangeOk(c.iso(3600)),
    }),
    expect: {
      ok: { accessKeyId: 'ak' },
      file: {
        profile: 'OAuth_CN',
        has: {
          oauth_refresh_token: 'new_refresh',
          oauth_access_token: 'new_access',
          access_key_id: 'ak',
          sts_token: 'token',
        },
      },
    },
    verdict: agree,
  },
  {
    id: 'node/cli/oauth-write-back-chained',
    from: from(CLI, 'OAuth token update callback should overwrite existing config.json'),
    what: 'through a ChainableRamRoleArn profile, the OAuth source profile gets the rotated tokens',
    env: cliProfile('via_oauth'),
    files: (c) => ({
      [CLI_CONFIG]: {
        current: 'OAuth_CN',
        profiles: [
          {
            mode: 'OAuth',
            name: 'OAuth_CN',
            oauth_site_type: 'CN',
            oauth_refresh_token: 'old_refresh',
            oauth_access_token: 'old_access',
            oauth_access_token_expire: c.s(60),
          },
          { mode: 'ChainableRamRoleArn', name: 'via_oauth', source_profile: 'OAuth_CN', ram_role_arn: 'arn' },
        ],
      },
    }),
    answers: (c) => ({
      'oauth.token': { json: { access_token: 'chain_access', refresh_token: 'chain_refresh', expires_in: 3600 } },
      'oauth.exchange': exchangeOk(c.iso(3600)),
      sts: stsOk()(c),
    }),
    expect: {
      ok: { accessKeyId: 'STS.akid' },
      stsParams: { AccessKeyId: 'ak', SecurityToken: 'token', RoleArn: 'arn' },
      file: { profile: 'OAuth_CN', has: { oauth_refresh_token: 'chain_refresh' } },
    },
    verdict: agree,
  },
  {
    id: 'node/cli/external-write-back',
    from: from(CLI, 'External credential update callback should overwrite existing config.json'),
    what: 'an External run writes its credential back',
    env: cliProfile('External'),
    files: {
      [CLI_CONFIG]: {
        current: 'External',
        profiles: [
          {
            mode: 'External',
            name: 'External',
            process_command:
              '/bin/echo \'{"mode":"StsToken","access_key_id":"new_ak","access_key_secret":"new_sk","sts_token":"new_sts","expiration":"2049-10-20T04:27:09Z"}\'',
            access_key_id: 'old',
            access_key_secret: 'old',
          },
          { mode: 'ChainableRamRoleArn', name: 'via_ext', source_profile: 'External', ram_role_arn: 'arn' },
        ],
      },
    },
    expect: {
      ok: { accessKeyId: 'new_ak', securityToken: 'new_sts' },
      file: {
        profile: 'External',
        has: { access_key_id: 'new_ak', access_key_secret: 'new_sk', sts_token: 'new_sts' },
      },
    },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------- ecs_ram_role.test.ts
  {
    id: 'node/ecs/role-name-400',
    from: from(ECS, 'getRoleName should ok'),
    what: 'role discovery answers 400',
    config: { type: 'ecs_ram_role' },
    answers: { 'imds.token': { text: 't' }, 'imds.roles': { status: 400, text: '4xx error' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/ecs/role-name-ok',
    from: from(ECS, 'getRoleName should ok'),
    what: 'role discovery answers the role name',
    config: { type: 'ecs_ram_role' },
    answers: ecsOk,
    expect: { ok: { type: 'ecs_ram_role', accessKeyId: 'STS.ecs', securityToken: 'ecs-token' } },
    verdict: agree,
  },
  {
    id: 'node/ecs/v2-role-name',
    from: from(ECS, 'getRoleName with metadata v2 should ok'),
    what: 'IMDSv1 disabled: the token is sent with every GET',
    config: { type: 'ecs_ram_role', disableIMDSv1: true },
    answers: (c) => ({
      'imds.token': { text: 'tokenxxxxx' },
      'imds.roles': (r) =>
        r.headers['x-aliyun-ecs-metadata-token'] === 'tokenxxxxx'
          ? { text: 'rolename' }
          : { status: 403, text: 'no token' },
      'imds.credentials': (r) =>
        r.headers['x-aliyun-ecs-metadata-token'] === 'tokenxxxxx'
          ? ecsCredentials(c)
          : { status: 403, text: 'no token' },
    }),
    expect: { ok: { accessKeyId: 'STS.ecs' } },
    verdict: agree,
  },
  {
    id: 'node/ecs/v2-token-failure',
    from: from(ECS, 'getRoleName with metadata v2 should ok'),
    what: 'IMDSv1 disabled and the token request fails',
    config: { type: 'ecs_ram_role', roleName: 'rolename', disableIMDSv1: true },
    answers: (c) => ({ 'imds.token': { status: 500, text: 'err' }, 'imds.credentials': ecsCredentials(c) }),
    expect: { fail: true, requests: { 'imds.credentials': 0 } },
    verdict: agree,
  },
  ...(
    [
      ['credentials-400', { status: 400, text: '4xx error' }, 'the credentials GET answers 400'],
      ['invalid-json', { text: 'invalid json' }, 'the answer is not JSON'],
      ['null', { text: 'null' }, 'the answer is null'],
      ['empty', { json: {} }, 'the answer is {}'],
      [
        'code-failed',
        {
          json: {
            AccessKeyId: 'saki',
            AccessKeySecret: 'saks',
            Expiration: '2099-10-20T04:27:09Z',
            SecurityToken: 'token',
            Code: 'Failed',
          },
        },
        'Code is Failed',
      ],
    ] as const
  ).map(
    ([id, answer, what]): Case => ({
      id: `node/ecs/${id}`,
      from: from(ECS, 'getCredentialsInternal should ok'),
      what,
      config: { type: 'ecs_ram_role' },
      answers: { 'imds.token': { text: 't' }, 'imds.roles': { text: 'rolename' }, 'imds.credentials': answer },
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'node/ecs/already-expired',
    from: from(ECS, 'getCredentialsInternal should ok'),
    what: 'the metadata answers a credential whose Expiration (2021) is past',
    config: { type: 'ecs_ram_role' },
    answers: {
      'imds.token': { text: 't' },
      'imds.roles': { text: 'rolename' },
      'imds.credentials': {
        json: {
          AccessKeyId: 'saki',
          AccessKeySecret: 'saks',
          Expiration: '2021-10-20T04:27:09Z',
          SecurityToken: 'token',
          Code: 'Success',
        },
      },
    },
    expect: { ok: { accessKeyId: 'saki', accessKeySecret: 'saks', securityToken: 'token' } },
    verdict: agree,
  },
  {
    id: 'node/ecs/v2-ok',
    from: from(ECS, 'getCredentials() with metadata V2 should ok'),
    what: 'role name given, IMDSv1 disabled',
    config: { type: 'ecs_ram_role', roleName: 'rolename', disableIMDSv1: true },
    answers: (c) => ({
      'imds.token': { text: 'tokenxxxxx' },
      'imds.credentials': (r) =>
        r.headers['x-aliyun-ecs-metadata-token'] === 'tokenxxxxx'
          ? ecsCredentials(c)
          : { status: 403, text: 'no token' },
    }),
    expect: { ok: { accessKeyId: 'STS.ecs' }, requests: { 'imds.roles': 0 } },
    verdict: agree,
  },
  {
    id: 'node/ecs/getCredentials-twice',
    from: from(ECS, 'getCredentials() should ok'),
    what: 'a credential valid for 1000 s, asked twice: one GET',
    config: { type: 'ecs_ram_role', roleName: 'rolename' },
    answers: (c) => ({
      'imds.token': { text: 't' },
      'imds.credentials': ecsCredentials(c, { Expiration: c.iso(1000) }),
    }),
    calls: 2,
    expect: { ok: { accessKeyId: 'STS.ecs', accessKeySecret: 'ecs-secret', securityToken: 'ecs-token' } },
    verdict: agree,
  },
  {
    id: 'node/ecs/getCredentials-failure',
    from: from(ECS, 'getCredentials() should ok'),
    what: 'the metadata service is not reachable',
    config: { type: 'ecs_ram_role', roleName: 'rolename' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/ecs/v2-token-400',
    from: from(ECS, 'getMetadataToken() should ok'),
    what: 'IMDSv1 disabled, the token PUT answers 400',
    config: { type: 'ecs_ram_role', roleName: 'rolename', disableIMDSv1: true },
    answers: (c) => ({ 'imds.token': { status: 400, text: 'xxx' }, 'imds.credentials': ecsCredentials(c) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/ecs/v1-token-400',
    from: from(ECS, 'getMetadataToken() should ok'),
    what: 'IMDSv1 allowed, the token PUT answers 400: v1 is used',
    config: { type: 'ecs_ram_role', roleName: 'rolename' },
    answers: (c) => ({ 'imds.token': { status: 400, text: 'xxx' }, 'imds.credentials': ecsCredentials(c) }),
    expect: { ok: { accessKeyId: 'STS.ecs' } },
    verdict: agree,
  },
  {
    id: 'node/ecs/metadata-disabled',
    from: from(ECS, 'env ALIBABA_CLOUD_ECS_METADATA_DISABLED should ok'),
    what: 'ecs_ram_role with ALIBABA_CLOUD_ECS_METADATA_DISABLED=true',
    config: { type: 'ecs_ram_role' },
    env: NO_ECS,
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/ecs/imdsv1-disabled-env',
    from: from(ECS, 'env ALIBABA_CLOUD_IMDSV1_DISABLED should ok'),
    what: 'ALIBABA_CLOUD_IMDSV1_DISABLED=true and the token PUT fails',
    config: { type: 'ecs_ram_role', roleName: 'rolename', disableIMDSv1: false },
    env: { ALIBABA_CLOUD_IMDSV1_DISABLED: 'true' },
    answers: (c) => ({ 'imds.token': { status: 400, text: 'xxx' }, 'imds.credentials': ecsCredentials(c) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/ecs/fallback-v1',
    from: from(ECS, 'fallback to IMDSv1 when credential GET fails after token'),
    what: 'the GET with the token answers 404, the one without it answers',
    config: { type: 'ecs_ram_role', roleName: 'rolename', disableIMDSv1: false },
    answers: (c) => ({
      'imds.token': { text: 'tokenxxxxx' },
      'imds.credentials': (r) =>
        r.headers['x-aliyun-ecs-metadata-token'] !== undefined
          ? { status: 404, text: 'not found' }
          : ecsCredentials(c, { AccessKeyId: 'akid', AccessKeySecret: 'aksecret', SecurityToken: 'token' }),
    }),
    expect: {
      ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: 'token' },
      requests: { 'imds.credentials': 2 },
    },
    verdict: agree,
  },
  {
    id: 'node/ecs/no-fallback',
    from: from(ECS, 'no fallback when disableIMDSv1=true'),
    what: 'IMDSv1 disabled: a failing GET is not retried without the token',
    config: { type: 'ecs_ram_role', roleName: 'rolename', disableIMDSv1: true },
    answers: { 'imds.token': { text: 'tokenxxxxx' }, 'imds.credentials': { status: 500, text: 'v2 failed' } },
    expect: { fail: true, requests: { 'imds.credentials': 1 } },
    verdict: agree,
  },
  {
    id: 'node/ecs/prefetch',
    from: from(ECS, 'prefetch ECS RAM Role should ok'),
    what: 'a credential valid for 6 h',
    config: { type: 'ecs_ram_role', roleName: 'rolename' },
    answers: (c) => ({
      'imds.token': { text: 't' },
      'imds.credentials': ecsCredentials(c, { AccessKeyId: 'akid', Expiration: c.iso(6 * 3600) }),
    }),
    expect: { ok: { accessKeyId: 'akid' } },
    verdict: agree,
  },
  {
    id: 'node/ecs/deal-error-1h',
    from: from(ECS, 'deal ECS RAM Role error should ok'),
    what: 'a credential valid for 1 h (inside the prefetch window)',
    config: { type: 'ecs_ram_role', roleName: 'rolename' },
    answers: (c) => ({
      'imds.token': { text: 't' },
      'imds.credentials': ecsCredentials(c, { AccessKeyId: 'akid', Expiration: c.iso(3600) }),
    }),
    expect: { ok: { accessKeyId: 'akid' } },
    verdict: agree,
  },
  {
    id: 'node/ecs/deal-error-past',
    from: from(ECS, 'deal ECS RAM Role error should ok'),
    what: 'the first answer is already 10 minutes past its Expiration',
    config: { type: 'ecs_ram_role', roleName: 'rolename' },
    answers: (c) => ({
      'imds.token': { text: 't' },
      'imds.credentials': ecsCredentials(c, { AccessKeyId: 'akid3', Expiration: c.iso(-600) }),
    }),
    expect: { ok: { accessKeyId: 'akid3' } },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------- ram_role_arn.test.ts
  {
    id: 'node/ram/no-role-arn',
    from: from(RAM, 'should ok to build credentials provider'),
    what: 'ram_role_arn without roleArn',
    config: { type: 'ram_role_arn', accessKeyId: 'akid', accessKeySecret: 'aksecret' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/ram/duration-899',
    from: from(RAM, 'should ok to build credentials provider'),
    what: 'a session of 899 s',
    config: ram({ roleSessionExpiration: 899 }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/ram/default-endpoint',
    from: from(RAM, 'should ok to build credentials provider'),
    what: 'no endpoint or region: sts.aliyuncs.com, session name credentials-nodejs-…',
    config: ram(),
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { type: 'ram_role_arn', accessKeyId: 'STS.akid' }, stsHost: 'sts.aliyuncs.com' },
    verdict: agree,
  },
  {
    id: 'node/ram/endpoint',
    from: from(RAM, 'should ok to build credentials provider'),
    what: 'stsEndpoint sts.cn-beijing.aliyuncs.com',
    config: ram({ stsEndpoint: 'sts.cn-beijing.aliyuncs.com' }),
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsHost: 'sts.cn-beijing.aliyuncs.com' },
    verdict: agree,
  },
  {
    id: 'node/ram/region',
    from: from(RAM, 'should ok to build credentials provider'),
    what: 'stsRegionId cn-hangzhou',
    config: ram({ stsRegionId: 'cn-hangzhou' }),
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsHost: 'sts.cn-hangzhou.aliyuncs.com' },
    verdict: agree,
  },
  {
    id: 'node/ram/session-name',
    from: from(RAM, 'should ok to build credentials provider'),
    what: 'roleSessionName rsn',
    config: ram({ roleSessionName: 'rsn' }),
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsParams: { RoleSessionName: 'rsn' } },
    verdict: agree,
  },
  ...(
    [
      ['4xx', { status: 400, text: '4xx error' }, 'STS answers 400 with text'],
      ['invalid-json', { text: 'invalid json' }, 'STS answers text that is not JSON'],
      ['null', { text: 'null' }, 'STS answers null'],
      ['empty-credentials', { json: { Credentials: {} } }, 'STS answers an empty Credentials block'],
    ] as const
  ).map(
    ([id, answer, what]): Case => ({
      id: `node/ram/${id}`,
      from: from(RAM, 'getCredentialsInternal() should ok'),
      what,
      config: ram({ roleSessionName: 'rsn', roleSessionExpiration: 1000 }),
      answers: { sts: answer },
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'node/ram/already-expired',
    from: from(RAM, 'getCredentialsInternal() should ok'),
    what: 'STS answers a credential whose Expiration (2021) is past',
    config: ram({ roleSessionName: 'rsn', roleSessionExpiration: 1000 }),
    answers: {
      sts: stsAnswer({
        AccessKeyId: 'saki',
        AccessKeySecret: 'saks',
        Expiration: '2021-10-20T04:27:09Z',
        SecurityToken: 'token',
      }),
    },
    expect: { ok: { accessKeyId: 'saki', accessKeySecret: 'saks', securityToken: 'token' } },
    verdict: agree,
  },
  {
    id: 'node/ram/request-check',
    from: from(RAM, 'getCredentialsInternal() should ok with request check'),
    what: 'an STS source, policy, region, external id: what AssumeRole is sent',
    config: ram({
      securityToken: 'ststoken',
      roleSessionName: 'rsn',
      roleSessionExpiration: 1000,
      policy: 'policy',
      stsRegionId: 'cn-beijing',
      externalId: 'externalId',
    }),
    answers: { sts: { status: 500, json: { Code: 'InternalError', Message: 'mock server error' } } },
    expect: {
      fail: true,
      stsHost: 'sts.cn-beijing.aliyuncs.com',
      stsParams: {
        SecurityToken: 'ststoken',
        Policy: 'policy',
        RoleArn: 'roleArn',
        RoleSessionName: 'rsn',
        DurationSeconds: '1000',
      },
    },
    verdict: agree,
  },
  {
    id: 'node/ram/expires-now',
    from: from(RAM, 'getCredentials() should ok'),
    what: 'STS answers a credential expiring now',
    config: ram({ roleSessionName: 'rsn', roleSessionExpiration: 1000 }),
    answers: (c) => ({
      sts: stsAnswer({
        AccessKeyId: 'akid',
        AccessKeySecret: 'aksecret',
        SecurityToken: 'ststoken',
        Expiration: c.iso(0),
      }),
    }),
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: 'ststoken' } },
    verdict: agree,
  },
  {
    id: 'node/ram/refused',
    from: from(RAM, 'getCredentials() with error'),
    what: 'STS refuses the AccessKey (InvalidAccessKeyId.NotFound)',
    config: ram({ roleSessionName: 'rsn', roleSessionExpiration: 1000 }),
    answers: { sts: stsError('InvalidAccessKeyId.NotFound') },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/ram/env-role-arn',
    from: from(RAM, 'env ALIBABA_CLOUD_ROLE_ARN should ok'),
    what: 'roleArn from ALIBABA_CLOUD_ROLE_ARN',
    config: { type: 'ram_role_arn', accessKeyId: 'akid', accessKeySecret: 'aksecret' },
    env: { ALIBABA_CLOUD_ROLE_ARN: 'roleArn' },
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsParams: { RoleArn: 'roleArn' } },
    verdict: agree,
  },
  {
    id: 'node/ram/env-session-name',
    from: from(RAM, 'env ALIBABA_CLOUD_ROLE_SESSION_NAME should ok'),
    what: 'roleSessionName from ALIBABA_CLOUD_ROLE_SESSION_NAME',
    config: ram(),
    env: { ALIBABA_CLOUD_ROLE_SESSION_NAME: 'sessionName' },
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsParams: { RoleSessionName: 'sessionName' } },
    verdict: agree,
  },
  {
    id: 'node/ram/env-region',
    from: from(RAM, 'env ALIBABA_CLOUD_STS_REGION should ok'),
    what: 'region from ALIBABA_CLOUD_STS_REGION',
    config: ram(),
    env: { ALIBABA_CLOUD_STS_REGION: 'cn-hangzhou' },
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsHost: 'sts.cn-hangzhou.aliyuncs.com' },
    verdict: agree,
  },
  {
    id: 'node/ram/env-vpc-no-region',
    from: from(RAM, 'env ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED should ok'),
    what: 'VPC without a region: sts.aliyuncs.com',
    config: ram(),
    env: { ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'true' },
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsHost: 'sts.aliyuncs.com' },
    verdict: agree,
  },
  {
    id: 'node/ram/env-vpc-region',
    from: from(RAM, 'env ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED should ok'),
    what: 'VPC with region cn-beijing: sts-vpc.cn-beijing.aliyuncs.com',
    config: ram({ stsRegionId: 'cn-beijing' }),
    env: { ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'true' },
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsHost: 'sts-vpc.cn-beijing.aliyuncs.com' },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------ oidc_role_arn.test.ts
  ...(
    [
      ['no-role-arn', {}, 'oidc_role_arn without roleArn'],
      ['no-provider-arn', { roleArn: 'roleArn' }, 'without oidcProviderArn'],
      ['no-token-file', { roleArn: 'roleArn', oidcProviderArn: 'oidcProviderArn' }, 'without oidcTokenFilePath'],
    ] as const
  ).map(
    ([id, fields, what]): Case => ({
      id: `node/oidc/${id}`,
      from: from(OIDC, 'should ok to build credentials provider'),
      what,
      config: { type: 'oidc_role_arn', ...fields },
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  ...(
    [
      ['default-endpoint', {}, 'sts.aliyuncs.com'],
      ['endpoint', { stsEndpoint: 'sts.cn-beijing.aliyuncs.com' }, 'sts.cn-beijing.aliyuncs.com'],
      ['region', { stsRegionId: 'cn-hangzhou' }, 'sts.cn-hangzhou.aliyuncs.com'],
      ['region-vpc', { stsRegionId: 'cn-hangzhou', enableVpc: true }, 'sts-vpc.cn-hangzhou.aliyuncs.com'],
    ] as const
  ).map(
    ([id, fields, host]): Case => ({
      id: `node/oidc/${id}`,
      from: from(OIDC, 'should ok to build credentials provider'),
      what: `endpoint: ${host} (the token file holds a JWT)`,
      config: (c) => oidc(c, fields),
      files: oidcToken,
      answers: (c) => ({ sts: stsOk()(c) }),
      expect: {
        ok: { type: 'oidc_role_arn', accessKeyId: 'STS.akid' },
        stsHost: host,
        stsParams: { Action: 'AssumeRoleWithOIDC' },
      },
      verdict: agree,
    }),
  ),
  {
    id: 'node/oidc/policy-duration',
    from: from(OIDC, 'should ok to build credentials provider'),
    what: 'policy and a session of 3601 s',
    config: (c) => oidc(c, { policy: 'policydocument', roleSessionExpiration: 3601, roleSessionName: 'rsn' }),
    files: oidcToken,
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: {
      ok: { accessKeyId: 'STS.akid' },
      stsParams: { Policy: 'policydocument', DurationSeconds: '3601', RoleSessionName: 'rsn' },
    },
    verdict: agree,
  },
  {
    id: 'node/oidc/duration-899',
    from: from(OIDC, 'should ok to build credentials provider'),
    what: 'a session of 899 s',
    config: (c) => oidc(c, { roleSessionExpiration: 899 }),
    files: oidcToken,
    expect: { fail: true },
    verdict: agree,
  },
  ...(
    [
      ['4xx', { status: 400, text: '4xx error' }, 'STS answers 400'],
      ['invalid-json', { text: 'invalid json' }, 'STS answers text that is not JSON'],
      ['null', { text: 'null' }, 'STS answers null'],
      ['empty-credentials', { json: { Credentials: {} } }, 'STS answers an empty Credentials block'],
    ] as const
  ).map(
    ([id, answer, what]): Case => ({
      id: `node/oidc/${id}`,
      from: from(OIDC, 'getCredentialsInternal() should ok'),
      what,
      config: (c) => oidc(c, { roleSessionExpiration: 1000 }),
      files: oidcToken,
      answers: { sts: answer },
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'node/oidc/already-expired',
    from: from(OIDC, 'getCredentialsInternal() should ok'),
    what: 'STS answers a credential whose Expiration (2021) is past',
    config: (c) => oidc(c, { roleSessionExpiration: 1000 }),
    files: oidcToken,
    answers: {
      sts: stsAnswer({
        AccessKeyId: 'saki',
        AccessKeySecret: 'saks',
        Expiration: '2021-10-20T04:27:09Z',
        SecurityToken: 'token',
      }),
    },
    expect: { ok: { accessKeyId: 'saki' } },
    verdict: agree,
  },
  {
    id: 'node/oidc/request-check',
    from: from(OIDC, 'getCredentialsInternal() should ok with request check'),
    what: 'what AssumeRoleWithOIDC is sent',
    config: (c) => oidc(c, { policy: 'policy', roleSessionName: 'rsn', stsRegionId: 'cn-beijing' }),
    files: oidcToken,
    answers: { sts: { status: 500, json: { Code: 'InternalError', Message: 'mock server error' } } },
    expect: {
      fail: true,
      stsHost: 'sts.cn-beijing.aliyuncs.com',
      stsParams: { Policy: 'policy', RoleArn: 'roleArn', RoleSessionName: 'rsn', DurationSeconds: '3600' },
    },
    verdict: agree,
  },
  {
    id: 'node/oidc/fixture-token',
    from: from(OIDC, 'getCredentials() should ok'),
    what: 'the token file holds test/fixtures/OIDCToken.txt (`testToken`, not a JWT)',
    config: (c) => oidc(c),
    files: { 'OIDCToken.txt': 'testToken' },
    answers: (c) => ({ sts: stsOk('akid', 'aksecret', 'ststoken')(c) }),
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: 'ststoken' } },
    verdict: row('oidc-token-check', { fail: true, requests: { sts: 0 } }),
  },
  {
    id: 'node/oidc/refused',
    from: from(OIDC, 'getCredentials() with error'),
    what: 'STS refuses the token (AuthenticationFail.NoPermission)',
    config: (c) => oidc(c),
    files: oidcToken,
    answers: { sts: stsError('AuthenticationFail.NoPermission', 403) },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/oidc/env-region',
    from: from(OIDC, 'env ALIBABA_CLOUD_STS_REGION should ok'),
    what: 'region from ALIBABA_CLOUD_STS_REGION',
    config: (c) => oidc(c),
    env: { ALIBABA_CLOUD_STS_REGION: 'cn-hangzhou' },
    files: oidcToken,
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsHost: 'sts.cn-hangzhou.aliyuncs.com' },
    verdict: agree,
  },
  {
    id: 'node/oidc/env-vpc',
    from: from(OIDC, 'env ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED should ok'),
    what: 'VPC from ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED with region cn-beijing',
    config: (c) => oidc(c, { stsRegionId: 'cn-beijing' }),
    env: { ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'true' },
    files: oidcToken,
    answers: (c) => ({ sts: stsOk()(c) }),
    expect: { ok: { accessKeyId: 'STS.akid' }, stsHost: 'sts-vpc.cn-beijing.aliyuncs.com' },
    verdict: agree,
  },

  // ---------------------------------------------------------------------------------------------------- uri.test.ts
  {
    id: 'node/uri/expires-now',
    from: from(URI, 'getCredentials() should ok'),
    what: 'the URI answers a credential expiring now',
    config: uri,
    answers: (c) => ({
      uri: metadataAnswer({
        AccessKeyId: 'akid',
        AccessKeySecret: 'aksecret',
        Expiration: c.iso(0),
        SecurityToken: 'ststoken',
      }),
    }),
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: 'ststoken' } },
    verdict: agree,
  },
  {
    id: 'node/uri/refused',
    from: from(URI, 'getCredentials() with error'),
    what: 'nothing listens at the URI (ECONNREFUSED)',
    config: uri,
    expect: { fail: true },
    verdict: agree,
  },
  ...(
    [
      ['400', { status: 400, text: 'error' }, 'the URI answers 400'],
      ['partial', { json: { AccessKeyId: 'akid' } }, 'the answer has only AccessKeyId'],
      ['not-json', { text: 'error json' }, 'the answer is not JSON'],
    ] as const
  ).map(
    ([id, answer, what]): Case => ({
      id: `node/uri/${id}`,
      from: from(URI, 'getCredentials() with error'),
      what,
      config: uri,
      answers: { uri: answer },
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'node/uri/env',
    from: from(URI, 'env ALIBABA_CLOUD_CREDENTIALS_URI should ok'),
    what: 'credentials_uri without a URI takes ALIBABA_CLOUD_CREDENTIALS_URI',
    config: { type: 'credentials_uri' },
    env: { ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:9999' },
    answers: (c) => ({ uri: uriOk(c) }),
    expect: { ok: { type: 'credentials_uri', accessKeyId: 'akid' } },
    verdict: agree,
  },

  // ----------------------------------------------------------------------------------------------- external.test.ts
  {
    id: 'node/external/no-command',
    from: from(EXTERNAL, 'should validate builder parameters'),
    what: 'an External profile without process_command',
    env: cliProfile('ext'),
    files: { [CLI_CONFIG]: { current: 'ext', profiles: [{ name: 'ext', mode: 'External' }] } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/external/ak',
    from: from(EXTERNAL, 'should return AK credentials'),
    what: 'the command prints an AccessKey',
    env: cliProfile('ext'),
    files: externalProfile('/bin/echo \'{"mode":"AK","access_key_id":"ak","access_key_secret":"sk"}\''),
    expect: { ok: { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'node/external/sts',
    from: from(EXTERNAL, 'should return STS credentials and invoke callback'),
    what: 'the command prints an STS credential with an expiration; it is written back',
    env: cliProfile('ext'),
    files: externalProfile(
      '/bin/echo \'{"mode":"StsToken","access_key_id":"ak","access_key_secret":"sk","sts_token":"token","expiration":"2049-10-20T04:27:09Z"}\'',
    ),
    expect: {
      ok: { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'token' },
      file: { profile: 'ext', has: { sts_token: 'token', sts_expiration: 2518316829 } },
    },
    verdict: agree,
  },
  {
    id: 'node/external/no-expiration-twice',
    from: from(EXTERNAL, 'should refresh on every call when expiration is absent'),
    what: 'without an expiration, two calls: the reference runs the command twice',
    env: cliProfile('ext'),
    files: (c) => ({
      ...externalProfile(`/bin/sh ${c.home}/helper.sh`),
      'helper.sh': `echo run >> ${c.home}/runs.log\necho '{"mode":"AK","access_key_id":"ak","access_key_secret":"sk"}'\n`,
    }),
    calls: 2,
    expect: { ok: { accessKeyId: 'ak' }, runs: 2 },
    verdict: row('external-reuse', { ok: { accessKeyId: 'ak' }, runs: 1 }),
  },
  {
    id: 'node/external/sts-without-token',
    from: from(EXTERNAL, 'should validate response fields'),
    what: 'StsToken mode without sts_token',
    env: cliProfile('ext'),
    files: externalProfile('/bin/echo \'{"mode":"StsToken","access_key_id":"ak","access_key_secret":"sk"}\''),
    expect: { fail: true },
    verdict: agree,
  },

  // -------------------------------------------------------------------------------------------------- oauth.test.ts
  {
    id: 'node/oauth/success-no-refresh',
    from: from(OAUTH, 'getCredentialsInternal() should return credentials on success (no refresh)'),
    what: 'a valid access token is exchanged; the answer expired in 2021',
    env: cliProfile('oauth'),
    files: (c) => oauthProfile(c),
    answers: { 'oauth.exchange': exchangeOk('2021-10-20T04:27:09Z') },
    expect: {
      ok: { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'token' },
      requests: { 'oauth.token': 0 },
    },
    verdict: agree,
  },
  {
    id: 'node/oauth/server-error',
    from: from(OAUTH, 'getCredentialsInternal() should throw on server error'),
    what: 'the exchange endpoint is not reachable',
    env: cliProfile('oauth'),
    files: (c) => oauthProfile(c),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/oauth/4xx',
    from: from(OAUTH, 'getCredentialsInternal() should throw on 4xx error'),
    what: 'the exchange answers 400',
    env: cliProfile('oauth'),
    files: (c) => oauthProfile(c),
    answers: { 'oauth.exchange': { status: 400, text: 'bad request' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/oauth/missing-fields',
    from: from(OAUTH, 'getCredentialsInternal() should throw on missing fields'),
    what: 'the exchange answers only accessKeyId',
    env: cliProfile('oauth'),
    files: (c) => oauthProfile(c),
    answers: { 'oauth.exchange': { json: { accessKeyId: 'ak' } } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'node/oauth/refresh-expired-token',
    from: from(OAUTH, 'should trigger token refresh when accessToken is expired'),
    what: 'an expired access token is refreshed first; the exchange answer expired in 2021',
    env: cliProfile('oauth'),
    files: (c) =>
      oauthProfile(c, {
        oauth_refresh_token: 'refreshToken',
        oauth_access_token: 'expiredToken',
        oauth_access_token_expire: c.s(-100),
      }),
    answers: {
      'oauth.token': { json: { access_token: 'newAccessToken', refresh_token: 'newRefreshToken', expires_in: 3600 } },
      'oauth.exchange': exchangeOk('2021-10-20T04:27:09Z'),
    },
    expect: { ok: { accessKeyId: 'ak' }, requests: { 'oauth.token': 1 } },
    verdict: agree,
  },
  {
    id: 'node/oauth/refresh-expired-token-valid-answer',
    from: from(OAUTH, 'should trigger token refresh when accessToken is expired'),
    what: 'an expired access token is refreshed first, then exchanged (a valid answer)',
    env: cliProfile('oauth'),
    files: (c) =>
      oauthProfile(c, {
        oauth_refresh_token: 'refreshToken',
        oauth_access_token: 'expiredToken',
        oauth_access_token_expire: c.s(-100),
      }),
    answers: (c) => ({
      'oauth.token': { json: { access_token: 'newAccessToken', refresh_token: 'newRefreshToken', expires_in: 3600 } },
      'oauth.exchange': (r) =>
        r.headers.authorization === 'Bearer newAccessToken'
          ? exchangeOk(c.iso(3600))
          : { status: 401, text: 'old token' },
    }),
    expect: { ok: { accessKeyId: 'ak' }, requests: { 'oauth.token': 1, 'oauth.exchange': 1 } },
    verdict: agree,
  },
  {
    id: 'node/oauth/refresh-fails',
    from: from(OAUTH, 'should throw when token refresh fails'),
    what: 'the token refresh answers 400',
    env: cliProfile('oauth'),
    files: (c) =>
      oauthProfile(c, {
        oauth_refresh_token: 'refreshToken',
        oauth_access_token: 'expiredToken',
        oauth_access_token_expire: c.s(-100),
      }),
    answers: { 'oauth.token': { status: 400, text: 'refresh failed' } },
    expect: { fail: true, requests: { 'oauth.exchange': 0 } },
    verdict: agree,
  },

  // ----------------------------------------------------------------------------------------------- cloud_sso.test.ts
  {
    id: 'node/sso/no-token',
    from: from(SSO, 'should validate builder parameters'),
    what: 'a CloudSSO profile without an access token',
    env: cliProfile('sso'),
    files: (c) => ssoProfile(c, { access_token: '' }),
    expect: { fail: true, requests: { sso: 0 } },
    verdict: agree,
  },
  {
    id: 'node/sso/expire-0',
    from: from(SSO, 'should validate builder parameters'),
    what: 'cloud_sso_access_token_expire 0',
    env: cliProfile('sso'),
    files: (c) => ssoProfile(c, { cloud_sso_access_token_expire: 0 }),
    expect: { fail: true, requests: { sso: 0 } },
    verdict: agree,
  },
  {
    id: 'node/sso/no-sign-in-url',
    from: from(SSO, 'should validate builder parameters'),
    what: 'no sign-in URL, account or access configuration',
    env: cliProfile('sso'),
    files: (c) => ssoProfile(c, { cloud_sso_sign_in_url: '', cloud_sso_account_id: '', cloud_sso_access_config: '' }),
    expect: { fail: true, requests: { sso: 0 } },
    verdict: agree,
  },
  {
    id: 'node/sso/no-account',
    from: from(SSO, 'should validate builder parameters'),
    what: 'a sign-in URL but no account or access configuration',
    env: cliProfile('sso'),
    files: (c) => ssoProfile(c, { cloud_sso_account_id: '', cloud_sso_access_config: '' }),
    expect: { fail: true, requests: { sso: 0 } },
    verdict: agree,
  },
  {
    id: 'node/sso/success',
    from: from(SSO, 'getCredentialsInternal() should return credentials on success'),
    what: 'the portal answers a credential that expired in 2021',
    env: cliProfile('sso'),
    files: (c) => ssoProfile(c),
    answers: {
      sso: {
        json: {
          CloudCredential: {
            AccessKeyId: 'ak',
            AccessKeySecret: 'sk',
            SecurityToken: 'token',
            Expiration: '2021-10-20T04:27:09Z',
          },
        },
      },
    },
    expect: { ok: { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'token' } },
    verdict: agree,
  },
  {
    id: 'node/sso/server-error',
    from: from(SSO, 'getCredentialsInternal() should throw on server error'),
    what: 'the portal is not reachable',
    env: cliProfile('sso'),
    files: (c) => ssoProfile(c),
    expect: { fail: true },
    verdict: agree,
  },
  ...(
    [
      ['4xx', { status: 400, text: 'bad request' }, 'the portal answers 400'],
      ['invalid-json', { text: 'invalid json' }, 'the answer is not JSON'],
      ['missing-credentials', { json: { CloudCredential: {} } }, 'the answer has an empty CloudCredential'],
    ] as const
  ).map(
    ([id, answer, what]): Case => ({
      id: `node/sso/${id}`,
      from: from(SSO, `getCredentialsInternal() should throw on ${id === '4xx' ? '4xx error' : id.replace('-', ' ')}`),
      what,
      env: cliProfile('sso'),
      files: (c) => ssoProfile(c),
      answers: { sso: answer },
      expect: { fail: true },
      verdict: agree,
    }),
  ),
]

void peer
