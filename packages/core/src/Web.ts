/**
 * Live capabilities for runtimes that have web APIs and not Node's: Deno, Bun, Cloudflare Workers, Vercel and other
 * edge functions, browsers. `fetch` for HTTP, `Date.now`/`setTimeout` for the clock, WebCrypto for nonces, and an
 * environment from a record. There is no file system and no process execution: the sources that need them (profile
 * files, token and key files, the CLI's External mode) answer `NotConfigured` saying so. Pair it with
 * `Chain.webChain`.
 *
 * @since 0.1.0
 */
import type { Capabilities } from './Capabilities.js'
import * as Clock from './Clock.js'
import * as Env from './Env.js'
import * as Fs from './Fs.js'
import * as Http from './Http.js'
import * as Random from './Random.js'
import type * as Reporter from './Reporter.js'

/** @since 0.1.0 */
export interface WebCapabilitiesOptions {
  /**
   * The environment: `Deno.env.toObject()`, a Worker's `env` bindings, `import.meta.env`, `Bun.env`, or an `Env`.
   * Only string values are variables: a record's other values (KV namespaces, booleans) read as unset.
   */
  readonly env: Env.Env | Readonly<Record<string, unknown>>
  /** The `fetch` to use. Default: the global `fetch`, looked up at each request. */
  readonly fetch?: Http.Fetch
  /** Default timeouts and `User-Agent` of the HTTP capability. */
  readonly http?: Omit<Http.FetchHttpOptions, 'clock'>
  /** Where warnings go. Default: `console.warn`, which every runtime has (a Worker's goes to its logs). */
  readonly reporter?: Reporter.Reporter
}

/** What `webCapabilities` gives: every capability, the file system one failing, and no `exec`. @since 0.1.0 */
export interface WebCapabilities extends Capabilities {
  readonly reporter: Reporter.Reporter
}

const consoleReporter: Reporter.Reporter = {
  warn: (message) => {
    globalThis.console?.warn(message)
  },
}

/** The reason file-based sources are given for not being set up. @since 0.1.0 */
export const NO_FILE_SYSTEM = 'webCapabilities has no file system'

const isEnv = (e: WebCapabilitiesOptions['env']): e is Env.Env => typeof (e as Partial<Env.Env>).get === 'function'

/**
 * Capabilities over web APIs only.
 *
 * @example
 * import { Providers, webCapabilities } from '@alicred/core'
 * const caps = webCapabilities({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret', KV: {} } })
 * const r = await Providers.environment(caps)()()
 * assert.strictEqual(r._tag === 'Right' && r.right.type === 'access_key' && r.right.accessKeyId, 'id')
 * assert.strictEqual(caps.env.get('KV'), undefined) // not a string: not a variable
 * const ini = await Providers.iniProfile({})(caps)()()
 * assert.strictEqual(ini._tag === 'Left' && ini.left._tag, 'NotConfigured')
 * @since 0.1.0
 */
export const webCapabilities = (options: WebCapabilitiesOptions): WebCapabilities => {
  const source = options.env
  const env = isEnv(source)
    ? source
    : Env.fromFunction((name) => {
        const v = Object.hasOwn(source, name) ? source[name] : undefined
        return typeof v === 'string' ? v : undefined
      })
  return {
    env,
    fs: Fs.unavailable(NO_FILE_SYSTEM),
    http: Http.fromFetch(options.fetch, options.http ?? {}),
    clock: Clock.system,
    random: Random.webCrypto,
    reporter: options.reporter ?? consoleReporter,
  }
}
