// Cases from aliyun/aliyun-cli, `config/*_test.go`: what the CLI does with the profiles of its own config.json, which
// the SDKs read too. The CLI tests build `Profile` values and call `GetCredential`; these cases write the same profile
// into ~/.aliyun/config.json and read it through the default chain (`ALIBABA_CLOUD_PROFILE` names it).
import {
  agree,
  type Case,
  CLI_CONFIG,
  type Ctx,
  jwt,
  peer,
  type Reply,
  row,
  type Source,
  stsAnswer,
} from '../harness.js'

const from = (file: string, test: string): Source => ({ repo: 'aliyun/aliyun-cli', file, test })

const NO_ECS = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }
const PROFILE = 'config/profile_test.go'
const CONFIGURATION = 'config/configuration_test.go'

const one = (profile: Record<string, unknown>, current: string = String(profile.name)) => ({
  [CLI_CONFIG]: { current, profiles: [profile] },
})
const useProfile = (name: string) => ({ ...NO_ECS, ALIBABA_CLOUD_PROFILE: name })

const stsOk = (c: Ctx): Reply =>
  stsAnswer({
    AccessKeyId: 'STS.cli',
    AccessKeySecret: 'role-secret',
    SecurityToken: 'role-token',
    Expiration: c.iso(3600),
  })

const oauth = (c: Ctx, extra: Record<string, unknown>) => ({
  name: 'oauth-test',
  mode: 'OAuth',
  region_id: 'cn-hangzhou',
  oauth_site_type: 'CN',
  oauth_access_token: 'mock-access-token',
  oauth_refresh_token: 'mock-refresh-token',
  oauth_access_token_expire: c.s(3600),
  ...extra,
})
const exchangeOk = (c: Ctx, id: string): Reply => ({
  json: { accessKeyId: id, accessKeySecret: `${id}-secret`, securityToken: `${id}-token`, expiration: c.iso(3600) },
})

const sso = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  name: 'cloudsso-profile',
  mode: 'CloudSSO',
  region_id: 'cn-hangzhou',
  cloud_sso_account_id: 'test-account-id',
  cloud_sso_access_config: 'test-access-config',
  cloud_sso_sign_in_url: 'https://cloudsso.example.com',
  access_token: 'test-access-token',
  cloud_sso_access_token_expire: c.s(7200),
  ...extra,
})

export const cases: ReadonlyArray<Case> = [
  // --------------------------------------------------------------------------------------- TestAutoModeRecognition
  ...(
    [
      [
        'AK',
        { access_key_id: 'accessKeyID', access_key_secret: 'accessKeySecret' },
        { accessKeyId: 'accessKeyID', securityToken: null },
      ],
      [
        'StsToken',
        { access_key_id: 'accessKeyID', access_key_secret: 'accessKeySecret', sts_token: 'stsToken' },
        { accessKeyId: 'accessKeyID', securityToken: 'stsToken' },
      ],
    ] as const
  ).map(
    ([mode, keys, ok]): Case => ({
      id: `cli/auto-mode/${mode}`,
      from: from(PROFILE, 'TestAutoModeRecognition'),
      what: `a profile without mode whose keys make it ${mode}`,
      env: NO_ECS,
      files: one({ name: 'p', ...keys }),
      expect: { ok },
      verdict: peer,
    }),
  ),
  {
    id: 'cli/auto-mode/RamRoleArn',
    from: from(PROFILE, 'TestAutoModeRecognition'),
    what: 'a profile without mode whose keys make it RamRoleArn',
    env: NO_ECS,
    files: one({
      name: 'p',
      access_key_id: 'accessKeyID',
      access_key_secret: 'accessKeySecret',
      ram_role_arn: 'ramRoleArn',
    }),
    answers: (c) => ({ sts: stsOk(c) }),
    expect: { ok: { accessKeyId: 'STS.cli' }, stsParams: { RoleArn: 'ramRoleArn', AccessKeyId: 'accessKeyID' } },
    verdict: peer,
  },
  {
    id: 'cli/auto-mode/EcsRamRole',
    from: from(PROFILE, 'TestAutoModeRecognition'),
    what: 'a profile without mode with ram_role_name: EcsRamRole',
    files: one({ name: 'p', ram_role_name: 'ramRoleName' }),
    answers: (c) => ({
      'imds.token': { text: 't' },
      'imds.credentials': (r) =>
        r.path.endsWith('/ramRoleName')
          ? {
              json: {
                Code: 'Success',
                AccessKeyId: 'STS.ecs',
                AccessKeySecret: 'ecs-secret',
                SecurityToken: 'ecs-token',
                Expiration: c.iso(3600),
              },
            }
          : { status: 404, text: 'no such role' },
    }),
    expect: { ok: { accessKeyId: 'STS.ecs' } },
    verdict: peer,
  },
  {
    id: 'cli/auto-mode/External',
    from: from(PROFILE, 'TestAutoModeRecognition'),
    what: 'a profile without mode with process_command: External',
    env: NO_ECS,
    files: one({
      name: 'p',
      process_command: '/bin/echo \'{"mode":"AK","access_key_id":"from-helper","access_key_secret":"s"}\'',
    }),
    expect: { ok: { accessKeyId: 'from-helper' } },
    verdict: peer,
  },
  {
    id: 'cli/auto-mode/OIDC',
    from: from(PROFILE, 'TestAutoModeRecognition'),
    what: 'a profile without mode with oidc_provider_arn, oidc_token_file and ram_role_arn: OIDC',
    env: NO_ECS,
    files: (c) => ({
      ...one({
        name: 'p',
        oidc_provider_arn: 'oidc_provider_arn',
        oidc_token_file: `${c.home}/tokenfile`,
        ram_role_arn: 'ram/role/arn',
      }),
      tokenfile: jwt(c.s(3600)),
    }),
    answers: (c) => ({ sts: stsOk(c) }),
    expect: { ok: { accessKeyId: 'STS.cli' }, stsParams: { Action: 'AssumeRoleWithOIDC', RoleArn: 'ram/role/arn' } },
    verdict: peer,
  },
  {
    id: 'cli/auto-mode/RsaKeyPair',
    from: from(PROFILE, 'TestAutoModeRecognition'),
    what: 'a profile without mode with private_key and key_pair_name (RsaKeyPair: not read by either library)',
    env: NO_ECS,
    files: one({ name: 'p', private_key: 'privateKey', key_pair_name: 'keyPairName' }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'cli/auto-mode/BearerToken',
    from: from(PROFILE, 'TestAutoModeRecognition'),
    what: 'a profile without mode with bearer_token (BearerToken: not read by either library)',
    env: NO_ECS,
    files: one({ name: 'p', bearer_token: 'my-token' }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'cli/auto-mode/given-mode-wins',
    from: from(PROFILE, 'TestAutoModeRecognition'),
    what: 'mode AK with an sts_token stays AK',
    env: NO_ECS,
    files: one({
      name: 'p',
      mode: 'AK',
      access_key_id: 'accessKeyID',
      access_key_secret: 'accessKeySecret',
      sts_token: 'stsToken',
    }),
    expect: { ok: { accessKeyId: 'accessKeyID', securityToken: null } },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------------ GetCredential
  {
    id: 'cli/ak/no-secret',
    from: from(PROFILE, 'TestGetCredentialByAK'),
    what: 'mode AK with only access_key_id',
    env: NO_ECS,
    files: one({ name: 'default', mode: 'AK', access_key_id: 'accessKeyId' }),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'cli/ak/ok',
    from: from(PROFILE, 'TestGetCredentialByAK'),
    what: 'mode AK with both keys and a region',
    env: NO_ECS,
    files: one({
      name: 'default',
      mode: 'AK',
      access_key_id: 'accessKeyId',
      access_key_secret: 'accessKeySecret',
      region_id: 'cn-hangzhou',
    }),
    expect: { ok: { accessKeyId: 'accessKeyId', accessKeySecret: 'accessKeySecret' } },
    verdict: agree,
  },
  ...(
    [
      ['no-fields', {}],
      ['id-only', { access_key_id: 'akid' }],
      ['no-token', { access_key_id: 'akid', access_key_secret: 'aksecret' }],
    ] as const
  ).map(
    ([id, keys]): Case => ({
      id: `cli/sts/${id}`,
      from: from(PROFILE, 'TestGetCredentialBySts'),
      what: `mode StsToken, ${id.replace('-', ' ')}`,
      env: NO_ECS,
      files: one({ name: 'default', mode: 'StsToken', ...keys }),
      expect: { fail: true },
      verdict: agree,
    }),
  ),
  {
    id: 'cli/sts/ok',
    from: from(PROFILE, 'TestGetCredentialBySts'),
    what: 'mode StsToken with all three',
    env: NO_ECS,
    files: one({
      name: 'default',
      mode: 'StsToken',
      access_key_id: 'akid',
      access_key_secret: 'aksecret',
      sts_token: 'ststoken',
    }),
    expect: { ok: { type: 'default', accessKeyId: 'akid', securityToken: 'ststoken' } },
    verdict: agree,
  },
  {
    id: 'cli/ram/region',
    from: from(PROFILE, 'TestGetCredentialWithRamRoleArn'),
    what: 'mode RamRoleArn with sts_region cn-hangzhou and expired_seconds 3600',
    env: NO_ECS,
    files: one({
      name: 'default',
      mode: 'RamRoleArn',
      access_key_id: 'akid',
      access_key_secret: 'skid',
      ram_role_arn: 'ramRoleArn',
      ram_session_name: 'roleSessionName',
      expired_seconds: 3600,
      sts_region: 'cn-hangzhou',
    }),
    answers: (c) => ({ sts: stsOk(c) }),
    expect: {
      ok: { accessKeyId: 'STS.cli' },
      stsHost: 'sts.cn-hangzhou.aliyuncs.com',
      stsParams: { RoleArn: 'ramRoleArn', RoleSessionName: 'roleSessionName', DurationSeconds: '3600' },
    },
    verdict: agree,
  },
  {
    id: 'cli/ram/sts-endpoint',
    from: from(PROFILE, 'TestGetCredentialWithRamRoleArnStsEndpoint'),
    what: 'mode RamRoleArn with sts_endpoint sts-vpc.cn-hangzhou.aliyuncs.com',
    env: NO_ECS,
    files: one({
      name: 'default',
      mode: 'RamRoleArn',
      access_key_id: 'akid',
      access_key_secret: 'skid',
      ram_role_arn: 'ramRoleArn',
      ram_session_name: 'roleSessionName',
      expired_seconds: 3600,
      sts_endpoint: 'sts-vpc.cn-hangzhou.aliyuncs.com',
    }),
    answers: (c) => ({ sts: stsOk(c) }),
    expect: { ok: { accessKeyId: 'STS.cli' }, stsHost: 'sts-vpc.cn-hangzhou.aliyuncs.com' },
    verdict: agree,
  },
  {
    id: 'cli/oidc/sts-endpoint',
    from: from(PROFILE, 'TestGetCredentialWithOIDCStsEndpoint'),
    what: 'mode OIDC with sts_endpoint https://sts-vpc.cn-hangzhou.aliyuncs.com/ (the token file holds a JWT)',
    env: NO_ECS,
    files: (c) => ({
      ...one({
        name: 'default',
        mode: 'OIDC',
        oidc_provider_arn: 'acs:ram::123456789:oidc-provider/test',
        oidc_token_file: `${c.home}/oidc-token`,
        ram_role_arn: 'acs:ram::123456789:role/test',
        ram_session_name: 'ack-session',
        sts_endpoint: 'https://sts-vpc.cn-hangzhou.aliyuncs.com/',
      }),
      'oidc-token': jwt(c.s(3600)),
    }),
    answers: (c) => ({ sts: stsOk(c) }),
    expect: {
      ok: { accessKeyId: 'STS.cli' },
      stsHost: 'sts-vpc.cn-hangzhou.aliyuncs.com',
      stsParams: { RoleSessionName: 'ack-session' },
    },
    verdict: peer,
  },
  {
    id: 'cli/chainable',
    from: from(PROFILE, 'TestGetProfileWithChainable'),
    what: 'ChainableRamRoleArn over an AK source; STS refuses the invalid key',
    env: useProfile('default'),
    files: {
      [CLI_CONFIG]: {
        current: 'default',
        profiles: [
          {
            name: 'source',
            mode: 'AK',
            access_key_id: 'invalidAKID',
            access_key_secret: 'invalidAKSecret',
            region_id: 'cn-hangzhou',
          },
          {
            name: 'default',
            mode: 'ChainableRamRoleArn',
            source_profile: 'source',
            region_id: 'cn-hangzhou',
            ram_role_arn: 'acs:ram::test:role/test',
            ram_session_name: 'sessionname',
          },
        ],
      },
    },
    answers: {
      sts: {
        status: 404,
        json: { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' },
      },
    },
    expect: { fail: true, stsParams: { AccessKeyId: 'invalidAKID', RoleArn: 'acs:ram::test:role/test' } },
    verdict: agree,
  },
  {
    id: 'cli/mode/unknown',
    from: from(PROFILE, 'TestGetCredentialWithMode'),
    what: 'mode NoMode',
    env: NO_ECS,
    files: one({ name: 'test-profile', mode: 'NoMode' }),
    expect: { fail: true },
    verdict: agree,
  },

  ...(
    [
      ['#$adf', { fail: true } as const, 'not a region to the CLI: no request to a host built from it'],
      ['2kf', { ok: { accessKeyId: 'STS.cli' } } as const, 'a region to the CLI'],
    ] as const
  ).map(
    ([region, expect, what]): Case => ({
      id: `cli/is-region/${region === '2kf' ? 'valid' : 'invalid'}`,
      from: from(PROFILE, 'TestIsRegion'),
      what: `mode RamRoleArn with sts_region ${JSON.stringify(region)}: ${what}`,
      env: NO_ECS,
      files: one({
        name: 'default',
        mode: 'RamRoleArn',
        access_key_id: 'akid',
        access_key_secret: 'skid',
        ram_role_arn: 'arn',
        sts_region: region,
      }),
      answers: (c) => ({ sts: stsOk(c) }),
      expect: region === '2kf' ? { ...expect, stsHost: 'sts.2kf.aliyuncs.com' } : { ...expect, requests: { sts: 0 } },
      // 2.4.7 pastes "#$adf" into the URL and posts the signed request to the host `sts.`
      verdict: region === '2kf' ? agree : row('region-shape', { fail: true, requests: { sts: 0 } }),
    }),
  ),

  // ------------------------------------------------------------------------------------------------------- CloudSSO
  {
    id: 'cli/sso/no-token',
    from: from(PROFILE, 'TestGetProfileWithCloudSSO'),
    what: 'CloudSSO without an access token',
    env: NO_ECS,
    files: one({
      name: 'default',
      mode: 'CloudSSO',
      cloud_sso_account_id: '111',
      cloud_sso_access_config: '222',
      cloud_sso_sign_in_url: '333',
    }),
    expect: { fail: true, requests: { sso: 0 } },
    verdict: agree,
  },
  {
    id: 'cli/sso/success-write-back',
    from: from(PROFILE, 'TestGetCredentialWithCloudSSOMockSuccess'),
    what: 'CloudSSO: the new STS credential is used and saved in the profile',
    env: NO_ECS,
    files: (c) => one(sso(c)),
    answers: (c) => ({
      sso: {
        json: {
          CloudCredential: {
            AccessKeyId: 'mock-ak-id',
            AccessKeySecret: 'mock-ak-secret',
            SecurityToken: 'mock-security-token',
            Expiration: c.iso(3600),
          },
        },
      },
    }),
    expect: {
      ok: { accessKeyId: 'mock-ak-id', accessKeySecret: 'mock-ak-secret', securityToken: 'mock-security-token' },
      file: {
        profile: 'cloudsso-profile',
        has: { access_key_id: 'mock-ak-id', access_key_secret: 'mock-ak-secret', sts_token: 'mock-security-token' },
      },
    },
    verdict: peer,
  },
  {
    id: 'cli/sso/error',
    from: from(PROFILE, 'TestGetCredentialWithCloudSSOMockError'),
    what: 'CloudSSO: the portal fails',
    env: NO_ECS,
    files: (c) => one(sso(c)),
    answers: { sso: { status: 500, json: { Code: 'InternalError', Message: 'mock cloudsso error' } } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'cli/sso/empty-sign-in-url',
    from: from(PROFILE, 'TestGetCredentialWithCloudSSOEmptySignInUrl'),
    what: 'CloudSSO with an empty sign-in URL',
    env: NO_ECS,
    files: (c) => one(sso(c, { cloud_sso_sign_in_url: '' })),
    expect: { fail: true, requests: { sso: 0 } },
    verdict: agree,
  },

  // ---------------------------------------------------------------------------------------------------------- OAuth
  {
    id: 'cli/oauth/sts-expired',
    from: from(PROFILE, 'TestGetCredentialWithOAuthStsExpired'),
    what: 'OAuth whose stored STS expired 5 minutes ago: exchanged, and the new one saved',
    env: NO_ECS,
    files: (c) =>
      one(
        oauth(c, {
          access_key_id: 'old-ak-id',
          access_key_secret: 'old-ak-secret',
          sts_token: 'old-sts-token',
          sts_expiration: c.s(-300),
        }),
      ),
    answers: (c) => ({ 'oauth.exchange': exchangeOk(c, 'refreshed-ak-id') }),
    expect: {
      ok: { accessKeyId: 'refreshed-ak-id', securityToken: 'refreshed-ak-id-token' },
      file: { profile: 'oauth-test', has: { access_key_id: 'refreshed-ak-id', sts_token: 'refreshed-ak-id-token' } },
    },
    verdict: agree,
  },
  {
    id: 'cli/oauth/sts-not-expired',
    from: from(PROFILE, 'TestGetCredentialWithOAuthStsNotExpired'),
    what: 'OAuth whose stored STS is valid for 30 more minutes: used as it is, no request',
    env: NO_ECS,
    files: (c) =>
      one(
        oauth(c, {
          access_key_id: 'valid-ak-id',
          access_key_secret: 'valid-ak-secret',
          sts_token: 'valid-sts-token',
          sts_expiration: c.s(1800),
        }),
      ),
    answers: (c) => ({ 'oauth.exchange': exchangeOk(c, 'exchanged-ak-id') }),
    expect: {
      ok: { accessKeyId: 'valid-ak-id', accessKeySecret: 'valid-ak-secret', securityToken: 'valid-sts-token' },
      requests: { 'oauth.exchange': 0, 'oauth.token': 0 },
      file: { profile: 'oauth-test', has: { access_key_id: 'valid-ak-id' } },
    },
    verdict: peer,
  },
  {
    id: 'cli/oauth/refresh-error',
    from: from(PROFILE, 'TestGetCredentialWithOAuthRefreshError'),
    what: 'OAuth whose stored STS expired, and the exchange fails',
    env: NO_ECS,
    files: (c) =>
      one(
        oauth(c, {
          access_key_id: 'old-ak-id',
          access_key_secret: 'old-ak-secret',
          sts_token: 'old-sts-token',
          sts_expiration: c.s(-300),
        }),
      ),
    answers: { 'oauth.exchange': { status: 400, json: { error: 'invalid_token' } } },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'cli/oauth/invalid-site',
    from: from(PROFILE, 'TestGetCredentialWithOAuthInvalidSiteType'),
    what: 'OAuth with site type INVALID and an expired stored STS',
    env: NO_ECS,
    files: (c) =>
      one(
        oauth(c, {
          oauth_site_type: 'INVALID',
          access_key_id: 'ak-id',
          access_key_secret: 'ak-secret',
          sts_token: 'sts-token',
          sts_expiration: c.s(-300),
        }),
      ),
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'cli/oauth/missing-credentials',
    from: from(PROFILE, 'TestGetCredentialWithOAuthMissingCredentials'),
    what: 'OAuth with empty stored STS fields and sts_expiration 0: exchanged',
    env: NO_ECS,
    files: (c) => one(oauth(c, { access_key_id: '', access_key_secret: '', sts_token: '', sts_expiration: 0 })),
    answers: (c) => ({ 'oauth.exchange': exchangeOk(c, 'new-ak-id') }),
    expect: { ok: { accessKeyId: 'new-ak-id' }, file: { profile: 'oauth-test', has: { access_key_id: 'new-ak-id' } } },
    verdict: agree,
  },

  // ------------------------------------------------------------------------------------------------ configuration
  {
    id: 'cli/config/current-empty',
    from: from(CONFIGURATION, 'TestNewConfigFromBytes'),
    what: '"current": "" (the CLI keeps it empty and finds no profile named so)',
    env: NO_ECS,
    files: {
      [CLI_CONFIG]: {
        current: '',
        profiles: [
          {
            name: 'default',
            mode: 'AK',
            access_key_id: 'access_key_id',
            access_key_secret: 'access_key_secret',
            sts_token: '',
            ram_role_name: '',
            ram_role_arn: '',
            ram_session_name: '',
            private_key: '',
            key_pair_name: '',
            expired_seconds: 0,
            verified: '',
            region_id: 'cn-hangzhou',
            output_format: 'json',
            language: 'en',
            site: '',
            read_timeout: 0,
            retry_count: 0,
          },
        ],
        meta_path: '',
      },
    },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'cli/config/current-empty-profile-env',
    from: from(CONFIGURATION, 'TestConfiguration'),
    what: '"current": "" with ALIBABA_CLOUD_PROFILE naming the profile',
    env: useProfile('default'),
    files: {
      [CLI_CONFIG]: {
        current: '',
        profiles: [
          { name: 'default', mode: 'AK', access_key_id: 'access_key_id', access_key_secret: 'access_key_secret' },
        ],
      },
    },
    expect: { ok: { accessKeyId: 'access_key_id' } },
    verdict: agree,
  },
  {
    id: 'cli/config/load-profile-current',
    from: from(CONFIGURATION, 'TestLoadProfile'),
    what: 'current default among two AK profiles',
    env: NO_ECS,
    files: {
      [CLI_CONFIG]: {
        current: 'default',
        profiles: [
          {
            name: 'default',
            mode: 'AK',
            access_key_id: 'default_aliyun_access_key_id',
            access_key_secret: 'default_aliyun_access_key_secret',
            output_format: 'json',
          },
          { name: 'aaa', mode: 'AK', access_key_id: 'sdf', access_key_secret: 'ddf', output_format: 'json' },
        ],
      },
    },
    expect: {
      ok: { accessKeyId: 'default_aliyun_access_key_id', accessKeySecret: 'default_aliyun_access_key_secret' },
    },
    verdict: agree,
  },
  {
    id: 'cli/config/load-profile-unknown',
    from: from(CONFIGURATION, 'TestLoadProfile'),
    what: 'a profile name that is not in the file ("unknown profile hello")',
    env: useProfile('hello'),
    files: {
      [CLI_CONFIG]: {
        current: 'default',
        profiles: [
          { name: 'default', mode: 'AK', access_key_id: 'default_aliyun_access_key_id', access_key_secret: 's' },
        ],
      },
    },
    expect: { fail: true },
    verdict: agree,
  },
  {
    id: 'cli/config/profile-env',
    from: from(CONFIGURATION, 'TestConfiguration'),
    what: 'ALIBABA_CLOUD_PROFILE wins over current',
    env: useProfile('test2'),
    files: {
      [CLI_CONFIG]: {
        current: 'default',
        profiles: [
          { name: 'default', mode: 'AK', access_key_id: 'default-id', access_key_secret: 's' },
          { name: 'test2', mode: 'StsToken', access_key_id: 'test2-id', access_key_secret: 's', sts_token: 't' },
        ],
      },
    },
    expect: { ok: { accessKeyId: 'test2-id', securityToken: 't' } },
    verdict: agree,
  },
  {
    id: 'cli/config/no-current',
    from: from(CONFIGURATION, 'TestNewConfiguration'),
    what: 'no current: the CLI\'s default profile name is "default"',
    env: NO_ECS,
    files: {
      [CLI_CONFIG]: {
        profiles: [
          { name: 'other', mode: 'AK', access_key_id: 'other-id', access_key_secret: 's' },
          { name: 'default', mode: 'AK', access_key_id: 'default-id', access_key_secret: 's' },
        ],
      },
    },
    expect: { ok: { accessKeyId: 'default-id' } },
    verdict: peer,
  },
]
