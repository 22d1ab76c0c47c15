import { type ManualClock, manualClock } from '@alicred/testing'
import { type Emulator, startEmulator } from '@alicred/testing/emulator'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { jsonOf, rpc, send } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
let clock: ManualClock
let emu: Emulator

beforeEach(async () => {
  clock = manualClock(T0)
  emu = await startEmulator({ clock })
})
afterEach(() => emu.stop())

it('serves STS credentials with Code Success, rotating 15 minutes before expiry', async () => {
  const r = await send(emu.credentialsUri)
  expect(r.status).toBe(200)
  const first = jsonOf(r) as Record<string, string>
  expect(first).toEqual({
    Code: 'Success',
    AccessKeyId: expect.stringMatching(/^STS\./),
    AccessKeySecret: expect.any(String),
    SecurityToken: expect.stringMatching(/^CAIS/),
    Expiration: '2024-01-01T01:00:00Z',
  })
  await clock.advance(45 * 60_000 - 1)
  expect(jsonOf(await send(emu.credentialsUri))).toEqual(first)
  await clock.advance(1)
  expect(jsonOf(await send(emu.credentialsUri))).toMatchObject({ Expiration: '2024-01-01T01:45:00Z' })
  expect(emu.counts()).toEqual({ uri: 3 })
})

it('serves the configured role, whose credentials STS accepts', async () => {
  emu.configureCredentialsUri({ roleArn: 'acs:ram::42:role/sidecar', durationSeconds: 900 })
  const c = jsonOf(await send(emu.credentialsUri)) as Record<string, string>
  expect(c.Expiration).toBe('2024-01-01T00:15:00Z')
  const who = await rpc(emu, {
    now: clock.now(),
    secret: c.AccessKeySecret!,
    params: { Action: 'GetCallerIdentity', AccessKeyId: c.AccessKeyId!, SecurityToken: c.SecurityToken! },
  })
  expect(jsonOf(who)).toMatchObject({ AccountId: '42', Arn: 'acs:ram::42:assumed-role/sidecar/credentials-uri' })
})
