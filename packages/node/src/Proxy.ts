/**
 * Which proxy, if any, a request goes through: `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY` (upper or
 * lower case, lower case first) as curl and most tools read them (proxy-from-env's rules), from the injected `Env`;
 * `process.env` is neither read nor written. Two kinds of hosts never go through a proxy, whatever the environment
 * says: loopback (the emulator, local credential servers) and the ECS metadata host `100.100.100.200`, which only
 * answers from inside the instance.
 *
 * @since 0.1.0
 */
import type { Env } from '@alicred/core'
import * as E from './internal/Either.js'
import { type ProxySetting, proxyForUrl } from './internal/ProxyEnv.js'

/** The ECS instance metadata host. @category capabilities @since 0.1.0 */
export const METADATA_HOST = '100.100.100.200'

/** Every variable proxy resolution reads for an `http:` or `https:` URL. @category capabilities @since 0.1.0 */
export const PROXY_VARIABLES: ReadonlyArray<string> = [
  'http_proxy',
  'HTTP_PROXY',
  'https_proxy',
  'HTTPS_PROXY',
  'all_proxy',
  'ALL_PROXY',
  'no_proxy',
  'NO_PROXY',
]

/** How a request is routed. @category capabilities @since 0.1.0 */
export type Route =
  | { readonly _tag: 'Direct' }
  | {
      readonly _tag: 'Proxy'
      readonly proxy: URL
      /** The variable the proxy came from, e.g. `HTTPS_PROXY`. */
      readonly variable: string
    }

/** A proxy variable that is set but unusable. @category errors @since 0.1.0 */
export interface ProxyConfigError {
  readonly variable: string
  readonly message: string
}

const direct: Route = { _tag: 'Direct' }

const unbracket = (host: string): string => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host)

/**
 * Whether a host (as in `URL.hostname`) is loopback: `localhost`, `*.localhost`, `127.0.0.0/8` or `::1`.
 *
 * @category capabilities
 * @since 0.1.0
 */
export const isLoopback = (hostname: string): boolean => {
  const h = unbracket(hostname.toLowerCase()).replace(/\.$/, '')
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    h === '::1' ||
    h === '0:0:0:0:0:0:0:1' ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(h)
  )
}

/**
 * Whether a host must always be reached directly (loopback or the metadata host).
 *
 * @category capabilities
 * @since 0.1.0
 */
export const isNeverProxied = (hostname: string): boolean =>
  isLoopback(hostname) || unbracket(hostname).replace(/\.$/, '') === METADATA_HOST

/**
 * Decides how to reach `url`: directly, or through the proxy the environment names. A proxy variable that does not
 * hold a usable `http://` or `https://` URL is an error naming the variable (its value is not repeated: proxy URLs
 * often carry a password).
 *
 * @example
 * import { Env } from '@alicred/core'
 * import { routeFor } from '@alicred/node'
 * const env = Env.fromRecord({ HTTPS_PROXY: 'http://proxy.internal:3128', NO_PROXY: '.internal' })
 * assert.strictEqual(routeFor(env)(new URL('https://sts.aliyuncs.com/'))._tag, 'Right')
 * @category capabilities
 * @since 0.1.0
 */
export const routeFor =
  (env: Env.Env) =>
  (url: URL): E.Either<ProxyConfigError, Route> => {
    if (isNeverProxied(url.hostname)) return E.right(direct)
    const found = proxyForUrl(env)(url)
    return found === undefined ? E.right(direct) : parseProxy(found)
  }

/** The proxy a variable names, checked: a URL with an http or https scheme and a host. */
const parseProxy = ({ variable, value }: ProxySetting): E.Either<ProxyConfigError, Route> => {
  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    return E.left({
      variable,
      message: `${variable} is not a valid proxy URL; set it to http://host:port (or unset it)`,
    })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return E.left({
      variable,
      message: `${variable} uses the unsupported scheme ${parsed.protocol}; only http:// and https:// proxies are supported`,
    })
  }
  if (parsed.hostname === '') {
    return E.left({ variable, message: `${variable} has no host; set it to http://host:port (or unset it)` })
  }
  return E.right({ _tag: 'Proxy', proxy: parsed, variable })
}
