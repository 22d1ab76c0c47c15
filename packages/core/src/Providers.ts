/**
 * Every built-in source, in one namespace.
 *
 * @since 0.1.0
 */

export { decodeConfig, fromConfig } from './config/Config.js'
export * from './providers/CliProfile.js'
export * from './providers/CloudSso.js'
export * from './providers/CredentialsUri.js'
export * from './providers/EcsRamRole.js'
export * from './providers/Environment.js'
export * from './providers/External.js'
export * from './providers/IniProfile.js'
export * from './providers/OAuth.js'
export * from './providers/OidcRoleArn.js'
export * from './providers/RamRoleArn.js'
export * from './providers/RsaKeyPair.js'
export * from './providers/Static.js'
