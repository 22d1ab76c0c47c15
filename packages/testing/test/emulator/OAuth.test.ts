import { Signature } from '@alicred/core'
import { type ManualClock, manualClock } from '@alicred/testing'
import { type Emulator, startEmulator } from '@alicred/testing/emulator'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { jsonOf, send } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
let clock: ManualClock
let emu: Emulator

beforeEach(async () => {
  clock = manualClock(T0)
  emu = await startEmulator({ clock })
  emu.addOAuthRefreshToken({ refreshToken: 'rt-0', clientId: '4038181954557748008' })
})
afterEach(() => emu.stop())

const refresh = (form: Record<string, string>) =>
  send(`${emu.oauthSignInUrl}/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Signature.formEncode({
      grant_type: 'refresh_token',
      refresh_token: 'rt-0',
      client_id: '4038181954557748008',
      Timestamp: '2024-01-01T00:00:00Z',
      ...form,
    }),
  })
const exchange = (token?: string) =>
  send(`${emu.oauthSignInUrl}/v1/exchange`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
  })
const outcome = (r: { status: number; body: string }) => ({ status: r.status, body: JSON.parse(r.body) as unknown })

it('refreshes with rotation, then exchanges the access token for STS credentials', async () => {
  const r = await refresh({})
  const tokens = jsonOf(r) as { access_token: string; refresh_token: string }
  expect(outcome(r)).toEqual({
    status: 200,
    body: {
      access_token: expect.stringMatching(/^at-/),
      refresh_token: expect.stringMatching(/^rt-[A-Za-z0-9]{40}$/),
      expires_in: 3600,
      token_type: 'Bearer',
    },
  })
  expect(outcome(await refresh({}))).toEqual({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'the refresh token is invalid or was already used' },
  })
  expect((await refresh({ refresh_token: tokens.refresh_token })).status).toBe(200)
  expect(outcome(await exchange(tokens.access_token))).toEqual({
    status: 200,
    body: {
      accessKeyId: expect.stringMatching(/^STS\./),
      accessKeySecret: expect.any(String),
      securityToken: expect.stringMatching(/^CAIS/),
      expiration: '2024-01-01T01:00:00Z',
      requestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
    },
  })
  expect(emu.counts()).toEqual({ 'oauth.token': 3, 'oauth.exchange': 1 })
})

it.each([
  [{ grant_type: 'password' }, 'unsupported_grant_type', 'grant_type must be refresh_token'],
  [{ refresh_token: '' }, 'invalid_request', 'refresh_token is required'],
  [{ client_id: '' }, 'invalid_request', 'client_id is required'],
  [{ client_id: '4103531455503354461' }, 'invalid_client', 'the refresh token belongs to another client'],
])('refuses the grant %o', async (form, error, description) => {
  expect(outcome(await refresh(form))).toEqual({ status: 400, body: { error, error_description: description } })
})

it('refuses missing, unknown and expired access tokens at /v1/exchange', async () => {
  emu.addOAuthAccessToken({ accessToken: 'at-x', expiresAt: T0 + 1000 })
  expect(outcome(await exchange())).toEqual({
    status: 401,
    body: { error: 'invalid_token', error_description: 'the Authorization header is missing' },
  })
  expect(outcome(await exchange('at-y'))).toEqual({
    status: 401,
    body: { error: 'invalid_token', error_description: 'the access token is invalid' },
  })
  expect((await exchange('at-x')).status).toBe(200)
  await clock.advance(1000)
  expect(outcome(await exchange('at-x'))).toEqual({
    status: 401,
    body: { error: 'invalid_token', error_description: 'the access token is expired' },
  })
})
