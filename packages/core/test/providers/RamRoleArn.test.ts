import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import {
  Credential,
  CredentialsError,
  Expiration,
  type Provider,
  Provider as ProviderM,
  Providers,
  type Random,
  Signature,
  StsClient,
} from '@alicred/core'
import { type FakeCapabilities, fakeCapabilities, json, type Reply } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { afterEach, describe, expect, it, vi } from 'vitest'

const vectors = JSON.parse(readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8')) as {
  rpcSignature: ReadonlyArray<{ name: string; params: Record<string, string>; expected: string }>
}
const vector = (prefix: string) => {
  const v = vectors.rpcSignature.find((x) => x.name.startsWith(prefix))
  if (v === undefined) throw new Error(`vector ${prefix} missing`)
  return v
}

const START = Date.UTC(2024, 0, 1)
const MIN = 60_000
const STS = 'https://sts.aliyuncs.com/'
const ROLE = 'acs:ram::1234567890123456:role/test-role'
const SECRET = 'AkSecret-must-never-print-0123456789'
const TOKEN = 'StsToken-must-never-print-0123456789'
const HEADERS = (provider: string) => ({
  'Content-Type': 'application/x-www-form-urlencoded',
  'x-acs-credentials-provider': provider,
  'User-Agent': 'alicred/0.1.0',
})
const TRANSPORT = { connectTimeoutMs: 5000, readTimeoutMs: 10000, maxResponseBytes: 1024 * 1024 }
const fixedNonce = (nonce: string): Random.Random => ({ nonce: () => nonce, float: () => 0.5 })

const answer = (n: number, expiresAt: number): Reply =>
  json(200, {
    RequestId: `R-${n}`,
    AssumedRoleUser: { Arn: `${ROLE}/s`, AssumedRoleId: `300:${n}` },
    Credentials: {
      AccessKeyId: `STS.id-${n}`,
      AccessKeySecret: `role-secret-${n}-0123456789`,
      SecurityToken: `role-token-${n}-0123456789`,
      Expiration: Expiration.formatTimestamp(expiresAt),
    },
  })
const roleCredential = (n: number, expiresAt: number, source = 'ram_role_arn/static_ak') =>
  Credential.sts({
    accessKeyId: `STS.id-${n}`,
    accessKeySecret: `role-secret-${n}-0123456789`,
    securityToken: `role-token-${n}-0123456789`,
    expiration: new Date(expiresAt),
    source,
  })

const ak = (accessKeySecret = SECRET, accessKeyId = 'LTAI5tCallerId') =>
  Providers.staticAccessKey({ accessKeyId, accessKeySecret })

const leftOf = <A>(r: E.Either<CredentialsError.CredentialsError, A>): CredentialsError.CredentialsError => {
  if (E.isRight(r)) throw new Error('expected a Left')
  return r.left
}
const expectNoLeak = (e: CredentialsError.CredentialsError, ...secrets: ReadonlyArray<string>) => {
  for (const shown of [e.message, String(e), JSON.stringify(e), inspect(e)]) {
    for (const s of [SECRET, TOKEN, ...secrets]) expect(shown).not.toContain(s)
  }
}

const params = (url: string, body = ''): Record<string, string> =>
  Object.fromEntries([...new URL(url).searchParams, ...new URLSearchParams(body)].filter(([k]) => k !== 'Signature'))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('ram_role_arn requests', () => {
  it('sends vector A exactly, and yields the role credential with source ram_role_arn/static_ak', async () => {
    const a = vector('A')
    const caps = fakeCapabilities({ random: fixedNonce(a.params.SignatureNonce!) })
    caps.http.on('POST', STS, answer(1, START + 60 * MIN))
    const p = Providers.ramRoleArn({
      source: ak('aksecret', 'akid'),
      roleArn: a.params.RoleArn!,
      roleSessionName: 'rsn',
    })(caps)
    expect(await p()()).toEqual(E.right(roleCredential(1, START + 60 * MIN)))
    expect(caps.http.requests).toEqual([
      {
        method: 'POST',
        url: `${STS}?Version=2015-04-01&Action=AssumeRole&Format=JSON&Timestamp=2024-01-01T00%3A00%3A00Z&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=0123456789abcdef0123456789abcdef&AccessKeyId=akid&Signature=${encodeURIComponent(a.expected)}`,
        headers: HEADERS('static_ak'),
        body: 'RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Ftest-role&RoleSessionName=rsn&DurationSeconds=3600',
        ...TRANSPORT,
      },
    ])
  })

  it('sends vector B exactly: an STS source puts its SecurityToken in the query', async () => {
    const b = vector('B')
    const caps = fakeCapabilities({ random: fixedNonce(b.params.SignatureNonce!) })
    caps.http.on('POST', STS, answer(1, START + 60 * MIN))
    const source = Providers.staticSts({ accessKeyId: 'akid', accessKeySecret: 'aksecret', securityToken: 'ststoken' })
    const p = Providers.ramRoleArn({
      source,
      roleArn: b.params.RoleArn!,
      roleSessionName: 'rsn',
      policy: b.params.Policy!,
      externalId: b.params.ExternalId!,
      durationSeconds: 3600,
    })(caps)
    expect(await p()()).toEqual(E.right(roleCredential(1, START + 60 * MIN, 'ram_role_arn/static_sts')))
    expect(caps.http.requests).toEqual([
      {
        method: 'POST',
        url: `${STS}?Version=2015-04-01&Action=AssumeRole&Format=JSON&Timestamp=2024-01-01T00%3A00%3A00Z&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=0123456789abcdef0123456789abcdef&AccessKeyId=akid&SecurityToken=ststoken&Signature=${encodeURIComponent(b.expected)}`,
        headers: HEADERS('static_sts'),
        body: `RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Ftest-role&Policy=${encodeURIComponent(b.params.Policy!)}&ExternalId=ext-id_1.2~3%20(x)!'&RoleSessionName=rsn&DurationSeconds=3600`,
        ...TRANSPORT,
      },
    ])
  })

  it('matches the §6.7 request check (region cn-beijing, duration 1000, STS source)', async () => {
    const caps = fakeCapabilities()
    const endpoint = 'https://sts.cn-beijing.aliyuncs.com/'
    caps.http.on('POST', endpoint, answer(1, START + 60 * MIN))
    const source = Providers.staticSts({ accessKeyId: 'akid', accessKeySecret: SECRET, securityToken: 'ststoken' })
    const p = Providers.ramRoleArn({
      source,
      roleArn: 'roleArn',
      roleSessionName: 'rsn',
      policy: 'policy',
      externalId: 'externalId',
      durationSeconds: 1000,
      region: 'cn-beijing',
    })(caps)
    expect(E.isRight(await p()())).toBe(true)
    const query = {
      Version: '2015-04-01',
      Action: 'AssumeRole',
      Format: 'JSON',
      Timestamp: '2024-01-01T00:00:00Z',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'nonce-0001',
      AccessKeyId: 'akid',
      SecurityToken: 'ststoken',
    }
    const form = {
      RoleArn: 'roleArn',
      Policy: 'policy',
      ExternalId: 'externalId',
      RoleSessionName: 'rsn',
      DurationSeconds: '1000',
    }
    const signature = await Signature.signRpc('POST', { ...query, ...form }, SECRET)
    expect(caps.http.requests).toEqual([
      {
        method: 'POST',
        url: `${endpoint}?Version=2015-04-01&Action=AssumeRole&Format=JSON&Timestamp=2024-01-01T00%3A00%3A00Z&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=nonce-0001&AccessKeyId=akid&SecurityToken=ststoken&Signature=${encodeURIComponent(signature)}`,
        headers: HEADERS('static_sts'),
        body: 'RoleArn=roleArn&Policy=policy&ExternalId=externalId&RoleSessionName=rsn&DurationSeconds=1000',
        ...TRANSPORT,
      },
    ])
  })

  it('takes role ARN, session name, region and VPC from the environment', async () => {
    const caps = fakeCapabilities({
      env: {
        ALIBABA_CLOUD_ROLE_ARN: ROLE,
        ALIBABA_CLOUD_ROLE_SESSION_NAME: 'from-env',
        ALIBABA_CLOUD_STS_REGION: 'cn-shanghai',
        ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'True',
      },
    })
    caps.http.on('POST', 'https://sts-vpc.cn-shanghai.aliyuncs.com/', answer(1, START + 60 * MIN))
    const r = await Providers.ramRoleArn({ source: ak() })(caps)()()
    expect(r).toEqual(E.right(roleCredential(1, START + 60 * MIN)))
    expect(caps.http.requests.map((q) => q.body)).toEqual([
      'RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Ftest-role&RoleSessionName=from-env&DurationSeconds=3600',
    ])
  })

  it('defaults the session name to credentials-nodejs-<epoch ms> from the clock, and options win over env', async () => {
    const caps = fakeCapabilities({ env: { ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/env' }, now: START + 1234 })
    caps.http.on('POST', 'http://127.0.0.1:40123/', answer(1, START + 60 * MIN))
    const p = Providers.ramRoleArn({
      source: ak(),
      roleArn: ' acs:ram::1:role/given ',
      endpoint: 'http://127.0.0.1:40123',
      connectTimeoutMs: 100,
      readTimeoutMs: 200,
      userAgent: 'my-app/2',
    })(caps)
    expect(E.isRight(await p()())).toBe(true)
    const [req] = caps.http.requests
    expect(req?.url.startsWith('http://127.0.0.1:40123/?Version=2015-04-01&')).toBe(true)
    expect(req?.body).toBe(
      'RoleArn=acs%3Aram%3A%3A1%3Arole%2Fgiven&RoleSessionName=credentials-nodejs-1704067201234&DurationSeconds=3600',
    )
    expect(req?.headers).toEqual({ ...HEADERS('static_ak'), 'User-Agent': 'my-app/2' })
    expect([req?.connectTimeoutMs, req?.readTimeoutMs]).toEqual([100, 200])
  })

  it('chains roles: the outer call is signed with the inner role credential', async () => {
    const caps = fakeCapabilities()
    caps.http.on('POST', STS, answer(1, START + 60 * MIN), answer(2, START + 60 * MIN))
    const inner = Providers.ramRoleArn({ source: ak(), roleArn: 'acs:ram::1:role/first', roleSessionName: 'a' })(caps)
    const outer = Providers.ramRoleArn({ source: inner, roleArn: 'acs:ram::2:role/second', roleSessionName: 'b' })(caps)
    expect(await outer()()).toEqual(E.right(roleCredential(2, START + 60 * MIN, 'ram_role_arn/ram_role_arn/static_ak')))
    const [first, second] = caps.http.requests
    expect(params(first!.url, first!.body)).toMatchObject({
      AccessKeyId: 'LTAI5tCallerId',
      RoleArn: 'acs:ram::1:role/first',
    })
    expect(params(first!.url).SecurityToken).toBeUndefined()
    expect(params(second!.url, second!.body)).toMatchObject({
      AccessKeyId: 'STS.id-1',
      SecurityToken: 'role-token-1-0123456789',
      RoleArn: 'acs:ram::2:role/second',
    })
    expect(second!.headers).toEqual(HEADERS('ram_role_arn/static_ak'))
    const expected = await Signature.signRpc('POST', params(second!.url, second!.body), 'role-secret-1-0123456789')
    expect(new URL(second!.url).searchParams.get('Signature')).toBe(expected)
  })
})

describe('ram_role_arn configuration errors (no request is sent)', () => {
  const invalid = (message: string, location: Record<string, string>, provider = 'ram_role_arn') => ({
    _tag: 'InvalidConfiguration',
    provider,
    message,
    location,
  })
  const noRole = invalid(
    'roleArn is not set: give roleArn or set ALIBABA_CLOUD_ROLE_ARN to the ARN of the role to assume',
    { key: 'roleArn', envVar: 'ALIBABA_CLOUD_ROLE_ARN' },
  )
  const durationError = (got: number) =>
    invalid(`durationSeconds must be a whole number of seconds at least 900 (got ${got})`, { key: 'durationSeconds' })

  it.each<[string, Partial<Providers.RamRoleArnOptions>, Record<string, string>, Record<string, unknown>]>([
    ['no role ARN anywhere', {}, {}, noRole],
    ['a blank role ARN and a blank env var', { roleArn: '  ' }, { ALIBABA_CLOUD_ROLE_ARN: ' ' }, noRole],
    ['a duration below 900', { roleArn: ROLE, durationSeconds: 899 }, {}, durationError(899)],
    ['a fractional duration', { roleArn: ROLE, durationSeconds: 1000.5 }, {}, durationError(1000.5)],
    ['a NaN duration', { roleArn: ROLE, durationSeconds: Number.NaN }, {}, durationError(Number.NaN)],
    [
      'plain http to a remote endpoint',
      { roleArn: ROLE, endpoint: 'http://sts.example.com' },
      {},
      invalid(
        'the STS endpoint uses plain http:// to sts.example.com, which would carry credentials unencrypted; use https:// (plain http is allowed only for loopback hosts, or with allowInsecureHttp)',
        { key: 'endpoint' },
      ),
    ],
    [
      'a region from env that is not a region id',
      { roleArn: ROLE },
      { ALIBABA_CLOUD_STS_REGION: 'a.b/c' },
      invalid('the STS region is not a region id (like cn-hangzhou); check ALIBABA_CLOUD_STS_REGION', {
        key: 'region',
        envVar: 'ALIBABA_CLOUD_STS_REGION',
      }),
    ],
  ])('%s', async (_, options, env, expected) => {
    const caps = fakeCapabilities({ env })
    const p = Providers.ramRoleArn({ source: ak(), ...options })(caps)
    const e = leftOf(await p()())
    expect(e).toBeInstanceOf(CredentialsError.InvalidConfiguration)
    expect(e.toJSON()).toEqual(expected)
    expect(leftOf(await p()()).toJSON()).toEqual(expected)
    expect(caps.http.requests).toEqual([])
  })

  it('accepts exactly 900 seconds', async () => {
    const caps = fakeCapabilities()
    caps.http.on('POST', STS, answer(1, START + 60 * MIN))
    await Providers.ramRoleArn({ source: ak(), roleArn: ROLE, durationSeconds: 900 })(caps)()()
    expect(caps.http.requests[0]?.body?.endsWith('&DurationSeconds=900')).toBe(true)
  })

  it('refuses a bearer source', async () => {
    const caps = fakeCapabilities()
    const p = Providers.ramRoleArn({ source: Providers.bearer({ bearerToken: TOKEN }), roleArn: ROLE })(caps)
    const e = leftOf(await p()())
    expect(e.toJSON()).toEqual(
      invalid(
        'ram_role_arn needs an AccessKey or STS credential to call AssumeRole, but its source bearer gives a bearer token; use an AccessKey source',
        { key: 'source' },
        'ram_role_arn/bearer',
      ),
    )
    expectNoLeak(e)
    expect(caps.http.requests).toEqual([])
  })

  it('turns a source that is not configured into a configuration error (a chain must not skip past it)', async () => {
    const caps = fakeCapabilities()
    const notConfigured = ProviderM.fail(
      new CredentialsError.NotConfigured(
        'env',
        'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set',
      ),
    )
    const e = leftOf(await Providers.ramRoleArn({ source: notConfigured, roleArn: ROLE })(caps)()())
    expect(e).toBeInstanceOf(CredentialsError.InvalidConfiguration)
    expect(e.toJSON()).toEqual(
      invalid(
        'the source credential of ram_role_arn is not configured: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set',
        {},
        'ram_role_arn/env',
      ),
    )
    expect(caps.http.requests).toEqual([])
  })

  it('passes other source errors on, under its own name', async () => {
    const caps = fakeCapabilities()
    const failing: Provider.Provider = () => async () =>
      E.left(
        new CredentialsError.SourceFailure('ecs_ram_role', 'IMDS answered HTTP 500', { status: 500, retryable: true }),
      )
    const e = leftOf(await Providers.ramRoleArn({ source: failing, roleArn: ROLE })(caps)()())
    expect(e.toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'ram_role_arn/ecs_ram_role',
      message: 'IMDS answered HTTP 500',
      status: 500,
      retryable: true,
    })
  })
})

describe('ram_role_arn failures', () => {
  const setup = (...replies: ReadonlyArray<Reply | ((req: never) => Reply)>) => {
    const caps = fakeCapabilities()
    caps.http.on('POST', STS, ...(replies as ReadonlyArray<Reply>))
    return { caps, p: Providers.ramRoleArn({ source: ak(), roleArn: ROLE })(caps) }
  }

  it('says plainly that the AccessKey secret is wrong, naming the source', async () => {
    const caps = fakeCapabilities()
    caps.http.on('POST', STS, (req) =>
      json(400, {
        Code: 'SignatureDoesNotMatch',
        Message: `${StsClient.SIGNATURE_MISMATCH_PREFIX}${Signature.stringToSign('POST', params(req.url, req.body))}`,
        RequestId: '0C8E2C5A-5160-4A7B-9C1D-000000005160',
      }),
    )
    const e = leftOf(await Providers.ramRoleArn({ source: ak(), roleArn: ROLE })(caps)()())
    expect(e.toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'ram_role_arn',
      message:
        'STS AssumeRole answered HTTP 400: code SignatureDoesNotMatch: the AccessKey secret is wrong: STS computed the same string to sign but a different signature; check the AccessKey secret of static_ak (AccessKey id LTAI****) (request id 0C8E2C5A-5160-4A7B-9C1D-000000005160)',
      status: 400,
      code: 'SignatureDoesNotMatch',
      requestId: '0C8E2C5A-5160-4A7B-9C1D-000000005160',
      retryable: false,
    })
    expectNoLeak(e)
  })

  it.each<[string, boolean, Reply]>([
    ['non-JSON', false, { status: 200, body: `<html>${SECRET}</html>` }],
    ['truncated', false, { status: 200, body: '{"Credentials":{"AccessKeyId":"a' }],
    ['null', false, { status: 200, body: 'null' }],
    [
      'an Expiration with an offset',
      false,
      {
        status: 200,
        body: JSON.stringify({
          Credentials: {
            AccessKeyId: 'a',
            AccessKeySecret: SECRET,
            SecurityToken: TOKEN,
            Expiration: '2024-01-01T09:00:00+08:00',
          },
        }),
      },
    ],
    ['HTTP 403', false, json(403, { Code: 'NoPermission', Message: `denied for ${SECRET}` })],
    ['HTTP 429', true, json(429, { Code: 'Throttling' })],
    ['HTTP 500', true, { status: 500, body: SECRET }],
    ['a 10 MB body', false, { status: 200, body: `"${'x'.repeat(10 * 1024 * 1024)}"` }],
    ['a refused connection', true, { error: 'ConnectionRefused' }],
  ])('%s → SourceFailure without secrets (retryable: %s)', async (_, retryable, reply) => {
    const { p } = setup(reply)
    const e = leftOf(await p()())
    expect(e._tag).toBe('SourceFailure')
    expect(e._tag === 'SourceFailure' && e.retryable).toBe(retryable)
    expectNoLeak(e)
  })

  it('fails with a retryable timeout when STS never answers', async () => {
    const { caps, p } = setup({ hang: true })
    const pending = p()()
    await vi.waitFor(() => expect(caps.clock.pending()).toBe(1))
    await caps.clock.advance(10_000)
    expect(leftOf(await pending).toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'ram_role_arn',
      message: 'STS AssumeRole failed: no response within 10000 ms (ReadTimeout on https://sts.aliyuncs.com/)',
      retryable: true,
    })
  })

  it('static stability: an answer already past its Expiration is served, with one warning naming the skew', async () => {
    const { caps, p } = setup(answer(1, START - 10 * MIN), answer(2, START + 60 * MIN))
    expect(await p()()).toEqual(E.right(roleCredential(1, START - 10 * MIN)))
    expect(caps.reporter.warnings).toEqual([
      "alicred: ram_role_arn: the source answered with a credential that had already expired (at 2023-12-31T23:50:00.000Z, 600 s before this machine's time: the clocks of this machine and of the source disagree); serving it anyway, as the source vouches for it, and refreshing with backoff until one arrives that this clock accepts; check both clocks (NTP)",
    ])
    expect(caps.reporter.warnings.join('\n')).not.toMatch(/role-secret-1|role-token-1/)
    // refreshed after one backoff step (0.5–1 s): the next answer is valid
    await caps.clock.advance(1_000)
    expect(await p()()).toEqual(E.right(roleCredential(2, START + 60 * MIN)))
    expect(caps.http.requests).toHaveLength(2)
  })
})

describe('ram_role_arn cache', () => {
  const counting = (inner: Provider.Provider) => {
    let calls = 0
    const p: Provider.Provider = () => () => {
      calls++
      return inner()()
    }
    return { p, calls: () => calls }
  }
  const build = (caps: FakeCapabilities, source: Provider.Provider) =>
    Providers.ramRoleArn({ source, roleArn: ROLE, roleSessionName: 's' })(caps)

  it('serves from cache until 15 minutes before expiry, then refreshes with a new source credential', async () => {
    const caps = fakeCapabilities()
    caps.http.on('POST', STS, answer(1, START + 60 * MIN), answer(2, START + 105 * MIN))
    const source = counting(ak())
    const p = build(caps, source.p)
    expect(await p()()).toEqual(E.right(roleCredential(1, START + 60 * MIN)))
    await caps.clock.advance(45 * MIN - 1)
    expect(await p()()).toEqual(E.right(roleCredential(1, START + 60 * MIN)))
    expect([caps.http.requests.length, source.calls()]).toEqual([1, 1])
    await caps.clock.advance(1)
    expect(await p()()).toEqual(E.right(roleCredential(2, START + 105 * MIN)))
    expect([caps.http.requests.length, source.calls()]).toEqual([2, 2])
    expect(params(caps.http.requests[1]!.url).Timestamp).toBe('2024-01-01T00:45:00Z')
  })

  it('shares one STS call between concurrent callers', async () => {
    const caps = fakeCapabilities()
    caps.http.on('POST', STS, { ...answer(1, START + 60 * MIN), delayMs: 50 })
    const p = build(caps, ak())
    const all = Promise.all([p()(), p()(), p()()])
    await vi.waitFor(() => expect(caps.clock.pending()).toBe(1))
    await caps.clock.advance(50)
    expect(await all).toEqual([1, 2, 3].map(() => E.right(roleCredential(1, START + 60 * MIN))))
    expect(caps.http.requests).toHaveLength(1)
  })

  it('serves the current credential while a refresh fails before expiry, then fails after it', async () => {
    const caps = fakeCapabilities()
    caps.http.on('POST', STS, answer(1, START + 60 * MIN), json(503, { Code: 'ServiceUnavailable' }))
    const p = build(caps, ak())
    await p()()
    await caps.clock.advance(50 * MIN)
    expect(await p()()).toEqual(E.right(roleCredential(1, START + 60 * MIN)))
    expect(caps.reporter.warnings).toHaveLength(1)
    expect(caps.reporter.warnings[0]).not.toContain('role-secret-1')
    await caps.clock.advance(10 * MIN)
    const e = leftOf(await p()())
    expect(e.toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'ram_role_arn',
      message:
        'the cached credential expired at 2024-01-01T01:00:00.000Z and refreshing it failed: STS AssumeRole answered HTTP 503: code ServiceUnavailable',
      status: 503,
      code: 'ServiceUnavailable',
      retryable: true,
    })
    expectNoLeak(e, 'role-secret-1', 'role-token-1')
  })
})
