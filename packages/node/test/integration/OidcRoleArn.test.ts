import { Credential, Providers } from '@alicred/core'
import { fakeJwt } from '@alicred/testing'
import { expect, it } from 'vitest'
import { ACCOUNT, callerIdentity, left, ROLE, right, T0, useWorld } from './_setup.js'

const PROVIDER = `acs:ram::${ACCOUNT}:oidc-provider/ack`
const ISSUER = 'https://oidc-ack-cn-hangzhou.oss-cn-hangzhou.aliyuncs.com/c1'
const w = useWorld({ oidcProviders: [{ arn: PROVIDER, issuer: ISSUER, audiences: ['sts.aliyuncs.com'] }] })

const jwt = (exp: number) => fakeJwt({ iss: ISSUER, sub: 'system:serviceaccount:ns:sa', aud: 'sts.aliyuncs.com', exp })

it('assumes the role with the token file, re-read on each refresh', async () => {
  const tokenFile = await w.file('var/run/secrets/token', `${jwt(T0 / 1000 + 3600)}\n`)
  const p = Providers.oidcRoleArn({
    roleArn: ROLE,
    oidcProviderArn: PROVIDER,
    oidcTokenFile: tokenFile,
    roleSessionName: 'pod',
    endpoint: w.emu.stsEndpoint,
  })(w.caps())
  const c = right(await p()())
  expect(Credential.view(c)).toEqual({
    type: 'sts',
    source: 'oidc_role_arn',
    accessKeyId: 'STS.****',
    expiration: '2024-01-01T01:00:00.000Z',
  })
  expect(await callerIdentity(w.emu, c, T0)).toMatchObject({ Arn: `acs:ram::${ACCOUNT}:assumed-role/reader/pod` })
  // The token rotates on disk; the next refresh must send the new one (the old one has expired by then).
  await w.clock.advance(50 * 60_000)
  await w.file('var/run/secrets/token', jwt(T0 / 1000 + 7200))
  expect(right(await p()()).source).toBe('oidc_role_arn')
  expect(w.emu.counts()).toEqual({ 'sts.AssumeRoleWithOIDC': 2, 'sts.GetCallerIdentity': 1 })
})

it('is configured from the environment variables the default chain uses', async () => {
  const tokenFile = await w.file('token', jwt(T0 / 1000 + 3600))
  const p = Providers.oidcRoleArn({ endpoint: w.emu.stsEndpoint })(
    w.caps({
      ALIBABA_CLOUD_ROLE_ARN: ROLE,
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER,
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
      ALIBABA_CLOUD_ROLE_SESSION_NAME: 'from-env',
    }),
  )
  expect(await callerIdentity(w.emu, right(await p()()), T0)).toMatchObject({
    Arn: `acs:ram::${ACCOUNT}:assumed-role/reader/from-env`,
  })
})

it('fails without calling STS usefully when the token is for another audience', async () => {
  const tokenFile = await w.file('token', fakeJwt({ iss: ISSUER, sub: 's', aud: 'other', exp: T0 / 1000 + 3600 }))
  const p = Providers.oidcRoleArn({
    roleArn: ROLE,
    oidcProviderArn: PROVIDER,
    oidcTokenFile: tokenFile,
    endpoint: w.emu.stsEndpoint,
  })(w.caps())
  expect(left(await p()())).toMatchObject({
    _tag: 'SourceFailure',
    status: 401,
    code: 'AuthenticationFail.OIDCToken.AudienceNotMatch',
  })
})

it('refuses an expired token file', async () => {
  const tokenFile = await w.file('token', jwt(T0 / 1000 - 1))
  const p = Providers.oidcRoleArn({
    roleArn: ROLE,
    oidcProviderArn: PROVIDER,
    oidcTokenFile: tokenFile,
    endpoint: w.emu.stsEndpoint,
  })(w.caps())
  const e = left(await p()())
  expect(e._tag).not.toBe('NotConfigured')
  expect(e.message).toMatch(/expired/i)
})
