/**
 * The world a command runs in, injected: the capabilities credentials are resolved with, the process environment,
 * the output streams, signals, child processes and the emulator. `bin.ts` passes live ones (`Live.ts`); tests pass
 * fakes and run every command in-process.
 *
 * @since 0.1.0
 */
import type { Capabilities, Chain, Provider } from '@alicred/core'
import type { Emulator, EmulatorOptions } from '@alicred/testing/emulator'

/** An output stream. @category runtime @since 0.1.0 */
export interface Writer {
  readonly write: (chunk: string) => void
  /** Whether it is a terminal; colour is used only then. */
  readonly isTTY: boolean
}

/** The signals a command passes on or stops at. @category runtime @since 0.1.0 */
export type SignalName = 'SIGINT' | 'SIGTERM' | 'SIGHUP'

/** @since 0.1.0 */
export const SIGNALS: ReadonlyArray<SignalName> = ['SIGINT', 'SIGTERM', 'SIGHUP']

/** Subscription to the signals a command passes on to its child or stops at. @category runtime @since 0.1.0 */
export interface Signals {
  /**
   * Calls `handler` for each of `SIGNALS` until the returned function is called. While anyone is subscribed, those
   * signals do not end the process: the subscriber decides.
   */
  readonly subscribe: (handler: (signal: SignalName) => void) => () => void
}

/** How a child process ended. @category runtime @since 0.1.0 */
export type ChildExit =
  | { readonly _tag: 'Exited'; readonly code: number }
  | { readonly _tag: 'Signaled'; readonly signal: string; readonly number: number }
  | { readonly _tag: 'SpawnFailed'; readonly code: string }

/** A running child process. @category runtime @since 0.1.0 */
export interface Child {
  readonly kill: (signal: SignalName) => void
  /** Settles once, when the child has ended (or could not start); never rejects. */
  readonly exit: Promise<ChildExit>
}

/**
 * Starts `file` with `args` (no shell) and exactly `env`, sharing this process's stdio.
 *
 * @category runtime
 * @since 0.1.0
 */
export type Spawn = (file: string, args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) => Child

/**
 * Everything a command runs against: capabilities, environment, output streams, signals, child processes.
 *
 * @category runtime
 * @since 0.1.0
 */
export interface Runtime {
  /** What credentials are resolved with (the default chain reads env, files, HTTP, clock from here). */
  readonly capabilities: Capabilities
  /** The process environment: the base of `exec`'s child environment; `NO_COLOR` is read here. */
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stdout: Writer
  readonly stderr: Writer
  readonly signals: Signals
  readonly spawn: Spawn
  readonly startEmulator: (options: EmulatorOptions) => Promise<Emulator>
  /**
   * Whether stdin is a terminal. Then a Ctrl-C reaches `exec`'s child straight from the terminal (it shares this
   * process's foreground process group), so `exec` does not send it a second SIGINT. Default `false`.
   */
  readonly interactive?: boolean
  /** The version `--version` prints. */
  readonly version: string
  /** Builds the chain commands resolve with, from its options and then the capabilities. Default `Chain.defaultChain`. */
  readonly chain?: (options: Chain.DefaultChainOptions) => (caps: Capabilities) => Provider.Provider
}
