// An in-process Runtime: fake capabilities, captured output, signals the test raises, a scripted spawn.

import { type FakeCapabilities, type FakeCapabilitiesOptions, fakeCapabilities } from '@alicred/testing'
import { startEmulator } from '@alicred/testing/emulator'
import type { Child, ChildExit, Runtime, SignalName } from '../../src/index.js'

export interface Captured {
  text: string
}

export interface SpawnCall {
  readonly file: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
  readonly kills: Array<SignalName>
  /** Ends the fake child. */
  readonly end: (exit: ChildExit) => void
}

export interface TestRuntime extends Runtime {
  readonly capabilities: FakeCapabilities
  readonly out: Captured
  readonly err: Captured
  /** Raises a signal to every subscriber; returns how many there were. */
  readonly raise: (s: SignalName) => number
  readonly subscribers: () => number
  readonly spawned: Array<SpawnCall>
}

export const testRuntime = (
  o: FakeCapabilitiesOptions & {
    readonly processEnv?: Readonly<Record<string, string | undefined>>
    readonly tty?: boolean
    readonly overrides?: Partial<Runtime>
  } = {},
): TestRuntime => {
  const out: Captured = { text: '' }
  const err: Captured = { text: '' }
  const handlers = new Set<(s: SignalName) => void>()
  const spawned: Array<SpawnCall> = []
  const base: TestRuntime = {
    capabilities: fakeCapabilities(o),
    env: o.processEnv ?? {},
    stdout: {
      write: (s) => {
        out.text += s
      },
      isTTY: o.tty ?? false,
    },
    stderr: {
      write: (s) => {
        err.text += s
      },
      isTTY: o.tty ?? false,
    },
    signals: {
      subscribe: (h) => {
        const wrapped = (s: SignalName) => h(s)
        handlers.add(wrapped)
        return () => void handlers.delete(wrapped)
      },
    },
    spawn: (file, args, env): Child => {
      let end: (e: ChildExit) => void = () => {}
      const exit = new Promise<ChildExit>((resolve) => {
        end = resolve
      })
      const call: SpawnCall = { file, args, env, kills: [], end: (e) => end(e) }
      spawned.push(call)
      return { kill: (s) => void call.kills.push(s), exit }
    },
    startEmulator,
    version: '9.9.9-test',
    out,
    err,
    raise: (s) => {
      const hs = [...handlers]
      for (const h of hs) h(s)
      return hs.length
    },
    subscribers: () => handlers.size,
    spawned,
  }
  return { ...base, ...o.overrides } as TestRuntime
}

/** Waits until `check` holds (polling real time; for servers started in-process). */
export const until = async (check: () => boolean, ms = 5_000): Promise<void> => {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

export const AK = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tTestKeyId', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret-VALUE-1' }
export const SECRET = 'secret-VALUE-1'
