import { inspect } from 'node:util'
import { Credential, CredentialsError, Expiration, Fs, Providers } from '@alicred/core'
import { fakeCapabilities, json, type Reply } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { afterEach, describe, expect, it, vi } from 'vitest'

const START = Date.UTC(2024, 0, 1)
const MIN = 60_000
const STS = 'https://sts.aliyuncs.com/'
const ROLE = 'acs:ram::1234567890123456:role/rrsa'
const PROVIDER_ARN = 'acs:ram::1234567890123456:oidc-provider/ack-rrsa'
const TOKEN_FILE = '/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token'
const ENV = {
  ALIBABA_CLOUD_ROLE_ARN: ROLE,
  ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER_ARN,
  ALIBABA_CLOUD_OIDC_TOKEN_FILE: TOKEN_FILE,
}
const TRANSPORT = { connectTimeoutMs: 5000, readTimeoutMs: 10000, maxResponseBytes: 1024 * 1024 }

const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const jwt = (payload: Record<string, unknown>, marker = 'secret-signature-part'): string =>
  `${b64url({ alg: 'RS256', kid: 'k' })}.${b64url({ iss: 'https://oidc-ack.example', sub: 'system:serviceaccount:ns:sa', ...payload })}.${Buffer.from(marker).toString('base64url')}`
const TOKEN = jwt({ exp: START / 1000 + 3600 })
const TOKEN_2 = jwt({ exp: START / 1000 + 7200 }, 'second-token-signature')

const answer = (n: number, expiresAt: number): Reply =>
  json(200, {
    RequestId: `R-${n}`,
    OIDCTokenInfo: { Subject: 'system:serviceaccount:ns:sa', Issuer: 'https://oidc-ack.example' },
    AssumedRoleUser: { Arn: `${ROLE}/s`, AssumedRoleId: `300:${n}` },
    Credentials: {
      AccessKeyId: `STS.id-${n}`,
      AccessKeySecret: `role-secret-${n}-0123456789`,
      SecurityToken: `role-token-${n}-0123456789`,
      Expiration: Expiration.formatTimestamp(expiresAt),
    },
  })
const roleCredential = (n: number, expiresAt: number) =>
  Credential.sts({
    accessKeyId: `STS.id-${n}`,
    accessKeySecret: `role-secret-${n}-0123456789`,
    securityToken: `role-token-${n}-0123456789`,
    expiration: new Date(expiresAt),
    source: 'oidc_role_arn',
  })

const leftOf = <A>(r: E.Either<CredentialsError.CredentialsError, A>): CredentialsError.CredentialsError => {
  if (E.isRight(r)) throw new Error('expected a Left')
  return r.left
}
const expectNoLeak = (e: CredentialsError.CredentialsError, ...secrets: ReadonlyArray<string>) => {
  for (const shown of [e.message, String(e), JSON.stringify(e), inspect(e)]) {
    for (const s of [TOKEN, 'secret-signature-part', ...secrets]) expect(shown).not.toContain(s)
  }
}
const formOf = (body: string | undefined) => Object.fromEntries(new URLSearchParams(body ?? ''))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('oidc_role_arn requests', () => {
  it('sends AssumeRoleWithOIDC unsigned, with the trimmed token, configured from the environment alone', async () => {
    const caps = fakeCapabilities({ env: ENV, files: { [TOKEN_FILE]: `${TOKEN}\n` } })
    caps.http.on('POST', STS, answer(1, START + 60 * MIN))
    expect(await Providers.oidcRoleArn({})(caps)()()).toEqual(E.right(roleCredential(1, START + 60 * MIN)))
    expect(caps.http.requests).toEqual([
      {
        method: 'POST',
        url: `${STS}?Version=2015-04-01&Action=AssumeRoleWithOIDC&Format=JSON&Timestamp=2024-01-01T00%3A00%3A00Z`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'alicred/0.1.0' },
        body: `OIDCProviderArn=acs%3Aram%3A%3A1234567890123456%3Aoidc-provider%2Fack-rrsa&OIDCToken=${TOKEN}&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Frrsa&RoleSessionName=credentials-nodejs-1704067200000&DurationSeconds=3600`,
        ...TRANSPORT,
      },
    ])
  })

  it('matches the §6.7 request check (region cn-beijing, default duration), with options winning over env', async () => {
    const caps = fakeCapabilities({
      env: { ...ENV, ALIBABA_CLOUD_ROLE_SESSION_NAME: 'env-session', ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/elsewhere' },
      files: { '/tokens/t': TOKEN },
    })
    const endpoint = 'https://sts.cn-beijing.aliyuncs.com/'
    caps.http.on('POST', endpoint, answer(1, START + 60 * MIN))
    const p = Providers.oidcRoleArn({
      roleArn: 'acs:ram::1:role/given',
      oidcProviderArn: 'acs:ram::1:oidc-provider/given',
      oidcTokenFile: '/tokens/t',
      region: 'cn-beijing',
      policy: '{"Statement":[]}',
    })(caps)
    expect(await p()()).toEqual(E.right(roleCredential(1, START + 60 * MIN)))
    expect(caps.http.requests.map((r) => [r.url.split('?')[0], formOf(r.body)])).toEqual([
      [
        endpoint,
        {
          OIDCProviderArn: 'acs:ram::1:oidc-provider/given',
          OIDCToken: TOKEN,
          RoleArn: 'acs:ram::1:role/given',
          Policy: '{"Statement":[]}',
          RoleSessionName: 'env-session',
          DurationSeconds: '3600',
        },
      ],
    ])
    expect(caps.fs.reads).toEqual(['/tokens/t'])
  })

  it('re-reads the token file on every refresh', async () => {
    const caps = fakeCapabilities({ env: ENV, files: { [TOKEN_FILE]: TOKEN } })
    caps.http.on('POST', STS, answer(1, START + 60 * MIN), answer(2, START + 120 * MIN))
    const p = Providers.oidcRoleArn({ roleSessionName: 's' })(caps)
    expect(await p()()).toEqual(E.right(roleCredential(1, START + 60 * MIN)))
    caps.fs.put(TOKEN_FILE, `\n${TOKEN_2}\n`)
    await caps.clock.advance(30 * MIN)
    expect(await p()()).toEqual(E.right(roleCredential(1, START + 60 * MIN)))
    await caps.clock.advance(15 * MIN)
    expect(await p()()).toEqual(E.right(roleCredential(2, START + 120 * MIN)))
    expect(caps.http.requests.map((r) => formOf(r.body).OIDCToken)).toEqual([TOKEN, TOKEN_2])
    expect(caps.fs.reads).toEqual([TOKEN_FILE, TOKEN_FILE])
  })

  it('accepts a token without exp (STS decides)', async () => {
    const token = jwt({})
    const caps = fakeCapabilities({ env: ENV, files: { [TOKEN_FILE]: token } })
    caps.http.on('POST', STS, answer(1, START + 60 * MIN))
    expect(E.isRight(await Providers.oidcRoleArn({})(caps)()())).toBe(true)
    expect(formOf(caps.http.requests[0]?.body).OIDCToken).toBe(token)
  })
})

describe('oidc_role_arn configuration errors', () => {
  const missing = (key: string, envVar: string, what: string) => ({
    _tag: 'InvalidConfiguration',
    provider: 'oidc_role_arn',
    message: `${key} is not set: give ${key} or set ${envVar} to ${what}`,
    location: { key, envVar },
  })
  it.each([
    ['ALIBABA_CLOUD_ROLE_ARN', missing('roleArn', 'ALIBABA_CLOUD_ROLE_ARN', 'the ARN of the role to assume')],
    [
      'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
      missing('oidcProviderArn', 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN', 'the ARN of the OIDC identity provider'),
    ],
    [
      'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
      missing('oidcTokenFile', 'ALIBABA_CLOUD_OIDC_TOKEN_FILE', 'the path of the OIDC token file'),
    ],
  ])('without %s', async (unset, expected) => {
    const caps = fakeCapabilities({ env: { ...ENV, [unset]: '' }, files: { [TOKEN_FILE]: TOKEN } })
    const e = leftOf(await Providers.oidcRoleArn({})(caps)()())
    expect(e).toBeInstanceOf(CredentialsError.InvalidConfiguration)
    expect(e.toJSON()).toEqual(expected)
    expect([caps.fs.reads, caps.http.requests]).toEqual([[], []])
  })

  it('refuses a duration below 900', async () => {
    const caps = fakeCapabilities({ env: ENV })
    expect(leftOf(await Providers.oidcRoleArn({ durationSeconds: 600 })(caps)()()).toJSON()).toEqual({
      _tag: 'InvalidConfiguration',
      provider: 'oidc_role_arn',
      message: 'durationSeconds must be a whole number of seconds at least 900 (got 600)',
      location: { key: 'durationSeconds' },
    })
  })
})

describe('oidc_role_arn token file problems (no request is sent)', () => {
  const invalid = (message: string) => ({
    _tag: 'InvalidConfiguration',
    provider: 'oidc_role_arn',
    message,
    location: { file: TOKEN_FILE, key: 'oidcTokenFile' },
  })
  const notJwt = invalid(
    `the OIDC token file ${TOKEN_FILE} does not hold a JWT (three base64url parts with a JSON payload); check what writes it`,
  )
  it.each<[string, string | undefined, Record<string, unknown>]>([
    [
      'missing',
      undefined,
      invalid(
        `the OIDC token file ${TOKEN_FILE} does not exist; check oidcTokenFile / ALIBABA_CLOUD_OIDC_TOKEN_FILE and that the token volume is mounted`,
      ),
    ],
    ['empty', '', invalid(`the OIDC token file ${TOKEN_FILE} is empty`)],
    ['whitespace only', ' \n\t\n', invalid(`the OIDC token file ${TOKEN_FILE} is empty`)],
    ['not a JWT', 'secret-signature-part', notJwt],
    ['two parts', `${TOKEN.split('.').slice(0, 2).join('.')}`, notJwt],
    [
      'a payload that is not JSON',
      `${b64url({ alg: 'none' })}.${Buffer.from('secret-signature-part').toString('base64url')}.x`,
      notJwt,
    ],
    [
      'an exp that is not a number',
      jwt({ exp: '2030-01-01' }),
      invalid(`the OIDC token in ${TOKEN_FILE} has an exp claim that is not a number`),
    ],
    ...[-1e20, -1, 1e20, 253_402_300_800, 8.64e12 + 1].map(
      (exp) =>
        [
          `an exp out of range (${exp})`,
          jwt({ exp }),
          invalid(
            `the OIDC token in ${TOKEN_FILE} has an exp claim out of range (a time in epoch seconds from 1970 to 9999 is expected); check what writes that file`,
          ),
        ] as [string, string, Record<string, unknown>],
    ),
    [
      'an expired token',
      jwt({ exp: START / 1000 - 60 }),
      {
        _tag: 'SourceFailure',
        provider: 'oidc_role_arn',
        message: `the OIDC token in ${TOKEN_FILE} expired at 2023-12-31T23:59:00.000Z; whatever writes that file (e.g. the Kubernetes service account token projection) is not refreshing it`,
        retryable: true,
      },
    ],
    [
      'a token expiring this very second',
      jwt({ exp: START / 1000 }),
      {
        _tag: 'SourceFailure',
        provider: 'oidc_role_arn',
        message: `the OIDC token in ${TOKEN_FILE} expired at 2024-01-01T00:00:00.000Z; whatever writes that file (e.g. the Kubernetes service account token projection) is not refreshing it`,
        retryable: true,
      },
    ],
  ])('%s', async (_, contents, expected) => {
    const caps = fakeCapabilities({ env: ENV, files: contents === undefined ? {} : { [TOKEN_FILE]: contents } })
    caps.http.on('POST', STS, answer(1, START + 60 * MIN))
    const e = leftOf(await Providers.oidcRoleArn({})(caps)()())
    expect(e.toJSON()).toEqual(expected)
    expectNoLeak(e)
    expect(caps.http.requests).toEqual([])
  })

  it('an unreadable file', async () => {
    const caps = fakeCapabilities({ env: ENV, files: { [TOKEN_FILE]: TOKEN } })
    caps.fs.failOn(TOKEN_FILE, 'EACCES')
    expect(leftOf(await Providers.oidcRoleArn({})(caps)()()).toJSON()).toEqual(
      invalid(`the OIDC token file ${TOKEN_FILE} cannot be read: permission denied`),
    )
    caps.fs.failOn(TOKEN_FILE, 'ENOTFILE')
    expect(leftOf(await Providers.oidcRoleArn({})(caps)()()).toJSON()).toEqual(
      invalid(
        `the OIDC token file ${TOKEN_FILE} is not a regular file (a FIFO, socket or device); point oidcTokenFile / ALIBABA_CLOUD_OIDC_TOKEN_FILE at the token file itself`,
      ),
    )
    caps.fs.failOn(TOKEN_FILE, 'EIO')
    expect(leftOf(await Providers.oidcRoleArn({})(caps)()()).toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'oidc_role_arn',
      message: `the OIDC token file ${TOKEN_FILE} could not be read (EIO)`,
      retryable: true,
    })
  })
})

describe('oidc_role_arn failures from STS', () => {
  it('keeps the token out of messages even when STS echoes it', async () => {
    const caps = fakeCapabilities({ env: ENV, files: { [TOKEN_FILE]: TOKEN } })
    caps.http.on(
      'POST',
      STS,
      json(400, {
        Code: 'AuthenticationFail.OIDCToken.Invalid',
        Message: `bad token ${TOKEN}`,
        RequestId: '0C8E2C5A-0001-4A7B-9C1D-000000000001',
      }),
    )
    const e = leftOf(await Providers.oidcRoleArn({})(caps)()())
    expect(e.toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'oidc_role_arn',
      message:
        'STS AssumeRoleWithOIDC answered HTTP 400: code AuthenticationFail.OIDCToken.Invalid: bad token <redacted> (request id 0C8E2C5A-0001-4A7B-9C1D-000000000001)',
      status: 400,
      code: 'AuthenticationFail.OIDCToken.Invalid',
      requestId: '0C8E2C5A-0001-4A7B-9C1D-000000000001',
      retryable: false,
    })
    expectNoLeak(e)
  })

  it.each<[string, boolean, Reply]>([
    ['non-JSON', false, { status: 200, body: `<html>${TOKEN}</html>` }],
    ['null', false, { status: 200, body: 'null' }],
    ['{"Credentials":{}}', false, json(200, { Credentials: {} })],
    ['HTTP 403 NoPermission', false, json(403, { Code: 'AuthenticationFail.NoPermission' })],
    ['HTTP 500', true, { status: 500, body: TOKEN }],
    ['a reset connection', true, { error: 'ConnectionReset' }],
  ])('%s → SourceFailure (retryable: %s) without the token', async (_, retryable, reply) => {
    const caps = fakeCapabilities({ env: ENV, files: { [TOKEN_FILE]: TOKEN } })
    caps.http.on('POST', STS, reply)
    const e = leftOf(await Providers.oidcRoleArn({})(caps)()())
    expect(e._tag === 'SourceFailure' && e.retryable).toBe(retryable)
    expectNoLeak(e)
  })

  it('times out when STS never answers', async () => {
    const caps = fakeCapabilities({ env: ENV, files: { [TOKEN_FILE]: TOKEN } })
    caps.http.on('POST', STS, { hang: true })
    const pending = Providers.oidcRoleArn({ readTimeoutMs: 3000 })(caps)()()
    await vi.waitFor(() => expect(caps.clock.pending()).toBe(1))
    await caps.clock.advance(3000)
    expect(leftOf(await pending).toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'oidc_role_arn',
      message: 'STS AssumeRoleWithOIDC failed: no response within 3000 ms (ReadTimeout on https://sts.aliyuncs.com/)',
      retryable: true,
    })
  })

  it('serves the cached credential while the token file has gone stale, until it expires', async () => {
    const caps = fakeCapabilities({ env: ENV, files: { [TOKEN_FILE]: jwt({ exp: START / 1000 + 50 * 60 }) } })
    caps.http.on('POST', STS, answer(1, START + 60 * MIN))
    const p = Providers.oidcRoleArn({})(caps)
    await p()()
    await caps.clock.advance(55 * MIN)
    expect(await p()()).toEqual(E.right(roleCredential(1, START + 60 * MIN)))
    expect(caps.reporter.warnings).toHaveLength(1)
    await caps.clock.advance(5 * MIN)
    const e = leftOf(await p()())
    expect(e.message).toBe(
      `the cached credential expired at 2024-01-01T01:00:00.000Z and refreshing it failed: the OIDC token in ${TOKEN_FILE} expired at 2024-01-01T00:50:00.000Z; whatever writes that file (e.g. the Kubernetes service account token projection) is not refreshing it`,
    )
    expect(caps.http.requests).toHaveLength(1)
  })
})

describe('oidc_role_arn with the token itself (no token file)', () => {
  const NO_FILE = { ALIBABA_CLOUD_ROLE_ARN: ROLE, ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER_ARN }

  it('sends the oidcToken option, trimmed, and reads no file', async () => {
    const caps = fakeCapabilities({ env: ENV })
    caps.http.on('POST', STS, answer(1, START + 60 * MIN))
    expect(await Providers.oidcRoleArn({ oidcToken: `${TOKEN}\n` })(caps)()()).toEqual(
      E.right(roleCredential(1, START + 60 * MIN)),
    )
    expect([formOf(caps.http.requests[0]?.body).OIDCToken, caps.fs.reads]).toEqual([TOKEN, []])
  })

  it('reads ALIBABA_CLOUD_OIDC_TOKEN at every refresh when no token file is set', async () => {
    const env: Record<string, string> = { ...NO_FILE, ALIBABA_CLOUD_OIDC_TOKEN: TOKEN }
    const caps = fakeCapabilities({ env })
    caps.http.on('POST', STS, answer(1, START + 60 * MIN))
    const provider = Providers.oidcRoleArn({})(caps)
    expect(E.isRight(await provider()())).toBe(true)
    caps.env.set('ALIBABA_CLOUD_OIDC_TOKEN', TOKEN_2)
    await provider.forceRefresh()()
    expect(caps.http.requests.map((r) => formOf(r.body).OIDCToken)).toEqual([TOKEN, TOKEN_2])
  })

  it('prefers a token file to ALIBABA_CLOUD_OIDC_TOKEN', async () => {
    const caps = fakeCapabilities({
      env: { ...ENV, ALIBABA_CLOUD_OIDC_TOKEN: TOKEN_2 },
      files: { [TOKEN_FILE]: TOKEN },
    })
    caps.http.on('POST', STS, answer(1, START + 60 * MIN))
    await Providers.oidcRoleArn({})(caps)()()
    expect(caps.http.requests.map((r) => formOf(r.body).OIDCToken)).toEqual([TOKEN])
  })

  it('names where the token came from when it is not a usable JWT, never the token', async () => {
    const expired = jwt({ exp: START / 1000 - 60 })
    const cases = [
      [
        { oidcToken: ' ' },
        NO_FILE,
        new CredentialsError.InvalidConfiguration('oidc_role_arn', 'the oidcToken option is empty', {
          key: 'oidcToken',
        }),
      ],
      [
        {},
        { ...NO_FILE, ALIBABA_CLOUD_OIDC_TOKEN: 'not-a-jwt' },
        new CredentialsError.InvalidConfiguration(
          'oidc_role_arn',
          'ALIBABA_CLOUD_OIDC_TOKEN does not hold a JWT (three base64url parts with a JSON payload); check what sets it',
          { envVar: 'ALIBABA_CLOUD_OIDC_TOKEN' },
        ),
      ],
      [
        {},
        { ...NO_FILE, ALIBABA_CLOUD_OIDC_TOKEN: expired },
        new CredentialsError.SourceFailure(
          'oidc_role_arn',
          'the OIDC token in ALIBABA_CLOUD_OIDC_TOKEN expired at 2023-12-31T23:59:00.000Z; whatever sets ALIBABA_CLOUD_OIDC_TOKEN is not refreshing it',
          { retryable: true },
        ),
      ],
    ] as const
    for (const [options, env, expected] of cases) {
      const caps = fakeCapabilities({ env })
      const e = leftOf(await Providers.oidcRoleArn(options)(caps)()())
      expect([e._tag, e.message, 'location' in e ? e.location : undefined]).toEqual([
        expected._tag,
        expected.message,
        'location' in expected ? expected.location : undefined,
      ])
      expectNoLeak(e, expired)
      expect(caps.http.requests).toEqual([])
    }
  })

  it('is NotConfigured, naming the missing file system, when the token file cannot be read in this runtime', async () => {
    const caps = { ...fakeCapabilities({ env: ENV }), fs: Fs.unavailable('webCapabilities has no file system') }
    const e = leftOf(await Providers.oidcRoleArn({})(caps)()())
    expect([e._tag, e.message]).toEqual([
      'NotConfigured',
      `the OIDC token file ${TOKEN_FILE} cannot be read: webCapabilities has no file system; give the token itself (oidcToken / ALIBABA_CLOUD_OIDC_TOKEN)`,
    ])
  })
})
