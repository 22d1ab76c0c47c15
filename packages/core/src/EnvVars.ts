/**
 * The names of every `ALIBABA_CLOUD_*` environment variable this library honours (REFERENCE §2bis), each spelled
 * here and nowhere else: core, node, cli and testing refer to these constants, and a repository test
 * (test/EnvVarNames.test.ts) fails when a string literal elsewhere in a package's `src/` names one.
 *
 * @example
 * import { Env, EnvVars } from '@alicred/core'
 * const env = Env.fromRecord({ [EnvVars.PROFILE]: 'dev' })
 * assert.strictEqual(Env.nonEmpty(EnvVars.PROFILE)(env), 'dev')
 * @since 0.1.0
 */

/** `env`: AccessKey id. @since 0.1.0 */
export const ACCESS_KEY_ID = 'ALIBABA_CLOUD_ACCESS_KEY_ID'

/** `env`: AccessKey secret. @since 0.1.0 */
export const ACCESS_KEY_SECRET = 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'

/** `env`: makes the credential an `sts` one. @since 0.1.0 */
export const SECURITY_TOKEN = 'ALIBABA_CLOUD_SECURITY_TOKEN'

/**
 * `ram_role_arn`/`oidc_role_arn` default role; with the two OIDC variables, enables the chain's OIDC link.
 *
 * @since 0.1.0
 */
export const ROLE_ARN = 'ALIBABA_CLOUD_ROLE_ARN'

/** `ram_role_arn`/`oidc_role_arn` default session name. @since 0.1.0 */
export const ROLE_SESSION_NAME = 'ALIBABA_CLOUD_ROLE_SESSION_NAME'

/** `oidc_role_arn` default provider ARN; part of the chain's OIDC link. @since 0.1.0 */
export const OIDC_PROVIDER_ARN = 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN'

/** `oidc_role_arn` default token file; part of the chain's OIDC link. @since 0.1.0 */
export const OIDC_TOKEN_FILE = 'ALIBABA_CLOUD_OIDC_TOKEN_FILE'

/** `oidc_role_arn`: the token itself, when no token file is set; the web chain's OIDC link reads it. @since 0.1.0 */
export const OIDC_TOKEN = 'ALIBABA_CLOUD_OIDC_TOKEN'

/** STS region (`sts.<region>.aliyuncs.com`). @since 0.1.0 */
export const STS_REGION = 'ALIBABA_CLOUD_STS_REGION'

/** `true` (any case): STS VPC endpoint, when a region is set. @since 0.1.0 */
export const VPC_ENDPOINT_ENABLED = 'ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED'

/** Profile name for both the CLI config and the INI file. @since 0.1.0 */
export const PROFILE = 'ALIBABA_CLOUD_PROFILE'

/** `true` (any case): the chain skips the Aliyun CLI config. @since 0.1.0 */
export const CLI_PROFILE_DISABLED = 'ALIBABA_CLOUD_CLI_PROFILE_DISABLED'

/**
 * Path of the Aliyun CLI config (default `~/.aliyun/config.json`; Go's variable, honoured here too).
 *
 * @since 0.1.0
 */
export const CONFIG_FILE = 'ALIBABA_CLOUD_CONFIG_FILE'

/** Path of the INI credentials file (default `~/.alibabacloud/credentials`). @since 0.1.0 */
export const CREDENTIALS_FILE = 'ALIBABA_CLOUD_CREDENTIALS_FILE'

/** ECS RAM role name (skips discovery). @since 0.1.0 */
export const ECS_METADATA = 'ALIBABA_CLOUD_ECS_METADATA'

/** `true` (any case): the chain skips ECS metadata. @since 0.1.0 */
export const ECS_METADATA_DISABLED = 'ALIBABA_CLOUD_ECS_METADATA_DISABLED'

/** `true` (any case): IMDSv2 only, no v1 fallback. @since 0.1.0 */
export const IMDSV1_DISABLED = 'ALIBABA_CLOUD_IMDSV1_DISABLED'

/** Credentials URL; enables the chain's URI link. @since 0.1.0 */
export const CREDENTIALS_URI = 'ALIBABA_CLOUD_CREDENTIALS_URI'
