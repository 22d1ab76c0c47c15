import { type ManualClock, manualClock } from '@alicred/testing'
import { type Emulator, startEmulator } from '@alicred/testing/emulator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { jsonOf, rpc, send } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const TTL = 'x-aliyun-ecs-metadata-token-ttl-seconds'
const TOKEN = 'x-aliyun-ecs-metadata-token'
const CREDS = '/latest/meta-data/ram/security-credentials/'

let clock: ManualClock
let emu: Emulator

beforeEach(async () => {
  clock = manualClock(T0)
  emu = await startEmulator({ clock, imds: { roleName: 'EcsRole' } })
})
afterEach(() => emu.stop())

const token = async (ttl = '21600'): Promise<string> => {
  const r = await send(`${emu.metadataBaseUrl}/latest/api/token`, { method: 'PUT', headers: { [TTL]: ttl } })
  expect(r.status).toBe(200)
  return r.body
}
const get = (path: string, t?: string) =>
  send(`${emu.metadataBaseUrl}${path}`, t === undefined ? {} : { headers: { [TOKEN]: t } })

describe('IMDSv2', () => {
  it('hands out a token, the role name and the role credentials', async () => {
    const t = await token()
    expect(t).toMatch(/^AQAE[A-Za-z0-9]{52}$/)
    const roles = await get(CREDS, t)
    expect([roles.status, roles.body]).toEqual([200, 'EcsRole'])
    const creds = await get(`${CREDS}EcsRole`, t)
    expect(creds.status).toBe(200)
    expect(creds.headers['content-type']).toBe('application/json;charset=utf-8')
    expect(jsonOf(creds)).toEqual({
      AccessKeyId: expect.stringMatching(/^STS\./),
      AccessKeySecret: expect.any(String),
      Expiration: '2024-01-01T06:00:00Z',
      SecurityToken: expect.stringMatching(/^CAIS/),
      LastUpdated: '2024-01-01T00:00:00Z',
      Code: 'Success',
    })
    expect(emu.counts()).toEqual({ 'imds.token': 1, 'imds.roles': 1, 'imds.credentials': 1 })
  })

  it('expires tokens after their TTL', async () => {
    const t = await token('60')
    await clock.advance(59_999)
    expect((await get(CREDS, t)).status).toBe(200)
    await clock.advance(1)
    expect([(await get(CREDS, t)).status, (await get(CREDS, t)).body]).toEqual([401, 'Unauthorized'])
  })

  it.each([undefined, '0', '21601', 'abc'])('refuses TTL header %s with 400', async (ttl) => {
    const r = await send(`${emu.metadataBaseUrl}/latest/api/token`, {
      method: 'PUT',
      headers: ttl === undefined ? {} : { [TTL]: ttl },
    })
    expect(r.status).toBe(400)
  })

  it('refuses an unknown token with 401', async () => {
    expect((await get(CREDS, 'AQAEforged')).status).toBe(401)
  })

  it('answers 404 on the token endpoint when v2 is off (old metadata servers)', async () => {
    emu.configureImds({ v2: false })
    expect(
      (await send(`${emu.metadataBaseUrl}/latest/api/token`, { method: 'PUT', headers: { [TTL]: '60' } })).status,
    ).toBe(404)
    expect((await get(CREDS)).status).toBe(200)
  })
})

describe('IMDSv1', () => {
  it('answers without a token by default, and 403 when v1 is off', async () => {
    expect((await get(`${CREDS}EcsRole`)).status).toBe(200)
    emu.configureImds({ v1: false })
    expect([(await get(CREDS)).status, (await get(`${CREDS}EcsRole`)).status]).toEqual([403, 403])
    expect((await get(`${CREDS}EcsRole`, await token())).status).toBe(200)
  })
})

describe('role credentials', () => {
  it('answers 404 for another role and when no role is attached', async () => {
    expect((await get(`${CREDS}Other`)).status).toBe(404)
    emu.configureImds({ roleName: undefined })
    expect([(await get(CREDS)).status, (await get(`${CREDS}EcsRole`)).status]).toEqual([404, 404])
  })

  it('serves the same credentials until an hour before expiry, then rotates', async () => {
    const first = jsonOf(await get(`${CREDS}EcsRole`)) as Record<string, string>
    await clock.advance(5 * 3600_000 - 1)
    expect(jsonOf(await get(`${CREDS}EcsRole`))).toEqual(first)
    await clock.advance(1)
    const second = jsonOf(await get(`${CREDS}EcsRole`)) as Record<string, string>
    expect(second.AccessKeyId).not.toBe(first.AccessKeyId)
    expect([second.LastUpdated, second.Expiration]).toEqual(['2024-01-01T05:00:00Z', '2024-01-01T11:00:00Z'])
  })

  it('issues credentials STS accepts, as the role they belong to', async () => {
    emu.configureImds({ roleArn: 'acs:ram::1234567890123456:role/ecs-role', durationSeconds: 3600 })
    const c = jsonOf(await get(`${CREDS}EcsRole`)) as Record<string, string>
    const who = await rpc(emu, {
      now: clock.now(),
      secret: c.AccessKeySecret!,
      params: { Action: 'GetCallerIdentity', AccessKeyId: c.AccessKeyId!, SecurityToken: c.SecurityToken! },
    })
    expect(jsonOf(who)).toMatchObject({ Arn: 'acs:ram::1234567890123456:assumed-role/ecs-role/ecs-ram-role' })
    expect(c.Expiration).toBe('2024-01-01T01:00:00Z')
  })

  it('routes other methods and paths to notFound', async () => {
    expect((await send(`${emu.metadataBaseUrl}/latest/api/token`)).status).toBe(404)
    expect((await send(`${emu.metadataBaseUrl}/latest/meta-data/instance-id`)).status).toBe(404)
    expect(emu.counts()).toEqual({ notFound: 2 })
  })
})
