import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Expiration, Signature } from '@alicred/core'
import { fakeJwt, type ManualClock, manualClock } from '@alicred/testing'
import { type Emulator, startEmulator } from '@alicred/testing/emulator'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { jsonOf, nonce, type Res, rpc, rpcParams, send, sendRpc, stsErrorOf, v3 } from './_support.js'

interface RpcVector {
  readonly name: string
  readonly method: 'POST'
  readonly secret: string
  readonly params: Record<string, string>
  readonly expected: string
}
const vectors = JSON.parse(
  readFileSync(new URL('../../../core/test/fixtures/vectors.json', import.meta.url), 'utf8'),
) as { readonly rpcSignature: ReadonlyArray<RpcVector> }

const T0 = Date.UTC(2024, 0, 1)
const ACCOUNT = '1234567890123456'
const ROLE = `acs:ram::${ACCOUNT}:role/test-role`
const OTHER_ROLE = `acs:ram::${ACCOUNT}:role/other-role`
const OIDC_PROVIDER = `acs:ram::${ACCOUNT}:oidc-provider/github`
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/
const SIG_PREFIX = 'Specified signature is not matched with our calculation. server string to sign is:'
const JSON_TYPE = 'application/json;charset=utf-8'

let clock: ManualClock
let emu: Emulator

beforeEach(async () => {
  clock = manualClock(T0)
  emu = await startEmulator({
    clock,
    accessKeys: [
      { accessKeyId: 'akid', accessKeySecret: 'aksecret', userName: 'alice' },
      { accessKeyId: 'rootid', accessKeySecret: 'rootsecret', root: true },
    ],
    roles: [{ roleArn: ROLE }, { roleArn: OTHER_ROLE, maxSessionDurationSeconds: 7200 }],
    oidcProviders: [
      { arn: OIDC_PROVIDER, issuer: 'https://token.actions.githubusercontent.com', audiences: ['sts.aliyuncs.com'] },
    ],
  })
})
afterEach(() => emu.stop())

const assumeRole = (params: Record<string, string> = {}, as = { id: 'akid', secret: 'aksecret', token: '' }) =>
  rpc(emu, {
    now: clock.now(),
    secret: as.secret,
    params: {
      Action: 'AssumeRole',
      AccessKeyId: as.id,
      ...(as.token === '' ? {} : { SecurityToken: as.token }),
      RoleArn: ROLE,
      RoleSessionName: 'rsn',
      DurationSeconds: '3600',
      ...params,
    },
  })

const err = (status: number, Code: string, Message: string) => ({ status, contentType: JSON_TYPE, Code, Message })

interface AssumeRoleBody {
  readonly Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string; Expiration: string }
}
const credsOf = (r: Res) => (jsonOf(r) as AssumeRoleBody).Credentials

const assumed = (roleArn: string, session: string, expiration: string) => ({
  RequestId: expect.stringMatching(UUID),
  AssumedRoleUser: {
    Arn: `${roleArn}/${session}`,
    AssumedRoleId: expect.stringMatching(new RegExp(`^3\\d{18}:${session}$`)),
  },
  Credentials: {
    AccessKeyId: expect.stringMatching(/^STS\.[A-Za-z0-9]{25}$/),
    AccessKeySecret: expect.stringMatching(/^[A-Za-z0-9]{44}$/),
    SecurityToken: expect.stringMatching(/^CAIS[A-Za-z0-9]+$/),
    Expiration: expiration,
  },
})

describe('RPC v1 (HMAC-SHA1) verification', () => {
  it.each(vectors.rpcSignature.map((v) => [v.name, v] as const))(
    'accepts the reference signature of vector %s',
    async (_, v) => {
      if (v.params.SecurityToken !== undefined) {
        // Vector B signs with STS credentials: register akid as a session of another role.
        emu.removeAccessKey('akid')
        emu.addStsCredentials({
          accessKeyId: 'akid',
          accessKeySecret: v.secret,
          securityToken: v.params.SecurityToken,
          roleArn: `acs:ram::${ACCOUNT}:role/source`,
        })
      }
      emu.addRole({ roleArn: v.params.RoleArn! })
      const r = await sendRpc(emu, { ...v.params, Signature: v.expected })
      if (/^[\w.@-]{2,64}$/.test(v.params.RoleSessionName!)) {
        expect(jsonOf(r)).toEqual(
          assumed(
            v.params.RoleArn!,
            v.params.RoleSessionName!,
            Expiration.formatTimestamp(T0 + Number(v.params.DurationSeconds) * 1000),
          ),
        )
        expect(r.status).toBe(200)
      } else {
        // The signature passed; only the session name (with a space and CJK characters) is refused.
        expect(stsErrorOf(r)).toEqual(
          err(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.'),
        )
      }
      const tampered = await sendRpc(emu, { ...v.params, SignatureNonce: 'other', Signature: v.expected })
      expect(jsonOf(tampered)).toMatchObject({ Code: 'SignatureDoesNotMatch' })
    },
  )

  it('answers SignatureDoesNotMatch with the server string-to-sign, equal to the client one', async () => {
    const params = rpcParams({
      now: clock.now(),
      secret: 'wrong',
      params: { Action: 'AssumeRole', AccessKeyId: 'akid', RoleArn: ROLE, RoleSessionName: 'rsn' },
    })
    const r = await sendRpc(emu, { ...params, Signature: await Signature.signRpc('POST', params, 'wrong') })
    expect(stsErrorOf(r)).toEqual(
      err(400, 'SignatureDoesNotMatch', `${SIG_PREFIX}${Signature.stringToSign('POST', params)}`),
    )
  })

  it('answers errors in the gateway JSON shape', async () => {
    const r = await assumeRole({}, { id: 'nobody', secret: 'x', token: '' })
    expect(r.status).toBe(404)
    expect(r.headers['content-type']).toBe(JSON_TYPE)
    const b = jsonOf(r) as Record<string, string>
    expect(b).toEqual({
      RequestId: expect.stringMatching(UUID),
      HostId: emu.host,
      Code: 'InvalidAccessKeyId.NotFound',
      Message: 'Specified access key is not found.',
      Recommend: `https://api.aliyun.com/troubleshoot?q=InvalidAccessKeyId.NotFound&product=Sts&requestId=${b.RequestId}`,
    })
  })

  it('accepts Timestamps within 15 minutes either way and refuses the rest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -1800, max: 1800 }), async (skewS) => {
        const r = await rpc(emu, {
          now: T0 + skewS * 1000,
          secret: 'aksecret',
          params: { Action: 'GetCallerIdentity', AccessKeyId: 'akid' },
        })
        if (Math.abs(skewS) <= 900) expect(r.status).toBe(200)
        else {
          expect(stsErrorOf(r)).toEqual(
            err(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
          )
        }
      }),
      { numRuns: 40, examples: [[900], [901], [-900], [-901]] },
    )
  })

  it('refuses a malformed Timestamp', async () => {
    const r = await assumeRole({ Timestamp: '2024-01-01 00:00:00' })
    expect(stsErrorOf(r)).toEqual(
      err(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'),
    )
  })

  it('refuses a replayed nonce, and accepts it again from another key', async () => {
    const n = nonce()
    const call = (id: string, secret: string) =>
      rpc(emu, { now: clock.now(), secret, nonce: n, params: { Action: 'GetCallerIdentity', AccessKeyId: id } })
    expect((await call('akid', 'aksecret')).status).toBe(200)
    expect(stsErrorOf(await call('akid', 'aksecret'))).toEqual(
      err(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
    )
    expect((await call('rootid', 'rootsecret')).status).toBe(200)
  })

  it.each(['AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp', 'RoleArn', 'RoleSessionName', 'Version'])(
    'answers MissingParameter without %s',
    async (name) => {
      const params = rpcParams({
        now: clock.now(),
        secret: 'aksecret',
        params: { Action: 'AssumeRole', AccessKeyId: 'akid', RoleArn: ROLE, RoleSessionName: 'rsn' },
      })
      const all: Record<string, string> = { ...params, Signature: await Signature.signRpc('POST', params, 'aksecret') }
      delete all[name]
      if (name !== 'Signature') all.Signature = await Signature.signRpc('POST', { ...all, Signature: '' }, 'aksecret')
      expect(stsErrorOf(await sendRpc(emu, all))).toEqual(
        err(
          400,
          'MissingParameter',
          `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
        ),
      )
    },
  )

  it('refuses a missing or unknown Action, and another Version', async () => {
    expect(stsErrorOf(await send(`${emu.stsEndpoint}/?Version=2015-04-01`))).toEqual(
      err(
        400,
        'MissingParameter',
        'The input parameter "Action" that is mandatory for processing this request is not supplied.',
      ),
    )
    expect(stsErrorOf(await send(`${emu.stsEndpoint}/?Version=2015-04-01&Action=GetFederationToken`))).toEqual(
      err(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
    )
    expect(stsErrorOf(await assumeRole({ Version: '2019-01-01' }))).toEqual(
      err(400, 'InvalidVersion', 'Specified parameter Version is not valid.'),
    )
    expect(emu.counts()).toEqual({ 'sts.unknown': 2, 'sts.AssumeRole': 1 })
  })

  it('refuses another SignatureMethod or SignatureVersion', async () => {
    expect(stsErrorOf(await assumeRole({ SignatureMethod: 'HMAC-SHA256' }))).toEqual(
      err(400, 'InvalidParameter', 'The specified parameter "SignatureMethod" is not valid.'),
    )
    expect(stsErrorOf(await assumeRole({ SignatureVersion: '2.0' }))).toEqual(
      err(400, 'InvalidParameter', 'The specified parameter "SignatureVersion" is not valid.'),
    )
  })

  it('accepts GET with every parameter in the query', async () => {
    const r = await rpc(emu, {
      method: 'GET',
      now: clock.now(),
      secret: 'aksecret',
      params: { Action: 'GetCallerIdentity', AccessKeyId: 'akid' },
    })
    expect(r.status).toBe(200)
  })
})

describe('AssumeRole', () => {
  it('issues credentials for the requested duration and registers them', async () => {
    const r = await assumeRole({ DurationSeconds: '900' })
    expect(r.status).toBe(200)
    expect(jsonOf(r)).toEqual(assumed(ROLE, 'rsn', '2024-01-01T00:15:00Z'))
    const c = credsOf(r)
    expect(emu.identity(c.AccessKeyId)).toEqual({
      accountId: ACCOUNT,
      identityType: 'AssumedRoleUser',
      userId: expect.stringMatching(/^3\d{18}:rsn$/),
      arn: `acs:ram::${ACCOUNT}:assumed-role/test-role/rsn`,
      principalId: expect.stringMatching(/^3\d{18}:rsn$/),
      roleId: expect.stringMatching(/^3\d{18}$/),
      roleArn: ROLE,
    })
  })

  it('defaults DurationSeconds to 3600', async () => {
    const params = rpcParams({
      now: clock.now(),
      secret: 'aksecret',
      params: { Action: 'AssumeRole', AccessKeyId: 'akid', RoleArn: ROLE, RoleSessionName: 'rsn' },
    })
    const r = await sendRpc(emu, { ...params, Signature: await Signature.signRpc('POST', params, 'aksecret') })
    expect(credsOf(r).Expiration).toBe('2024-01-01T01:00:00Z')
  })

  it.each([
    ['899', ROLE, '1hr'],
    ['3601', ROLE, '1hr'],
    ['7201', OTHER_ROLE, '2hr'],
    ['1.5e3', ROLE, '1hr'],
  ])('refuses DurationSeconds %s for the role maximum', async (d, role, max) => {
    expect(stsErrorOf(await assumeRole({ DurationSeconds: d, RoleArn: role }))).toEqual(
      err(400, 'InvalidParameter.DurationSeconds', `The Min/Max value of DurationSeconds is 15min/${max}.`),
    )
  })

  it("accepts up to the role's maximum session duration", async () => {
    const r = await assumeRole({ DurationSeconds: '7200', RoleArn: OTHER_ROLE })
    expect(credsOf(r).Expiration).toBe('2024-01-01T02:00:00Z')
  })

  it('chains roles with issued credentials, capped at one hour', async () => {
    const first = credsOf(await assumeRole())
    const as = { id: first.AccessKeyId, secret: first.AccessKeySecret, token: first.SecurityToken }
    expect(stsErrorOf(await assumeRole({ RoleArn: OTHER_ROLE, DurationSeconds: '7200' }, as))).toEqual(
      err(400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/1hr.'),
    )
    const second = await assumeRole({ RoleArn: OTHER_ROLE, RoleSessionName: 'chained' }, as)
    expect(jsonOf(second)).toEqual(assumed(OTHER_ROLE, 'chained', '2024-01-01T01:00:00Z'))
    const c = credsOf(second)
    const who = await rpc(emu, {
      now: clock.now(),
      secret: c.AccessKeySecret,
      params: { Action: 'GetCallerIdentity', AccessKeyId: c.AccessKeyId, SecurityToken: c.SecurityToken },
    })
    expect(jsonOf(who)).toEqual({
      RequestId: expect.stringMatching(UUID),
      AccountId: ACCOUNT,
      UserId: expect.stringMatching(/^3\d{18}:chained$/),
      Arn: `acs:ram::${ACCOUNT}:assumed-role/other-role/chained`,
      IdentityType: 'AssumedRoleUser',
      PrincipalId: expect.stringMatching(/^3\d{18}:chained$/),
      RoleId: expect.stringMatching(/^3\d{18}$/),
    })
  })

  it('checks the security token of STS credentials: missing, mismatched, expired', async () => {
    const c = credsOf(await assumeRole({ DurationSeconds: '900' }))
    const as = (token: string) => ({ id: c.AccessKeyId, secret: c.AccessKeySecret, token })
    expect(stsErrorOf(await assumeRole({}, as('')))).toEqual(
      err(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.'),
    )
    expect(stsErrorOf(await assumeRole({}, as('CAISother')))).toEqual(
      err(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.'),
    )
    await clock.advance(900_000)
    expect(stsErrorOf(await assumeRole({}, as(c.SecurityToken)))).toEqual(
      err(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.'),
    )
  })

  it('refuses a security token sent with a permanent AccessKey', async () => {
    expect(stsErrorOf(await assumeRole({}, { id: 'akid', secret: 'aksecret', token: 'CAISx' }))).toEqual(
      err(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.'),
    )
  })

  it('refuses root accounts', async () => {
    expect(stsErrorOf(await assumeRole({}, { id: 'rootid', secret: 'rootsecret', token: '' }))).toEqual(
      err(403, 'NoPermission', 'Roles may not be assumed by root accounts.'),
    )
  })

  it('refuses unknown and malformed role ARNs, bad session names and bad policies', async () => {
    const missing = `acs:ram::${ACCOUNT}:role/missing`
    expect(stsErrorOf(await assumeRole({ RoleArn: missing }))).toEqual(
      err(404, 'EntityNotExist.Role', `The specified Role not exists: ${missing}.`),
    )
    expect(stsErrorOf(await assumeRole({ RoleArn: 'test-role' }))).toEqual(
      err(400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.'),
    )
    expect(stsErrorOf(await assumeRole({ RoleSessionName: 'a' }))).toEqual(
      err(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.'),
    )
    expect(stsErrorOf(await assumeRole({ Policy: '{"Statement": [' }))).toEqual(
      err(400, 'InvalidParameter.PolicyGrammar', 'The parameter Policy has not passed grammar check.'),
    )
  })

  it("honours the role's trust policy and external id", async () => {
    const guarded = `acs:ram::${ACCOUNT}:role/guarded`
    emu.addRole({ roleArn: guarded, trustedPrincipals: [`acs:ram::${ACCOUNT}:user/bob`], externalId: 'ext-1' })
    const noPermission = err(403, 'NoPermission', 'No permission perform sts:AssumeRole on this Role.')
    expect(stsErrorOf(await assumeRole({ RoleArn: guarded, ExternalId: 'ext-1' }))).toEqual(noPermission)
    emu.addAccessKey({ accessKeyId: 'bobid', accessKeySecret: 'bobsecret', userName: 'bob' })
    const bob = { id: 'bobid', secret: 'bobsecret', token: '' }
    expect(stsErrorOf(await assumeRole({ RoleArn: guarded }, bob))).toEqual(noPermission)
    expect(stsErrorOf(await assumeRole({ RoleArn: guarded, ExternalId: 'ext-2' }, bob))).toEqual(noPermission)
    expect((await assumeRole({ RoleArn: guarded, ExternalId: 'ext-1' }, bob)).status).toBe(200)
    emu.addRole({ roleArn: guarded, trustedPrincipals: [`acs:ram::${ACCOUNT}:root`] })
    expect((await assumeRole({ RoleArn: guarded })).status).toBe(200)
  })
})

describe('GetCallerIdentity', () => {
  it('describes a RAM user and a root account', async () => {
    const who = (id: string, secret: string) =>
      rpc(emu, { now: clock.now(), secret, params: { Action: 'GetCallerIdentity', AccessKeyId: id } })
    const user = jsonOf(await who('akid', 'aksecret')) as Record<string, string>
    expect(user).toEqual({
      RequestId: expect.stringMatching(UUID),
      AccountId: ACCOUNT,
      UserId: expect.stringMatching(/^2\d{15}$/),
      Arn: `acs:ram::${ACCOUNT}:user/alice`,
      IdentityType: 'RAMUser',
      PrincipalId: user.UserId,
    })
    expect(jsonOf(await who('rootid', 'rootsecret'))).toEqual({
      RequestId: expect.stringMatching(UUID),
      AccountId: ACCOUNT,
      UserId: ACCOUNT,
      Arn: `acs:ram::${ACCOUNT}:root`,
      IdentityType: 'Account',
      PrincipalId: ACCOUNT,
    })
  })
})

describe('V3 (ACS3-HMAC-SHA256) verification', () => {
  const call = (init: Partial<Parameters<typeof v3>[1]> = {}) =>
    v3(emu, { action: 'GetCallerIdentity', accessKeyId: 'akid', secret: 'aksecret', now: clock.now(), ...init })

  it('accepts a correctly signed request', async () => {
    const r = await call()
    expect(r.status).toBe(200)
    expect(jsonOf(r)).toMatchObject({ Arn: `acs:ram::${ACCOUNT}:user/alice`, IdentityType: 'RAMUser' })
  })

  it('accepts STS credentials with x-acs-security-token and reports the RoleId', async () => {
    const c = credsOf(await assumeRole())
    const r = await call({ accessKeyId: c.AccessKeyId, secret: c.AccessKeySecret, securityToken: c.SecurityToken })
    expect(jsonOf(r)).toMatchObject({ IdentityType: 'AssumedRoleUser', RoleId: expect.stringMatching(/^3\d{18}$/) })
    expect(stsErrorOf(await call({ accessKeyId: c.AccessKeyId, secret: c.AccessKeySecret }))).toEqual(
      err(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.'),
    )
  })

  it('signs the query and a form body too (AssumeRole over V3)', async () => {
    const body = Signature.formEncode({ RoleArn: ROLE, RoleSessionName: 'v3', DurationSeconds: '1200' })
    const r = await call({
      action: 'AssumeRole',
      query: { Extra: 'a b*' },
      body,
      contentType: 'application/x-www-form-urlencoded',
    })
    expect(jsonOf(r)).toEqual(assumed(ROLE, 'v3', '2024-01-01T00:20:00Z'))
  })

  it('answers SignatureDoesNotMatch for a wrong secret or a header changed after signing', async () => {
    const wrong = await call({ secret: 'wrong' })
    expect(stsErrorOf(wrong)).toMatchObject({ status: 400, Code: 'SignatureDoesNotMatch' })
    expect((jsonOf(wrong) as { Message: string }).Message).toMatch(
      new RegExp(`^${SIG_PREFIX.replace(/\./g, '\\.')}ACS3-HMAC-SHA256\\n[0-9a-f]{64}$`),
    )
    const changed = await call({
      after: (h) => {
        h['x-acs-date'] = Expiration.formatTimestamp(clock.now() + 1000)
      },
    })
    expect(stsErrorOf(changed)).toMatchObject({ status: 400, Code: 'SignatureDoesNotMatch' })
  })

  it('refuses a body that does not match x-acs-content-sha256', async () => {
    const r = await call({
      after: (h) => {
        h['x-acs-content-sha256'] = '0'.repeat(64)
      },
    })
    expect(stsErrorOf(r)).toEqual(
      err(400, 'SignatureDoesNotMatch', 'The x-acs-content-sha256 header does not match the body.'),
    )
  })

  it('refuses an x-acs-* header left out of SignedHeaders, and a malformed Authorization', async () => {
    const incomplete = err(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.')
    expect(stsErrorOf(await call({ unsigned: ['x-acs-signature-nonce'] }))).toEqual(incomplete)
    const r = await call({
      after: (h) => {
        h.authorization = 'ACS3-HMAC-SHA256 Credential=akid'
      },
    })
    expect(stsErrorOf(r)).toEqual(incomplete)
  })

  it('refuses a stale x-acs-date and a replayed nonce', async () => {
    expect(stsErrorOf(await call({ now: T0 - 901_000 }))).toEqual(
      err(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
    )
    await call({ nonce: 'n-1' })
    expect(stsErrorOf(await call({ nonce: 'n-1' }))).toEqual(
      err(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
    )
  })

  it('refuses an unknown AccessKey id', async () => {
    expect(stsErrorOf(await call({ accessKeyId: 'nobody' }))).toEqual(
      err(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
    )
  })
})

describe('AssumeRoleWithOIDC', () => {
  const GITHUB = 'https://token.actions.githubusercontent.com'
  const token = (claims: Record<string, unknown> = {}) =>
    fakeJwt({
      iss: GITHUB,
      sub: 'repo:o/r:ref:refs/heads/main',
      aud: 'sts.aliyuncs.com',
      iat: T0 / 1000 - 60,
      exp: T0 / 1000 + 300,
      ...claims,
    })
  const oidc = (form: Record<string, string>, query: Record<string, string> = {}) =>
    send(
      `${emu.stsEndpoint}/?${Signature.formEncode({
        Version: '2015-04-01',
        Action: 'AssumeRoleWithOIDC',
        Format: 'JSON',
        Timestamp: Expiration.formatTimestamp(clock.now()),
        ...query,
      })}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: Signature.formEncode({
          OIDCProviderArn: OIDC_PROVIDER,
          OIDCToken: token(),
          RoleArn: ROLE,
          RoleSessionName: 'gh',
          DurationSeconds: '3600',
          ...form,
        }),
      },
    )

  it('issues credentials anonymously, with OIDCTokenInfo', async () => {
    const r = await oidc({})
    expect(r.status).toBe(200)
    expect(jsonOf(r)).toEqual({
      ...assumed(ROLE, 'gh', '2024-01-01T01:00:00Z'),
      OIDCTokenInfo: {
        Subject: 'repo:o/r:ref:refs/heads/main',
        Issuer: GITHUB,
        ClientIds: 'sts.aliyuncs.com',
        ExpirationTime: '2024-01-01T00:05:00Z',
        IssuanceTime: '2023-12-31T23:59:00Z',
      },
    })
    expect(emu.requests()).toEqual([
      { seq: 1, at: T0, route: 'sts.AssumeRoleWithOIDC', method: 'POST', path: '/', status: 200 },
    ])
  })

  it('accepts the untrimmed token file content the reference sends', async () => {
    expect((await oidc({ OIDCToken: `${token()}\n` })).status).toBe(200)
  })

  it.each([
    ['an empty token', { OIDCToken: '' }, 'AuthenticationFail.OIDCToken.Invalid', 'The OIDCToken can not empty.'],
    [
      'a token that is not a JWT',
      { OIDCToken: 'abc.def' },
      'AuthenticationFail.OIDCToken.Invalid',
      "The number of Jwt field should be divided into 3 parts with '.' .",
    ],
    [
      'a JWT that is not base64url JSON',
      { OIDCToken: 'a!b.c.d' },
      'AuthenticationFail.OIDCToken.Invalid',
      'Cannot decode base64 encoded response(format invalided).',
    ],
    [
      'a JWT without exp',
      { OIDCToken: fakeJwt({ iss: GITHUB, sub: 's', aud: 'sts.aliyuncs.com' }) },
      'AuthenticationFail.OIDCToken.Invalid',
      'The Jwt content is invalid that cannot be recognized.',
    ],
    [
      'an expired JWT',
      { OIDCToken: token({ exp: T0 / 1000 }) },
      'AuthenticationFail.OIDCToken.Expired',
      'This JsonWebToken is expired.',
    ],
    [
      'another issuer',
      { OIDCToken: token({ iss: 'https://evil' }) },
      'AuthenticationFail.OIDCToken.IssuerNotMatch',
      'Invalid issuer.',
    ],
    [
      'another audience',
      { OIDCToken: token({ aud: ['x', 'y'] }) },
      'AuthenticationFail.OIDCToken.AudienceNotMatch',
      'Invalid audience.',
    ],
    [
      'an unknown provider',
      { OIDCProviderArn: `acs:ram::${ACCOUNT}:oidc-provider/none` },
      'AuthenticationFail.NoPermission',
      'No such OIDC Provider registered.',
    ],
  ])('refuses %s with 401', async (_, form, code, message) => {
    expect(stsErrorOf(await oidc(form))).toEqual(err(401, code, message))
  })

  it('refuses a role that does not trust the provider', async () => {
    const strict = `acs:ram::${ACCOUNT}:role/strict`
    emu.addRole({ roleArn: strict, oidcProviderArns: [`acs:ram::${ACCOUNT}:oidc-provider/other`] })
    expect(stsErrorOf(await oidc({ RoleArn: strict }))).toEqual(
      err(401, 'AuthenticationFail.NoPermission', 'There is no permission'),
    )
  })

  it('requires a fresh Timestamp, the provider and the role', async () => {
    expect(stsErrorOf(await oidc({}, { Timestamp: '2023-12-31T23:00:00Z' }))).toEqual(
      err(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
    )
    expect(stsErrorOf(await oidc({ RoleArn: '' }))).toEqual(
      err(
        400,
        'MissingParameter',
        'The input parameter "RoleArn" that is mandatory for processing this request is not supplied.',
      ),
    )
  })
})

describe('GenerateSessionAccessKey (SHA256withRSA)', () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const privateKey = globalThis.crypto.subtle.importKey(
    'pkcs8',
    pair.privateKey.export({ type: 'pkcs8', format: 'der' }),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const gsak = async (params: Record<string, string> = {}, key?: CryptoKey) => {
    const all: Record<string, string> = {
      AccessKeyId: 'KP-1',
      Action: 'GenerateSessionAccessKey',
      Format: 'JSON',
      DurationSeconds: '3600',
      SignatureMethod: 'SHA256withRSA',
      SignatureType: 'PRIVATEKEY',
      SignatureVersion: '1.0',
      Version: '2015-04-01',
      Timestamp: Expiration.formatTimestamp(clock.now()),
      SignatureNonce: nonce(),
      ...params,
    }
    const sig = await Signature.rsaSha256Base64(Signature.stringToSign('GET', all), key ?? (await privateKey))
    return send(`${emu.stsEndpoint}/?${Signature.formEncode({ ...all, Signature: sig })}`)
  }

  beforeEach(() => {
    emu.addKeyPair({ publicKeyId: 'KP-1', publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string })
  })

  it('issues a session AccessKey that works until it expires', async () => {
    const r = await gsak({ DurationSeconds: '900' })
    const body = jsonOf(r) as { SessionAccessKey: { SessionAccessKeyId: string; SessionAccessKeySecret: string } }
    expect(body).toEqual({
      RequestId: expect.stringMatching(UUID),
      SessionAccessKey: {
        SessionAccessKeyId: expect.stringMatching(/^TMPSK\.[A-Za-z0-9]{24}$/),
        SessionAccessKeySecret: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
        Expiration: '2024-01-01T00:15:00Z',
      },
    })
    const { SessionAccessKeyId: id, SessionAccessKeySecret: secret } = body.SessionAccessKey
    const who = () => rpc(emu, { now: clock.now(), secret, params: { Action: 'GetCallerIdentity', AccessKeyId: id } })
    expect(jsonOf(await who())).toMatchObject({ IdentityType: 'Account', Arn: `acs:ram::${ACCOUNT}:root` })
    await clock.advance(900_000)
    expect(stsErrorOf(await who())).toEqual(
      err(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
    )
  })

  it('refuses a signature by another key, an unknown key pair, a missing SignatureType and a long duration', async () => {
    const other = await globalThis.crypto.subtle.importKey(
      'pkcs8',
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'der' }),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    expect(stsErrorOf(await gsak({}, other))).toMatchObject({ status: 400, Code: 'SignatureDoesNotMatch' })
    expect(stsErrorOf(await gsak({ AccessKeyId: 'KP-2' }))).toEqual(
      err(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
    )
    expect(stsErrorOf(await gsak({ SignatureType: 'PUBLICKEY' }))).toEqual(
      err(400, 'InvalidParameter', 'The specified parameter "SignatureType" is not valid.'),
    )
    expect(stsErrorOf(await gsak({ DurationSeconds: '3601' }))).toEqual(
      err(400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/1hr.'),
    )
  })

  it('refuses an HMAC-signed request', async () => {
    const r = await rpc(emu, {
      method: 'GET',
      now: clock.now(),
      secret: 'x',
      params: { Action: 'GenerateSessionAccessKey', AccessKeyId: 'KP-1' },
    })
    expect(stsErrorOf(r)).toEqual(
      err(400, 'InvalidParameter', 'The specified parameter "SignatureMethod" is not valid.'),
    )
  })
})

describe('the request log', () => {
  it('never holds secrets, tokens, signatures or query strings', async () => {
    const c = credsOf(await assumeRole())
    await assumeRole({}, { id: c.AccessKeyId, secret: c.AccessKeySecret, token: c.SecurityToken })
    await assumeRole({}, { id: 'akid', secret: 'wrong-secret', token: '' })
    await v3(emu, { action: 'GetCallerIdentity', accessKeyId: 'akid', secret: 'aksecret', now: clock.now() })
    const log = JSON.stringify(emu.requests())
    for (const secret of ['aksecret', 'wrong-secret', c.AccessKeySecret, c.SecurityToken, c.AccessKeyId, '?']) {
      expect(log).not.toContain(secret)
    }
    expect(emu.requests().map((r) => [r.route, r.status, r.code, r.accessKeyId])).toEqual([
      ['sts.AssumeRole', 200, undefined, '****'],
      ['sts.AssumeRole', 200, undefined, 'STS.****'],
      ['sts.AssumeRole', 400, 'SignatureDoesNotMatch', '****'],
      ['sts.GetCallerIdentity', 200, undefined, '****'],
    ])
  })
})
