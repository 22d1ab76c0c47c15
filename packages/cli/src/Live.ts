/**
 * The live `Runtime`: `@alicred/node`'s capabilities, `process.env`, the process's stdout/stderr and signals,
 * `child_process.spawn` (no shell, inherited stdio) and the emulator of `@alicred/testing/emulator`.
 *
 * @since 0.1.0
 */
import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import { type LiveCapabilitiesOptions, liveCapabilities } from '@alicred/node'
import type { Child, ChildExit, Runtime, SignalName, Signals, Spawn, Writer } from './Runtime.js'
import { SIGNALS } from './Runtime.js'

/**
 * The process's signals. While a handler is subscribed, Node does not apply the default action (exit) for them.
 *
 * @category runtime
 * @since 0.1.0
 */
export const liveSignals: Signals = {
  subscribe: (handler) => {
    const listeners = SIGNALS.map((s) => [s, () => handler(s)] as const)
    for (const [s, l] of listeners) process.on(s, l)
    return () => {
      for (const [s, l] of listeners) process.off(s, l)
    }
  },
}

/**
 * `child_process.spawn` without a shell, sharing this process's stdin, stdout and stderr.
 *
 * @category runtime
 * @since 0.1.0
 */
export const liveSpawn: Spawn = (file, args, env): Child => {
  let settle: (e: ChildExit) => void = () => {}
  const exit = new Promise<ChildExit>((resolve) => {
    let done = false
    settle = (e) => {
      if (done) return
      done = true
      resolve(e)
    }
  })
  let child: ReturnType<typeof spawn> | undefined
  try {
    child = spawn(file, [...args], { env: { ...env }, stdio: 'inherit', shell: false, windowsHide: false })
  } catch (u) {
    // spawn throws synchronously for invalid arguments (a NUL byte, an empty file name).
    const code = (u as { code?: unknown }).code
    settle({ _tag: 'SpawnFailed', code: typeof code === 'string' ? code : 'EINVAL' })
  }
  child?.once('error', (e: NodeJS.ErrnoException) => {
    // Also emitted when a kill fails after the child started; only a child that never ran has no pid.
    if (child?.pid === undefined) settle({ _tag: 'SpawnFailed', code: e.code ?? 'UNKNOWN' })
  })
  child?.once('exit', (code, signal) => {
    if (signal !== null) {
      settle({ _tag: 'Signaled', signal, number: constants.signals[signal] ?? 0 })
    } else settle({ _tag: 'Exited', code: code ?? 0 })
  })
  return {
    kill: (signal: SignalName) => {
      if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill(signal)
    },
    exit,
  }
}

const writer = (stream: NodeJS.WriteStream): Writer => ({
  write: (s) => {
    stream.write(s)
  },
  isTTY: stream.isTTY === true,
})

/** The live runtime, plus `close` for the HTTP connection pools. @category runtime @since 0.1.0 */
export interface LiveRuntime extends Runtime {
  /** Releases the HTTP connection pools. */
  readonly close: () => void
}

/**
 * Everything live. `capabilities` options (env, home) are passed on to `liveCapabilities`.
 *
 * @category runtime
 * @since 0.1.0
 */
export const liveRuntime = (options: {
  readonly version: string
  readonly capabilities?: LiveCapabilitiesOptions
}): LiveRuntime => {
  const caps = liveCapabilities(options.capabilities ?? {})
  return {
    capabilities: caps,
    env: process.env,
    stdout: writer(process.stdout),
    stderr: writer(process.stderr),
    signals: liveSignals,
    interactive: process.stdin.isTTY === true,
    spawn: liveSpawn,
    // Loaded on demand: only `alicred emulator` needs the emulator (and its server code).
    startEmulator: async (o) => (await import('@alicred/testing/emulator')).startEmulator(o),
    version: options.version,
    close: caps.close,
  }
}
