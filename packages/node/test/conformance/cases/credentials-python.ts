// Cases from aliyun/credentials-python, `tests/`. Each names the file and the test method. The Python tests patch
// module attributes (`au.environment_*`) where these cases set the environment variables those attributes read, and
// call provider classes where these cases use the Client config or the default chain that builds them.
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

const from = (file: string, test: string): Source => ({ repo: 'aliyun/credentials-python', file, test })

const NO_ECS = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }
/** Python's cache refuses a value already past its expiration ("No cached value was found"); 2.4.7 serves it. */
const PY_EXPIRED =
  'the Python cache refuses an answer already past its Expiration; @alicloud/credentials 2.4.7 serves it, and so does alicred (static stability)'

const AK = 'tests/provider/test_static_ak.py'
const STS = 'tests/provider/test_static_sts.py'
const ENV = 'tests/provider/test_env.py'
const RAM = 'tests/provider/test_ram_role_arn.py'
const OIDC = 'tests/provider/test_oidc.py'
const URI = 'tests/provider/test_uri.py'
const ECS = 'tests/provider/test_ecs_ram_role.py'
const PROFILE = 'tests/provider/test_profile.py'
const CLI = 'tests/provider/test_cli_profile.py'
const OAUTH = 'tests/provider/test_oauth.py'
const SSO = 'tests/provider/test_cloud_sso.py'
const EXTERNAL = 'tests/provider/test_external.py'
const DEFAULT = 'tests/provider/test_default.py'

const stsOk = (c: Ctx, id = 'test_access_key_id'): Reply =>
  stsAnswer({
    AccessKeyId: id,
    AccessKeySecret: 'test_access_key_secret',
    SecurityToken: 'test_security_token',
    Expiration: c.iso(3600),
  })

const ramConfig = (extra: Record<string, unknown> = {}) => ({
  type: 'ram_role_arn',
  accessKeyId: 'test_access_key_id',
  accessKeySecret: 'test_access_key_secret',
  roleArn: 'test_role_arn',
  roleSessionName: 'test_role_session_name',
  roleSessionExpiration: 3600,
  policy: 'test_policy',
  ...extra,
})

const oidcConfig = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  type: 'oidc_role_arn',
  roleArn: 'test_role_arn',
  oidcProviderArn: 'test_oidc_provider_arn',
  oidcTokenFilePath: `${c.home}/test_oidc_token_file_path`,
  roleSessionName: 'test_role_session_name',
  roleSessionExpiration: 3600,
  policy: 'test_policy',
  ...extra,
})
const oidcToken = (c: Ctx) => ({ test_oidc_token_file_path: jwt(c.s(3600)) })

const uriAnswer = (c: Ctx, fields: Record<string, unknown> = {}): Reply =>
  metadataAnswer({
    Code: 'Success',
    AccessKeyId: 'test_access_key_id',
    AccessKeySecret: 'test_access_key_secret',
    SecurityToken: 'test_security_token',
    Expiration: c.iso(3600),
    ...fields,
  })
const LOOPBACK_URI = 'http://127.0.0.1:9999/credentials'

const ecsAnswer = (c: Ctx, fields: Record<string, unknown> = {}): Reply =>
  metadataAnswer({
    Code: 'Success',
    AccessKeyId: 'test_access_key_id',
    AccessKeySecret: 'test_access_key_secret',
    SecurityToken: 'test_security_token',
    Expiration: c.iso(3600),
    ...fields,
  })

// tests/provider/test_cli_profile.py setUp()
const cliConfig = (c: Ctx) => ({
  current: 'test_profile',
  profiles: [
    {
      name: 'test_profile',
      mode: 'AK',
      access_key_id: 'test_access_key_id',
      access_key_secret: 'test_access_key_secret',
    },
    {
      name: 'sts_token',
      mode: 'StsToken',
      access_key_id: 'test_access_key_id',
      access_key_secret: 'test_access_key_secret',
      sts_token: 'test_security_token',
    },
    {
      name: 'ram_role_profile',
      mode: 'RamRoleArn',
      access_key_id: 'test_access_key_id',
      access_key_secret: 'test_access_key_secret',
      ram_role_arn: 'test_ram_role_arn',
      ram_session_name: 'test_ram_session_name',
      expired_seconds: 7200,
      policy: 'test_policy',
      external_id: 'test_external_id',
      sts_region: 'test_sts_region',
      enable_vpc: true,
    },
    { name: 'ecs_ram_role_profile', mode: 'EcsRamRole', ram_role_name: 'test_ram_role_name' },
    {
      name: 'oidc_profile',
      mode: 'OIDC',
      ram_role_arn: 'test_ram_role_arn',
      oidc_provider_arn: 'test_oidc_provider_arn',
      oidc_token_file: `${c.home}/test_oidc_token_file`,
      role_session_name: 'test_role_session_name',
      expired_seconds: 7200,
      policy: 'test_policy',
      sts_region: 'test_sts_region',
      enable_vpc: true,
    },
    {
      name: 'chainable_ram_role_profile',
      mode: 'ChainableRamRoleArn',
      source_profile: 'test_profile',
      ram_role_arn: 'test_ram_role_arn',
      ram_session_name: 'test_ram_session_name',
      expired_seconds: 7200,
      policy: 'test_policy',
      external_id: 'test_external_id',
      sts_region: 'test_sts_region',
      enable_vpc: true,
    },
    {
      name: 'cloud_sso_profile',
      mode: 'CloudSSO',
      cloud_sso_sign_in_url: 'https://sso.example.com',
      cloud_sso_account_id: 'test_account_id',
      cloud_sso_access_config: 'test_access_config',
      access_token: 'test_access_token',
      cloud_sso_access_token_expire: c.s(1000),
    },
    {
      name: 'oauth_profile',
      mode: 'OAuth',
      oauth_site_type: 'CN',
      oauth_refresh_token: 'test_refresh_token',
      oauth_access_token: 'test_oauth_access_token',
      oauth_access_token_expire: c.s(1000),
    },
    {
      name: 'external_profile',
      mode: 'External',
      process_command: '/bin/echo \'{"mode":"AK","access_key_id":"akid","access_key_secret":"secret"}\'',
    },
  ],
})
const cli = (name: string) => ({ ...NO_ECS, ALIBABA_CLOUD_PROFILE: name })

const exchangeOk = (c: Ctx): Reply => ({
  json: {
    accessKeyId: 'exchanged_ak',
    accessKeySecret: 'exchanged_sk',
    securityToken: 'exchanged_token',
    expiration: c.iso(3600),
  },
})

const oauthFiles = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  [CLI_CONFIG]: {
    current: 'oauth',
    profiles: [
      {
        name: 'oauth',
        mode: 'OAuth',
        oauth_site_type: 'CN',
        oauth_refresh_token: 'test_refresh_token',
        oauth_access_token: 'test_access_token',
        oauth_access_token_expire: c.s(3600),
        ...extra,
      },
    ],
  },
})

const ssoFiles = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  [CLI_CONFIG]: {
    current: 'sso',
    profiles: [
      {
        name: 'sso',
        mode: 'CloudSSO',
        cloud_sso_sign_in_url: 'https://sso.example.com',
        cloud_sso_account_id: 'test_account_id',
        cloud_sso_access_config: 'test_access_config',
        access_token: 'test_access_token',
        cloud_sso_access_token_expire: c.s(3600),
        ...extra,
      },
    ],
  },
})
const ssoOk = (c: Ctx): Reply => ({
  json: {
    CloudCredential: {
      AccessKeyId: 'test_access_key_id',
      AccessKeySecret: 'test_access_key_secret',
      SecurityToken: 'test_security_token',
      Expiration: c.iso(3600),
    },
  },
})

const externalFiles = (command: string) => ({
  [CLI_CONFIG]: { current: 'ext', profiles: [{ name: 'ext', mode: 'External', process_command: command }] },
})

// tests/provider/test_profile.py setUp(), as an INI file
const INI = `[default]
type = access_key
access_key_id = test_access_key_id
access_key_secret = test_access_key_secret

[ram_role_profile]
type = ram_role_arn
access_key_id = test_access_key_id
access_key_secret = test_access_key_secret
role_arn = test_ram_role_arn
role_session_name = test_ram_session_name
policy = test_policy

[ecs_ram_role_profile]
type = ecs_ram_role
role_name = test_ram_role_name

[rsa_key_pair_profile]
type = rsa_key_pair
public_key_id = test_public_key_id
private_key_file = test_private_key_file

[invalid]
type = invalid_type

[missing_ak_id]
type = access_key
access_key_secret = test_access_key_secret

[missing_ak_secret]
type = access_key
access_key_id = test_access_key_id

[missing_role_arn]
type = ram_role_arn
access_key_id = test_access_key_id
access_key_secret = test_access_key_secret

[missing_public_key_id]
type = rsa_key_pair
private_key_file = test_private_key_file
`
const ini = (name: string) => ({ ...NO_ECS, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_PROFILE: name })

export const cases: ReadonlyArray<Case> = [
  // ------------------------------------------------------------------------------------------- static_ak / static_sts
  {
    id: 'py/static_ak/valid',
    from: from(AK, 'test_init_valid_input'),
    what: 'access_key config',
    config: { type: 'access_key', accessKeyId: 'test_access_key_id', accessKeySecret: 'test_access_key_secret' },
    expect: {
      ok: { accessKeyId: 'test_access_key_id', accessKeySecret: 'test_access_key_secret', securityToken: null },
    },
    verdict: agree,
  },
  {
    id: 'py/static_ak/env',
    from: from(AK, 'test_init_valid_environment_variables'),
    what: 'access_key without keys, AccessKey in the environment',
    config: { type: 'access_key' },
    env: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'test_access_key_id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test_access_key_secret',
    },
    expect: { ok: { accessKeyId: 'test_access_key_id' } },
    verdict: row('no-env-fallback', { fail: true }),
  },
  ...(
    [
      ['missing-id', { accessKeySecret: 'test_access_key_secret' }, 'test_init_missing_access_key_id'],
      ['empty-id', { accessKeyId: '', accessKeySecret: 'test_access_key_secret' }, 'test_init_empty_access_key_id'],
      ['missing-secret', { accessKeyId: 'test_access_key_id' }, 'test_init_missing_access_key_secret'],
      ['empty-secret', { accessKeyId: 'test_access_key_id', accessKeySecret: '' }, 'test_init_empty_access_key_secret'],
    ] as const
  ).map(
    ([id, fields, test]): Case => ({
      id: `py/static_ak/${id}`,
      from: from(AK, test),
      what: `access_key, ${id.replace('-', ' ')}`,
      config: { type: 'access_key', ...fields },
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'py/static_ak/empty-env',
    from: from(AK, 'test_init_empty_environment_variables'),
    what: 'access_key without keys, the variables empty',
    config: { type: 'access_key' },
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: '', ALIBABA_CLOUD_ACCESS_KEY_SECRET: '' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/static_sts/valid',
    from: from(STS, 'test_init_valid_input'),
    what: 'sts config',
    config: {
      type: 'sts',
      accessKeyId: 'test_access_key_id',
      accessKeySecret: 'test_access_key_secret',
      securityToken: 'test_security_token',
    },
    expect: { ok: { accessKeyId: 'test_access_key_id', securityToken: 'test_security_token' } },
    verdict: agree,
  },
  {
    id: 'py/static_sts/env',
    from: from(STS, 'test_init_valid_environment_variables'),
    what: 'sts without fields, all three in the environment',
    config: { type: 'sts' },
    env: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'test_access_key_id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test_access_key_secret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'test_security_token',
    },
    expect: { ok: { securityToken: 'test_security_token' } },
    verdict: row('no-env-fallback', { fail: true }),
  },
  ...(
    [
      ['missing-id', { accessKeySecret: 's', securityToken: 't' }, 'test_init_missing_access_key_id'],
      ['empty-id', { accessKeyId: '', accessKeySecret: 's', securityToken: 't' }, 'test_init_empty_access_key_id'],
      ['missing-secret', { accessKeyId: 'i', securityToken: 't' }, 'test_init_missing_access_key_secret'],
      [
        'empty-secret',
        { accessKeyId: 'i', accessKeySecret: '', securityToken: 't' },
        'test_init_empty_access_key_secret',
      ],
      ['missing-token', { accessKeyId: 'i', accessKeySecret: 's' }, 'test_init_missing_security_token'],
      ['empty-token', { accessKeyId: 'i', accessKeySecret: 's', securityToken: '' }, 'test_init_empty_security_token'],
    ] as const
  ).map(
    ([id, fields, test]): Case => ({
      id: `py/static_sts/${id}`,
      from: from(STS, test),
      what: `sts, ${id.replace('-', ' ')}`,
      config: { type: 'sts', ...fields },
      expect: { fail: true },
      verdict: agree,
    }),
  ),

  // ---------------------------------------------------------------------------------------------------------- env
  {
    id: 'py/env/valid',
    from: from(ENV, 'test_get_credentials_valid_input'),
    what: 'id, secret and token from the environment',
    env: {
      ...NO_ECS,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'test_access_key_id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test_access_key_secret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'test_security_token',
    },
    expect: { ok: { accessKeyId: 'test_access_key_id', securityToken: 'test_security_token' } },
    verdict: agree,
  },
  ...(
    [
      [
        'missing-id',
        { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's', ALIBABA_CLOUD_SECURITY_TOKEN: 't' },
        'test_get_credentials_missing_access_key_id',
      ],
      [
        'empty-id',
        { ALIBABA_CLOUD_ACCESS_KEY_ID: '', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's' },
        'test_get_credentials_empty_access_key_id',
      ],
      [
        'missing-secret',
        { ALIBABA_CLOUD_ACCESS_KEY_ID: 'i', ALIBABA_CLOUD_SECURITY_TOKEN: 't' },
        'test_get_credentials_missing_access_key_secret',
      ],
      [
        'empty-secret',
        { ALIBABA_CLOUD_ACCESS_KEY_ID: 'i', ALIBABA_CLOUD_ACCESS_KEY_SECRET: '' },
        'test_get_credentials_empty_access_key_secret',
      ],
    ] as const
  ).map(
    ([id, env, test]): Case => ({
      id: `py/env/${id}`,
      from: from(ENV, test),
      what: `environment, ${id.replace('-', ' ')}`,
      env: { ...NO_ECS, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ...env },
      expect: { fail: true },
      verdict: agree,
    }),
  ),

  // ------------------------------------------------------------------------------------------------ ram_role_arn
  {
    id: 'py/ram/valid-input',
    from: from(RAM, 'test_init_valid_input'),
    what: 'every setting, sts_endpoint test_sts_endpoint',
    config: ramConfig({
      securityToken: 'test_security_token',
      externalId: 'test_external_id',
      stsRegionId: 'test_sts_region_id',
      stsEndpoint: 'test_sts_endpoint',
      enableVpc: true,
    }),
    answers: (c) => ({ sts: stsOk(c, 'STS.role') }),
    expect: {
      ok: { accessKeyId: 'STS.role' },
      stsHost: 'test_sts_endpoint',
      stsParams: {
        RoleArn: 'test_role_arn',
        RoleSessionName: 'test_role_session_name',
        DurationSeconds: '3600',
        Policy: 'test_policy',
        ExternalId: 'test_external_id',
        SecurityToken: 'test_security_token',
      },
    },
    verdict: agree,
  },
  {
    id: 'py/ram/env',
    from: from(RAM, 'test_init_valid_environment_variables'),
    what: 'no AccessKey, role ARN or region in the config: all from the environment (region test_sts_region_id, VPC)',
    config: { type: 'ram_role_arn' },
    env: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'test_access_key_id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test_access_key_secret',
      ALIBABA_CLOUD_ROLE_ARN: 'test_role_arn',
      ALIBABA_CLOUD_ROLE_SESSION_NAME: 'test_role_session_name',
      ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'True',
      ALIBABA_CLOUD_STS_REGION: 'test_sts_region_id',
    },
    answers: (c) => ({ sts: stsOk(c, 'STS.role') }),
    expect: {
      ok: { accessKeyId: 'STS.role' },
      stsHost: 'sts-vpc.test_sts_region_id.aliyuncs.com',
      stsParams: {
        AccessKeyId: 'test_access_key_id',
        RoleArn: 'test_role_arn',
        RoleSessionName: 'test_role_session_name',
        DurationSeconds: '3600',
      },
    },
    verdict: agree,
  },
  {
    id: 'py/ram/env-half-pair',
    from: from(RAM, 'test_init_valid_environment_variables'),
    what: 'the config names only accessKeyId; the secret would have to come from the environment',
    config: { type: 'ram_role_arn', accessKeyId: 'test_access_key_id', roleArn: 'test_role_arn' },
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'other_id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'other_secret' },
    answers: (c) => ({ sts: stsOk(c, 'STS.role') }),
    verdict: row('ram-role-arn-env', { fail: true, requests: { sts: 0 } }),
  },
  {
    id: 'py/ram/missing-role-arn',
    from: from(RAM, 'test_init_missing_role_arn'),
    what: 'no role ARN anywhere',
    config: { type: 'ram_role_arn', accessKeyId: 'i', accessKeySecret: 's', securityToken: 't' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/ram/empty-role-arn',
    from: from(RAM, 'test_init_empty_role_arn'),
    what: 'an empty role ARN',
    config: { type: 'ram_role_arn', accessKeyId: 'i', accessKeySecret: 's', securityToken: 't', roleArn: '' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/ram/duration-800',
    from: from(RAM, 'test_init_duration_seconds_too_short'),
    what: 'a session of 800 s',
    config: ramConfig({ roleSessionExpiration: 800 }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/ram/defaults',
    from: from(RAM, 'test_init_default_values'),
    what: 'AccessKey and role ARN from the environment, nothing else: sts.aliyuncs.com, 3600 s',
    config: { type: 'ram_role_arn' },
    env: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'test_access_key_id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test_access_key_secret',
      ALIBABA_CLOUD_ROLE_ARN: 'test_role_arn',
      ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'false',
    },
    answers: (c) => ({ sts: stsOk(c, 'STS.role') }),
    expect: { ok: { accessKeyId: 'STS.role' }, stsHost: 'sts.aliyuncs.com', stsParams: { DurationSeconds: '3600' } },
    verdict: agree,
  },
  {
    id: 'py/ram/already-expired',
    from: from(RAM, 'test_get_credentials_valid_input'),
    what: 'STS answers a credential that expired in 2023',
    config: ramConfig({ securityToken: 'test_security_token', stsEndpoint: 'test_sts_endpoint' }),
    answers: {
      sts: stsAnswer({
        AccessKeyId: 'test_access_key_id',
        AccessKeySecret: 'test_access_key_secret',
        SecurityToken: 'test_security_token',
        Expiration: '2023-12-31T23:59:59Z',
      }),
    },
    expect: { fail: true },
    peerDiffers: PY_EXPIRED,
    verdict: agree,
  },
  {
    id: 'py/ram/http-error',
    from: from(RAM, 'test_get_credentials_http_request_error'),
    what: 'STS answers 400 with text',
    config: ramConfig({ stsEndpoint: 'test_sts_endpoint' }),
    answers: { sts: { status: 400, text: 'HTTP request failed' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/ram/format-error',
    from: from(RAM, 'test_get_credentials_response_format_error'),
    what: 'STS answers {"Error": …}',
    config: ramConfig({ stsEndpoint: 'test_sts_endpoint' }),
    answers: { sts: { json: { Error: 'Invalid request' } } },
    expect: { fail: true },
    verdict: agree,
  },
  ...(
    [
      [
        'region-vpc',
        { stsRegionId: 'test_sts_region_id', enableVpc: true },
        'sts-vpc.test_sts_region_id.aliyuncs.com',
        'test_sts_endpoint_with_sts_region_id_and_enable_vpc_true',
      ],
      [
        'region-no-vpc',
        { stsRegionId: 'test_sts_region_id', enableVpc: false },
        'sts.test_sts_region_id.aliyuncs.com',
        'test_sts_endpoint_with_sts_region_id_and_enable_vpc_false',
      ],
      [
        'env-region-vpc',
        { enableVpc: true },
        'sts-vpc.test_env_sts_region.aliyuncs.com',
        'test_sts_endpoint_with_environment_sts_region_and_enable_vpc_true',
      ],
      [
        'env-region-no-vpc',
        { enableVpc: false },
        'sts.test_env_sts_region.aliyuncs.com',
        'test_sts_endpoint_with_environment_sts_region_and_enable_vpc_false',
      ],
    ] as const
  ).map(
    ([id, fields, host, test]): Case => ({
      id: `py/ram/${id}`,
      from: from(RAM, test),
      what: `endpoint ${host}`,
      config: ramConfig(fields),
      env: {
        ALIBABA_CLOUD_STS_REGION: 'test_env_sts_region',
        ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: String(fields.enableVpc),
      },
      answers: (c) => ({ sts: stsOk(c, 'STS.role') }),
      expect: { ok: { accessKeyId: 'STS.role' }, stsHost: host },
      verdict: agree,
    }),
  ),
  ...(
    [
      [
        'no-region-vpc',
        { enableVpc: true },
        'test_sts_endpoint_with_no_sts_region_id_or_environment_sts_region_and_enable_vpc_true',
      ],
      [
        'no-region-no-vpc',
        { enableVpc: false },
        'test_sts_endpoint_with_no_sts_region_id_or_environment_sts_region_and_enable_vpc_false',
      ],
    ] as const
  ).map(
    ([id, fields, test]): Case => ({
      id: `py/ram/${id}`,
      from: from(RAM, test),
      what: 'no region anywhere: sts.aliyuncs.com whatever VPC says',
      config: ramConfig(fields),
      env: { ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: String(fields.enableVpc) },
      answers: (c) => ({ sts: stsOk(c, 'STS.role') }),
      expect: { ok: { accessKeyId: 'STS.role' }, stsHost: 'sts.aliyuncs.com' },
      verdict: agree,
    }),
  ),

  // ------------------------------------------------------------------------------------------------------- oidc
  {
    id: 'py/oidc/valid-input',
    from: from(OIDC, 'test_init_valid_input'),
    what: 'every setting, sts_endpoint test_sts_endpoint',
    config: (c) =>
      oidcConfig(c, { stsRegionId: 'test_sts_region_id', stsEndpoint: 'test_sts_endpoint', enableVpc: true }),
    files: oidcToken,
    answers: (c) => ({ sts: stsOk(c, 'STS.oidc') }),
    expect: {
      ok: { accessKeyId: 'STS.oidc' },
      stsHost: 'test_sts_endpoint',
      stsParams: {
        Action: 'AssumeRoleWithOIDC',
        RoleArn: 'test_role_arn',
        OIDCProviderArn: 'test_oidc_provider_arn',
        Policy: 'test_policy',
      },
    },
    verdict: agree,
  },
  {
    id: 'py/oidc/env',
    from: from(OIDC, 'test_init_valid_environment_variables'),
    what: 'everything from the environment, region test_sts_region_id with VPC',
    config: { type: 'oidc_role_arn' },
    env: (c) => ({
      ALIBABA_CLOUD_ROLE_ARN: 'test_role_arn',
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'test_oidc_provider_arn',
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: `${c.home}/test_oidc_token_file_path`,
      ALIBABA_CLOUD_ROLE_SESSION_NAME: 'test_role_session_name',
      ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'True',
      ALIBABA_CLOUD_STS_REGION: 'test_sts_region_id',
    }),
    files: oidcToken,
    answers: (c) => ({ sts: stsOk(c, 'STS.oidc') }),
    expect: {
      ok: { accessKeyId: 'STS.oidc' },
      stsHost: 'sts-vpc.test_sts_region_id.aliyuncs.com',
      stsParams: { RoleSessionName: 'test_role_session_name', DurationSeconds: '3600' },
    },
    verdict: agree,
  },
  ...(
    [
      ['missing-role-arn', { roleArn: undefined }, 'test_init_missing_role_arn'],
      ['empty-role-arn', { roleArn: '' }, 'test_init_empty_role_arn'],
      ['missing-provider-arn', { oidcProviderArn: undefined }, 'test_init_missing_oidc_provider_arn'],
      ['empty-provider-arn', { oidcProviderArn: '' }, 'test_init_empty_oidc_provider_arn'],
      ['missing-token-file', { oidcTokenFilePath: undefined }, 'test_init_missing_oidc_token_file_path'],
      ['empty-token-file', { oidcTokenFilePath: '' }, 'test_init_empty_oidc_token_file_path'],
      ['duration-800', { roleSessionExpiration: 800 }, 'test_init_duration_seconds_too_short'],
    ] as const
  ).map(
    ([id, fields, test]): Case => ({
      id: `py/oidc/${id}`,
      from: from(OIDC, test),
      what: `oidc_role_arn, ${id.replace(/-/g, ' ')}`,
      config: (c) => oidcConfig(c, fields),
      files: oidcToken,
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'py/oidc/defaults',
    from: from(OIDC, 'test_init_default_values'),
    what: 'the three variables only: sts.aliyuncs.com, 3600 s',
    config: { type: 'oidc_role_arn' },
    env: (c) => ({
      ALIBABA_CLOUD_ROLE_ARN: 'test_role_arn',
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'test_oidc_provider_arn',
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: `${c.home}/test_oidc_token_file_path`,
      ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'false',
    }),
    files: oidcToken,
    answers: (c) => ({ sts: stsOk(c, 'STS.oidc') }),
    expect: { ok: { accessKeyId: 'STS.oidc' }, stsHost: 'sts.aliyuncs.com', stsParams: { DurationSeconds: '3600' } },
    verdict: agree,
  },
  {
    id: 'py/oidc/already-expired',
    from: from(OIDC, 'test_get_credentials_valid_input'),
    what: 'STS answers a credential that expired in 2023',
    config: (c) => oidcConfig(c, { stsEndpoint: 'test_sts_endpoint' }),
    files: oidcToken,
    answers: {
      sts: stsAnswer({
        AccessKeyId: 'a',
        AccessKeySecret: 'b',
        SecurityToken: 'c',
        Expiration: '2023-12-31T23:59:59Z',
      }),
    },
    expect: { fail: true },
    peerDiffers: PY_EXPIRED,
    verdict: agree,
  },
  {
    id: 'py/oidc/file-read-error',
    from: from(OIDC, 'test_get_credentials_file_read_error'),
    what: 'the token file does not exist',
    config: (c) => oidcConfig(c, { stsEndpoint: 'test_sts_endpoint' }),
    answers: (c) => ({ sts: stsOk(c) }),
    expect: { fail: true, requests: { sts: 0 } },
    verdict: agree,
  },
  {
    id: 'py/oidc/http-error',
    from: from(OIDC, 'test_get_credentials_http_request_error'),
    what: 'STS answers 400',
    config: (c) => oidcConfig(c, { stsEndpoint: 'test_sts_endpoint' }),
    files: oidcToken,
    answers: { sts: { status: 400, text: 'HTTP request failed' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/oidc/format-error',
    from: from(OIDC, 'test_get_credentials_response_format_error'),
    what: 'STS answers {"Error": …}',
    config: (c) => oidcConfig(c, { stsEndpoint: 'test_sts_endpoint' }),
    files: oidcToken,
    answers: { sts: { json: { Error: 'Invalid request' } } },
    expect: { fail: true },
    verdict: agree,
  },
  ...(
    [
      [
        'region-vpc',
        { stsRegionId: 'test_sts_region_id', enableVpc: true },
        {},
        'sts-vpc.test_sts_region_id.aliyuncs.com',
        'test_sts_endpoint_with_sts_region_id_and_enable_vpc_true',
      ],
      [
        'region-no-vpc',
        { stsRegionId: 'test_sts_region_id', enableVpc: false },
        {},
        'sts.test_sts_region_id.aliyuncs.com',
        'test_sts_endpoint_with_sts_region_id_and_enable_vpc_false',
      ],
      [
        'env-region-vpc',
        { enableVpc: true },
        { ALIBABA_CLOUD_STS_REGION: 'test_env_sts_region' },
        'sts-vpc.test_env_sts_region.aliyuncs.com',
        'test_sts_endpoint_with_environment_sts_region_and_enable_vpc_true',
      ],
      [
        'no-region-vpc',
        { enableVpc: true },
        {},
        'sts.aliyuncs.com',
        'test_sts_endpoint_with_no_sts_region_id_or_environment_sts_region_and_enable_vpc_true',
      ],
    ] as const
  ).map(
    ([id, fields, env, host, test]): Case => ({
      id: `py/oidc/${id}`,
      from: from(OIDC, test),
      what: `endpoint ${host}`,
      config: (c) => oidcConfig(c, fields),
      env,
      files: oidcToken,
      answers: (c) => ({ sts: stsOk(c, 'STS.oidc') }),
      expect: { ok: { accessKeyId: 'STS.oidc' }, stsHost: host },
      verdict: agree,
    }),
  ),

  // -------------------------------------------------------------------------------------------------------- uri
  {
    id: 'py/uri/valid-input',
    from: from(URI, 'test_get_credentials_valid_input'),
    what: 'uri http://example.com/credentials (plain http to a remote host)',
    config: { type: 'credentials_uri', credentialsURI: 'http://example.com/credentials' },
    answers: (c) => ({ uri: uriAnswer(c) }),
    expect: { ok: { accessKeyId: 'test_access_key_id' } },
    verdict: row('uri-plain-http', { fail: true, requests: { uri: 0 } }),
  },
  {
    id: 'py/uri/missing',
    from: from(URI, 'test_init_missing_uri'),
    what: 'no URI anywhere',
    config: { type: 'credentials_uri' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/uri/empty',
    from: from(URI, 'test_init_empty_uri'),
    what: 'an empty URI',
    config: { type: 'credentials_uri', credentialsURI: '' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/uri/env-remote',
    from: from(URI, 'test_init_valid_environment_variables'),
    what: 'ALIBABA_CLOUD_CREDENTIALS_URI=http://example.com/credentials',
    config: { type: 'credentials_uri' },
    env: { ALIBABA_CLOUD_CREDENTIALS_URI: 'http://example.com/credentials' },
    answers: (c) => ({ uri: uriAnswer(c) }),
    expect: { ok: { accessKeyId: 'test_access_key_id' } },
    verdict: row('uri-plain-http', { fail: true, requests: { uri: 0 } }),
  },
  {
    id: 'py/uri/loopback',
    from: from(URI, 'test_get_credentials_valid_input'),
    what: 'the same answer from a loopback URI',
    config: { type: 'credentials_uri', credentialsURI: LOOPBACK_URI },
    answers: (c) => ({ uri: uriAnswer(c) }),
    expect: {
      ok: { type: 'credentials_uri', accessKeyId: 'test_access_key_id', securityToken: 'test_security_token' },
    },
    verdict: agree,
  },
  {
    id: 'py/uri/http-error',
    from: from(URI, 'test_get_credentials_http_request_error'),
    what: 'the URI answers 400',
    config: { type: 'credentials_uri', credentialsURI: LOOPBACK_URI },
    answers: { uri: { status: 400, text: 'HTTP request failed' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/uri/format-error',
    from: from(URI, 'test_get_credentials_response_format_error'),
    what: 'the answer is {"Code":"Success"} only',
    config: { type: 'credentials_uri', credentialsURI: LOOPBACK_URI },
    answers: { uri: { json: { Code: 'Success' } } },
    expect: { fail: true },
    verdict: agree,
  },
  ...(
    [
      ['missing-id', 'AccessKeyId', 'test_get_credentials_missing_access_key_id'],
      ['missing-secret', 'AccessKeySecret', 'test_get_credentials_missing_access_key_secret'],
      ['missing-token', 'SecurityToken', 'test_get_credentials_missing_security_token'],
      ['missing-expiration', 'Expiration', 'test_get_credentials_missing_expiration'],
    ] as const
  ).map(
    ([id, field, test]): Case => ({
      id: `py/uri/${id}`,
      from: from(URI, test),
      what: `the answer lacks ${field}`,
      config: { type: 'credentials_uri', credentialsURI: LOOPBACK_URI },
      answers: (c) => ({ uri: uriAnswer(c, { [field]: undefined }) }),
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'py/uri/invalid-code',
    from: from(URI, 'test_get_credentials_invalid_code'),
    what: 'the answer says Code Failure',
    config: { type: 'credentials_uri', credentialsURI: LOOPBACK_URI },
    answers: (c) => ({ uri: uriAnswer(c, { Code: 'Failure' }) }),
    expect: { fail: true },
    verdict: peer,
  },

  // ------------------------------------------------------------------------------------------------ ecs_ram_role
  {
    id: 'py/ecs/disabled',
    from: from(ECS, 'test_init_disable_metadata'),
    what: 'ALIBABA_CLOUD_ECS_METADATA_DISABLED=true',
    config: { type: 'ecs_ram_role', roleName: 'test_role_name', disableIMDSv1: true },
    env: NO_ECS,
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/ecs/disabled-no-role',
    from: from(ECS, 'test_init_missing_role_name'),
    what: 'metadata disabled and no role name',
    config: { type: 'ecs_ram_role' },
    env: { ...NO_ECS, ALIBABA_CLOUD_ECS_METADATA: '' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/ecs/already-expired',
    from: from(ECS, 'test_get_credentials_valid_input'),
    what: 'the role name from ALIBABA_CLOUD_ECS_METADATA; the answer expired in 2023',
    config: { type: 'ecs_ram_role' },
    env: { ALIBABA_CLOUD_ECS_METADATA: 'test_role_name' },
    answers: (c) => ({
      'imds.token': { text: 'test_metadata_token' },
      'imds.credentials': ecsAnswer(c, { Expiration: '2023-12-31T23:59:59Z' }),
    }),
    expect: { fail: true },
    peerDiffers: PY_EXPIRED,
    verdict: agree,
  },
  {
    id: 'py/ecs/role-from-env',
    from: from(ECS, 'test_get_credentials_valid_input'),
    what: 'the role name from ALIBABA_CLOUD_ECS_METADATA (a valid answer)',
    config: { type: 'ecs_ram_role' },
    env: { ALIBABA_CLOUD_ECS_METADATA: 'test_role_name' },
    answers: (c) => ({
      'imds.token': { text: 'test_metadata_token' },
      'imds.credentials': (r) =>
        r.path.endsWith('/test_role_name') ? ecsAnswer(c) : { status: 404, text: 'no such role' },
    }),
    expect: { ok: { accessKeyId: 'test_access_key_id' }, requests: { 'imds.roles': 0 } },
    verdict: agree,
  },
  {
    id: 'py/ecs/http-error',
    from: from(ECS, 'test_get_credentials_http_request_error'),
    what: 'the credentials GET answers 400',
    config: { type: 'ecs_ram_role', roleName: 'test_role_name' },
    answers: {
      'imds.token': { text: 'test_metadata_token' },
      'imds.credentials': { status: 400, text: 'HTTP request failed' },
    },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/ecs/format-error',
    from: from(ECS, 'test_get_credentials_response_format_error'),
    what: 'the answer is {"Code":"Failure"}',
    config: { type: 'ecs_ram_role', roleName: 'test_role_name' },
    answers: {
      'imds.token': { text: 'test_metadata_token' },
      'imds.credentials': { json: { Code: 'Failure', Message: 'Invalid request' } },
    },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/ecs/fallback-v1',
    from: from(ECS, 'test_fallback_to_imds_v1_when_credential_get_fails_after_token'),
    what: 'the GET with the token answers 500; retried without it (a valid answer: the peer fixture expired in 2023)',
    config: { type: 'ecs_ram_role', roleName: 'test_role_name', disableIMDSv1: false },
    answers: (c) => ({
      'imds.token': { text: 'test_metadata_token' },
      'imds.credentials': (r) =>
        r.headers['x-aliyun-ecs-metadata-token'] === undefined ? ecsAnswer(c) : { status: 500, text: 'v2 failed' },
    }),
    expect: { ok: { accessKeyId: 'test_access_key_id' }, requests: { 'imds.credentials': 2 } },
    verdict: agree,
  },
  {
    id: 'py/ecs/no-fallback',
    from: from(ECS, 'test_no_fallback_when_disable_imds_v1_true'),
    what: 'IMDSv1 disabled: the 500 is final',
    config: { type: 'ecs_ram_role', roleName: 'test_role_name', disableIMDSv1: true },
    answers: { 'imds.token': { text: 'test_metadata_token' }, 'imds.credentials': { status: 500, text: 'v2 failed' } },
    expect: { fail: true, requests: { 'imds.credentials': 1 } },
    verdict: agree,
  },
  {
    id: 'py/ecs/role-name-fallback-v1',
    from: from(ECS, 'test_fallback_to_imds_v1_when_role_name_get_fails_after_token'),
    what: 'role discovery with the token answers 404, without it answers the name',
    config: { type: 'ecs_ram_role', disableIMDSv1: false },
    answers: (c) => ({
      'imds.token': { text: 'test_metadata_token' },
      'imds.roles': (r) =>
        r.headers['x-aliyun-ecs-metadata-token'] === undefined
          ? { text: 'test_role_name' }
          : { status: 404, text: 'not found' },
      'imds.credentials': ecsAnswer(c),
    }),
    expect: { ok: { accessKeyId: 'test_access_key_id' } },
    verdict: agree,
  },
  {
    id: 'py/ecs/discover-role',
    from: from(ECS, 'test_refresh_credentials_fetches_role_name_when_empty'),
    what: 'an empty role name is discovered (no token available)',
    config: { type: 'ecs_ram_role', roleName: '' },
    answers: (c) => ({
      'imds.token': { status: 403, text: 'no token' },
      'imds.roles': { text: 'test_role_name' },
      'imds.credentials': ecsAnswer(c),
    }),
    expect: { ok: { accessKeyId: 'test_access_key_id' }, requests: { 'imds.roles': 1 } },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------- profile (INI file)
  {
    id: 'py/profile/access_key',
    from: from(PROFILE, 'test_get_credentials_valid_access_key'),
    what: 'INI [default] access_key',
    env: ini('default'),
    files: { [INI_FILE]: INI },
    expect: { ok: { accessKeyId: 'test_access_key_id', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'py/profile/ram_role_arn',
    from: from(PROFILE, 'test_get_credentials_valid_ram_role_arn'),
    what: 'INI ram_role_arn; STS refuses',
    env: ini('ram_role_profile'),
    files: { [INI_FILE]: INI },
    answers: { sts: { status: 400, json: { Code: 'InvalidParameter', Message: 'x' } } },
    expect: { fail: true, stsParams: { RoleArn: 'test_ram_role_arn', RoleSessionName: 'test_ram_session_name' } },
    verdict: agree,
  },
  {
    id: 'py/profile/ram_role_arn-policy',
    from: from(PROFILE, 'test_get_credentials_valid_ram_role_arn'),
    what: 'INI ram_role_arn with policy: the policy is sent',
    env: ini('ram_role_profile'),
    files: { [INI_FILE]: INI },
    answers: (c) => ({ sts: stsOk(c, 'STS.ini') }),
    expect: { ok: { accessKeyId: 'STS.ini' }, stsParams: { Policy: 'test_policy' } },
    verdict: agree,
  },
  {
    id: 'py/profile/ecs_ram_role',
    from: from(PROFILE, 'test_get_credentials_valid_ecs_ram_role'),
    what: 'INI ecs_ram_role; the metadata answers 400',
    env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_PROFILE: 'ecs_ram_role_profile' },
    files: { [INI_FILE]: INI },
    answers: { 'imds.token': { text: 't' }, 'imds.credentials': { status: 400, json: { error: 'Invalid' } } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/profile/rsa_key_pair',
    from: from(PROFILE, 'test_get_credentials_valid_rsa_key_pair'),
    what: 'INI rsa_key_pair with a key file that does not exist',
    env: ini('rsa_key_pair_profile'),
    files: { [INI_FILE]: INI },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/profile/no-file',
    from: from(PROFILE, 'test_get_credentials_profile_file_not_exists'),
    what: 'no INI file',
    env: ini('default'),
    expect: { fail: true },
    verdict: agree,
  },
  ...(
    [
      ['invalid', 'test_get_credentials_invalid_config_type'],
      ['missing_ak_id', 'test_get_credentials_missing_access_key_id'],
      ['missing_ak_secret', 'test_get_credentials_missing_access_key_secret'],
      ['missing_role_arn', 'test_get_credentials_missing_role_arn'],
      ['missing_public_key_id', 'test_get_credentials_missing_public_key_id'],
    ] as const
  ).map(
    ([name, test]): Case => ({
      id: `py/profile/${name}`,
      from: from(PROFILE, test),
      what: `INI [${name}]`,
      env: ini(name),
      files: { [INI_FILE]: INI },
      expect: { fail: true },
      verdict: agree,
    }),
  ),

  // --------------------------------------------------------------------------------------------- cli_profile (CLI)
  {
    id: 'py/cli/ak',
    from: from(CLI, 'test_get_credentials_valid_ak'),
    what: 'mode AK',
    env: cli('test_profile'),
    files: (c) => ({ [CLI_CONFIG]: cliConfig(c) }),
    expect: { ok: { accessKeyId: 'test_access_key_id', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'py/cli/sts',
    from: from(CLI, 'test_get_credentials_valid_sts'),
    what: 'mode StsToken',
    env: cli('sts_token'),
    files: (c) => ({ [CLI_CONFIG]: cliConfig(c) }),
    expect: { ok: { accessKeyId: 'test_access_key_id', securityToken: 'test_security_token' } },
    verdict: agree,
  },
  {
    id: 'py/cli/ram_role_arn',
    from: from(CLI, 'test_get_credentials_valid_ram_role_arn'),
    what: 'mode RamRoleArn: sts_region test_sts_region with VPC, policy, external id, 7200 s',
    env: cli('ram_role_profile'),
    files: (c) => ({ [CLI_CONFIG]: cliConfig(c) }),
    answers: (c) => ({ sts: stsOk(c, 'STS.cli') }),
    expect: {
      ok: { accessKeyId: 'STS.cli' },
      stsHost: 'sts-vpc.test_sts_region.aliyuncs.com',
      stsParams: {
        AccessKeyId: 'test_access_key_id',
        RoleArn: 'test_ram_role_arn',
        RoleSessionName: 'test_ram_session_name',
        DurationSeconds: '7200',
        Policy: 'test_policy',
        ExternalId: 'test_external_id',
      },
    },
    verdict: peer,
  },
  {
    id: 'py/cli/ecs_ram_role',
    from: from(CLI, 'test_get_credentials_valid_ecs_ram_role'),
    what: 'mode EcsRamRole: role test_ram_role_name',
    env: { ALIBABA_CLOUD_PROFILE: 'ecs_ram_role_profile' },
    files: (c) => ({ [CLI_CONFIG]: cliConfig(c) }),
    answers: (c) => ({
      'imds.token': { text: 't' },
      'imds.credentials': (r) => (r.path.endsWith('/test_ram_role_name') ? ecsAnswer(c) : { status: 404, text: 'x' }),
    }),
    expect: { ok: { accessKeyId: 'test_access_key_id' } },
    verdict: agree,
  },
  {
    id: 'py/cli/oidc',
    from: from(CLI, 'test_get_credentials_valid_oidc'),
    what: 'mode OIDC: sts_region test_sts_region with VPC, 7200 s, policy',
    env: cli('oidc_profile'),
    files: (c) => ({ [CLI_CONFIG]: cliConfig(c), test_oidc_token_file: jwt(c.s(3600)) }),
    answers: (c) => ({ sts: stsOk(c, 'STS.cli') }),
    expect: {
      ok: { accessKeyId: 'STS.cli' },
      stsHost: 'sts-vpc.test_sts_region.aliyuncs.com',
      stsParams: {
        RoleArn: 'test_ram_role_arn',
        OIDCProviderArn: 'test_oidc_provider_arn',
        DurationSeconds: '7200',
        Policy: 'test_policy',
      },
    },
    verdict: peer,
  },
  {
    id: 'py/cli/chainable',
    from: from(CLI, 'test_get_credentials_valid_chainable_ram_role_arn'),
    what: 'mode ChainableRamRoleArn: sts_region test_sts_region with VPC, policy, external id, 7200 s',
    env: cli('chainable_ram_role_profile'),
    files: (c) => ({ [CLI_CONFIG]: cliConfig(c) }),
    answers: (c) => ({ sts: stsOk(c, 'STS.cli') }),
    expect: {
      ok: { accessKeyId: 'STS.cli' },
      stsHost: 'sts-vpc.test_sts_region.aliyuncs.com',
      stsParams: {
        AccessKeyId: 'test_access_key_id',
        RoleSessionName: 'test_ram_session_name',
        DurationSeconds: '7200',
        Policy: 'test_policy',
        ExternalId: 'test_external_id',
      },
    },
    verdict: peer,
  },
  {
    id: 'py/cli/cloud_sso',
    from: from(CLI, 'test_get_credentials_valid_cloud_sso'),
    what: 'mode CloudSSO: https://sso.example.com',
    env: cli('cloud_sso_profile'),
    files: (c) => ({ [CLI_CONFIG]: cliConfig(c) }),
    answers: (c) => ({ sso: ssoOk(c) }),
    expect: { ok: { accessKeyId: 'test_access_key_id', securityToken: 'test_security_token' } },
    verdict: agree,
  },
  {
    id: 'py/cli/oauth-stored-sts',
    from: from(CLI, 'test_get_credentials_valid_oauth'),
    what: 'mode OAuth with a stored, unexpired STS credential: reused without a request',
    env: cli('oauth_profile'),
    files: (c) => {
      const conf = cliConfig(c)
      return {
        [CLI_CONFIG]: {
          ...conf,
          profiles: conf.profiles.map((p) =>
            p.name === 'oauth_profile'
              ? {
                  ...p,
                  access_key_id: 'cached_access_key_id',
                  access_key_secret: 'cached_access_key_secret',
                  sts_token: 'cached_security_token',
                  sts_expiration: c.s(3600),
                }
              : p,
          ),
        },
      }
    },
    answers: (c) => ({ 'oauth.exchange': exchangeOk(c) }),
    expect: {
      ok: {
        accessKeyId: 'cached_access_key_id',
        accessKeySecret: 'cached_access_key_secret',
        securityToken: 'cached_security_token',
      },
      requests: { 'oauth.exchange': 0, 'oauth.token': 0 },
    },
    verdict: peer,
  },
  {
    id: 'py/cli/external',
    from: from(CLI, 'test_get_credentials_valid_external'),
    what: 'mode External',
    env: cli('external_profile'),
    files: (c) => ({ [CLI_CONFIG]: cliConfig(c) }),
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'secret', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'py/cli/disabled',
    from: from(CLI, 'test_get_credentials_cli_profile_disabled'),
    what: 'ALIBABA_CLOUD_CLI_PROFILE_DISABLED=True',
    env: { ...cli('test_profile'), ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'True' },
    files: (c) => ({ [CLI_CONFIG]: cliConfig(c) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/cli/not-exists',
    from: from(CLI, 'test_get_credentials_profile_name_not_exists'),
    what: 'a profile name not in the file',
    env: cli('not_exists'),
    files: (c) => ({ [CLI_CONFIG]: cliConfig(c) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/cli/no-file',
    from: from(CLI, 'test_get_credentials_profile_file_not_exists'),
    what: 'no config.json',
    env: cli('test_profile'),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/cli/not-a-file',
    from: from(CLI, 'test_get_credentials_profile_file_not_file'),
    what: '~/.aliyun/config.json is a directory',
    env: cli('test_profile'),
    files: { '.aliyun/config.json/placeholder': 'x' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/cli/invalid-json',
    from: from(CLI, 'test_get_credentials_invalid_json_format'),
    what: 'config.json is not JSON',
    env: cli('test_profile'),
    files: { [CLI_CONFIG]: '{"current": ' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/cli/empty-json',
    from: from(CLI, 'test_get_credentials_empty_json'),
    what: 'config.json is {}',
    env: cli('test_profile'),
    files: { [CLI_CONFIG]: {} },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/cli/missing-profiles',
    from: from(CLI, 'test_get_credentials_missing_profiles'),
    what: 'config.json has current but no profiles',
    env: cli('test_profile'),
    files: { [CLI_CONFIG]: { current: 'test_profile' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/cli/invalid-mode',
    from: from(CLI, 'test_get_credentials_invalid_profile_mode'),
    what: 'mode InvalidMode',
    env: NO_ECS,
    files: {
      [CLI_CONFIG]: {
        current: 'invalid_profile',
        profiles: [{ name: 'invalid_profile', mode: 'InvalidMode', access_key_id: 'i', access_key_secret: 's' }],
      },
    },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/cli/chainable-oauth-write-back',
    from: from(CLI, 'test_chainable_ram_role_with_oauth_source_profile_sync'),
    what: 'ChainableRamRoleArn over OAuth: the rotated tokens land in the OAuth profile',
    env: cli('chainable_oauth'),
    files: (c) => ({
      [CLI_CONFIG]: {
        current: 'chainable_oauth',
        profiles: [
          {
            name: 'oauth_source',
            mode: 'OAuth',
            oauth_site_type: 'CN',
            oauth_refresh_token: 'initial_refresh_token',
            oauth_access_token: 'initial_access_token',
            oauth_access_token_expire: c.s(600),
          },
          {
            name: 'chainable_oauth',
            mode: 'ChainableRamRoleArn',
            source_profile: 'oauth_source',
            ram_role_arn: 'acs:ram::123456789012:role/test-role',
            ram_session_name: 'test-session',
          },
        ],
      },
    }),
    answers: (c) => ({
      'oauth.token': {
        json: { access_token: 'new_access_token', refresh_token: 'new_refresh_token', expires_in: 7200 },
      },
      'oauth.exchange': exchangeOk(c),
      sts: stsOk(c, 'STS.chained'),
    }),
    expect: {
      ok: { accessKeyId: 'STS.chained' },
      file: {
        profile: 'oauth_source',
        has: {
          oauth_refresh_token: 'new_refresh_token',
          oauth_access_token: 'new_access_token',
          access_key_id: 'exchanged_ak',
          sts_token: 'exchanged_token',
        },
      },
    },
    verdict: agree,
  },
  {
    id: 'py/cli/nested-chainable-oauth',
    from: from(CLI, 'test_nested_chainable_ram_role_with_oauth_source_profile_sync'),
    what: 'two ChainableRamRoleArn levels over OAuth',
    env: cli('chainable_level2'),
    files: (c) => ({
      [CLI_CONFIG]: {
        current: 'chainable_level2',
        profiles: [
          {
            name: 'oauth_source',
            mode: 'OAuth',
            oauth_site_type: 'CN',
            oauth_refresh_token: 'initial_refresh_token',
            oauth_access_token: 'initial_access_token',
            oauth_access_token_expire: c.s(3600),
          },
          {
            name: 'chainable_level1',
            mode: 'ChainableRamRoleArn',
            source_profile: 'oauth_source',
            ram_role_arn: 'acs:ram::123456789012:role/level1-role',
            ram_session_name: 'level1-session',
          },
          {
            name: 'chainable_level2',
            mode: 'ChainableRamRoleArn',
            source_profile: 'chainable_level1',
            ram_role_arn: 'acs:ram::123456789012:role/level2-role',
            ram_session_name: 'level2-session',
          },
        ],
      },
    }),
    answers: (c) => ({ 'oauth.exchange': exchangeOk(c), sts: stsOk(c, 'STS.nested') }),
    expect: {
      ok: { accessKeyId: 'STS.nested' },
      requests: { sts: 2 },
      file: { profile: 'oauth_source', has: { access_key_id: 'exchanged_ak' } },
    },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------------------ oauth
  {
    id: 'py/oauth/success',
    from: from(OAUTH, 'test_get_credentials_success'),
    what: 'the exchange answers PascalCase fields (AccessKeyId, …)',
    env: cli('oauth'),
    files: (c) => oauthFiles(c),
    answers: (c) => ({
      'oauth.exchange': {
        json: {
          AccessKeyId: 'test_access_key_id',
          AccessKeySecret: 'test_access_key_secret',
          SecurityToken: 'test_security_token',
          Expiration: c.iso(3600),
        },
      },
    }),
    expect: { ok: { accessKeyId: 'test_access_key_id' } },
    peerDiffers:
      'the Python SDK reads PascalCase exchange fields; the Node and Go SDKs and the aliyun CLI read the camelCase ones (accessKeyId, …) the OAuth service answers, and so does alicred',
    verdict: agree,
  },
  {
    id: 'py/oauth/exchange-request',
    from: from(OAUTH, 'test_get_credentials_success'),
    what: 'the exchange is POST /v1/exchange with Bearer <access token> (camelCase answer)',
    env: cli('oauth'),
    files: (c) => oauthFiles(c),
    answers: (c) => ({
      'oauth.exchange': (r) =>
        r.method === 'POST' &&
        r.headers.authorization === 'Bearer test_access_token' &&
        /json/.test(r.headers['content-type'] ?? '')
          ? exchangeOk(c)
          : { status: 400, text: 'bad request' },
    }),
    expect: { ok: { accessKeyId: 'exchanged_ak' }, requests: { 'oauth.exchange': 1, 'oauth.token': 0 } },
    verdict: agree,
  },
  {
    id: 'py/oauth/http-error',
    from: from(OAUTH, 'test_get_credentials_http_error'),
    what: 'the exchange answers 400',
    env: cli('oauth'),
    files: (c) => oauthFiles(c),
    answers: { 'oauth.exchange': { status: 400, json: { error: 'Bad Request' } } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/oauth/error-in-response',
    from: from(OAUTH, 'test_get_credentials_error_in_response'),
    what: 'the exchange answers {"error": …}',
    env: cli('oauth'),
    files: (c) => oauthFiles(c),
    answers: { 'oauth.exchange': { json: { error: 'Invalid token' } } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/oauth/invalid-json',
    from: from(OAUTH, 'test_get_credentials_invalid_json'),
    what: 'the exchange answers text that is not JSON',
    env: cli('oauth'),
    files: (c) => oauthFiles(c),
    answers: { 'oauth.exchange': { text: 'invalid json' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/oauth/refresh-then-exchange',
    from: from(OAUTH, 'test_oauth_token_refresh_success'),
    what: 'an access token near expiry (10 min) is refreshed first; the new token is exchanged',
    env: cli('oauth'),
    files: (c) => oauthFiles(c, { oauth_access_token_expire: c.s(600) }),
    answers: (c) => ({
      'oauth.token': (r) =>
        r.params.grant_type === 'refresh_token' &&
        r.params.refresh_token === 'test_refresh_token' &&
        r.params.client_id === '4038181954557748008'
          ? { json: { access_token: 'new_access_token', refresh_token: 'new_refresh_token', expires_in: 3600 } }
          : { status: 400, text: 'bad refresh' },
      'oauth.exchange': (r) =>
        r.headers.authorization === 'Bearer new_access_token' ? exchangeOk(c) : { status: 401, text: 'old token' },
    }),
    expect: { ok: { accessKeyId: 'exchanged_ak' }, requests: { 'oauth.token': 1, 'oauth.exchange': 1 } },
    verdict: agree,
  },
  {
    id: 'py/oauth/refresh-failure',
    from: from(OAUTH, 'test_oauth_token_refresh_failure'),
    what: 'the token refresh answers 400',
    env: cli('oauth'),
    files: (c) => oauthFiles(c, { oauth_access_token_expire: c.s(-10) }),
    answers: (c) => ({ 'oauth.token': { status: 400, text: 'invalid_grant' }, 'oauth.exchange': exchangeOk(c) }),
    expect: { fail: true, requests: { 'oauth.exchange': 0 } },
    verdict: agree,
  },
  {
    id: 'py/oauth/refresh-network-error',
    from: from(OAUTH, 'test_oauth_token_refresh_network_error'),
    what: 'the token endpoint is unreachable',
    env: cli('oauth'),
    files: (c) => oauthFiles(c, { oauth_access_token_expire: c.s(-10) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/oauth/sufficient-time',
    from: from(OAUTH, 'test_oauth_token_refresh_timing_sufficient_time'),
    what: 'an access token with an hour left is not refreshed',
    env: cli('oauth'),
    files: (c) => oauthFiles(c, { oauth_access_token_expire: c.s(3600) }),
    answers: (c) => ({ 'oauth.exchange': exchangeOk(c) }),
    expect: { ok: { accessKeyId: 'exchanged_ak' }, requests: { 'oauth.token': 0 } },
    verdict: agree,
  },
  {
    id: 'py/oauth/insufficient-time',
    from: from(OAUTH, 'test_oauth_token_refresh_timing_insufficient_time'),
    what: 'an access token with 10 minutes left is refreshed',
    env: cli('oauth'),
    files: (c) => oauthFiles(c, { oauth_access_token_expire: c.s(600) }),
    answers: (c) => ({
      'oauth.token': {
        json: { access_token: 'new_access_token', refresh_token: 'new_refresh_token', expires_in: 3600 },
      },
      'oauth.exchange': exchangeOk(c),
    }),
    expect: { ok: { accessKeyId: 'exchanged_ak' }, requests: { 'oauth.token': 1 } },
    verdict: agree,
  },
  {
    id: 'py/oauth/zero-expire',
    from: from(OAUTH, 'test_oauth_token_refresh_timing_edge_case_zero_expire'),
    what: 'oauth_access_token_expire 0 triggers a refresh',
    env: cli('oauth'),
    files: (c) => oauthFiles(c, { oauth_access_token_expire: 0 }),
    answers: (c) => ({
      'oauth.token': {
        json: { access_token: 'new_access_token', refresh_token: 'new_refresh_token', expires_in: 3600 },
      },
      'oauth.exchange': exchangeOk(c),
    }),
    expect: { ok: { accessKeyId: 'exchanged_ak' }, requests: { 'oauth.token': 1, 'oauth.exchange': 1 } },
    verdict: agree,
  },
  {
    id: 'py/oauth/none-token',
    from: from(OAUTH, 'test_oauth_token_refresh_timing_edge_case_none_token'),
    what: 'no access token triggers a refresh',
    env: cli('oauth'),
    files: (c) => oauthFiles(c, { oauth_access_token: undefined }),
    answers: (c) => ({
      'oauth.token': {
        json: { access_token: 'new_access_token', refresh_token: 'new_refresh_token', expires_in: 3600 },
      },
      'oauth.exchange': exchangeOk(c),
    }),
    expect: { ok: { accessKeyId: 'exchanged_ak' }, requests: { 'oauth.token': 1, 'oauth.exchange': 1 } },
    verdict: agree,
  },
  {
    id: 'py/oauth/reuse-stored-sts',
    from: from(OAUTH, 'test_reuse_cached_sts_when_not_expired'),
    what: 'a stored STS credential valid for an hour is reused: no exchange, no write-back',
    env: cli('oauth'),
    files: (c) =>
      oauthFiles(c, {
        access_key_id: 'STS.cached',
        access_key_secret: 'cached_secret',
        sts_token: 'cached_sts_token',
        sts_expiration: c.s(3600),
      }),
    answers: (c) => ({ 'oauth.exchange': exchangeOk(c) }),
    expect: {
      ok: { accessKeyId: 'STS.cached', accessKeySecret: 'cached_secret', securityToken: 'cached_sts_token' },
      requests: { 'oauth.exchange': 0 },
      file: { profile: 'oauth', has: { access_key_id: 'STS.cached', oauth_refresh_token: 'test_refresh_token' } },
    },
    verdict: peer,
  },
  {
    id: 'py/oauth/reuse-until-expiration',
    from: from(OAUTH, 'test_reuse_cached_sts_until_actual_expiration'),
    what: 'a stored STS credential with 60 s left is still reused, twice, without a request',
    env: cli('oauth'),
    files: (c) =>
      oauthFiles(c, {
        access_key_id: 'STS.cached',
        access_key_secret: 'cached_secret',
        sts_token: 'cached_sts_token',
        sts_expiration: c.s(60),
      }),
    answers: (c) => ({ 'oauth.exchange': exchangeOk(c) }),
    calls: 2,
    expect: { ok: { accessKeyId: 'STS.cached' }, requests: { 'oauth.exchange': 0 } },
    verdict: peer,
  },
  {
    id: 'py/oauth/stored-sts-expired',
    from: from(OAUTH, 'test_exchange_when_cached_sts_expired'),
    what: 'a stored STS credential that has expired is replaced by an exchange',
    env: cli('oauth'),
    files: (c) =>
      oauthFiles(c, {
        access_key_id: 'STS.stale',
        access_key_secret: 'stale_secret',
        sts_token: 'stale_sts_token',
        sts_expiration: c.s(-10),
      }),
    answers: (c) => ({ 'oauth.exchange': exchangeOk(c) }),
    expect: {
      ok: { accessKeyId: 'exchanged_ak' },
      requests: { 'oauth.exchange': 1 },
      file: { profile: 'oauth', has: { access_key_id: 'exchanged_ak', sts_token: 'exchanged_token' } },
    },
    verdict: agree,
  },
  {
    id: 'py/oauth/no-stored-sts',
    from: from(OAUTH, 'test_exchange_when_no_cached_sts'),
    what: 'without stored STS fields the exchange runs',
    env: cli('oauth'),
    files: (c) => oauthFiles(c),
    answers: (c) => ({ 'oauth.exchange': exchangeOk(c) }),
    expect: { ok: { accessKeyId: 'exchanged_ak' }, requests: { 'oauth.exchange': 1 } },
    verdict: agree,
  },
  {
    id: 'py/oauth/no-tokens',
    from: from(OAUTH, 'test_oauth_provider_without_refresh_token'),
    what: 'neither an access token nor a refresh token',
    env: cli('oauth'),
    files: (c) =>
      oauthFiles(c, {
        oauth_access_token: undefined,
        oauth_refresh_token: undefined,
        oauth_access_token_expire: undefined,
      }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/oauth/intl',
    from: from(OAUTH, 'test_url_parsing_intl'),
    what: 'site INTL signs in at oauth.alibabacloud.com',
    env: cli('oauth'),
    files: (c) => oauthFiles(c, { oauth_site_type: 'INTL', oauth_access_token_expire: c.s(600) }),
    answers: (c) => ({
      'oauth.token': (r) =>
        r.host === 'oauth.alibabacloud.com' && r.params.client_id === '4103531455503354461'
          ? { json: { access_token: 'intl_access', refresh_token: 'intl_refresh', expires_in: 3600 } }
          : { status: 400, text: 'wrong site' },
      'oauth.exchange': (r) =>
        r.host === 'oauth.alibabacloud.com' ? exchangeOk(c) : { status: 400, text: 'wrong site' },
    }),
    expect: { ok: { accessKeyId: 'exchanged_ak' }, requests: { 'oauth.token': 1, 'oauth.exchange': 1 } },
    verdict: agree,
  },

  // -------------------------------------------------------------------------------------------------- cloud_sso
  {
    id: 'py/sso/success',
    from: from(SSO, 'test_get_credentials_success'),
    what: 'POST /cloud-credentials with Bearer and {AccountId, AccessConfigurationId}',
    env: cli('sso'),
    files: (c) => ssoFiles(c),
    answers: (c) => ({
      sso: (r) => {
        const body = (() => {
          try {
            return JSON.parse(r.body) as Record<string, unknown>
          } catch {
            return {}
          }
        })()
        return r.headers.authorization === 'Bearer test_access_token' &&
          body.AccountId === 'test_account_id' &&
          body.AccessConfigurationId === 'test_access_config'
          ? ssoOk(c)
          : { status: 400, text: 'bad request' }
      },
    }),
    expect: { ok: { accessKeyId: 'test_access_key_id', securityToken: 'test_security_token' } },
    verdict: peer,
  },
  {
    id: 'py/sso/http-error',
    from: from(SSO, 'test_get_credentials_http_error'),
    what: 'the portal answers 400',
    env: cli('sso'),
    files: (c) => ssoFiles(c),
    answers: { sso: { status: 400, json: { error: 'Bad Request' } } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/sso/missing-cloud-credential',
    from: from(SSO, 'test_get_credentials_missing_cloud_credential'),
    what: 'the answer has no CloudCredential',
    env: cli('sso'),
    files: (c) => ssoFiles(c),
    answers: { sso: { json: { error: 'No credentials' } } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/sso/missing-fields',
    from: from(SSO, 'test_get_credentials_missing_required_fields'),
    what: 'CloudCredential has only AccessKeyId',
    env: cli('sso'),
    files: (c) => ssoFiles(c),
    answers: { sso: { json: { CloudCredential: { AccessKeyId: 'test_access_key_id' } } } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/sso/expired-token',
    from: from(SSO, 'test_init_expired_access_token'),
    what: 'the access token has expired',
    env: cli('sso'),
    files: (c) => ssoFiles(c, { cloud_sso_access_token_expire: c.s(-100) }),
    answers: (c) => ({ sso: ssoOk(c) }),
    expect: { fail: true, requests: { sso: 0 } },
    verdict: agree,
  },
  {
    id: 'py/sso/port',
    from: from(SSO, 'test_url_parsing'),
    what: 'https://sso.example.com:8080: the request goes to port 8080',
    env: cli('sso'),
    files: (c) => ssoFiles(c, { cloud_sso_sign_in_url: 'https://sso.example.com:8080' }),
    answers: (c) => ({
      sso: (r) => (r.host === 'sso.example.com:8080' ? ssoOk(c) : { status: 400, text: 'wrong port' }),
    }),
    expect: { ok: { accessKeyId: 'test_access_key_id' } },
    verdict: agree,
  },
  {
    id: 'py/sso/plain-http',
    from: from(SSO, 'test_url_parsing'),
    what: 'http://sso.example.com (plain http to a remote host)',
    env: cli('sso'),
    files: (c) => ssoFiles(c, { cloud_sso_sign_in_url: 'http://sso.example.com' }),
    answers: (c) => ({ sso: ssoOk(c) }),
    expect: { ok: { accessKeyId: 'test_access_key_id' } },
    verdict: row('uri-plain-http', { fail: true, requests: { sso: 0 } }),
  },

  // --------------------------------------------------------------------------------------------------- external
  {
    id: 'py/external/ak',
    from: from(EXTERNAL, 'test_get_credentials_ak_success'),
    what: 'the command prints an AccessKey',
    env: cli('ext'),
    files: externalFiles('/bin/echo \'{"mode":"AK","access_key_id":"akid","access_key_secret":"secret"}\''),
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'secret', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'py/external/sts',
    from: from(EXTERNAL, 'test_get_credentials_sts_success_with_callback'),
    what: 'the command prints an STS credential valid until 2030; it is written back',
    env: cli('ext'),
    files: externalFiles(
      '/bin/echo \'{"mode":"StsToken","access_key_id":"akid","access_key_secret":"secret","sts_token":"token","expiration":"2030-12-31T23:59:59Z"}\'',
    ),
    expect: {
      ok: { accessKeyId: 'akid', securityToken: 'token' },
      file: { profile: 'ext', has: { access_key_id: 'akid', sts_token: 'token', sts_expiration: 1924991999 } },
    },
    verdict: agree,
  },
  {
    id: 'py/external/invalid-json',
    from: from(EXTERNAL, 'test_invalid_json'),
    what: 'the command prints text that is not JSON',
    env: cli('ext'),
    files: externalFiles('/bin/echo not-json'),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/external/missing-access-key',
    from: from(EXTERNAL, 'test_missing_access_key'),
    what: 'the output has no access_key_id',
    env: cli('ext'),
    files: externalFiles('/bin/echo \'{"mode":"AK","access_key_secret":"secret"}\''),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/external/missing-sts-token',
    from: from(EXTERNAL, 'test_missing_sts_token'),
    what: 'StsToken mode without sts_token',
    env: cli('ext'),
    files: externalFiles('/bin/echo \'{"mode":"StsToken","access_key_id":"akid","access_key_secret":"secret"}\''),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'py/external/command-failure',
    from: from(EXTERNAL, 'test_command_failure'),
    what: 'the command exits with status 1',
    env: cli('ext'),
    files: externalFiles('/bin/false'),
    expect: { fail: true },
    verdict: agree,
  },

  // ---------------------------------------------------------------------------------------------------- default
  {
    id: 'py/default/env',
    from: from(DEFAULT, 'test_get_credentials_with_environment_variable_provider'),
    what: 'the environment wins',
    env: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'test_access_key_id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test_access_key_secret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'test_security_token',
    },
    expect: { ok: { type: 'default', accessKeyId: 'test_access_key_id', securityToken: 'test_security_token' } },
    verdict: agree,
  },
  {
    id: 'py/default/cli',
    from: from(DEFAULT, 'test_get_credentials_with_cli_profile_provider'),
    what: 'no environment or OIDC: the CLI profile answers',
    env: NO_ECS,
    files: (c) => ({ [CLI_CONFIG]: cliConfig(c) }),
    expect: { ok: { accessKeyId: 'test_access_key_id' } },
    verdict: agree,
  },
  {
    id: 'py/default/profile',
    from: from(DEFAULT, 'test_get_credentials_with_profile_provider'),
    what: 'no CLI config: the INI profile answers',
    env: NO_ECS,
    files: { [INI_FILE]: INI },
    expect: { ok: { accessKeyId: 'test_access_key_id' } },
    verdict: agree,
  },
  {
    id: 'py/default/ecs',
    from: from(DEFAULT, 'test_get_credentials_with_ecs_ram_role_provider'),
    what: 'nothing else configured: ECS metadata answers',
    answers: (c) => ({ 'imds.token': { text: 't' }, 'imds.roles': { text: 'role' }, 'imds.credentials': ecsAnswer(c) }),
    expect: { ok: { type: 'default', accessKeyId: 'test_access_key_id' } },
    verdict: agree,
  },
  {
    id: 'py/default/uri-after-ecs-failure',
    from: from(DEFAULT, 'test_get_credentials_with_url_provider'),
    what: 'ECS metadata fails and ALIBABA_CLOUD_CREDENTIALS_URI answers',
    env: { ALIBABA_CLOUD_CREDENTIALS_URI: LOOPBACK_URI },
    answers: (c) => ({ 'imds.token': { text: 't' }, 'imds.roles': { status: 500, text: 'down' }, uri: uriAnswer(c) }),
    expect: { ok: { type: 'default', accessKeyId: 'test_access_key_id' } },
    verdict: agree,
  },
  {
    id: 'py/default/nothing',
    from: from(DEFAULT, 'test_get_credentials_no_valid_provider'),
    what: 'every link fails',
    env: { ALIBABA_CLOUD_CREDENTIALS_URI: LOOPBACK_URI },
    expect: { fail: true },
    verdict: agree,
  },
]
