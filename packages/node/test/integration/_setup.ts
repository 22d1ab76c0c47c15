// Shared fixture of the integration tests: an emulator on 127.0.0.1 with a manual clock, a temp HOME, and live
// @alicred/node capabilities built from an env snapshot (never process.env) with that clock. Everything is torn
// down after each test: capabilities' pools closed, emulator stopped, temp dir removed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Capabilities, type Credential, Expiration, Signature } from '@alicred/core'
import { type LiveCapabilities, liveCapabilities } from '@alicred/node'
import { type ManualClock, manualClock } from '@alicred/testing'
import {
  type Emulator,
  type EmulatorOptions,
  type HandleSnapshot,
  openHandles,
  startEmulator,
} from '@alicred/testing/emulator'
import type * as E from 'fp-ts/Either'
import { afterEach, beforeEach } from 'vitest'

export const T0 = Date.UTC(2024, 0, 1)
export const ACCOUNT = '1234567890123456'
export const ROLE = `acs:ram::${ACCOUNT}:role/reader`
export const AK = { accessKeyId: 'LTAI5tUser', accessKeySecret: 'user-secret-value' } as const

export interface World {
  readonly emu: Emulator
  readonly clock: ManualClock
  readonly home: string
  /** Live capabilities over `env` (a snapshot), the temp home and the manual clock. */
  readonly caps: (env?: Readonly<Record<string, string>>) => Capabilities
  /** Writes a file under the temp home; returns its path. */
  readonly file: (relative: string, content: string) => Promise<string>
}

export const useWorld = (options: EmulatorOptions = {}): World => {
  const state: { emu?: Emulator; clock?: ManualClock; home?: string } = {}
  const opened: Array<LiveCapabilities> = []
  let leaks: HandleSnapshot | undefined
  beforeEach(async () => {
    leaks = await openHandles()
    state.clock = manualClock(T0)
    state.home = await mkdtemp(join(tmpdir(), 'alicred-it-'))
    state.emu = await startEmulator({
      clock: state.clock,
      accessKeys: [{ ...AK, userName: 'alice' }],
      roles: [{ roleArn: ROLE }],
      ...options,
    })
  })
  afterEach(async () => {
    for (const c of opened.splice(0)) c.close()
    await state.emu?.stop()
    if (state.home !== undefined) await rm(state.home, { recursive: true, force: true })
    await leaks?.check()
  })
  return {
    get emu() {
      return state.emu!
    },
    get clock() {
      return state.clock!
    },
    get home() {
      return state.home!
    },
    caps: (env = {}) => {
      const live = liveCapabilities({ env, home: state.home! })
      opened.push(live)
      return { ...live, clock: state.clock! }
    },
    file: async (relative, content) => {
      const { mkdir } = await import('node:fs/promises')
      const path = join(state.home!, relative)
      await mkdir(join(path, '..'), { recursive: true })
      await writeFile(path, content, { mode: 0o600 })
      return path
    },
  }
}

export const right = <A>(r: E.Either<unknown, A>): A => {
  if (r._tag === 'Left') throw new Error(`expected Right, got ${String(r.left)}`)
  return r.right
}

export const left = <L>(r: E.Either<L, unknown>): L => {
  if (r._tag === 'Right') throw new Error('expected Left, got Right')
  return r.left
}

/**
 * Calls STS GetCallerIdentity (RPC v1) with a credential: proves id, secret and token are the ones the emulator
 * issued, not merely well-formed.
 */
export const callerIdentity = async (emu: Emulator, c: Credential.Credential, now: number): Promise<unknown> => {
  if (c.type === 'bearer') throw new Error('bearer credential')
  const params: Record<string, string> = {
    Version: '2015-04-01',
    Action: 'GetCallerIdentity',
    Format: 'JSON',
    Timestamp: Expiration.formatTimestamp(now),
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: globalThis.crypto.randomUUID(),
    AccessKeyId: c.accessKeyId,
    ...(c.type === 'sts' ? { SecurityToken: c.securityToken } : {}),
  }
  const signature = await Signature.signRpc('GET', params, c.accessKeySecret)
  const res = await fetch(`${emu.stsEndpoint}/?${Signature.formEncode({ ...params, Signature: signature })}`)
  const body = (await res.json()) as Record<string, unknown>
  const { RequestId: _, ...rest } = body
  return res.status === 200 ? rest : { status: res.status, ...rest }
}
