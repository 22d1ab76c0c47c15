/**
 * `@alicred/cli`: the `alicred` command — `explain`, `env`, `exec`, `serve`, `emulator` — as functions of an
 * injected `Runtime` (capabilities, environment, output streams, signals, child processes), so every command runs
 * in-process with fakes; `bin.ts` wires the live ones.
 *
 * @since 0.1.0
 */
/** Command-line parsing, with messages that name the command and the option. @category commands */
export * as Args from './Args.js'
/** Every command, each `(argv, runtime) => TaskEither<Failure, exitCode>`, and its parts. @category commands */
export * as Commands from './commands/index.js'
/** Credentials as environment variable assignments, quoted for each shell, a `.env` file or JSON. @category commands */
export * as EnvFormat from './EnvFormat.js'
/** Why a command failed, shown as one readable paragraph and an exit code. @category errors */
export * as Failure from './Failure.js'
/** The `--help` texts: what each command does, its options, and examples. @category commands */
export * as Help from './Help.js'
export { type LiveRuntime, liveRuntime, liveSignals, liveSpawn } from './Live.js'
export { main, suggest } from './Main.js'
/** Resolving credentials for a command: the runtime's chain, with `--profile`. @category commands */
export * as Resolve from './Resolve.js'
export type { Child, ChildExit, Runtime, SignalName, Signals, Spawn, Writer } from './Runtime.js'
/** Colour for terminal output, on only for a terminal without `NO_COLOR`. @category commands */
export * as Style from './Style.js'
