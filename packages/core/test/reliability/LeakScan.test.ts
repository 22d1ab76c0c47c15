// The leak scan: every source runs with known secrets in its configuration (env vars, INI file, config.json,
// options, key and token files, the path and query of credentials URIs) against servers that answer well, answer late, answer with garbage, and reflect the
// whole request (URL, headers, body) back in their error messages. Every error (message, String, JSON, inspect,
// stack, causes), every trace event (Provider.traced), every warning given to the reporter and every console line
// produced on the way is collected; the scan fails if any secret shows up in any of them, raw or percent-encoded.
import { format, inspect } from 'node:util'
import { Chain, type Credential, type Http, Provider, Providers, StsClient } from '@alicred/core'
import { type FakeCapabilities, fakeCapabilities, fakeFs, json, type Reply, text } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  AK_SECRET,
  BEARER,
  leakIn,
  OAUTH_ACCESS,
  OAUTH_REFRESH,
  RESPONSE_SECRET,
  RESPONSE_TOKEN,
  reflect,
  renderings,
  SECRETS,
  SSO_ACCESS,
  STS_TOKEN,
} from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const MIN = 60_000
const HOUR = 60 * MIN
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const OIDC_TOKEN = `${b64url({ alg: 'RS256' })}.${b64url({ sub: 'sa', exp: T0 / 1000 + 7200 })}.${Buffer.from('oidc-token-signature').toString('base64url')}`
const CLI_COMMAND_SECRET = 'cmd+SECRET=Hh3Gg2'
// The path and query of a credentials URI are secrets (`alicred serve` guards its credentials with a random path):
// every URI below carries them, and no message, trace or console line may show either.
const URI_PATH = 'uriPathSecret0f1e2d3c4b5a6978'
const URI_QUERY = 'uriQuerySecret8796a5b4'
const SECRET_URI = `http://127.0.0.1:8080/${URI_PATH}?auth=${URI_QUERY}`
// The bearer token `alicred serve --token` requires, sent in a header and never shown either.
const URI_TOKEN = 'uriBearerToken7c6b5a49382716'

// ---------------------------------------------------------------------------------------------------------------
// what servers answer
// ---------------------------------------------------------------------------------------------------------------

/** An answer every source can read its part of, carrying RESPONSE_SECRET / RESPONSE_TOKEN. */
const good = (exp: number) => {
  const block = {
    AccessKeyId: 'STS.leak-id',
    AccessKeySecret: RESPONSE_SECRET,
    SecurityToken: RESPONSE_TOKEN,
    Expiration: iso(exp),
  }
  return json(200, {
    Code: 'Success',
    RequestId: 'req-ok',
    ...block,
    LastUpdated: iso(T0),
    Credentials: block,
    CloudCredential: block,
    SessionAccessKey: {
      SessionAccessKeyId: 'TMPSK.leak-id',
      SessionAccessKeySecret: RESPONSE_SECRET,
      Expiration: iso(exp),
    },
    access_token: RESPONSE_TOKEN,
    refresh_token: RESPONSE_SECRET,
    expires_in: 3600,
    accessKeyId: 'STS.leak-id',
    accessKeySecret: RESPONSE_SECRET,
    securityToken: RESPONSE_TOKEN,
    expiration: iso(exp),
  })
}

const behaviours: ReadonlyArray<readonly [string, (req: Http.HttpRequest) => Reply]> = [
  ['a good answer', () => good(T0 + HOUR)],
  ['an already expired credential', () => good(T0 - MIN)],
  [
    'HTTP 400 reflecting the request in Message and error_description',
    (req) =>
      json(400, {
        Code: 'InvalidParameter',
        Message: reflect(req),
        RequestId: 'req-1',
        error: 'invalid_request',
        error_description: reflect(req),
      }),
  ],
  [
    'STS SignatureDoesNotMatch with a server string to sign',
    (req) =>
      json(400, {
        Code: 'SignatureDoesNotMatch',
        Message: `${StsClient.SIGNATURE_MISMATCH_PREFIX}${reflect(req)}`,
        RequestId: 'req-2',
      }),
  ],
  ['HTTP 500 reflecting the request as text', (req) => text(500, reflect(req))],
  [
    'HTTP 503 reflecting the request in every JSON field',
    (req) => json(503, { Code: reflect(req), RequestId: reflect(req), Message: reflect(req) }),
  ],
  [
    'HTTP 200 whose credential fields have the wrong types',
    (req) =>
      json(200, {
        Code: 'Success',
        AccessKeyId: 7,
        AccessKeySecret: { v: RESPONSE_SECRET },
        SecurityToken: [RESPONSE_TOKEN],
        Expiration: reflect(req),
        Credentials: reflect(req),
      }),
  ],
  ['HTTP 200 that is not JSON', (req) => text(200, `<html>${reflect(req)} ${RESPONSE_SECRET}</html>`)],
  ['a read timeout', () => ({ error: 'ReadTimeout' })],
]

// ---------------------------------------------------------------------------------------------------------------
// sources
// ---------------------------------------------------------------------------------------------------------------

let pem = ''
beforeAll(async () => {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', pair.privateKey)).toString('base64')
  pem = `-----BEGIN PRIVATE KEY-----\n${der.match(/.{1,64}/g)?.join('\n')}\n-----END PRIVATE KEY-----\n`
})
const pemSecrets = (): ReadonlyArray<string> => pem.split('\n').filter((l) => l.length === 64)

const INI = `
[default]
type = access_key
access_key_id = LTAI5tIni
access_key_secret = ${AK_SECRET}

[sts]
type = sts
access_key_id = STS.ini
access_key_secret = ${AK_SECRET}
security_token = ${STS_TOKEN}

[bearer]
type = bearer
bearer_token = ${BEARER}

[role]
type = ram_role_arn
access_key_id = LTAI5tIni
access_key_secret = ${AK_SECRET}
role_arn = acs:ram::1:role/r

[broken]
type = ram_role_arn
access_key_secret = ${AK_SECRET}
security_token = ${STS_TOKEN}

[unknown]
type = ${AK_SECRET}
access_key_secret = ${AK_SECRET}

[uri]
type = credentials_uri
credentials_uri = ${SECRET_URI}

[remote-uri]
type = credentials_uri
credentials_uri = http://203.0.113.9/${URI_PATH}?auth=${URI_QUERY}
`

const CLI = JSON.stringify({
  current: 'ak',
  profiles: [
    { name: 'ak', mode: 'AK', access_key_id: 'LTAI5tCli', access_key_secret: AK_SECRET },
    { name: 'sts', mode: 'StsToken', access_key_id: 'STS.cli', access_key_secret: AK_SECRET, sts_token: STS_TOKEN },
    {
      name: 'role',
      mode: 'RamRoleArn',
      access_key_id: 'LTAI5tCli',
      access_key_secret: AK_SECRET,
      ram_role_arn: 'acs:ram::1:role/r',
    },
    { name: 'chain', mode: 'ChainableRamRoleArn', source_profile: 'sts', ram_role_arn: 'acs:ram::1:role/r' },
    {
      name: 'sso',
      mode: 'CloudSSO',
      cloud_sso_sign_in_url: 'http://127.0.0.1:9000/login',
      cloud_sso_account_id: '1',
      cloud_sso_access_config: 'ac',
      access_token: SSO_ACCESS,
      cloud_sso_access_token_expire: T0 / 1000 + 3600,
    },
    {
      name: 'oauth',
      mode: 'OAuth',
      oauth_site_type: 'CN',
      oauth_refresh_token: OAUTH_REFRESH,
      oauth_access_token: OAUTH_ACCESS,
      oauth_access_token_expire: T0 / 1000 - 1,
    },
    { name: 'external', mode: 'External', process_command: `/usr/bin/helper --secret ${CLI_COMMAND_SECRET}` },
    // argv[0] itself carries a secret (an env assignment the shell would have taken): it is never found
    { name: 'external-argv0', mode: 'External', process_command: `SECRET=${CLI_COMMAND_SECRET} /usr/bin/helper` },
    { name: 'bad', mode: 'AK', access_key_secret: AK_SECRET },
    { name: 'weird', mode: AK_SECRET, access_key_secret: AK_SECRET },
  ],
})

const ENV = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tEnv',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET,
  ALIBABA_CLOUD_SECURITY_TOKEN: STS_TOKEN,
}

const world = (env: Readonly<Record<string, string>> = {}): FakeCapabilities => {
  const caps = fakeCapabilities({
    now: T0,
    env,
    files: {
      '~/.alibabacloud/credentials': INI,
      '~/.aliyun/config.json': CLI,
      '/var/run/oidc-token': OIDC_TOKEN,
      '/keys/key.pem': pem,
    },
  })
  caps.exec.on('/usr/bin/helper', {
    exitCode: 0,
    stdout: JSON.stringify({
      mode: 'StsToken',
      access_key_id: 'STS.ext',
      access_key_secret: RESPONSE_SECRET,
      sts_token: RESPONSE_TOKEN,
      expiration: iso(T0 + HOUR),
    }),
    stderr: `helper was run with --secret ${CLI_COMMAND_SECRET}`,
  })
  return caps
}

type Build = (caps: FakeCapabilities) => Provider.Provider
const sources: ReadonlyArray<readonly [string, Build, Readonly<Record<string, string>>?]> = [
  ['env', (caps) => Providers.environment(caps)],
  [
    'env without an id',
    (caps) => Providers.environment(caps),
    { ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN: STS_TOKEN },
  ],
  ['static AccessKey', () => Providers.staticAccessKey({ accessKeyId: 'LTAI5tStatic', accessKeySecret: AK_SECRET })],
  ['static AccessKey without an id', () => Providers.staticAccessKey({ accessKeyId: ' ', accessKeySecret: AK_SECRET })],
  [
    'static STS',
    () => Providers.staticSts({ accessKeyId: 'STS.s', accessKeySecret: AK_SECRET, securityToken: STS_TOKEN }),
  ],
  ['bearer', () => Providers.bearer({ bearerToken: BEARER })],
  ...['default', 'sts', 'bearer', 'role', 'broken', 'unknown', 'uri', 'remote-uri', 'missing'].map(
    (profile) =>
      [`INI profile ${profile}`, (caps: FakeCapabilities) => Providers.iniProfile({ profile })(caps)] as const,
  ),
  ...['ak', 'sts', 'role', 'chain', 'sso', 'oauth', 'external', 'external-argv0', 'bad', 'weird', 'missing'].map(
    (profile) =>
      [`CLI profile ${profile}`, (caps: FakeCapabilities) => Providers.cliProfile({ profile })(caps)] as const,
  ),
  [
    'ram_role_arn',
    (caps) =>
      Providers.ramRoleArn({
        source: Providers.staticSts({ accessKeyId: 'STS.src', accessKeySecret: AK_SECRET, securityToken: STS_TOKEN }),
        roleArn: 'acs:ram::1:role/r',
        policy: `{"note":"${AK_SECRET}"}`,
      })(caps),
  ],
  [
    'oidc_role_arn',
    (caps) =>
      Providers.oidcRoleArn({
        roleArn: 'acs:ram::1:role/r',
        oidcProviderArn: 'acs:ram::1:oidc-provider/p',
        oidcTokenFile: '/var/run/oidc-token',
      })(caps),
  ],
  ['rsa_key_pair', (caps) => Providers.rsaKeyPair({ publicKeyId: 'KP-1', privateKeyFile: '/keys/key.pem' })(caps)],
  ['rsa_key_pair with the key inline', (caps) => Providers.rsaKeyPair({ publicKeyId: 'KP-1', privateKey: pem })(caps)],
  ['ecs_ram_role', (caps) => Providers.ecsRamRole({ roleName: 'r' })(caps)],
  [
    'credentials_uri',
    (caps) =>
      Providers.credentialsUri({ uri: `http://127.0.0.1:8080/creds?token=${encodeURIComponent(STS_TOKEN)}` })(caps),
  ],
  [
    'credentials_uri with a secret path and a bearer token',
    (caps) => Providers.credentialsUri({ uri: SECRET_URI, token: URI_TOKEN })(caps),
  ],
  [
    'credentials_uri from ALIBABA_CLOUD_CREDENTIALS_URI and ALICRED_CREDENTIALS_URI_TOKEN',
    (caps) => Providers.credentialsUri()(caps),
    { ALIBABA_CLOUD_CREDENTIALS_URI: SECRET_URI, ALICRED_CREDENTIALS_URI_TOKEN: URI_TOKEN },
  ],
  [
    'credentials_uri refused: plain http to a remote host',
    (caps) => Providers.credentialsUri({ uri: `http://203.0.113.9/${URI_PATH}?auth=${URI_QUERY}` })(caps),
  ],
  [
    'credentials_uri over an Http whose errors quote the URL',
    (caps) =>
      Providers.credentialsUri({ uri: SECRET_URI })({
        ...caps,
        http: {
          request: (req) => async () =>
            E.left({
              _tag: 'HttpError',
              kind: 'ConnectionRefused',
              url: req.url,
              message: `cannot GET ${req.url} (path ${new URL(req.url).pathname}${new URL(req.url).search})`,
            }),
        },
      }),
  ],
  [
    'default chain, a stopped credentials server in ALIBABA_CLOUD_CREDENTIALS_URI',
    (caps) => Chain.defaultChain({ ...caps, fs: fakeFs() }, { trace: (e) => traces.push(e) }),
    { ALIBABA_CLOUD_CREDENTIALS_URI: SECRET_URI, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' },
  ],
  [
    'cloud_sso',
    (caps) =>
      Providers.cloudSso({
        signInUrl: 'http://127.0.0.1:9000/login',
        accountId: '1',
        accessConfig: 'ac',
        accessToken: SSO_ACCESS,
        accessTokenExpire: T0 / 1000 + HOUR / 1000,
      })(caps),
  ],
  [
    'oauth (write-back fails)',
    (caps) =>
      Providers.oauth({
        signInUrl: 'http://127.0.0.1:9100',
        clientId: 'c',
        refreshToken: OAUTH_REFRESH,
        accessToken: OAUTH_ACCESS,
        accessTokenExpire: T0 / 1000 - 1,
        onUpdate: async () => {
          throw new Error(`disk full while saving ${OAUTH_REFRESH}`)
        },
      })(caps),
  ],
  [
    'external',
    (caps) => Providers.external({ processCommand: `/usr/bin/helper --secret ${CLI_COMMAND_SECRET}` })(caps),
  ],
  [
    'external with a secret in argv[0]',
    (caps) => Providers.external({ processCommand: `SECRET=${CLI_COMMAND_SECRET} /usr/bin/helper` })(caps),
  ],
  [
    'default chain, nothing configured, metadata off',
    (caps) => Chain.defaultChain({ ...caps, fs: fakeFs() }, { trace: (e) => traces.push(e) }),
    { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: ' ' },
  ],
  ['default chain, everything configured', (caps) => Chain.defaultChain(caps, { trace: (e) => traces.push(e) }), ENV],
  [
    'default chain, OIDC configured, env half set',
    (caps) => Chain.defaultChain(caps, { trace: (e) => traces.push(e) }),
    {
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET,
      ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/r',
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1:oidc-provider/p',
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/var/run/oidc-token',
    },
  ],
]

// ---------------------------------------------------------------------------------------------------------------
// the scan
// ---------------------------------------------------------------------------------------------------------------

const traces: Array<Provider.TraceEvent> = []
const texts: Array<string> = []
const tags = new Set<string>()
const CONSOLE = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const
const spies = CONSOLE.map((m) =>
  vi
    .spyOn(console, m)
    .mockImplementation((...args: Array<unknown>) => void texts.push(`console.${m}: ${format(...args)}`)),
)
afterAll(() => {
  for (const s of spies) s.mockRestore()
})

const collect = (r: E.Either<unknown, Credential.Credential>): void => {
  if (E.isRight(r)) {
    tags.add('Right')
    texts.push(String(r.right), JSON.stringify(r.right), inspect(r.right))
  } else {
    tags.add((r.left as { _tag?: string })._tag ?? 'untyped')
    texts.push(...renderings(r.left, true))
  }
}

/** A secret in every form a request or a message may carry it. */
const forms = (s: string): ReadonlyArray<string> => {
  const once = encodeURIComponent(s)
  return [s, once, encodeURIComponent(once), s.replaceAll('+', ' ')]
}

describe('leak scan', () => {
  it('runs every source against every kind of answer, then a failed refresh of a cached credential', async () => {
    for (const [name, build, env] of sources) {
      for (const [, behave] of behaviours) {
        const caps = world(env)
        caps.http.on('*', /.*/, (req) => behave(req))
        const p = Provider.traced(name, (e) => traces.push(e), caps.clock)(build(caps))
        collect(await p()())
        collect(await p()())
        // into the refresh window, where the next refresh fails: stale serves warn the reporter
        await caps.clock.advance(50 * MIN)
        caps.http.on('*', /.*/, (req) => text(500, reflect(req)))
        collect(await p()())
        await caps.clock.advance(11 * MIN)
        collect(await p()())
        texts.push(...caps.reporter.warnings.map((w) => `reporter: ${w}`))
      }
    }
    // the scan saw every outcome, warnings (stale serves and already-expired answers) and traces: it is not vacuous
    expect([...tags].sort()).toEqual([
      'ChainExhausted',
      'InvalidConfiguration',
      'NotConfigured',
      'Right',
      'SourceFailure',
    ])
    expect(texts.filter((t) => t.startsWith('reporter: ')).length).toBeGreaterThan(10)
    expect(
      texts.filter((t) => t.includes('the source answered with a credential that had already expired')).length,
    ).toBeGreaterThan(3)
    expect(traces.length).toBeGreaterThan(500)
    const all = [
      ...texts,
      ...traces.flatMap((e) => [
        JSON.stringify(e),
        inspect(e, { depth: 6 }),
        ...('error' in e ? renderings(e.error, true) : []),
      ]),
    ]
    const secrets = [
      ...SECRETS,
      OIDC_TOKEN,
      CLI_COMMAND_SECRET,
      URI_PATH,
      URI_QUERY,
      URI_TOKEN,
      ...pemSecrets(),
    ].flatMap(forms)
    expect(leakIn(all, secrets)).toBeUndefined()
  }, 60_000)
})
