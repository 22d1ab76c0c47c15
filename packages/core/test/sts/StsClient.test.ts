import { readFileSync } from 'node:fs'
import { Credential, type CredentialsError, type Random, Signature, StsClient } from '@alicred/core'
import { fakeHttp, fakeRandom, json, manualClock, type Reply } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it, vi } from 'vitest'

const vectors = JSON.parse(readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8')) as {
  rpcSignature: ReadonlyArray<{ name: string; params: Record<string, string>; expected: string }>
  expiration: { invalid: ReadonlyArray<string> }
}
const rsa = JSON.parse(readFileSync(new URL('../fixtures/rsa-vectors.json', import.meta.url), 'utf8')) as {
  pkcs8Base64: string
}
const vector = (prefix: string) => {
  const v = vectors.rpcSignature.find((x) => x.name.startsWith(prefix))
  if (v === undefined) throw new Error(`vector ${prefix} missing`)
  return v
}

const STS = 'https://sts.aliyuncs.com/'
const FORM = 'application/x-www-form-urlencoded'
const TRANSPORT = { connectTimeoutMs: 5000, readTimeoutMs: 10000, maxResponseBytes: 1024 * 1024 }
const fixedNonce = (nonce: string): Random.Random => ({ nonce: () => nonce, float: () => 0.5 })

const SECRET = 'AkSecret-must-never-print-0123456789'
const TOKEN = 'StsToken/must+never=print&0123456789'
const OIDC_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtdXN0LW5ldmVyLXByaW50In0.c2lnbmF0dXJl'
const caller = Credential.sts({
  accessKeyId: 'LTAI5tCallerId',
  accessKeySecret: SECRET,
  securityToken: TOKEN,
  source: 'profile/static_sts',
})
const ROLE = 'acs:ram::1234567890123456:role/test-role'
const options = { endpoint: STS, provider: 'ram_role_arn', source: 'ram_role_arn/profile/static_sts' }
const OK = {
  RequestId: 'R-OK',
  AssumedRoleUser: { Arn: `${ROLE}/s`, AssumedRoleId: '300:s' },
  Credentials: {
    AccessKeyId: 'STS.NewId',
    AccessKeySecret: 'NewSecret-0123456789',
    SecurityToken: 'NewToken-0123456789',
    Expiration: '2024-01-01T01:00:00Z',
  },
}

const setup = () => {
  const clock = manualClock()
  return { clock, http: fakeHttp(clock), random: fakeRandom() }
}

const assume = (caps: ReturnType<typeof setup>, reply: Reply) => {
  caps.http.on('POST', STS, reply)
  return StsClient.assumeRole(
    { credential: caller, roleArn: ROLE, roleSessionName: 's', durationSeconds: 3600 },
    options,
  )(caps)()
}

const errorOf = (r: E.Either<CredentialsError.CredentialsError, unknown>) => {
  if (E.isRight(r)) throw new Error('expected a Left')
  return r.left
}

describe('prepareAssumeRole (§3.3)', () => {
  it('builds vector A byte for byte', async () => {
    const a = vector('A')
    const credential = Credential.accessKey({ accessKeyId: 'akid', accessKeySecret: 'aksecret', source: 'static_ak' })
    const prepared = await StsClient.prepareAssumeRole(
      { credential, roleArn: a.params.RoleArn!, roleSessionName: 'rsn', durationSeconds: 3600 },
      { endpoint: STS, provider: 'ram_role_arn', source: 'ram_role_arn/static_ak' },
    )({ clock: manualClock(Date.UTC(2024, 0, 1)), random: fixedNonce(a.params.SignatureNonce!) })
    expect(prepared).toEqual({
      request: {
        method: 'POST',
        url: `${STS}?Version=2015-04-01&Action=AssumeRole&Format=JSON&Timestamp=2024-01-01T00%3A00%3A00Z&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=0123456789abcdef0123456789abcdef&AccessKeyId=akid&Signature=${encodeURIComponent(a.expected)}`,
        headers: { 'Content-Type': FORM, 'x-acs-credentials-provider': 'static_ak', 'User-Agent': 'alicred/0.1.0' },
        body: 'RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Ftest-role&RoleSessionName=rsn&DurationSeconds=3600',
        ...TRANSPORT,
      },
      stringToSign: Signature.stringToSign('POST', a.params),
    })
  })

  it('builds vector B (STS caller, policy, external id) byte for byte', async () => {
    const b = vector('B')
    const credential = Credential.sts({
      accessKeyId: 'akid',
      accessKeySecret: 'aksecret',
      securityToken: 'ststoken',
      source: 'static_sts',
    })
    const prepared = await StsClient.prepareAssumeRole(
      {
        credential,
        roleArn: b.params.RoleArn!,
        roleSessionName: 'rsn',
        durationSeconds: 3600,
        policy: b.params.Policy!,
        externalId: b.params.ExternalId!,
      },
      {
        endpoint: 'http://127.0.0.1:40123/',
        provider: 'ram_role_arn',
        source: 'x',
        userAgent: 'test/1',
        readTimeoutMs: 1,
      },
    )({ clock: manualClock(Date.UTC(2024, 0, 1)), random: fixedNonce(b.params.SignatureNonce!) })
    expect(prepared.request).toEqual({
      method: 'POST',
      url: `http://127.0.0.1:40123/?Version=2015-04-01&Action=AssumeRole&Format=JSON&Timestamp=2024-01-01T00%3A00%3A00Z&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=0123456789abcdef0123456789abcdef&AccessKeyId=akid&SecurityToken=ststoken&Signature=${encodeURIComponent(b.expected)}`,
      headers: { 'Content-Type': FORM, 'x-acs-credentials-provider': 'static_sts', 'User-Agent': 'test/1' },
      body: `RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Ftest-role&Policy=${encodeURIComponent(b.params.Policy!)}&ExternalId=ext-id_1.2~3%20(x)!'&RoleSessionName=rsn&DurationSeconds=3600`,
      connectTimeoutMs: 5000,
      readTimeoutMs: 1,
      maxResponseBytes: 1024 * 1024,
    })
  })

  it('signs vector C (UTF-8 session name with a plus sign)', async () => {
    const c = vector('C')
    const credential = Credential.accessKey({ accessKeyId: 'akid', accessKeySecret: 'aksecret', source: 'static_ak' })
    const prepared = await StsClient.prepareAssumeRole(
      { credential, roleArn: c.params.RoleArn!, roleSessionName: c.params.RoleSessionName!, durationSeconds: 900 },
      { endpoint: STS, provider: 'p', source: 's' },
    )({ clock: manualClock(Date.UTC(2024, 0, 1)), random: fixedNonce('nonce') })
    expect(prepared.request.url.endsWith(`&Signature=${encodeURIComponent(c.expected)}`)).toBe(true)
    expect(prepared.request.body).toBe(
      'RoleArn=acs%3Aram%3A%3A1%3Arole%2Fr&RoleSessionName=%E4%BC%9A%E8%AF%9D%20a%2Bb&DurationSeconds=900',
    )
  })
})

describe('prepareAssumeRoleWithOidc (§3.4)', () => {
  it('builds an unsigned POST with the token in the form body', async () => {
    const prepared = await StsClient.prepareAssumeRoleWithOidc(
      {
        oidcProviderArn: 'acs:ram::1:oidc-provider/ack',
        oidcToken: OIDC_TOKEN,
        roleArn: ROLE,
        roleSessionName: 'rsn',
        durationSeconds: 3600,
        policy: '{"Version":"1"}',
      },
      { endpoint: STS, provider: 'oidc_role_arn', source: 'oidc_role_arn' },
    )({ clock: manualClock(Date.UTC(2024, 0, 1, 8, 5, 9, 999)) })
    expect(prepared).toEqual({
      request: {
        method: 'POST',
        url: `${STS}?Version=2015-04-01&Action=AssumeRoleWithOIDC&Format=JSON&Timestamp=2024-01-01T08%3A05%3A09Z`,
        headers: { 'Content-Type': FORM, 'User-Agent': 'alicred/0.1.0' },
        body: `OIDCProviderArn=acs%3Aram%3A%3A1%3Aoidc-provider%2Fack&OIDCToken=${OIDC_TOKEN}&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Ftest-role&Policy=%7B%22Version%22%3A%221%22%7D&RoleSessionName=rsn&DurationSeconds=3600`,
        ...TRANSPORT,
      },
    })
  })
})

describe('prepareGenerateSessionAccessKey (§2.14)', () => {
  it('builds the Go SDK GET, signed SHA256withRSA over the string to sign', async () => {
    const der = Uint8Array.from(atob(rsa.pkcs8Base64.replace(/\s+/g, '')), (ch) => ch.charCodeAt(0))
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    const privateKey = await crypto.subtle.importKey('pkcs8', der, alg, true, ['sign'])
    const { n, e } = await crypto.subtle.exportKey('jwk', privateKey)
    const publicKey = await crypto.subtle.importKey('jwk', { kty: 'RSA', n: n ?? '', e: e ?? '' }, alg, false, [
      'verify',
    ])
    const prepared = await StsClient.prepareGenerateSessionAccessKey(
      { publicKeyId: 'KP-123', privateKey, durationSeconds: 1800 },
      { endpoint: 'https://sts.ap-northeast-1.aliyuncs.com/', provider: 'rsa_key_pair', source: 'rsa_key_pair' },
    )({ clock: manualClock(Date.UTC(2024, 0, 1)), random: fakeRandom() })
    const stringToSign =
      'GET&%2F&AccessKeyId%3DKP-123%26Action%3DGenerateSessionAccessKey%26DurationSeconds%3D1800%26Format%3DJSON%26SignatureMethod%3DSHA256withRSA%26SignatureNonce%3Dnonce-0001%26SignatureType%3DPRIVATEKEY%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2015-04-01'
    const signature = new URL(prepared.request.url).searchParams.get('Signature') ?? ''
    expect(prepared).toEqual({
      request: {
        method: 'GET',
        url: `https://sts.ap-northeast-1.aliyuncs.com/?AccessKeyId=KP-123&Action=GenerateSessionAccessKey&Format=JSON&DurationSeconds=1800&SignatureMethod=SHA256withRSA&SignatureType=PRIVATEKEY&SignatureVersion=1.0&Version=2015-04-01&Timestamp=2024-01-01T00%3A00%3A00Z&SignatureNonce=nonce-0001&Signature=${encodeURIComponent(signature)}`,
        headers: { 'User-Agent': 'alicred/0.1.0' },
        ...TRANSPORT,
      },
      stringToSign,
    })
    const raw = Uint8Array.from(atob(signature), (ch) => ch.charCodeAt(0))
    expect(raw).toHaveLength(128)
    expect(await crypto.subtle.verify(alg, publicKey, raw, new TextEncoder().encode(stringToSign))).toBe(true)
  })
})

describe('assumeRole answers', () => {
  it('decodes a success into an sts credential, ignoring extra fields', async () => {
    const r = await assume(setup(), json(200, { ...OK, Extra: { nested: [1, 2] } }))
    expect(r).toEqual(
      E.right(
        Credential.sts({
          accessKeyId: 'STS.NewId',
          accessKeySecret: 'NewSecret-0123456789',
          securityToken: 'NewToken-0123456789',
          expiration: new Date('2024-01-01T01:00:00Z'),
          source: 'ram_role_arn/profile/static_sts',
        }),
      ),
    )
  })

  const malformed = (reason: string) => ({
    _tag: 'SourceFailure',
    provider: 'ram_role_arn',
    message: `STS AssumeRole answered with an unexpected body (${reason})`,
    status: 200,
    retryable: false,
  })
  const statusFailure = (status: number, message: string, extra: { code?: string; requestId?: string } = {}) => ({
    _tag: 'SourceFailure',
    provider: 'ram_role_arn',
    message: `STS AssumeRole answered HTTP ${status}${message}`,
    status,
    retryable: status === 429 || status >= 500,
    ...extra,
  })
  const credentialsWith = (fields: Record<string, unknown>) =>
    JSON.stringify({ Credentials: { ...OK.Credentials, ...fields } })

  const cases: ReadonlyArray<readonly [string, Reply, Record<string, unknown>]> = [
    ['a body that is not JSON', { status: 200, body: 'invalid json' }, malformed('not valid JSON')],
    [
      'a truncated body',
      { status: 200, body: JSON.stringify(OK).slice(0, 60) },
      malformed('not valid JSON (stopped at character 60)'),
    ],
    ['an empty body', { status: 200, body: '' }, malformed('the body is empty')],
    ['JSON null', { status: 200, body: 'null' }, malformed('<root>: expected AssumeRole response, got null')],
    ['an array', { status: 200, body: '[]' }, malformed('<root>: expected AssumeRole response, got object')],
    [
      'no Credentials',
      json(200, { RequestId: 'R' }),
      malformed('Credentials: expected Credentials object, got missing'),
    ],
    [
      'empty Credentials',
      json(200, { Credentials: {} }),
      malformed(
        'Credentials.AccessKeyId: expected non-empty string, got missing; Credentials.AccessKeySecret: expected non-empty string, got missing; Credentials.SecurityToken: expected non-empty string, got missing; Credentials.Expiration: expected UTC time (YYYY-MM-DDThh:mm:ssZ), got missing',
      ),
    ],
    [
      'an empty secret and a numeric token',
      { status: 200, body: credentialsWith({ AccessKeySecret: '', SecurityToken: 42 }) },
      malformed(
        'Credentials.AccessKeySecret: expected non-empty string, got string; Credentials.SecurityToken: expected non-empty string, got number',
      ),
    ],
    [
      'HTTP 400 with an STS error',
      json(400, {
        Code: 'InvalidParameter.RoleArn',
        Message: 'The parameter RoleArn is invalid.',
        RequestId: '0C8E2C5A-4000-4A7B-9C1D-000000000400',
      }),
      statusFailure(
        400,
        ': code InvalidParameter.RoleArn: The parameter RoleArn is invalid. (request id 0C8E2C5A-4000-4A7B-9C1D-000000000400)',
        {
          code: 'InvalidParameter.RoleArn',
          requestId: '0C8E2C5A-4000-4A7B-9C1D-000000000400',
        },
      ),
    ],
    [
      'HTTP 400 with a plain-text body (§6.7)',
      { status: 400, body: '4xx error' },
      statusFailure(400, ' without an STS error document'),
    ],
    [
      'HTTP 403 NoPermission',
      json(403, {
        Code: 'NoPermission',
        Message: 'You are not authorized to do this action. You should be authorized by RAM.',
        RequestId: '0C8E2C5A-4030-4A7B-9C1D-000000000403',
      }),
      statusFailure(
        403,
        ': code NoPermission: You are not authorized to do this action. You should be authorized by RAM.: check the role ARN and that the role’s trust policy allows this caller (request id 0C8E2C5A-4030-4A7B-9C1D-000000000403)',
        { code: 'NoPermission', requestId: '0C8E2C5A-4030-4A7B-9C1D-000000000403' },
      ),
    ],
    [
      'HTTP 404 InvalidAccessKeyId.NotFound, request id from the header',
      json(
        404,
        { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' },
        {
          'x-acs-request-id': '0C8E2C5A-4E00-4A7B-9C1D-00000000000E',
        },
      ),
      statusFailure(
        404,
        ': code InvalidAccessKeyId.NotFound: Specified access key is not found.: the AccessKey id does not exist (check it, and that it belongs to this site) (request id 0C8E2C5A-4E00-4A7B-9C1D-00000000000E)',
        { code: 'InvalidAccessKeyId.NotFound', requestId: '0C8E2C5A-4E00-4A7B-9C1D-00000000000E' },
      ),
    ],
    [
      'HTTP 429 Throttling',
      json(429, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' }),
      statusFailure(
        429,
        ': code Throttling.User: Request was denied due to user flow control.: STS is throttling requests; try again later',
        { code: 'Throttling.User' },
      ),
    ],
    [
      'HTTP 400 whose code says throttling (retryable though 4xx)',
      json(400, { Code: 'Throttling', Message: 'slow down' }),
      {
        ...statusFailure(400, ': code Throttling: slow down: STS is throttling requests; try again later', {
          code: 'Throttling',
        }),
        retryable: true,
      },
    ],
    [
      'HTTP 500 InternalError',
      json(500, { Code: 'InternalError', Message: 'The request processing has failed due to some unknown error.' }),
      statusFailure(500, ': code InternalError: The request processing has failed due to some unknown error.', {
        code: 'InternalError',
      }),
    ],
    [
      'HTTP 503 with an HTML body',
      { status: 503, body: '<html>Service Unavailable</html>', headers: { 'content-type': 'text/html' } },
      statusFailure(503, ' without an STS error document'),
    ],
    [
      'a Code and RequestId that are not identifiers (they are dropped, not quoted)',
      json(
        404,
        { Code: `<b>${SECRET}</b>`, RequestId: 'R 1 2', Message: 'm' },
        { 'x-acs-request-id': '0C8E2C5A-4E4D-4A7B-9C1D-0000000000AD' },
      ),
      statusFailure(404, ' without an STS error document (request id 0C8E2C5A-4E4D-4A7B-9C1D-0000000000AD)', {
        requestId: '0C8E2C5A-4E4D-4A7B-9C1D-0000000000AD',
      }),
    ],
    [
      'a Code longer than 64 characters (dropped, as by every remote source)',
      json(400, { Code: `Invalid.${'X'.repeat(57)}`, RequestId: '0C8E2C5A-0064-4A7B-9C1D-000000000064' }),
      statusFailure(400, ' without an STS error document (request id 0C8E2C5A-0064-4A7B-9C1D-000000000064)', {
        requestId: '0C8E2C5A-0064-4A7B-9C1D-000000000064',
      }),
    ],
    [
      'an error without Message (§9.12: must not crash)',
      json(400, { Code: 'SomethingElse' }),
      statusFailure(400, ': code SomethingElse', { code: 'SomethingElse' }),
    ],
    [
      'SignatureDoesNotMatch without Message',
      json(400, { Code: 'SignatureDoesNotMatch', RequestId: '0C8E2C5A-5000-4A7B-9C1D-000000000005' }),
      statusFailure(
        400,
        ': code SignatureDoesNotMatch: the signature was rejected, most likely because the AccessKey secret is wrong; check the AccessKey secret of profile/static_sts (AccessKey id LTAI****) (request id 0C8E2C5A-5000-4A7B-9C1D-000000000005)',
        { code: 'SignatureDoesNotMatch', requestId: '0C8E2C5A-5000-4A7B-9C1D-000000000005' },
      ),
    ],
    [
      'SignatureDoesNotMatch over another string to sign',
      json(400, {
        Code: 'SignatureDoesNotMatch',
        Message: `${StsClient.SIGNATURE_MISMATCH_PREFIX}POST&%2F&SecurityToken%3D${Signature.percentEncode(Signature.percentEncode(TOKEN))}`,
      }),
      statusFailure(
        400,
        ': code SignatureDoesNotMatch: the signature was rejected and STS signed a different string than we did: something between here and STS rewrote the request (a proxy?), or the endpoint is not STS',
        { code: 'SignatureDoesNotMatch' },
      ),
    ],
    [
      'a server message that echoes secrets, encoded or not',
      json(400, {
        Code: 'InvalidSecurityToken.Malformed',
        Message: `bad token ${TOKEN} / ${Signature.percentEncode(TOKEN)} / ${Signature.percentEncode(Signature.percentEncode(TOKEN))} / ${encodeURIComponent(TOKEN)} and ${SECRET}\n\tend`,
      }),
      statusFailure(
        400,
        ': code InvalidSecurityToken.Malformed: bad token <redacted> / <redacted> / <redacted> / <redacted> and <redacted> end: the calling credential’s security token is expired or invalid; refresh that source',
        { code: 'InvalidSecurityToken.Malformed' },
      ),
    ],
    [
      'a 10 MB body',
      { status: 200, body: 'x'.repeat(10 * 1024 * 1024) },
      {
        _tag: 'SourceFailure',
        provider: 'ram_role_arn',
        message: 'STS AssumeRole failed: response larger than 1048576 bytes (TooLarge on https://sts.aliyuncs.com/)',
        retryable: false,
      },
    ],
    [
      'a connection reset',
      { error: 'ConnectionReset' },
      {
        _tag: 'SourceFailure',
        provider: 'ram_role_arn',
        message: 'STS AssumeRole failed: ConnectionReset (scripted) (ConnectionReset on https://sts.aliyuncs.com/)',
        retryable: true,
      },
    ],
  ]

  it.each(cases)('%s → a typed error with no secret and no body in it', async (_, reply, expected) => {
    const r = await assume(setup(), reply)
    const e = errorOf(r)
    expect(e.toJSON()).toEqual(expected)
    const shown = [e.message, JSON.stringify(e), String(e)].join('\n')
    for (const secret of [SECRET, TOKEN, Signature.percentEncode(TOKEN), OK.Credentials.AccessKeySecret]) {
      expect(shown).not.toContain(secret)
    }
    if ('body' in reply && reply.body !== undefined && reply.body.length > 20) {
      expect(shown).not.toContain(reply.body.slice(0, 20))
    }
  })

  // D8: every encoding of what the client sent, and Code / RequestId only in their documented shapes.
  const ALNUM_SECRET = 'AkSecretAlnum0123456789abcdefXY'
  const alnumCaller = Credential.accessKey({
    accessKeyId: 'LTAI5tAlnum',
    accessKeySecret: ALNUM_SECRET,
    source: 'static_ak',
  })
  const assumeAs = (c: typeof caller | typeof alnumCaller, reply: Reply) => {
    const caps = setup()
    caps.http.on('POST', STS, reply)
    return StsClient.assumeRole(
      { credential: c, roleArn: ROLE, roleSessionName: 's', durationSeconds: 3600 },
      options,
    )(caps)()
  }
  const lower = (s: string) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())
  it.each<[string, string]>([
    ['lower-case percent-encoding', `token ${lower(TOKEN)} refused`],
    ['+ decoded as a space', `token ${TOKEN.replace(/\+/g, ' ')} refused`],
    ['a truncated token', `token ${TOKEN.slice(0, 12)}… refused`],
    ['a lower-case, double-encoded truncated token', `token ${lower(lower(TOKEN.slice(0, 10)))} refused`],
    ['the token base64-encoded', `token ${Buffer.from(`x${TOKEN}`).toString('base64')} refused`],
    ['the secret base64url-encoded', `secret ${Buffer.from(SECRET).toString('base64url')} refused`],
  ])('scrubs %s from the server message', async (_, message) => {
    const e = errorOf(await assumeAs(caller, json(400, { Code: 'InvalidSecurityToken.Malformed', Message: message })))
    expect(e.message).toMatch(
      /^STS AssumeRole answered HTTP 400: code InvalidSecurityToken\.Malformed: \S+ \S*<redacted>\S* refused/,
    )
    expect(e.message).not.toContain(TOKEN.slice(0, 8))
    expect(e.message).not.toContain(SECRET.slice(0, 8))
  })

  it('never echoes a Code or RequestId holding a secret, even one shaped like an identifier', async () => {
    const e = errorOf(
      await assumeAs(
        alnumCaller,
        json(400, { Code: ALNUM_SECRET, RequestId: ALNUM_SECRET, Message: 'm' }, { 'x-acs-request-id': ALNUM_SECRET }),
      ),
    )
    expect(e.toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'ram_role_arn',
      message: 'STS AssumeRole answered HTTP 400 without an STS error document',
      status: 400,
      retryable: false,
    })
  })

  it('echoes a Code and RequestId only in their documented shapes', async () => {
    const id = '6A9C1F2E-3B4D-4E5F-8A7B-9C0D1E2F3A4B'
    const cases: ReadonlyArray<readonly [Record<string, unknown>, string | undefined, string | undefined]> = [
      [{ Code: 'InvalidParameter.RoleArn', RequestId: id }, 'InvalidParameter.RoleArn', id],
      [{ Code: 'Throttling.User', RequestId: id.toLowerCase() }, 'Throttling.User', id.toLowerCase()],
      [{ Code: 'Invalid Parameter', RequestId: 'R-1' }, undefined, undefined],
      [{ Code: 'a/b', RequestId: `${id}x` }, undefined, undefined],
      [{ Code: `${'A'.repeat(65)}`, RequestId: '' }, undefined, undefined],
      [{ Code: 'Bad.', RequestId: 'not-a-uuid-at-all-0000-000000000000' }, undefined, undefined],
    ]
    for (const [doc, code, requestId] of cases) {
      const e = errorOf(await assumeAs(caller, json(400, { ...doc, Message: 'm' }))) as CredentialsError.SourceFailure
      expect([e.code, e.requestId]).toEqual([code, requestId])
    }
  })

  it('says plainly that the secret is wrong when STS signed the same string', async () => {
    const caps = setup()
    let sent: string | undefined
    caps.http.on('POST', STS, async (req) => {
      // what STS would answer: the same string to sign, recomputed from the request it received
      const params = Object.fromEntries([
        ...new URL(req.url).searchParams,
        ...new URLSearchParams(req.body ?? ''),
      ]) as Record<string, string>
      sent = Signature.stringToSign('POST', params)
      return json(400, {
        Code: 'SignatureDoesNotMatch',
        Message: `${StsClient.SIGNATURE_MISMATCH_PREFIX}${sent}`,
        RequestId: '0C8E2C5A-5160-4A7B-9C1D-000000005160',
      })
    })
    const r = await StsClient.assumeRole(
      { credential: caller, roleArn: ROLE, roleSessionName: 's', durationSeconds: 3600 },
      options,
    )(caps)()
    expect(sent).toContain('SecurityToken')
    expect(errorOf(r).toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'ram_role_arn',
      message:
        'STS AssumeRole answered HTTP 400: code SignatureDoesNotMatch: the AccessKey secret is wrong: STS computed the same string to sign but a different signature; check the AccessKey secret of profile/static_sts (AccessKey id LTAI****) (request id 0C8E2C5A-5160-4A7B-9C1D-000000005160)',
      status: 400,
      code: 'SignatureDoesNotMatch',
      requestId: '0C8E2C5A-5160-4A7B-9C1D-000000005160',
      retryable: false,
    })
    expect(errorOf(r).message).not.toContain(Signature.percentEncode(Signature.percentEncode(TOKEN)))
  })

  it.each([...vectors.expiration.invalid, '2024-08-31T09:30:01+08:00', '2024-08-31 09:30:01'])(
    'refuses Expiration %j',
    async (expiration) => {
      const r = await assume(setup(), { status: 200, body: credentialsWith({ Expiration: expiration }) })
      expect(errorOf(r).toJSON()).toEqual(
        malformed('Credentials.Expiration: expected UTC time (YYYY-MM-DDThh:mm:ssZ), got string'),
      )
    },
  )

  it('passes an already-expired credential on with its expiration (the cache refuses it, see the provider tests)', async () => {
    const r = await assume(setup(), { status: 200, body: credentialsWith({ Expiration: '2023-12-31T23:00:00Z' }) })
    expect(E.isRight(r) && r.right.expiration).toEqual(new Date('2023-12-31T23:00:00Z'))
  })

  it('times out on the read timeout when the server never answers', async () => {
    const caps = setup()
    let settled = false
    const pending = assume(caps, { hang: true }).then((r) => {
      settled = true
      return r
    })
    await vi.waitFor(() => expect(caps.clock.pending()).toBe(1))
    await caps.clock.advance(9_999)
    expect(settled).toBe(false)
    await caps.clock.advance(1)
    expect(errorOf(await pending).toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'ram_role_arn',
      message: 'STS AssumeRole failed: no response within 10000 ms (ReadTimeout on https://sts.aliyuncs.com/)',
      retryable: true,
    })
  })

  it('reports a refused connection as retryable, without the query string', async () => {
    const r = await assume(setup(), { error: 'ConnectionRefused' })
    expect(errorOf(r).toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'ram_role_arn',
      message: 'STS AssumeRole failed: ConnectionRefused (scripted) (ConnectionRefused on https://sts.aliyuncs.com/)',
      retryable: true,
    })
  })
})

describe('assumeRoleWithOidc answers', () => {
  it('decodes a success and keeps the OIDC token out of error messages', async () => {
    const caps = setup()
    caps.http.on(
      'POST',
      STS,
      json(200, { ...OK, OIDCTokenInfo: { Subject: 's' } }),
      json(403, { Code: 'AuthenticationFail.NoPermission', Message: `token ${OIDC_TOKEN} is not allowed` }),
    )
    const call = StsClient.assumeRoleWithOidc(
      { oidcProviderArn: 'arn', oidcToken: OIDC_TOKEN, roleArn: ROLE, roleSessionName: 's', durationSeconds: 900 },
      { endpoint: STS, provider: 'oidc_role_arn', source: 'oidc_role_arn' },
    )(caps)
    expect(await call()).toEqual(
      E.right(
        Credential.sts({
          accessKeyId: 'STS.NewId',
          accessKeySecret: 'NewSecret-0123456789',
          securityToken: 'NewToken-0123456789',
          expiration: new Date('2024-01-01T01:00:00Z'),
          source: 'oidc_role_arn',
        }),
      ),
    )
    expect(errorOf(await call()).toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'oidc_role_arn',
      message:
        'STS AssumeRoleWithOIDC answered HTTP 403: code AuthenticationFail.NoPermission: token <redacted> is not allowed: check the role ARN and that the role’s trust policy allows this caller',
      status: 403,
      code: 'AuthenticationFail.NoPermission',
      retryable: false,
    })
  })
})

describe('scrub', () => {
  it('caps long messages and ignores very short secrets', () => {
    expect(StsClient.scrub('x'.repeat(400), ['abc'])).toBe(`${'x'.repeat(300)}…`)
    expect(StsClient.scrub('abc', ['abc'])).toBe('abc')
  })
})
