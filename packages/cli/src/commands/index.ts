/**
 * Every command, each `(argv, runtime) => TaskEither<Failure, exitCode>`.
 *
 * @since 0.1.0
 */
/** `alicred emulator`: the credential endpoints emulator on loopback, in the foreground. @category commands */
export * as Emulator from './Emulator.js'
export { emulator } from './Emulator.js'
/** `alicred env`: the resolved credentials as environment variable assignments. @category commands */
export * as Env from './Env.js'
export { env } from './Env.js'
/** `alicred exec`: a command run with the resolved credentials in its environment. @category commands */
export * as Exec from './Exec.js'
export { exec } from './Exec.js'
/** `alicred explain`: every link of the default chain, and which one answered. @category commands */
export * as Explain from './Explain.js'
export { explain } from './Explain.js'
/** `alicred serve`: the resolved credentials served to other processes on loopback. @category commands */
export * as Serve from './Serve.js'
export { serve } from './Serve.js'
