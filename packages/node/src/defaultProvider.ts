/**
 * `defaultProvider()`: the default chain over live capabilities, cached — what most programs need and nothing to
 * configure. Options override capabilities (tests, a custom `Http`), the profile, and which links the chain walks.
 *
 * @since 0.1.0
 */
import { type Capabilities, Chain, Provider } from '@alicred/core'
import { type LiveCapabilities, liveCapabilities } from './Capabilities.js'

/** The default chain's options, and capabilities to use instead of the live ones. @category sources @since 0.1.0 */
export interface DefaultProviderOptions extends Chain.DefaultChainOptions {
  /**
   * Replaces live capabilities one by one. When `env` is replaced, the live HTTP client reads its proxy variables
   * from it too.
   */
  readonly capabilities?: Partial<Capabilities>
}

let shared: LiveCapabilities | undefined

/**
 * The live capabilities shared by every `defaultProvider()` and `Client` that does not bring its own, so they share
 * one connection pool. Created on first use.
 *
 * @category sources
 * @since 0.1.0
 */
export const sharedCapabilities = (): LiveCapabilities => {
  shared ??= liveCapabilities()
  return shared
}

/**
 * Live capabilities with `overrides` applied (see `DefaultProviderOptions.capabilities`).
 *
 * @category sources
 * @since 0.1.0
 */
export const withOverrides = (overrides: Partial<Capabilities> = {}): Capabilities => {
  const base = overrides.env === undefined ? sharedCapabilities() : liveCapabilities({ env: overrides.env })
  const out: { -readonly [K in keyof Capabilities]: Capabilities[K] } = {
    env: overrides.env ?? base.env,
    fs: overrides.fs ?? base.fs,
    http: overrides.http ?? base.http,
    clock: overrides.clock ?? base.clock,
    random: overrides.random ?? base.random,
  }
  const exec = overrides.exec ?? base.exec
  if (exec !== undefined) out.exec = exec
  const reporter = overrides.reporter ?? base.reporter
  if (reporter !== undefined) out.reporter = reporter
  return out
}

/**
 * The default chain (env → OIDC → Aliyun CLI profile → INI profile → credentials URI → ECS RAM role) over live
 * capabilities, wrapped in `Provider.cached`: concurrent first calls share one walk of the chain, and the credential
 * is reused until it enters its refresh window (credentials without an expiry are reused until `forceRefresh()` or
 * `invalidate()`).
 *
 * @example
 * import { defaultProvider } from '@alicred/node'
 * const provider = defaultProvider()
 * const r = await provider()()
 * // Right: Credential(type=…, source=default/…, secrets=<redacted>); Left: every link, and why it was skipped
 * console.log(r._tag === 'Right' ? String(r.right) : r.left.message)
 * @category sources
 * @since 0.1.0
 */
export const defaultProvider = (options: DefaultProviderOptions = {}): Provider.CachedProvider => {
  const { capabilities, ...chainOptions } = options
  const caps = withOverrides(capabilities)
  const chain = Chain.defaultChain({ windows: process.platform === 'win32', ...chainOptions })(caps)
  return Provider.cached({ name: chainOptions.name ?? Chain.NAME }, caps)(chain)
}
