/**
 * Every credential source, each a function of its options and then of the capabilities it uses:
 * `Providers.ramRoleArn(options)(caps)`. The default chain composes them (see `Chain`); `Config.fromConfig` picks one
 * from a config.
 *
 * @since 0.1.0
 */

export type { WriteBackFailure, WriteBackMode, WriteBackReporter } from './internal/WriteBack.js'
export { type CliProfileOptions, cliProfile } from './providers/CliProfile.js'
export { type CloudSsoOptions, type CloudSsoUpdate, cloudSso, type StoredSts } from './providers/CloudSso.js'
export { type CredentialsUriOptions, credentialsUri } from './providers/CredentialsUri.js'
export { CREDENTIALS_URI_TOKEN_ENV } from './providers/CredentialsUriToken.js'
export { type EcsRamRoleOptions, ecsRamRole } from './providers/EcsRamRole.js'
export { environment } from './providers/Environment.js'
export { type ExternalOptions, type ExternalUpdate, external } from './providers/External.js'
export { type IniProfileOptions, iniProfile } from './providers/IniProfile.js'
export { type OAuthOptions, type OAuthTokenUpdate, oauth } from './providers/OAuth.js'
export { type OidcRoleArnOptions, oidcRoleArn } from './providers/OidcRoleArn.js'
export { type RamRoleArnOptions, ramRoleArn } from './providers/RamRoleArn.js'
export { type RsaKeyPairOptions, rsaKeyPair } from './providers/RsaKeyPair.js'
export {
  type BearerOptions,
  bearer,
  type StaticAccessKeyOptions,
  type StaticStsOptions,
  staticAccessKey,
  staticSts,
} from './providers/Static.js'
