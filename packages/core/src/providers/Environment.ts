/**
 * `env`: an AccessKey pair (plus an STS token when one is set) from `ALIBABA_CLOUD_ACCESS_KEY_ID`,
 * `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and `ALIBABA_CLOUD_SECURITY_TOKEN`, read on every call. Also the one list of
 * every `ALIBABA_CLOUD_*` variable this library honours and where.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import type { Capabilities } from '../Capabilities.js'
import * as C from '../Credential.js'
import { InvalidConfiguration, NotConfigured } from '../CredentialsError.js'
import * as Env from '../Env.js'
import type { Provider } from '../Provider.js'

/**
 * Every environment variable of the reference (REFERENCE §2bis) and who reads it here.
 *
 * @since 0.1.0
 */
export const EnvVars = {
  /** `env`: AccessKey id. */
  ACCESS_KEY_ID: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
  /** `env`: AccessKey secret. */
  ACCESS_KEY_SECRET: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  /** `env`: makes the credential an `sts` one. */
  SECURITY_TOKEN: 'ALIBABA_CLOUD_SECURITY_TOKEN',
  /** `ram_role_arn`/`oidc_role_arn` default role; with the two OIDC variables, enables the chain's OIDC link. */
  ROLE_ARN: 'ALIBABA_CLOUD_ROLE_ARN',
  /** `ram_role_arn`/`oidc_role_arn` default session name. */
  ROLE_SESSION_NAME: 'ALIBABA_CLOUD_ROLE_SESSION_NAME',
  /** `oidc_role_arn` default provider ARN; part of the chain's OIDC link. */
  OIDC_PROVIDER_ARN: 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
  /** `oidc_role_arn` default token file; part of the chain's OIDC link. */
  OIDC_TOKEN_FILE: 'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  /** `oidc_role_arn`: the token itself, when no token file is set; the web chain's OIDC link reads it. */
  OIDC_TOKEN: 'ALIBABA_CLOUD_OIDC_TOKEN',
  /** STS region (`sts.<region>.aliyuncs.com`). */
  STS_REGION: 'ALIBABA_CLOUD_STS_REGION',
  /** `true` (any case): STS VPC endpoint, when a region is set. */
  VPC_ENDPOINT_ENABLED: 'ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED',
  /** Profile name for both the CLI config and the INI file. */
  PROFILE: 'ALIBABA_CLOUD_PROFILE',
  /** `true` (any case): the chain skips the Aliyun CLI config. */
  CLI_PROFILE_DISABLED: 'ALIBABA_CLOUD_CLI_PROFILE_DISABLED',
  /** Path of the Aliyun CLI config (default `~/.aliyun/config.json`; Go's variable, honoured here too). */
  CONFIG_FILE: 'ALIBABA_CLOUD_CONFIG_FILE',
  /** Path of the INI credentials file (default `~/.alibabacloud/credentials`). */
  CREDENTIALS_FILE: 'ALIBABA_CLOUD_CREDENTIALS_FILE',
  /** ECS RAM role name (skips discovery). */
  ECS_METADATA: 'ALIBABA_CLOUD_ECS_METADATA',
  /** `true` (any case): the chain skips ECS metadata. */
  ECS_METADATA_DISABLED: 'ALIBABA_CLOUD_ECS_METADATA_DISABLED',
  /** `true` (any case): IMDSv2 only, no v1 fallback. */
  IMDSV1_DISABLED: 'ALIBABA_CLOUD_IMDSV1_DISABLED',
  /** Credentials URL; enables the chain's URI link. */
  CREDENTIALS_URI: 'ALIBABA_CLOUD_CREDENTIALS_URI',
} as const

const ID = EnvVars.ACCESS_KEY_ID
const SECRET = EnvVars.ACCESS_KEY_SECRET
const TOKEN = EnvVars.SECURITY_TOKEN

/**
 * Credentials from the environment (`source` = `env`), read on every call.
 *
 * - none of the three variables set (empty counts as unset) → `NotConfigured`;
 * - id and secret set → an `access_key` credential, or `sts` when `ALIBABA_CLOUD_SECURITY_TOKEN` is set too;
 * - only some set → `InvalidConfiguration` naming the missing ones (half a credential is a mistake, not a reason
 *   to silently use another source).
 *
 * @example
 * import { Env, Providers } from '@alicred/core'
 * const env = Env.fromRecord({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' })
 * const r = await Providers.environment({ env })()()
 * assert.strictEqual(r._tag === 'Right' && r.right.type, 'access_key')
 * @since 0.1.0
 */
export const environment =
  (caps: Pick<Capabilities, 'env'>): Provider =>
  () =>
  () => {
    const id = Env.nonEmpty(ID)(caps.env)
    const secret = Env.nonEmpty(SECRET)(caps.env)
    const token = Env.nonEmpty(TOKEN)(caps.env)
    if (id === undefined && secret === undefined && token === undefined) {
      return Promise.resolve(
        E.left(
          new NotConfigured(
            'env',
            `${ID} and ${SECRET} are not set; set both to use an AccessKey from the environment`,
          ),
        ),
      )
    }
    if (id === undefined || secret === undefined) {
      const names: ReadonlyArray<readonly [string, string | undefined]> = [
        [ID, id],
        [SECRET, secret],
        [TOKEN, token],
      ]
      const set = names.filter(([, v]) => v !== undefined).map(([n]) => n)
      const missing = names
        .slice(0, 2)
        .filter(([, v]) => v === undefined)
        .map(([n]) => n)
      const are = (xs: ReadonlyArray<string>) => (xs.length === 1 ? 'is' : 'are')
      return Promise.resolve(
        E.left(
          new InvalidConfiguration(
            'env',
            `${set.join(' and ')} ${are(set)} set but ${missing.join(' and ')} ${are(missing)} not; set ${missing.length === 1 ? 'it' : 'them'} too, or unset the others`,
            { envVar: missing[0] ?? ID },
          ),
        ),
      )
    }
    return Promise.resolve(
      E.right(
        token === undefined
          ? C.accessKey({ accessKeyId: id, accessKeySecret: secret, source: 'env' })
          : C.sts({ accessKeyId: id, accessKeySecret: secret, securityToken: token, source: 'env' }),
      ),
    )
  }
