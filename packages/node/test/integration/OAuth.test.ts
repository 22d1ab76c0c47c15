import { Credential, type Providers as P, Providers } from '@alicred/core'
import { expect, it } from 'vitest'
import { callerIdentity, left, right, T0, useWorld } from './_setup.js'

const w = useWorld()
const CLIENT_ID = '4038181954557748008'

it('refreshes the access token (rotating the refresh token), exchanges it and reports the update', async () => {
  w.emu.addOAuthRefreshToken({ refreshToken: 'refresh-token-0', clientId: CLIENT_ID })
  const updates: Array<P.OAuthTokenUpdate> = []
  const p = Providers.oauth({
    signInUrl: w.emu.oauthSignInUrl,
    clientId: CLIENT_ID,
    refreshToken: 'refresh-token-0',
    onUpdate: async (u) => {
      updates.push(u)
    },
  })(w.caps())
  const c = right(await p()())
  expect(Credential.view(c)).toEqual({
    type: 'sts',
    source: 'oauth',
    accessKeyId: 'STS.****',
    expiration: '2024-01-01T01:00:00.000Z',
  })
  expect(await callerIdentity(w.emu, c, T0)).toMatchObject({ IdentityType: 'AssumedRoleUser' })
  expect(updates).toEqual([
    {
      refreshToken: expect.stringMatching(/^rt-/),
      accessToken: expect.stringMatching(/^at-/),
      accessTokenExpire: T0 / 1000 + 3600,
      accessKeyId: c.type === 'sts' ? c.accessKeyId : '',
      accessKeySecret: c.type === 'sts' ? c.accessKeySecret : '',
      securityToken: c.type === 'sts' ? c.securityToken : '',
      stsExpiration: T0 / 1000 + 3600,
    },
  ])
  expect(w.emu.counts()).toEqual({ 'oauth.token': 1, 'oauth.exchange': 1, 'sts.GetCallerIdentity': 1 })
})

it('fails with SourceFailure when the refresh token was already used', async () => {
  const p = Providers.oauth({ signInUrl: w.emu.oauthSignInUrl, clientId: CLIENT_ID, refreshToken: 'stale-token' })(
    w.caps(),
  )
  const e = left(await p()())
  expect(e).toMatchObject({ _tag: 'SourceFailure', status: 400 })
  expect(`${e.message} ${JSON.stringify(e)}`).not.toContain('stale-token')
})
