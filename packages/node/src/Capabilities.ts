/**
 * Every live capability in one record, ready for any provider of `@alicred/core`.
 *
 * @since 0.1.0
 */
import { type Capabilities, type Env, type Exec, Random, type Reporter } from '@alicred/core'
import { liveClock } from './Clock.js'
import { liveEnv, toEnv } from './Env.js'
import { liveExec } from './Exec.js'
import { type LiveFsOptions, liveFs } from './Fs.js'
import { type NodeHttp, type NodeHttpOptions, nodeHttp } from './Http.js'
import { consoleReporter } from './Reporter.js'

/** Every capability, live, plus `close` for the HTTP connection pools. @category capabilities @since 0.1.0 */
export interface LiveCapabilities extends Capabilities {
  readonly http: NodeHttp
  readonly exec: Exec.Exec
  readonly reporter: Reporter.Reporter
  /** Closes the HTTP connection pools. */
  readonly close: () => void
}

/**
 * What `liveCapabilities` may be told instead of its defaults: the environment, the home directory, HTTP and file options.
 *
 * @category capabilities
 * @since 0.1.0
 */
export interface LiveCapabilitiesOptions {
  /** The environment providers read (and proxy variables are taken from). Default: the live `process.env`. */
  readonly env?: Env.Env | Readonly<Record<string, string | undefined>>
  /** Home directory. Default: `os.homedir()`. */
  readonly home?: string
  readonly http?: Omit<NodeHttpOptions, 'env'>
  readonly fs?: Omit<LiveFsOptions, 'home'>
}

/**
 * Live `Env`, `Fs`, `Http`, `Clock`, `Exec`, WebCrypto `Random` and warnings to `console.warn`.
 *
 * @example
 * import { liveCapabilities } from '@alicred/node'
 * const caps = liveCapabilities({ env: { ALIBABA_CLOUD_PROFILE: 'dev' } })
 * assert.strictEqual(caps.env.get('ALIBABA_CLOUD_PROFILE'), 'dev')
 * caps.close()
 * @category capabilities
 * @since 0.1.0
 */
export const liveCapabilities = (options: LiveCapabilitiesOptions = {}): LiveCapabilities => {
  const env = options.env === undefined ? liveEnv : toEnv(options.env)
  const http = nodeHttp({ ...options.http, env })
  return {
    env,
    fs: liveFs({ ...options.fs, ...(options.home === undefined ? {} : { home: options.home }) }),
    http,
    clock: liveClock,
    random: Random.webCrypto,
    exec: liveExec,
    reporter: consoleReporter,
    close: http.close,
  }
}
