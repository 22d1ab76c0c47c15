/**
 * Typed configuration: one io-ts codec per credential type, `decodeConfig` to check a value from outside, `decodeFor`
 * for a reader with field names of its own, and `fromConfig` to turn a config into its provider. The INI and Aliyun
 * CLI readers map their keys onto these same codecs, so one place decides what a valid `ram_role_arn` (or any other)
 * configuration is.
 *
 * Field names follow the reference `Config` (`accessKeyId`, `roleArn`, `stsRegionId`, `enableVpc`, `timeout` = read
 * timeout in ms, `connectTimeout`, `credentialsURI`, `oidcTokenFilePath`, …), so a drop-in facade maps 1:1. In every
 * reader `undefined`, `null`, blank text and `0` count as unset. Unlike the reference, an explicit `access_key` or
 * `sts` config never falls back to environment variables. A `ram_role_arn` config without an AccessKey does, as in the
 * official Node and Python SDKs: AssumeRole is then called with `ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET` (and
 * `ALIBABA_CLOUD_SECURITY_TOKEN` when set). So do the fields the reference reads from a variable when a config leaves
 * them out (`roleArn`, the OIDC settings, the credentials URI: `envFallbacks`; `unmet` says which are missing from
 * both). Profiles of the INI and CLI files still need their own keys and role.
 *
 * This module is the public part of `internal/Config.ts`, which also holds what the package's own readers share.
 *
 * @since 0.1.0
 */
export {
  AccessKeyConfig,
  BearerConfig,
  CloudSsoConfig,
  Config,
  type ConfigType,
  CredentialsUriConfig,
  configTypes,
  decodeConfig,
  decodeFor,
  EcsRamRoleConfig,
  type EnvFallback,
  ExternalConfig,
  envFallbacks,
  type FromConfigOptions,
  fromConfig,
  OAuthConfig,
  OidcRoleArnConfig,
  RamRoleArnConfig,
  type ReaderOptions,
  type ReaderProblem,
  RsaKeyPairConfig,
  StsConfig,
  switchedOffBy,
  type Unmet,
  unmet,
} from './internal/Config.js'
