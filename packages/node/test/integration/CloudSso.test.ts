import { Credential, Providers } from '@alicred/core'
import { expect, it } from 'vitest'
import { callerIdentity, left, right, T0, useWorld } from './_setup.js'

const w = useWorld()
const options = () => ({
  signInUrl: w.emu.cloudSsoSignInUrl,
  accountId: '5678',
  accessConfig: 'ac-admin',
  accessToken: 'sso-access-token-value',
  accessTokenExpire: T0 / 1000 + 8 * 3600,
})

it('exchanges the CloudSSO access token (and sends the JSON body the reference omits)', async () => {
  w.emu.addCloudSsoToken({ accessToken: 'sso-access-token-value' })
  w.emu.addCloudSsoAccess({ accountId: '5678', accessConfigurationId: 'ac-admin' })
  const c = right(await Providers.cloudSso(options())(w.caps())()())
  expect(Credential.view(c)).toEqual({
    type: 'sts',
    source: 'cloud_sso',
    accessKeyId: 'STS.****',
    expiration: '2024-01-01T01:00:00.000Z',
  })
  expect(await callerIdentity(w.emu, c, T0)).toMatchObject({
    AccountId: '5678',
    Arn: 'acs:ram::5678:assumed-role/aliyunreservedsso-ac-admin/cloudsso-user',
  })
})

it('fails with SourceFailure when the portal refuses the token, without leaking it', async () => {
  const e = left(await Providers.cloudSso(options())(w.caps())()())
  expect(e).toMatchObject({ _tag: 'SourceFailure', status: 401 })
  expect(`${e.message} ${JSON.stringify(e)}`).not.toContain('sso-access-token-value')
})
