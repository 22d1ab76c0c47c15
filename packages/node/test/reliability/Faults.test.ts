// Faults on loopback: the emulator fails 30% of STS and ECS metadata responses (5xx, STS error documents, resets,
// hangs past the read timeout, malformed and truncated bodies, throttling) while ram_role_arn and ecs_ram_role run
// over the live HTTP stack of @alicred/node with a 200 ms read timeout.
//
// - With a valid cached credential: 10,000 calls each, time moving 3 s per call (about 8 hours, several refresh
//   cycles), no caller ever sees a failure and the upstream calls stay few.
// - With none: every call ends, within its timeout budget, in a credential or a typed SourceFailure.
// - No unhandled rejection, and no server, socket or timer left behind.
import { Credential, CredentialsError, Providers } from '@alicred/core'
import { type LiveCapabilities, liveCapabilities } from '@alicred/node'
import { type ManualClock, manualClock } from '@alicred/testing'
import { type Emulator, type FaultSpec, openHandles, startEmulator } from '@alicred/testing/emulator'
import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FAULT_KINDS, faultMix, rejections } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const ACCOUNT = '1234567890123456'
const ROLE = `acs:ram::${ACCOUNT}:role/reader`
const AK = { accessKeyId: 'LTAI5tFaults', accessKeySecret: 'faults-secret-value' }
const TIMEOUTS = { connectTimeoutMs: 200, readTimeoutMs: 200 }
const CALLS = 10_000
const STEP_MS = 3_000

let emu: Emulator
let clock: ManualClock
let live: LiveCapabilities
let handles: Awaited<ReturnType<typeof openHandles>>
let unhandled: ReturnType<typeof rejections>
let warn: ReturnType<typeof vi.spyOn>

beforeEach(async () => {
  handles = await openHandles()
  unhandled = rejections()
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  clock = manualClock(T0)
  emu = await startEmulator({
    clock,
    accessKeys: [AK],
    roles: [{ roleArn: ROLE }],
    imds: { roleName: 'ecs-role', durationSeconds: 7_200 },
  })
  live = liveCapabilities({ env: {} })
})

afterEach(async () => {
  live.close()
  await emu.stop()
  warn.mockRestore()
  unhandled.stop()
  expect(unhandled.seen).toEqual([])
  // Sockets the emulator reset or truncated close a few event-loop turns after the call ends; under load that can
  // outlast one settle, so allow a grace period before calling a handle leaked.
  await handles.check(1_000)
})

const caps = () => ({ ...live, clock })
const ramRoleArn = () =>
  Providers.ramRoleArn({
    source: Providers.staticAccessKey(AK),
    roleArn: ROLE,
    roleSessionName: 'faults',
    endpoint: emu.stsEndpoint,
    ...TIMEOUTS,
  })(caps())
const ecsRamRole = () => Providers.ecsRamRole({ metadataBaseUrl: emu.metadataBaseUrl, ...TIMEOUTS })(caps())

const inject = (specs: ReadonlyArray<FaultSpec>): void => {
  for (const spec of specs) {
    emu.fault('sts.*', spec)
    emu.fault('imds.*', spec)
  }
}

const faulted = () => emu.requests().filter((r) => r.fault !== undefined)

describe('30% of responses fail, with a valid cached credential', () => {
  it(`${CALLS.toLocaleString('en')} calls each to ram_role_arn and ecs_ram_role: no caller-visible failure, few upstream calls`, async () => {
    const sts = ramRoleArn()
    const ecs = ecsRamRole()
    expect(E.isRight(await sts()()) && E.isRight(await ecs()())).toBe(true)
    emu.resetCounts()
    inject(faultMix(0.3))

    const failures: Array<string> = []
    const ids = { sts: new Set<string>(), ecs: new Set<string>() }
    for (let i = 0; i < CALLS; i++) {
      for (const [name, p] of [
        ['sts', sts],
        ['ecs', ecs],
      ] as const) {
        const r = await p()()
        if (E.isLeft(r)) failures.push(`${name} #${i}: ${CredentialsError.render(r.left)}`)
        else if (Credential.isExpired(clock.now())(r.right)) failures.push(`${name} #${i}: an expired credential`)
        else if (r.right.type !== 'bearer') ids[name].add(r.right.accessKeyId)
      }
      await clock.advance(STEP_MS)
    }

    expect(failures).toEqual([])
    const counts = emu.counts()
    const upstream = { sts: counts['sts.AssumeRole'] ?? 0, ecs: counts['imds.credentials'] ?? 0 }
    // about 8 hours: STS credentials (1 h) and metadata ones (2 h, prefetched in their last hour) refresh about 10
    // and 8 times; failed attempts are retried after a backoff, never in a loop
    expect(upstream.sts).toBeGreaterThanOrEqual(10)
    expect(upstream.sts).toBeLessThan(60)
    expect(upstream.ecs).toBeGreaterThanOrEqual(6)
    expect(upstream.ecs).toBeLessThan(40)
    expect(ids.sts.size).toBeGreaterThanOrEqual(9)
    expect(ids.ecs.size).toBeGreaterThanOrEqual(5)
    // the faults really happened (each kind on its own is covered below)
    expect(faulted().length).toBeGreaterThanOrEqual(3)
  }, 60_000)
})

describe('responses fail, with nothing cached', () => {
  // Per attempt at most: STS one request; metadata a token PUT, then the credential GET with the token and once
  // more without it (IMDSv1 fallback). Each request is bounded by the connect and read timeouts.
  const BUDGET_MS = 3 * (TIMEOUTS.connectTimeoutMs + TIMEOUTS.readTimeoutMs) + 300

  it.each(FAULT_KINDS.map((k) => [k.type, k] as const))(
    'every response fails with %s: each call is a typed SourceFailure within the timeout budget',
    async (_, spec) => {
      inject([spec])
      for (const make of [ramRoleArn, ecsRamRole]) {
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now()
          const r = await make()()()
          const ms = performance.now() - t0
          expect(r).toEqual(E.left(expect.any(CredentialsError.SourceFailure)))
          expect(ms).toBeLessThan(BUDGET_MS)
        }
      }
    },
    20_000,
  )

  it('30% of responses fail: 120 fresh callers each get a credential or a typed SourceFailure within the budget', async () => {
    inject(faultMix(0.3))
    const outcomes = new Map<string, number>()
    for (let i = 0; i < 60; i++) {
      for (const make of [ramRoleArn, ecsRamRole]) {
        const t0 = performance.now()
        const r = await make()()()
        expect(performance.now() - t0).toBeLessThan(BUDGET_MS)
        const tag = E.isRight(r)
          ? 'Right'
          : r.left instanceof CredentialsError.SourceFailure
            ? 'SourceFailure'
            : r.left._tag
        outcomes.set(tag, (outcomes.get(tag) ?? 0) + 1)
      }
    }
    expect([...outcomes.keys()].sort()).toEqual(['Right', 'SourceFailure'])
  }, 30_000)
})
