/**
 * `@alicred/node`: Node.js runtime for alicred — live capabilities (`process.env`, `node:fs`, `node:http(s)` with
 * proxy support, `child_process`), `defaultProvider()`, and `Client`/`Config`, a drop-in replacement for
 * `@alicloud/credentials` 2.4.7.
 *
 * @since 0.1.0
 */
export * from './Capabilities.js'
export * from './Client.js'
export * from './Clock.js'
export { Config, type ConfigOptions } from './Config.js'
export * from './defaultProvider.js'
export * from './Env.js'
export * from './Exec.js'
export * from './Fs.js'
export * from './Http.js'
export * from './Proxy.js'
export * from './Reporter.js'
export * from './SdkAdapters.js'

import { Client } from './Client.js'

/**
 * The drop-in `Credential` class of `@alicloud/credentials`: `import Credential from '@alicred/node'`.
 *
 * @since 0.1.0
 */
export default Client
