/**
 * Credentials for the Alibaba Cloud SDKs that take no `credential` object: `ali-oss` (AccessKey options plus a
 * `refreshSTSToken()` callback) and `@alicloud/pop-core` (AccessKey options, or a `credentialsProvider`). The
 * adapters read any provider at every refresh, so the provider's cache decides when a new credential is fetched:
 * every client fed from one cached provider (`defaultProvider()`, any expiring source) shares one upstream call,
 * and picks up the new credential the provider fetches before the old one expires.
 *
 * The objects they return hold secrets, as the SDKs need them in plain fields; printing one (`console.log`,
 * `JSON.stringify`, `util.inspect`) shows `<redacted>` in their place.
 *
 * @since 0.1.0
 */
import { type Credential, CredentialsError, type Provider, REDACTED } from '@alicred/core'
import * as E from './internal/Either.js'

const inspect = Symbol.for('nodejs.util.inspect.custom')

// Makes `o` print its public fields only. The two methods are not enumerable, so SDKs that copy the object
// (`Object.assign`) copy the credential fields alone.
const redacting = <A extends object>(o: A, shown: Readonly<Record<string, unknown>>): A => {
  const text = (): Record<string, unknown> => ({ ...shown, accessKeySecret: REDACTED })
  Object.defineProperty(o, 'toJSON', { value: text, enumerable: false })
  Object.defineProperty(o, inspect, { value: () => text(), enumerable: false })
  return o
}

// The AccessKey of the provider's current credential, or the provider's error (itself free of secrets).
const accessKeyOf = async (
  provider: Provider.Provider,
  sdk: string,
): Promise<Credential.AccessKey | Credential.Sts> => {
  const r = await provider()()
  if (E.isLeft(r)) throw r.left
  const c = r.right
  if (c.type === 'bearer') {
    throw new CredentialsError.InvalidConfiguration(
      c.source,
      `${sdk} signs with an AccessKey, but the provider gave a bearer token (source ${c.source}); use an AccessKey or STS source`,
    )
  }
  return c
}

/** What `refreshSTSToken()` answers (`ali-oss` requires all three fields). @category adapters @since 0.1.0 */
export interface AliOssCredentials {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  /** Empty for an AccessKey credential: `ali-oss` then sends no security token. */
  readonly stsToken: string
}

/** The credential options of an `ali-oss` client. Spread them into its options. @category adapters @since 0.1.0 */
export interface AliOssOptions {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  /** Present for an STS credential. `ali-oss` calls `refreshSTSToken` only when it is. */
  readonly stsToken?: string
  readonly refreshSTSToken: () => Promise<AliOssCredentials>
  /** How often `ali-oss` asks `refreshSTSToken`, in ms. */
  readonly refreshSTSTokenInterval: number
}

/** How often an ali-oss client asks for credentials. @category adapters @since 0.1.0 */
export interface AliOssAdapterOptions {
  /**
   * `refreshSTSTokenInterval`: how often the client asks the provider, in ms. Asking is cheap (the provider answers
   * from its cache until the credential enters its refresh window, 15 minutes before expiry by default), so the
   * default, one minute, has clients switch to a new credential within a minute of the provider fetching it.
   */
  readonly refreshIntervalMs?: number
}

const aliOssCredentials = (c: Credential.AccessKey | Credential.Sts): AliOssCredentials =>
  redacting(
    {
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.accessKeySecret,
      stsToken: c.type === 'sts' ? c.securityToken : '',
    },
    { accessKeyId: c.accessKeyId, stsToken: c.type === 'sts' ? REDACTED : '' },
  )

/**
 * `ali-oss` credential options fed from `provider`: the current AccessKey (and STS token), and a
 * `refreshSTSToken()` that asks the provider again. Rejects with the provider's `CredentialsError` when it has no
 * credential.
 *
 * `ali-oss` only refreshes when its options had an STS token, and never on a client's first request (it starts its
 * interval then): create a client when you need it rather than long before, so its first request does not carry a
 * credential that expired meanwhile.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { toAliOssOptions } from '@alicred/node'
 * const provider = Providers.staticSts({ accessKeyId: 'STS.id', accessKeySecret: 'secret', securityToken: 'token' })
 * const options = await toAliOssOptions(provider)
 * // new OSS({ region: 'oss-cn-hangzhou', bucket: 'my-bucket', ...options })
 * assert.deepStrictEqual([options.accessKeyId, options.stsToken, options.refreshSTSTokenInterval], ['STS.id', 'token', 60_000])
 * assert.ok(!JSON.stringify(options).includes('secret'))
 * @category adapters
 * @since 0.1.0
 */
export const toAliOssOptions = async (
  provider: Provider.Provider,
  options: AliOssAdapterOptions = {},
): Promise<AliOssOptions> => {
  const c = await accessKeyOf(provider, 'ali-oss')
  const interval = options.refreshIntervalMs ?? 60_000
  const refreshSTSToken = async (): Promise<AliOssCredentials> =>
    aliOssCredentials(await accessKeyOf(provider, 'ali-oss'))
  return redacting(
    {
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.accessKeySecret,
      ...(c.type === 'sts' ? { stsToken: c.securityToken } : {}),
      refreshSTSToken,
      refreshSTSTokenInterval: interval,
    },
    {
      accessKeyId: c.accessKeyId,
      ...(c.type === 'sts' ? { stsToken: REDACTED } : {}),
      refreshSTSTokenInterval: interval,
    },
  )
}

/** What a `@alicloud/pop-core` credentials provider answers. @category adapters @since 0.1.0 */
export interface PopCoreCredentials {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken?: string
}

/**
 * The credential part of a `@alicloud/pop-core` `RPCClient` config. Spread it into the config.
 *
 * @category adapters
 * @since 0.1.0
 */
export interface PopCoreConfig extends PopCoreCredentials {
  /**
   * Asked by the client before every request (pop-core 1.8+), so a rotated credential is used as soon as the
   * provider has it. The static fields above are the credential at creation time, for older pop-core versions and
   * for its type declarations, which require them.
   */
  readonly credentialsProvider: { readonly getCredentials: () => Promise<PopCoreCredentials> }
}

const popCoreCredentials = (c: Credential.AccessKey | Credential.Sts): PopCoreCredentials =>
  redacting(
    {
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.accessKeySecret,
      ...(c.type === 'sts' ? { securityToken: c.securityToken } : {}),
    },
    { accessKeyId: c.accessKeyId, ...(c.type === 'sts' ? { securityToken: REDACTED } : {}) },
  )

/**
 * A `@alicloud/pop-core` config fed from `provider`: the AccessKey at creation time, and a `credentialsProvider`
 * that asks the provider before every request. Rejects with the provider's `CredentialsError` when it has no
 * credential.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { toPopCoreConfig } from '@alicred/node'
 * const config = await toPopCoreConfig(Providers.staticAccessKey({ accessKeyId: 'LTAI5tExample', accessKeySecret: 'secret' }))
 * // new RPCClient({ endpoint: 'https://ecs.aliyuncs.com', apiVersion: '2014-05-26', ...config })
 * assert.strictEqual((await config.credentialsProvider.getCredentials()).accessKeyId, 'LTAI5tExample')
 * assert.ok(!JSON.stringify(config).includes('secret'))
 * @category adapters
 * @since 0.1.0
 */
export const toPopCoreConfig = async (provider: Provider.Provider): Promise<PopCoreConfig> => {
  const c = await accessKeyOf(provider, '@alicloud/pop-core')
  const credentialsProvider = {
    getCredentials: async () => popCoreCredentials(await accessKeyOf(provider, '@alicloud/pop-core')),
  }
  return redacting(
    { ...popCoreCredentials(c), credentialsProvider },
    { accessKeyId: c.accessKeyId, ...(c.type === 'sts' ? { securityToken: REDACTED } : {}) },
  )
}
