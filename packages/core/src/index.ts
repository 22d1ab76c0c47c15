/**
 * `@alicred/core`: Alibaba Cloud credentials as pure providers over injected capabilities.
 *
 * ```ts
 * type Provider = () => TaskEither<CredentialsError, Credential>
 * ```
 *
 * Modules are exported as namespaces, fp-ts style: `Provider.alt`, `Credential.accessKey`, `Providers.ramRoleArn`.
 *
 * @since 0.1.0
 */
export type { Capabilities } from './Capabilities.js'
export * as Chain from './Chain.js'
export { defaultChain, webChain } from './Chain.js'
export * as Clock from './Clock.js'
export * as Credential from './Credential.js'
export * as CredentialsError from './CredentialsError.js'
export * as CliConfig from './config/CliConfig.js'
export * as Config from './config/Config.js'
export * as ConfigFields from './config/Fields.js'
export * as Ini from './config/Ini.js'
export * as WriteBack from './config/WriteBack.js'
export * as Decode from './Decode.js'
export * as Env from './Env.js'
export * as EnvVars from './EnvVars.js'
export * as Exec from './Exec.js'
export * as Expiration from './Expiration.js'
export * as Failure from './Failure.js'
export * as Fs from './Fs.js'
export * as Http from './Http.js'
export * as ProcessCommand from './ProcessCommand.js'
export * as Provider from './Provider.js'
export * as Providers from './Providers.js'
export * as Random from './Random.js'
export { maskId, REDACTED, redactUrl, redactUrlIn } from './Redacted.js'
export * as Reporter from './Reporter.js'
export * as StsEndpoint from './sts/Endpoint.js'
export * as StsClient from './sts/StsClient.js'
export * as Signature from './sts/signature.js'
export * as Web from './Web.js'
export { type WebCapabilities, type WebCapabilitiesOptions, webCapabilities } from './Web.js'
