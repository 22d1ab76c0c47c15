/**
 * `@alicred/node`: Node.js runtime for alicred — live capabilities (`process.env`, `node:fs`, `node:http(s)` with
 * proxy support, `child_process`), `defaultProvider()`, and `Client`/`Config`, a drop-in replacement for
 * `@alicloud/credentials` 2.4.7.
 *
 * @since 0.1.0
 */
export * from './Capabilities.js'
export * from './Clock.js'
export * from './Env.js'
export * from './Exec.js'
export * from './Fs.js'
export * from './Http.js'
export * from './Proxy.js'
