/**
 * `@alicred/core`: Alibaba Cloud credentials as pure providers over injected capabilities.
 *
 * ```ts
 * type Provider = () => TaskEither<CredentialsError, Credential>
 * ```
 *
 * Modules are exported as namespaces, fp-ts style: `Provider.alt`, `Credential.accessKey`, `Providers.ramRoleArn`.
 * This file is the whole public API, by category (docs/api.md lists it): what is not exported here lives in
 * `src/internal/` and may change in any release.
 *
 * @since 0.1.0
 */

export type { Capabilities } from './Capabilities.js'
/** The default chain of sources, and the one for runtimes without a file system. @category sources */
export * as Chain from './Chain.js'
export { defaultChain, webChain } from './Chain.js'
/** Time: now, and sleeping. @category capabilities */
export * as Clock from './Clock.js'
/** Typed configuration: codecs, decoding, and the provider a config describes. @category config */
export * as Config from './Config.js'
/**
 * What each field of a typed config holds (text, a number, a flag) as plain data, for checks that must not load io-ts.
 * @category config
 */
export * as ConfigFields from './ConfigFields.js'
/** A credential: an AccessKey, an STS token or a bearer token, its expiration and where it came from. @category model */
export * as Credential from './Credential.js'
/** The errors every provider fails with: skip (`NotConfigured`) or stop. @category errors */
export * as CredentialsError from './CredentialsError.js'
/** Environment variables. @category capabilities */
export * as Env from './Env.js'
/** Every `ALIBABA_CLOUD_*` environment variable read. @category config */
export * as EnvVars from './EnvVars.js'
/** Running a command (the Aliyun CLI's `External` mode). @category capabilities */
export * as Exec from './Exec.js'
/** Expiration timestamps as Alibaba Cloud writes them. @category model */
export * as Expiration from './Expiration.js'
/** Files. @category capabilities */
export * as Fs from './Fs.js'
/** HTTP requests, and `Http.fromFetch` for runtimes with `fetch`. @category capabilities */
export * as Http from './Http.js'
/** Providers, the lazy actions that yield credentials, and the algebra that combines them. @category model */
export * as Provider from './Provider.js'
/** Every credential source. @category sources */
export * as Providers from './Providers.js'
/** Randomness: nonces and jitter. @category capabilities */
export * as Random from './Random.js'
export { maskId, REDACTED, redactName, redactUrl, redactUrlIn } from './Redacted.js'
/** Where warnings go. @category capabilities */
export * as Reporter from './Reporter.js'
/** Signing Alibaba Cloud RPC requests with a credential (signature v1, HMAC-SHA1 and SHA256withRSA). @category signing */
export * as Signature from './Signature.js'
/** Capabilities for runtimes without Node's APIs: workers, browsers, Deno, Bun. @category capabilities */
export * as Web from './Web.js'
export { type WebCapabilities, type WebCapabilitiesOptions, webCapabilities } from './Web.js'
