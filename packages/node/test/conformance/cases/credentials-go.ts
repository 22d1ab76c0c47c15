// Cases from aliyun/credentials-go, `credentials/providers/*_test.go` and `credentials/providers/fixtures/`. Each names
// the file and the `Test…` function. The Go tests swap `httpDo` and `getHomePath`; these cases answer the same
// bodies from the stand-in server and write the same fixtures under a temporary HOME.
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

const from = (file: string, test: string): Source => ({ repo: 'aliyun/credentials-go', file, test })

const NO_ECS = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }

const CLI = 'credentials/providers/cli_profile_test.go'
const PROFILE = 'credentials/providers/profile_test.go'
const DEFAULT = 'credentials/providers/default_test.go'
const ENV = 'credentials/providers/env_test.go'
const ECS = 'credentials/providers/ecs_ram_role_test.go'
const URI = 'credentials/providers/uri_test.go'
const RAM = 'credentials/providers/ram_role_arn_test.go'
const OIDC = 'credentials/providers/oidc_test.go'
const EXTERNAL = 'credentials/providers/external_test.go'
const OAUTH = 'credentials/providers/oauth_test.go'
const SSO = 'credentials/providers/cloud_sso_test.go'
const STATIC_AK = 'credentials/providers/static_ak_test.go'
const STATIC_STS = 'credentials/providers/static_sts_test.go'

// credentials/providers/fixtures/.aliyun/config.json
const fixture = {
  current: 'AK',
  profiles: [
    { name: 'AK', mode: 'AK', access_key_id: 'akid', access_key_secret: 'secret' },
    {
      name: 'StsToken',
      mode: 'StsToken',
      access_key_id: 'accessKeyId',
      access_key_secret: 'accessKeySecret',
      sts_token: 'stsToken',
    },
    {
      name: 'RamRoleArn',
      mode: 'RamRoleArn',
      access_key_id: 'akid',
      access_key_secret: 'secret',
      ram_role_arn: 'arn',
      sts_region: 'cn-hangzhou',
      enable_vpc: true,
      policy: 'policy',
      external_id: 'id',
    },
    { name: 'EcsRamRole', mode: 'EcsRamRole', ram_role_name: 'rolename' },
    {
      name: 'OIDC',
      mode: 'OIDC',
      ram_role_arn: 'role_arn',
      oidc_token_file: 'path/to/oidc/file',
      oidc_provider_arn: 'provider_arn',
      sts_region: 'cn-hangzhou',
      enable_vpc: true,
      policy: 'policy',
    },
    { name: 'ChainableRamRoleArn', mode: 'ChainableRamRoleArn', ram_role_arn: 'arn', source_profile: 'RamRoleArn' },
    { name: 'ChainableRamRoleArn1', mode: 'ChainableRamRoleArn', source_profile: 'AK' },
    { name: 'ChainableRamRoleArn2', mode: 'ChainableRamRoleArn', source_profile: 'InvalidSource' },
    {
      name: 'get_credentials_error',
      mode: 'RamRoleArn',
      access_key_id: 'akid',
      access_key_secret: 'secret',
      ram_role_arn: 'arn',
    },
    { name: 'Unsupported', mode: 'Unsupported' },
    {
      name: 'CloudSSO',
      mode: 'CloudSSO',
      cloud_sso_sign_in_url: 'url',
      access_token: 'token',
      cloud_sso_access_token_expire: 10,
      sts_expiration: 0,
      cloud_sso_access_config: 'config',
      cloud_sso_account_id: 'uid',
      access_key_id: 'akid',
      access_key_secret: 'secret',
      sts_token: 'stsToken',
    },
  ],
}
const cli = (name: string) => ({ ...NO_ECS, ALIBABA_CLOUD_PROFILE: name })

const stsOk = (c: Ctx, id = 'STS.go'): Reply =>
  stsAnswer({ AccessKeyId: id, AccessKeySecret: 'aksecret', SecurityToken: 'ststoken', Expiration: c.iso(3600) })

// credentials/providers/profile_test.go inistr
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

[ram]
type = ram_role_arn
access_key_id = foo
access_key_secret = bar
role_arn = role_arn
role_session_name = session_name
policy = {"Statement": [{"Action": ["*"],"Effect": "Allow","Resource": ["*"]}],"Version":"1"}

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

[norsa]
type = rsa_key_pair
public_key_id = publicKeyId

[emptyrsa]
type = rsa_key_pair
public_key_id = publicKeyId
private_key_file =

[error_type]
type = error_type
public_key_id = publicKeyId
private_key_file = ./pk_error.pem
`
const ini = (name: string) => ({ ...NO_ECS, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_PROFILE: name })

const ecsCredentials = (fields: Record<string, unknown>): Reply => metadataAnswer(fields)
const ecsBase = (c: Ctx) => ({
  AccessKeyId: 'akid',
  AccessKeySecret: 'aksecret',
  Expiration: c.iso(3600),
  SecurityToken: 'token',
  Code: 'Success',
})

const uri = { type: 'credentials_uri', credentialsURI: 'http://localhost:8080' }

const externalFiles = (command: string) => ({
  [CLI_CONFIG]: { current: 'ext', profiles: [{ name: 'ext', mode: 'External', process_command: command }] },
})
const script = (c: Ctx, json: string) => ({
  'script.sh': `echo run >> ${c.home}/runs.log\necho '${json}'\n`,
})

const oauthFiles = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  [CLI_CONFIG]: {
    current: 'OAuth',
    profiles: [
      {
        mode: 'OAuth',
        name: 'OAuth',
        oauth_site_type: 'CN',
        oauth_refresh_token: 'refreshToken',
        oauth_access_token: 'accessToken',
        oauth_access_token_expire: c.s(2000),
        ...extra,
      },
    ],
  },
})
const tokenRefreshed: Reply = {
  json: {
    access_token: 'new_access_token',
    refresh_token: 'new_refresh_token',
    expires_in: 3600,
    token_type: 'Bearer',
  },
}
const exchanged = (c: Ctx): Reply => ({
  json: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: 'ststoken', expiration: c.iso(3600) },
})

const ssoFiles = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  [CLI_CONFIG]: {
    current: 'CloudSSO',
    profiles: [
      {
        name: 'CloudSSO',
        mode: 'CloudSSO',
        cloud_sso_sign_in_url: 'https://signin-cn-shanghai.alibabacloudsso.com/device/login',
        access_token: 'token',
        cloud_sso_access_token_expire: c.s(2000),
        cloud_sso_access_config: 'config',
        cloud_sso_account_id: 'uid',
        ...extra,
      },
    ],
  },
})

export const cases: ReadonlyArray<Case> = [
  // ---------------------------------------------------------------------------------------------- static, env
  {
    id: 'go/static_ak/no-id',
    from: from(STATIC_AK, 'TestStaticAKCredentialsProvider'),
    what: 'access_key without id',
    config: { type: 'access_key', accessKeySecret: 'aksecret' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/static_ak/ok',
    from: from(STATIC_AK, 'TestStaticAKCredentialsProvider'),
    what: 'access_key',
    config: { type: 'access_key', accessKeyId: 'accessKeyId', accessKeySecret: 'accessKeySecret' },
    expect: { ok: { accessKeyId: 'accessKeyId', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'go/static_ak/env',
    from: from(STATIC_AK, 'TestStaticAKCredentialsProviderWithEnv'),
    what: 'access_key without fields, the pair in the environment',
    config: { type: 'access_key' },
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'akid_from_env', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aksecret_from_env' },
    expect: { ok: { accessKeyId: 'akid_from_env' } },
    verdict: row('no-env-fallback', { fail: true }),
  },
  {
    id: 'go/static_sts/no-token',
    from: from(STATIC_STS, 'TestStaticSTSCredentialsProvider'),
    what: 'sts without token',
    config: { type: 'sts', accessKeyId: 'akid', accessKeySecret: 'aksecret' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/static_sts/env',
    from: from(STATIC_STS, 'TestStaticSTSCredentialsProviderWithEnv'),
    what: 'sts without fields, all three in the environment',
    config: { type: 'sts' },
    env: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'akid_from_env',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aksecret_from_env',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'token_from_env',
    },
    expect: { ok: { securityToken: 'token_from_env' } },
    verdict: row('no-env-fallback', { fail: true }),
  },
  {
    id: 'go/env/id-only',
    from: from(ENV, 'TestEnvironmentVariableCredentialsProvider'),
    what: 'only ALIBABA_CLOUD_ACCESS_KEY_ID',
    env: { ...NO_ECS, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: 'akid' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/env/token',
    from: from(ENV, 'TestEnvironmentVariableCredentialsProvider'),
    what: 'id, secret and token',
    env: {
      ...NO_ECS,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'akid',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aksecret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'token',
    },
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: 'token' } },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------------ default chain
  {
    id: 'go/default/nothing',
    from: from(DEFAULT, 'TestDefaultCredentialsProvider_GetCredentials'),
    what: 'ECS metadata off, no environment, no files',
    env: NO_ECS,
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/default/env-twice',
    from: from(DEFAULT, 'TestDefaultCredentialsProvider_GetCredentials'),
    what: 'the environment, called twice',
    env: { ...NO_ECS, ALIBABA_CLOUD_ACCESS_KEY_ID: 'akid', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aksecret' },
    calls: 2,
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'go/default/chainable-expired',
    from: from(DEFAULT, 'TestDefaultCredentialsProvider_GetCredentials'),
    what: 'ALIBABA_CLOUD_PROFILE=ChainableRamRoleArn over the fixture; STS answers a 2021 Expiration twice',
    env: cli('ChainableRamRoleArn'),
    files: { [CLI_CONFIG]: fixture },
    answers: {
      sts: stsAnswer({
        AccessKeyId: 'akid',
        AccessKeySecret: 'aksecret',
        Expiration: '2021-10-20T04:27:09Z',
        SecurityToken: 'ststoken',
      }),
    },
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: 'ststoken' } },
    verdict: agree,
  },
  {
    id: 'go/default/chainable',
    from: from(DEFAULT, 'TestDefaultCredentialsProvider_GetCredentials'),
    what: 'ALIBABA_CLOUD_PROFILE=ChainableRamRoleArn over RamRoleArn (a valid answer): two AssumeRole calls',
    env: cli('ChainableRamRoleArn'),
    files: { [CLI_CONFIG]: fixture },
    answers: (c) => ({ sts: stsOk(c) }),
    expect: { ok: { accessKeyId: 'STS.go' }, requests: { sts: 2 } },
    verdict: agree,
  },

  // ---------------------------------------------------------------------------------------------- CLI profile
  {
    id: 'go/cli/disabled',
    from: from(CLI, 'TestCLIProfileCredentialsProvider'),
    what: 'ALIBABA_CLOUD_CLI_PROFILE_DISABLED=True',
    env: { ...cli('AK'), ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'True' },
    files: { [CLI_CONFIG]: fixture },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/cli/config-file-env',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_GetCredentials'),
    what: 'ALIBABA_CLOUD_CONFIG_FILE names a file that does not exist (and the default file is valid)',
    env: (c) => ({ ...NO_ECS, ALIBABA_CLOUD_CONFIG_FILE: `${c.home}/config.invalid` }),
    files: { [CLI_CONFIG]: fixture },
    expect: { fail: true },
    verdict: peer,
  },
  {
    id: 'go/cli/config-file-env-valid',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_GetCredentials'),
    what: 'ALIBABA_CLOUD_CONFIG_FILE names a valid file elsewhere',
    env: (c) => ({ ...NO_ECS, ALIBABA_CLOUD_CONFIG_FILE: `${c.home}/elsewhere.json` }),
    files: {
      'elsewhere.json': {
        current: 'x',
        profiles: [{ name: 'x', mode: 'AK', access_key_id: 'elsewhere', access_key_secret: 's' }],
      },
    },
    expect: { ok: { accessKeyId: 'elsewhere' } },
    verdict: peer,
  },
  {
    id: 'go/cli/current',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_GetCredentials'),
    what: 'the current profile of the fixture',
    env: NO_ECS,
    files: { [CLI_CONFIG]: fixture },
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'secret', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'go/cli/inexist',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_GetCredentials'),
    what: 'a profile that is not in the fixture',
    env: cli('inexist'),
    files: { [CLI_CONFIG]: fixture },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/cli/get_credentials_error',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_GetCredentials'),
    what: 'STS refuses (InvalidAccessKeyId.NotFound)',
    env: cli('get_credentials_error'),
    files: { [CLI_CONFIG]: fixture },
    answers: {
      sts: {
        status: 404,
        json: { RequestId: 'r', Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' },
      },
    },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/cli/StsToken',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_getCredentialsProvider'),
    what: 'mode StsToken',
    env: cli('StsToken'),
    files: { [CLI_CONFIG]: fixture },
    expect: { ok: { accessKeyId: 'accessKeyId', securityToken: 'stsToken' } },
    verdict: agree,
  },
  {
    id: 'go/cli/RamRoleArn',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_getCredentialsProvider'),
    what: 'mode RamRoleArn with sts_region, enable_vpc, policy and external_id',
    env: cli('RamRoleArn'),
    files: { [CLI_CONFIG]: fixture },
    answers: (c) => ({ sts: stsOk(c) }),
    expect: {
      ok: { accessKeyId: 'STS.go' },
      stsHost: 'sts-vpc.cn-hangzhou.aliyuncs.com',
      stsParams: { RoleArn: 'arn', Policy: 'policy', ExternalId: 'id' },
    },
    verdict: peer,
  },
  {
    id: 'go/cli/Invalid_RamRoleArn',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_getCredentialsProvider'),
    what: 'mode RamRoleArn without keys',
    env: cli('Invalid_RamRoleArn'),
    files: { [CLI_CONFIG]: { current: 'AK', profiles: [{ mode: 'RamRoleArn', name: 'Invalid_RamRoleArn' }] } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/cli/EcsRamRole',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_getCredentialsProvider'),
    what: 'mode EcsRamRole',
    env: { ALIBABA_CLOUD_PROFILE: 'EcsRamRole' },
    files: { [CLI_CONFIG]: fixture },
    answers: (c) => ({
      'imds.token': { text: 't' },
      'imds.credentials': (r) =>
        r.path.endsWith('/rolename') ? ecsCredentials(ecsBase(c)) : { status: 404, text: 'x' },
    }),
    expect: { ok: { accessKeyId: 'akid' } },
    verdict: agree,
  },
  {
    id: 'go/cli/OIDC',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_getCredentialsProvider'),
    what: 'mode OIDC with sts_region, enable_vpc and policy (the token file holds a JWT)',
    env: cli('OIDC'),
    files: (c) => ({
      [CLI_CONFIG]: {
        ...fixture,
        profiles: fixture.profiles.map((p) => (p.name === 'OIDC' ? { ...p, oidc_token_file: `${c.home}/oidc` } : p)),
      },
      oidc: jwt(c.s(3600)),
    }),
    answers: (c) => ({ sts: stsOk(c) }),
    expect: {
      ok: { accessKeyId: 'STS.go' },
      stsHost: 'sts-vpc.cn-hangzhou.aliyuncs.com',
      stsParams: {
        Action: 'AssumeRoleWithOIDC',
        RoleArn: 'role_arn',
        OIDCProviderArn: 'provider_arn',
        Policy: 'policy',
      },
    },
    verdict: peer,
  },
  {
    id: 'go/cli/ChainableRamRoleArn1',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_getCredentialsProvider'),
    what: 'mode ChainableRamRoleArn without ram_role_arn',
    env: cli('ChainableRamRoleArn1'),
    files: { [CLI_CONFIG]: fixture },
    answers: (c) => ({ sts: stsOk(c) }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/cli/ChainableRamRoleArn2',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_getCredentialsProvider'),
    what: 'mode ChainableRamRoleArn with an invalid source profile',
    env: cli('ChainableRamRoleArn2'),
    files: { [CLI_CONFIG]: fixture },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/cli/Unsupported',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_getCredentialsProvider'),
    what: 'mode Unsupported',
    env: cli('Unsupported'),
    files: { [CLI_CONFIG]: fixture },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/cli/CloudSSO-fixture',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_getCredentialsProvider'),
    what: "the fixture's CloudSSO profile: its access token expired in 1970",
    env: cli('CloudSSO'),
    files: { [CLI_CONFIG]: fixture },
    expect: { fail: true, requests: { sso: 0 } },
    verdict: agree,
  },
  {
    id: 'go/cli/OAuthInvalid',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_OAuthProfile'),
    what: 'OAuth site type INVALID',
    env: cli('OAuth'),
    files: (c) => oauthFiles(c, { oauth_site_type: 'INVALID' }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/cli/OAuthINTL',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_OAuthProfile'),
    what: 'OAuth site INTL: https://oauth.alibabacloud.com, client 4103531455503354461',
    env: cli('OAuth'),
    files: (c) => oauthFiles(c, { oauth_site_type: 'INTL', oauth_access_token_expire: c.s(100) }),
    answers: (c) => ({
      'oauth.token': (r) =>
        r.host === 'oauth.alibabacloud.com' && r.params.client_id === '4103531455503354461'
          ? tokenRefreshed
          : { status: 400 },
      'oauth.exchange': exchanged(c),
    }),
    expect: { ok: { accessKeyId: 'akid' }, requests: { 'oauth.token': 1 } },
    verdict: agree,
  },
  ...(
    [
      [
        'ExternalAK',
        '{"mode":"AK","access_key_id":"external_akid","access_key_secret":"external_secret"}',
        { accessKeyId: 'external_akid', securityToken: null },
      ],
      [
        'ExternalStsToken',
        '{"mode":"StsToken","access_key_id":"external_akid","access_key_secret":"external_secret","sts_token":"external_sts_token"}',
        { accessKeyId: 'external_akid', securityToken: 'external_sts_token' },
      ],
    ] as const
  ).map(
    ([name, json, ok]): Case => ({
      id: `go/cli/${name}`,
      from: from(CLI, 'TestCLIProfileCredentialsProvider_External'),
      what: `${name}: a script printing ${ok.securityToken === null ? 'an AccessKey' : 'an STS credential'}`,
      env: cli('ext'),
      files: (c) => ({ ...externalFiles(`/bin/sh ${c.home}/script.sh`), ...script(c, json) }),
      expect: { ok },
      verdict: agree,
    }),
  ),
  {
    id: 'go/cli/ExternalEmpty',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_External'),
    what: 'an empty process_command',
    env: cli('ext'),
    files: externalFiles(''),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/cli/ExternalCommandFail',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_External'),
    what: 'a script exiting with 1',
    env: cli('ext'),
    files: (c) => ({ ...externalFiles(`/bin/sh ${c.home}/fail.sh`), 'fail.sh': 'exit 1\n' }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/cli/ExternalInvalidJSON',
    from: from(CLI, 'TestCLIProfileCredentialsProvider_External'),
    what: 'a script printing invalid json',
    env: cli('ext'),
    files: (c) => ({ ...externalFiles(`/bin/sh ${c.home}/invalid.sh`), 'invalid.sh': "echo 'invalid json'\n" }),
    expect: { fail: true },
    verdict: agree,
  },
  ...(
    [
      ['empty-id', '{"mode":"AK","access_key_id":"","access_key_secret":"secret"}'],
      ['empty-secret', '{"mode":"AK","access_key_id":"akid","access_key_secret":""}'],
      ['empty-sts-token', '{"mode":"StsToken","access_key_id":"akid","access_key_secret":"secret","sts_token":""}'],
    ] as const
  ).map(
    ([id, json]): Case => ({
      id: `go/cli/external-${id}`,
      from: from(CLI, 'TestExternalCredentialsProvider_InvalidResponses'),
      what: `External output with an ${id.replace(/-/g, ' ')}`,
      env: cli('ext'),
      files: (c) => ({ ...externalFiles(`/bin/sh ${c.home}/script.sh`), ...script(c, json) }),
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'go/cli/external-valid-expiration-cached',
    from: from(CLI, 'TestExternalCredentialsProvider_ExpirationParsing'),
    what: 'an expiration an hour ahead: the second call is served from cache',
    env: cli('ext'),
    files: (c) => ({
      ...externalFiles(`/bin/sh ${c.home}/script.sh`),
      ...script(
        c,
        `{"mode":"StsToken","access_key_id":"akid","access_key_secret":"secret","sts_token":"token","expiration":"${c.iso(3600)}"}`,
      ),
    }),
    calls: 2,
    expect: { ok: { accessKeyId: 'akid' }, runs: 1 },
    verdict: agree,
  },
  {
    id: 'go/cli/external-invalid-expiration',
    from: from(CLI, 'TestExternalCredentialsProvider_ExpirationParsing'),
    what: 'expiration "invalid-date": still a credential, and the command runs again next time',
    env: cli('ext'),
    files: (c) => ({
      ...externalFiles(`/bin/sh ${c.home}/script.sh`),
      ...script(
        c,
        '{"mode":"StsToken","access_key_id":"akid","access_key_secret":"secret","sts_token":"token","expiration":"invalid-date"}',
      ),
    }),
    calls: 2,
    expect: { ok: { accessKeyId: 'akid', securityToken: 'token' }, runs: 2 },
    verdict: row('external-reuse', {
      ok: { accessKeyId: 'akid', securityToken: 'token' },
      runs: 1,
      warns: /printed an expiration that is not a UTC time/,
    }),
  },

  // ------------------------------------------------------------------------------------------ external_test.go
  {
    id: 'go/external/empty-command',
    from: from(EXTERNAL, 'TestExternalCredentialsProvider_EmptyCommand'),
    what: 'no process_command',
    env: cli('ext'),
    files: { [CLI_CONFIG]: { current: 'ext', profiles: [{ name: 'ext', mode: 'External' }] } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/external/with-expiration',
    from: from(EXTERNAL, 'TestExternalCredentialsProvider_GetCredentials_WithExpiration'),
    what: 'an StsToken with an expiration an hour ahead',
    env: cli('ext'),
    files: (c) => ({
      ...externalFiles(`/bin/sh ${c.home}/script.sh`),
      ...script(
        c,
        `{"mode":"StsToken","access_key_id":"akid","access_key_secret":"secret","sts_token":"stoken","expiration":"${c.iso(3600)}"}`,
      ),
    }),
    expect: { ok: { accessKeyId: 'akid', securityToken: 'stoken' } },
    verdict: agree,
  },
  {
    id: 'go/external/invalid-expiration',
    from: from(EXTERNAL, 'TestExternalCredentialsProvider_GetCredentials_WithInvalidExpiration'),
    what: 'an AccessKey with expiration "invalid-date" is still a credential (with a warning in alicred)',
    env: cli('ext'),
    files: (c) => ({
      ...externalFiles(`/bin/sh ${c.home}/script.sh`),
      ...script(c, '{"mode":"AK","access_key_id":"akid","access_key_secret":"secret","expiration":"invalid-date"}'),
    }),
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'secret', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'go/external/invalid-expiration-saved',
    from: from(EXTERNAL, 'TestExternalCredentialsProvider_GetCredentials_WithCallback'),
    what: 'expiration "invalid-date": the write-back saves sts_expiration 0',
    env: cli('ext'),
    files: (c) => ({
      ...externalFiles(`/bin/sh ${c.home}/script.sh`),
      ...script(c, '{"mode":"AK","access_key_id":"akid","access_key_secret":"secret","expiration":"invalid-date"}'),
    }),
    expect: {
      ok: { accessKeyId: 'akid' },
      file: { profile: 'ext', has: { access_key_id: 'akid', sts_expiration: 0 } },
    },
    verdict: agree,
  },
  {
    id: 'go/external/offset-expiration',
    from: from(EXTERNAL, 'TestExternalCredentialsProvider_GetCredentials_WithInvalidExpiration'),
    what: "an expiration with an offset, which Go's layout cannot parse either",
    env: cli('ext'),
    files: (c) => ({
      ...externalFiles(`/bin/sh ${c.home}/script.sh`),
      ...script(
        c,
        '{"mode":"AK","access_key_id":"akid","access_key_secret":"secret","expiration":"2049-10-20T12:27:09+08:00"}',
      ),
    }),
    expect: { ok: { accessKeyId: 'akid' } },
    verdict: row('external-expiration', {
      ok: { accessKeyId: 'akid' },
      file: { profile: 'ext', has: { sts_expiration: 0 } },
      warns: /printed an expiration that is not a UTC time/,
    }),
  },
  {
    id: 'go/external/no-expiration',
    from: from(EXTERNAL, 'TestExternalCredentialsProvider_GetCredentials_NoExpiration'),
    what: 'no expiration',
    env: cli('ext'),
    files: (c) => ({
      ...externalFiles(`/bin/sh ${c.home}/script.sh`),
      ...script(c, '{"mode":"AK","access_key_id":"dynamic_akid","access_key_secret":"dynamic_secret"}'),
    }),
    expect: { ok: { accessKeyId: 'dynamic_akid', accessKeySecret: 'dynamic_secret' } },
    verdict: agree,
  },
  {
    id: 'go/external/arguments',
    from: from(EXTERNAL, 'TestExternalCredentialsProvider_CommandWithArguments'),
    what: 'a command with quoted arguments',
    env: cli('ext'),
    files: (c) => ({
      ...externalFiles(`/bin/sh ${c.home}/args.sh "first arg" 'second arg'`),
      'args.sh':
        'if [ "$1" = "first arg" ] && [ "$2" = "second arg" ]; then echo \'{"mode":"AK","access_key_id":"args_ok","access_key_secret":"s"}\'; else exit 3; fi\n',
    }),
    expect: { ok: { accessKeyId: 'args_ok' } },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------- profile (INI)
  ...(
    [
      ['notype', 'a profile without type'],
      ['noak', 'access_key without id'],
      ['emptyak', 'access_key with an empty id'],
      ['noram', 'ram_role_arn without id'],
      ['emptyram', 'ram_role_arn with an empty id'],
      ['norsa', 'rsa_key_pair without private_key_file'],
      ['emptyrsa', 'rsa_key_pair with an empty private_key_file'],
      ['error_type', 'an unknown type'],
    ] as const
  ).map(
    ([name, what]): Case => ({
      id: `go/profile/${name}`,
      from: from(PROFILE, 'TestProfileCredentialsProvider_getCredentialsProvider'),
      what: `INI [${name}]: ${what}`,
      env: ini(name),
      files: { [INI_FILE]: INI },
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'go/profile/custom-missing',
    from: from(PROFILE, 'TestProfileCredentialsProvider_getCredentialsProvider'),
    what: 'profile custom is not in the file',
    env: ini('custom'),
    files: { [INI_FILE]: INI },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/profile/default',
    from: from(PROFILE, 'TestProfileCredentialsProvider_getCredentialsProvider'),
    what: 'INI [default]',
    env: { ...NO_ECS, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' },
    files: { [INI_FILE]: INI },
    expect: { ok: { accessKeyId: 'foo', accessKeySecret: 'bar', securityToken: null } },
    verdict: agree,
  },
  {
    id: 'go/profile/noecs',
    from: from(PROFILE, 'TestProfileCredentialsProvider_getCredentialsProvider'),
    what: 'INI ecs_ram_role without role_name',
    env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_PROFILE: 'noecs' },
    files: { [INI_FILE]: INI },
    answers: (c) => ({
      'imds.token': { text: 't' },
      'imds.roles': { text: 'discovered' },
      'imds.credentials': ecsCredentials(ecsBase(c)),
    }),
    expect: { fail: true },
    peerDiffers: 'the Go INI reader requires role_name; the Node reference discovers the role, and so does alicred',
    verdict: agree,
  },
  {
    id: 'go/profile/ecs',
    from: from(PROFILE, 'TestProfileCredentialsProvider_getCredentialsProvider'),
    what: 'INI ecs_ram_role EcsRamRoleTest',
    env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_PROFILE: 'ecs' },
    files: { [INI_FILE]: INI },
    answers: (c) => ({
      'imds.token': { text: 't' },
      'imds.credentials': (r) =>
        r.path.endsWith('/EcsRamRoleTest') ? ecsCredentials(ecsBase(c)) : { status: 404, text: 'x' },
    }),
    expect: { ok: { accessKeyId: 'akid' } },
    verdict: agree,
  },
  {
    id: 'go/profile/ram',
    from: from(PROFILE, 'TestProfileCredentialsProvider_getCredentialsProvider'),
    what: 'INI ram_role_arn with a JSON policy',
    env: ini('ram'),
    files: { [INI_FILE]: INI },
    answers: (c) => ({ sts: stsOk(c) }),
    expect: {
      ok: { accessKeyId: 'STS.go' },
      stsParams: {
        RoleArn: 'role_arn',
        RoleSessionName: 'session_name',
        Policy: '{"Statement": [{"Action": ["*"],"Effect": "Allow","Resource": ["*"]}],"Version":"1"}',
      },
    },
    verdict: agree,
  },
  {
    id: 'go/profile/file-env-missing',
    from: from(PROFILE, 'TestProfileCredentialsProviderGetCredentials'),
    what: 'ALIBABA_CLOUD_CREDENTIALS_FILE names a file that does not exist',
    env: (c) => ({ ...ini('custom'), ALIBABA_CLOUD_CREDENTIALS_FILE: `${c.home}/credentials.invalid` }),
    expect: { fail: true },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------------- ECS
  ...(
    [
      ['4xx', { status: 400, text: '4xx error' }],
      ['invalid-json', { text: 'invalid json' }],
      ['null', { text: 'null' }],
      ['empty', { json: {} }],
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
      ],
    ] as const
  ).map(
    ([id, answer]): Case => ({
      id: `go/ecs/${id}`,
      from: from(ECS, 'TestECSRAMRoleCredentialsProvider_getCredentials'),
      what: `the credentials GET answers ${id}`,
      config: { type: 'ecs_ram_role' },
      answers: {
        'imds.token': { status: 404, text: 'no v2' },
        'imds.roles': { text: 'rolename' },
        'imds.credentials': answer,
      },
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'go/ecs/role-name-error',
    from: from(ECS, 'TestECSRAMRoleCredentialsProvider_getCredentials'),
    what: 'role discovery fails (server error)',
    config: { type: 'ecs_ram_role' },
    answers: { 'imds.token': { status: 404, text: 'no v2' }, 'imds.roles': { status: 500, text: 'mock server error' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/ecs/invalid-expiration',
    from: from(ECS, 'TestECSRAMRoleCredentialsProviderGetCredentials'),
    what: 'Expiration "invalidexpiration"',
    config: { type: 'ecs_ram_role', roleName: 'rolename' },
    answers: (c) => ({
      'imds.token': { text: 't' },
      'imds.credentials': ecsCredentials({ ...ecsBase(c), Expiration: 'invalidexpiration' }),
    }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/ecs/already-expired',
    from: from(ECS, 'TestECSRAMRoleCredentialsProviderGetCredentials'),
    what: 'an answer that expired in 2021 is served',
    config: { type: 'ecs_ram_role', roleName: 'rolename' },
    answers: (c) => ({
      'imds.token': { text: 't' },
      'imds.credentials': ecsCredentials({ ...ecsBase(c), Expiration: '2021-10-20T04:27:09Z' }),
    }),
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: 'token' } },
    verdict: agree,
  },
  {
    id: 'go/ecs/server-error',
    from: from(ECS, 'TestECSRAMRoleCredentialsProviderGetCredentials'),
    what: 'the metadata service is unreachable',
    config: { type: 'ecs_ram_role', roleName: 'rolename' },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/ecs/v2',
    from: from(ECS, 'TestECSRAMRoleCredentialsProvider_getCredentialsWithMetadataV2'),
    what: 'IMDSv1 disabled: the token rides on the GET',
    config: { type: 'ecs_ram_role', roleName: 'rolename', disableIMDSv1: true },
    answers: (c) => ({
      'imds.token': { text: 'tokenxxxxx' },
      'imds.credentials': (r) =>
        r.headers['x-aliyun-ecs-metadata-token'] === 'tokenxxxxx'
          ? ecsCredentials(ecsBase(c))
          : { status: 401, text: 'no token' },
    }),
    expect: { ok: { accessKeyId: 'akid' } },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------------- URI
  ...(
    [
      ['4xx', { status: 400, text: '4xx error' }],
      ['invalid-json', { text: 'invalid json' }],
      ['null', { text: 'null' }],
      ['empty', { json: {} }],
      [
        'invalid-expiration',
        {
          json: {
            AccessKeyId: 'akid',
            AccessKeySecret: 'aksecret',
            Expiration: 'invalidexpiration',
            SecurityToken: 'ststoken',
          },
        },
      ],
    ] as const
  ).map(
    ([id, answer]): Case => ({
      id: `go/uri/${id}`,
      from: from(
        URI,
        id === 'invalid-expiration'
          ? 'TestURLCredentialsProvider_GetCredentials'
          : 'TestURLCredentialsProvider_getCredentials',
      ),
      what: `the URI answers ${id}`,
      config: uri,
      answers: { uri: answer },
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'go/uri/already-expired',
    from: from(URI, 'TestURLCredentialsProvider_GetCredentials'),
    what: 'an answer that expired in 2021 is served, twice',
    config: uri,
    answers: {
      uri: metadataAnswer({
        AccessKeyId: 'akid',
        AccessKeySecret: 'aksecret',
        Expiration: '2021-10-20T04:27:09Z',
        SecurityToken: 'ststoken',
      }),
    },
    calls: 2,
    expect: { ok: { accessKeyId: 'akid', securityToken: 'ststoken' } },
    verdict: agree,
  },
  {
    id: 'go/uri/ok',
    from: from(URI, 'TestURLCredentialsProvider_GetCredentials'),
    what: 'http://localhost:8080 answers a valid credential',
    config: uri,
    answers: (c) => ({
      uri: metadataAnswer({
        AccessKeyId: 'akid',
        AccessKeySecret: 'aksecret',
        Expiration: c.iso(3600),
        SecurityToken: 'ststoken',
      }),
    }),
    expect: { ok: { type: 'credentials_uri', accessKeyId: 'akid', securityToken: 'ststoken' } },
    verdict: agree,
  },

  // ----------------------------------------------------------------------------------------------- AssumeRole
  {
    id: 'go/ram/request-check',
    from: from(RAM, 'TestRAMRoleARNCredentialsProvider_getCredentialsWithRequestCheck'),
    what: 'what AssumeRole is sent, STS source, region cn-beijing',
    config: {
      type: 'ram_role_arn',
      accessKeyId: 'akid',
      accessKeySecret: 'aksecret',
      securityToken: 'ststoken',
      roleArn: 'roleArn',
      roleSessionName: 'rsn',
      roleSessionExpiration: 1000,
      policy: 'policy',
      stsRegionId: 'cn-beijing',
      externalId: 'externalId',
    },
    answers: (c) => ({ sts: stsOk(c) }),
    expect: {
      ok: { accessKeyId: 'STS.go' },
      stsHost: 'sts.cn-beijing.aliyuncs.com',
      stsParams: {
        SecurityToken: 'ststoken',
        Policy: 'policy',
        RoleArn: 'roleArn',
        RoleSessionName: 'rsn',
        DurationSeconds: '1000',
        ExternalId: 'externalId',
      },
    },
    verdict: agree,
  },
  {
    id: 'go/ram/invalid-expiration',
    from: from(RAM, 'TestRAMRoleARNCredentialsProviderGetCredentials'),
    what: 'Expiration "invalidexpiration"',
    config: {
      type: 'ram_role_arn',
      accessKeyId: 'akid',
      accessKeySecret: 'aksecret',
      roleArn: 'roleArn',
      roleSessionName: 'rsn',
      roleSessionExpiration: 1000,
    },
    answers: {
      sts: stsAnswer({
        AccessKeyId: 'akid',
        AccessKeySecret: 'aksecret',
        Expiration: 'invalidexpiration',
        SecurityToken: 'ststoken',
      }),
    },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/ram/already-expired',
    from: from(RAM, 'TestRAMRoleARNCredentialsProviderGetCredentials'),
    what: 'an answer that expired in 2021 is served, twice',
    config: {
      type: 'ram_role_arn',
      accessKeyId: 'akid',
      accessKeySecret: 'aksecret',
      roleArn: 'roleArn',
      roleSessionName: 'rsn',
      roleSessionExpiration: 1000,
    },
    answers: {
      sts: stsAnswer({
        AccessKeyId: 'akid',
        AccessKeySecret: 'aksecret',
        Expiration: '2021-10-20T04:27:09Z',
        SecurityToken: 'ststoken',
      }),
    },
    calls: 2,
    expect: { ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: 'ststoken' } },
    verdict: agree,
  },
  {
    id: 'go/ram/server-error',
    from: from(RAM, 'TestRAMRoleARNCredentialsProviderGetCredentials'),
    what: 'STS is unreachable',
    config: { type: 'ram_role_arn', accessKeyId: 'akid', accessKeySecret: 'aksecret', roleArn: 'roleArn' },
    expect: { fail: true },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------------ OIDC
  {
    id: 'go/oidc/request-check',
    from: from(OIDC, 'TestOIDCCredentialsProvider_getCredentialsWithRequestCheck'),
    what: 'what AssumeRoleWithOIDC is sent',
    config: (c) => ({
      type: 'oidc_role_arn',
      roleArn: 'roleArn',
      oidcProviderArn: 'oidcProviderArn',
      oidcTokenFilePath: `${c.home}/oidc`,
      roleSessionName: 'rsn',
      policy: 'policy',
      stsRegionId: 'cn-beijing',
      roleSessionExpiration: 1000,
    }),
    files: (c) => ({ oidc: jwt(c.s(3600)) }),
    answers: (c) => ({ sts: stsOk(c) }),
    expect: {
      ok: { type: 'oidc_role_arn', accessKeyId: 'STS.go' },
      stsHost: 'sts.cn-beijing.aliyuncs.com',
      stsParams: {
        Policy: 'policy',
        RoleArn: 'roleArn',
        RoleSessionName: 'rsn',
        DurationSeconds: '1000',
        OIDCProviderArn: 'oidcProviderArn',
      },
    },
    verdict: agree,
  },
  {
    id: 'go/oidc/token-file-missing',
    from: from(OIDC, 'TestOIDCCredentialsProviderGetCredentialsWithError'),
    what: 'the token file does not exist',
    config: {
      type: 'oidc_role_arn',
      roleArn: 'roleArn',
      oidcProviderArn: 'oidcProviderArn',
      oidcTokenFilePath: '/path/to/invalid/oidc.token',
    },
    expect: { fail: true },
    verdict: agree,
  },

  // ----------------------------------------------------------------------------------------------- OAuth
  ...(
    [
      [
        'expired-token',
        { oauth_access_token_expire: -1000 },
        'TestOAuthCredentialsProvider_GetCredentials_WithExpiredToken',
      ],
      ['empty-token', { oauth_access_token: '' }, 'TestOAuthCredentialsProvider_GetCredentials_WithEmptyAccessToken'],
      [
        'zero-expire',
        { oauth_access_token_expire: 0 },
        'TestOAuthCredentialsProvider_GetCredentials_WithZeroAccessTokenExpire',
      ],
      [
        'near-expired',
        { oauth_access_token_expire: 100 },
        'TestOAuthCredentialsProvider_GetCredentials_WithNearExpiredToken',
      ],
    ] as const
  ).map(
    ([id, extra, test]): Case => ({
      id: `go/oauth/${id}`,
      from: from(OAUTH, test),
      what: `${id.replace('-', ' ')} access token: refreshed, then exchanged`,
      env: cli('OAuth'),
      files: (c) =>
        oauthFiles(c, {
          ...extra,
          ...('oauth_access_token_expire' in extra && extra.oauth_access_token_expire !== 0
            ? { oauth_access_token_expire: c.s(extra.oauth_access_token_expire) }
            : {}),
        }),
      answers: (c) => ({
        'oauth.token': tokenRefreshed,
        'oauth.exchange': (r) =>
          r.headers.authorization === 'Bearer new_access_token' ? exchanged(c) : { status: 401, text: 'old' },
      }),
      expect: {
        ok: { accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: 'ststoken' },
        requests: { 'oauth.token': 1 },
      },
      verdict: agree,
    }),
  ),
  {
    id: 'go/oauth/refresh-non-200',
    from: from(OAUTH, 'TestOAuthCredentialsProvider_TryRefreshOauthToken_Non200Status'),
    what: 'the token refresh answers 400',
    env: cli('OAuth'),
    files: (c) => oauthFiles(c, { oauth_access_token_expire: c.s(-10) }),
    answers: { 'oauth.token': { status: 400, text: 'Bad Request' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/oauth/refresh-invalid-json',
    from: from(OAUTH, 'TestOAuthCredentialsProvider_TryRefreshOauthToken_InvalidJSON'),
    what: 'the token refresh answers invalid JSON',
    env: cli('OAuth'),
    files: (c) => oauthFiles(c, { oauth_access_token_expire: c.s(-10) }),
    answers: { 'oauth.token': { text: 'invalid json' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/oauth/refresh-empty-tokens',
    from: from(OAUTH, 'TestOAuthCredentialsProvider_TryRefreshOauthToken_EmptyTokens'),
    what: 'the token refresh answers empty tokens',
    env: cli('OAuth'),
    files: (c) => oauthFiles(c, { oauth_access_token_expire: c.s(-10) }),
    answers: (c) => ({
      'oauth.token': { json: { access_token: '', refresh_token: '' } },
      'oauth.exchange': exchanged(c),
    }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/oauth/sufficient-time',
    from: from(OAUTH, 'TestOAuthTokenRefreshTimingSufficientTime'),
    what: 'an access token with 2000 s left is exchanged as is',
    env: cli('OAuth'),
    files: (c) => oauthFiles(c),
    answers: (c) => ({ 'oauth.exchange': exchanged(c) }),
    expect: { ok: { accessKeyId: 'akid' }, requests: { 'oauth.token': 0, 'oauth.exchange': 1 } },
    verdict: agree,
  },

  // -------------------------------------------------------------------------------------------- CloudSSO
  {
    id: 'go/sso/ok',
    from: from(SSO, 'TestCloudSSOCredentialsProviderGetCredentials'),
    what: 'the portal answers a valid credential',
    env: cli('CloudSSO'),
    files: (c) => ssoFiles(c),
    answers: (c) => ({
      sso: {
        json: {
          CloudCredential: {
            AccessKeyId: 'akid',
            AccessKeySecret: 'aksecret',
            SecurityToken: 'ststoken',
            Expiration: c.iso(3600),
          },
        },
      },
    }),
    expect: { ok: { accessKeyId: 'akid', securityToken: 'ststoken' } },
    verdict: agree,
  },
  {
    id: 'go/sso/4xx',
    from: from(SSO, 'TestCloudSSOCredentialsProvider_getCredentials'),
    what: 'the portal answers 400',
    env: cli('CloudSSO'),
    files: (c) => ssoFiles(c),
    answers: { sso: { status: 400, text: '4xx error' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/sso/invalid-json',
    from: from(SSO, 'TestCloudSSOCredentialsProvider_getCredentials'),
    what: 'the portal answers invalid JSON',
    env: cli('CloudSSO'),
    files: (c) => ssoFiles(c),
    answers: { sso: { text: 'invalid json' } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'go/sso/expired-access-token',
    from: from(SSO, 'TestNewCloudSSOCredentialsProvider'),
    what: 'the access token has expired',
    env: cli('CloudSSO'),
    files: (c) => ssoFiles(c, { cloud_sso_access_token_expire: c.s(-1) }),
    expect: { fail: true, requests: { sso: 0 } },
    verdict: agree,
  },
]
