/**
 * Every command, each `(argv, runtime) => TaskEither<Failure, exitCode>`.
 *
 * @since 0.1.0
 */
export * as Emulator from './Emulator.js'
export { emulator } from './Emulator.js'
export * as Env from './Env.js'
export { env } from './Env.js'
export * as Exec from './Exec.js'
export { exec } from './Exec.js'
export * as Explain from './Explain.js'
export { explain } from './Explain.js'
export * as Serve from './Serve.js'
export { serve } from './Serve.js'
