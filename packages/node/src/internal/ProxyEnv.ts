/**
 * Which proxy the environment names for a URL, read from an injected `Env` (never from `process.env`). The rules are
 * those of `proxy-from-env` 2.x, which are curl's and wget's de-facto ones; that library reads only the global
 * `process.env`, so they are written here (see the package README's dependency notes):
 *
 * - the proxy comes from `<scheme>_proxy`, `<SCHEME>_PROXY`, `all_proxy`, `ALL_PROXY`, the first one set and not
 *   empty (lower case before upper case); a value without `://` gets the request's scheme;
 * - `no_proxy` / `NO_PROXY` (lower case first) turns the proxy off for the hosts it lists: `*` for every host;
 *   entries separated by commas or white space, empty ones skipped; `host:port` only for that port (a URL without a
 *   port has its scheme's default port); an entry is an exact host unless it starts with `.` or `*`, when every host
 *   ending with the rest matches (`.example` and `*.example` match `a.example`, not `example`; `*example` matches
 *   `prefexample`); no other wildcards, no CIDR ranges, no DNS (`127.0.0.1` does not match `localhost`); any case.
 *
 * Internal: `routeFor` in Proxy.ts is the public face.
 */
import type { Env } from '@alicred/core'

/** A proxy named by the environment, with the variable it came from. */
export interface ProxySetting {
  readonly variable: string
  readonly value: string
}

const DEFAULT_PORTS: ReadonlyMap<string, number> = new Map([
  ['ftp', 21],
  ['gopher', 70],
  ['http', 80],
  ['https', 443],
  ['ws', 80],
  ['wss', 443],
])

/** The proxy for `url`, or `undefined` for a direct connection. */
export const proxyForUrl =
  (env: Env.Env) =>
  (url: URL): ProxySetting | undefined => {
    if (url.host === '') return undefined
    const scheme = url.protocol.replace(/:$/, '')
    // `host` keeps an IPv6 address's brackets, as NO_PROXY entries write it (`[::1]:80`).
    const host = url.host.replace(/:\d*$/, '').toLowerCase()
    const port = Number.parseInt(url.port, 10) || DEFAULT_PORTS.get(scheme) || 0
    if (noProxyMatches(lookup(env, 'no_proxy')?.value ?? '', host, port)) return undefined
    const found = lookup(env, `${scheme}_proxy`) ?? lookup(env, 'all_proxy')
    if (found === undefined || found.value.includes('://')) return found
    return { variable: found.variable, value: `${scheme}://${found.value}` }
  }

/** Whether a `NO_PROXY` list turns the proxy off for `host` (lower case, IPv6 in brackets) on `port`. */
export const noProxyMatches = (noProxy: string, host: string, port: number): boolean => {
  const list = noProxy.toLowerCase()
  if (list === '*') return true
  return list.split(/[,\s]/).some((entry) => entry !== '' && entryMatches(entry, host, port))
}

const entryMatches = (entry: string, host: string, port: number): boolean => {
  const withPort = /^(.+):(\d+)$/.exec(entry)
  const name = withPort?.[1] ?? entry
  const entryPort = withPort?.[2] === undefined ? 0 : Number.parseInt(withPort[2], 10)
  if (entryPort !== 0 && entryPort !== port) return false
  if (!/^[.*]/.test(name)) return host === name
  return host.endsWith(name.startsWith('*') ? name.slice(1) : name)
}

/** The lower-case spelling of `name` if it is set and not empty, else the upper-case one. */
const lookup = (env: Env.Env, name: string): ProxySetting | undefined => {
  for (const variable of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env.get(variable)
    if (typeof value === 'string' && value !== '') return { variable, value }
  }
  return undefined
}
