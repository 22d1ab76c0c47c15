/**
 * `@alicred/cli`: the `alicred` command — `explain`, `env`, `exec`, `serve`, `emulator` — as functions of an
 * injected `Runtime` (capabilities, environment, output streams, signals, child processes), so every command runs
 * in-process with fakes; `bin.ts` wires the live ones.
 *
 * @since 0.1.0
 */
export * as Args from './Args.js'
export * as Commands from './commands/index.js'
export * as EnvFormat from './EnvFormat.js'
export * as Failure from './Failure.js'
export * as Help from './Help.js'
export { type LiveRuntime, liveRuntime, liveSignals, liveSpawn } from './Live.js'
export { main, suggest } from './Main.js'
export * as Resolve from './Resolve.js'
export type { Child, ChildExit, Runtime, SignalName, Signals, Spawn, Writer } from './Runtime.js'
export * as Style from './Style.js'
