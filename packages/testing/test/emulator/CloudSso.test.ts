import { type ManualClock, manualClock } from '@alicred/testing'
import { type Emulator, startEmulator } from '@alicred/testing/emulator'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { jsonOf, send } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const UUID = /^[0-9A-F-]{36}$/
let clock: ManualClock
let emu: Emulator

beforeEach(async () => {
  clock = manualClock(T0)
  emu = await startEmulator({ clock })
  emu.addCloudSsoToken({ accessToken: 'sso-token', expiresAt: T0 + 3600_000 })
  emu.addCloudSsoAccess({ accountId: '42', accessConfigurationId: 'ac-1' })
})
afterEach(() => emu.stop())

const call = (body: string | undefined, token: string | null = 'sso-token') =>
  send(`${new URL(emu.cloudSsoSignInUrl).origin}/cloud-credentials`, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body }),
  })
const ok = JSON.stringify({ AccountId: '42', AccessConfigurationId: 'ac-1' })
const errorOf = (status: number, Code: string, Message: string) => ({
  status,
  body: { RequestId: expect.stringMatching(UUID), Code, Message },
})

it('exchanges the bearer token and body for STS credentials', async () => {
  const r = await call(ok)
  expect(r.status).toBe(200)
  expect(jsonOf(r)).toEqual({
    CloudCredential: {
      AccessKeyId: expect.stringMatching(/^STS\./),
      AccessKeySecret: expect.any(String),
      SecurityToken: expect.stringMatching(/^CAIS/),
      Expiration: '2024-01-01T01:00:00Z',
    },
    RequestId: expect.stringMatching(UUID),
  })
  const id = (jsonOf(r) as { CloudCredential: { AccessKeyId: string } }).CloudCredential.AccessKeyId
  expect(emu.identity(id)?.arn).toBe('acs:ram::42:assumed-role/aliyunreservedsso-ac-1/cloudsso-user')
})

it('refuses the reference SDK request, which has no body', async () => {
  const r = await call(undefined)
  expect({ status: r.status, body: jsonOf(r) }).toEqual(
    errorOf(400, 'MissingParameter.AccountId', 'AccountId is mandatory.'),
  )
})

it.each([
  ['no token', ok, null, errorOf(401, 'MissingAccessToken', 'The Authorization header is missing.')],
  [
    'an unknown token',
    ok,
    'other',
    errorOf(401, 'InvalidAccessToken', 'The access token is invalid. Please login again.'),
  ],
  [
    'a body that is not JSON',
    '{',
    'sso-token',
    errorOf(400, 'InvalidParameter', 'The request body is not valid JSON.'),
  ],
  [
    'no access configuration',
    JSON.stringify({ AccountId: '42' }),
    'sso-token',
    errorOf(400, 'MissingParameter.AccessConfigurationId', 'AccessConfigurationId is mandatory.'),
  ],
  [
    'an access configuration the user lacks',
    JSON.stringify({ AccountId: '42', AccessConfigurationId: 'ac-2' }),
    'sso-token',
    errorOf(403, 'NoPermission', 'The user has no access to this account with this access configuration.'),
  ],
])('refuses %s', async (_, body, token, expected) => {
  const r = await call(body, token)
  expect({ status: r.status, body: jsonOf(r) }).toEqual(expected)
})

it('refuses an expired access token', async () => {
  await clock.advance(3600_000)
  const r = await call(ok)
  expect({ status: r.status, body: jsonOf(r) }).toEqual(
    errorOf(401, 'AccessTokenExpired', 'The access token is expired. Please login again.'),
  )
})
