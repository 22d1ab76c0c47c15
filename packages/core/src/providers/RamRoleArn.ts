/**
 * `ram_role_arn`: STS AssumeRole with credentials from any other provider (so role chains compose).
 *
 * The configuration is resolved once, when the provider is built (env fallbacks, defaults, endpoint); a mistake there
 * makes every call fail with the same `InvalidConfiguration`. Each refresh asks the source provider for a credential,
 * then calls STS with it; the result is cached with a 15-minute stale window.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { Capabilities } from '../Capabilities.js'
import * as CE from '../CredentialsError.js'
import * as RS from '../internal/RoleSession.js'
import * as StsClient from '../internal/StsClient.js'
import type { StsEndpointOptions } from '../internal/StsEndpoint.js'
import type { CachedProvider, Provider } from '../Provider.js'
import { cachedSource, fail } from '../Provider.js'

/** Options of `ramRoleArn`. @category sources @since 0.1.0 */
export interface RamRoleArnOptions extends StsEndpointOptions {
  /** The credentials that call AssumeRole. */
  readonly source: Provider
  /** Falls back to `ALIBABA_CLOUD_ROLE_ARN`. */
  readonly roleArn?: string
  /** Falls back to `ALIBABA_CLOUD_ROLE_SESSION_NAME`, then `credentials-nodejs-<epoch ms>`. */
  readonly roleSessionName?: string
  /** At least 900; default 3600. */
  readonly durationSeconds?: number
  readonly policy?: string
  readonly externalId?: string
  readonly connectTimeoutMs?: number
  readonly readTimeoutMs?: number
  /** Refresh window; default 15 min. */
  readonly staleMs?: number
  /** Default `alicred/0.1.0`. */
  readonly userAgent?: string
}

const NAME = 'ram_role_arn'

const resolve = (o: RamRoleArnOptions, caps: Pick<Capabilities, 'env' | 'clock'>) =>
  pipe(
    E.Do,
    E.apS(
      'roleArn',
      RS.required(NAME, 'roleArn', RS.ROLE_ARN_ENV, 'the ARN of the role to assume')(o.roleArn, caps.env),
    ),
    E.apS('durationSeconds', RS.duration(NAME)(o.durationSeconds)),
    E.apS('endpoint', RS.endpoint(NAME)(o, caps.env)),
    E.map((r) => ({ ...r, roleSessionName: RS.sessionName(o.roleSessionName, caps.env, caps.clock.now()) })),
  )

// The source's errors keep their tag (prefixed `ram_role_arn/`), except that a source that is not configured is a
// configuration error here: this provider was configured to use it, so a chain must not skip past it.
const sourceError = (e: CE.CredentialsError): CE.CredentialsError => {
  const prefixed = CE.withProvider(NAME)(e)
  return CE.isSkippable(prefixed)
    ? new CE.InvalidConfiguration(
        prefixed.provider,
        `the source credential of ram_role_arn is not configured: ${e.message}`,
        {},
        e,
      )
    : prefixed
}

/**
 * Assumes a RAM role with the credential of `options.source`. The result has `source` `ram_role_arn/<inner>` and is
 * refreshed 15 minutes before it expires; the source is asked again on each refresh (so a cached source refreshes
 * itself). A bearer source is refused with `InvalidConfiguration`.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { fakeCapabilities, json } from '@alicred/testing'
 * const caps = fakeCapabilities()
 * caps.http.on('POST', 'https://sts.aliyuncs.com/', json(200, {
 *   Credentials: { AccessKeyId: 'STS.id', AccessKeySecret: 'role-secret', SecurityToken: 'token', Expiration: '2024-01-01T01:00:00Z' },
 * }))
 * const p = Providers.ramRoleArn({
 *   source: Providers.staticAccessKey({ accessKeyId: 'id', accessKeySecret: 'secret' }),
 *   roleArn: 'acs:ram::123:role/reader',
 * })(caps)
 * const r = await p()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'ram_role_arn/static_ak')
 * @category sources
 * @since 0.1.0
 */
export const ramRoleArn =
  (options: RamRoleArnOptions) =>
  (caps: Pick<Capabilities, 'env' | 'http' | 'clock' | 'random' | 'reporter'>): CachedProvider => {
    const resolved = resolve(options, caps)
    const refresh: Provider = E.isLeft(resolved)
      ? fail(resolved.left)
      : () => async () => {
          const inner = await options.source()()
          if (E.isLeft(inner)) return E.left(sourceError(inner.left))
          const credential = inner.right
          if (credential.type === 'bearer') {
            return E.left(
              new CE.InvalidConfiguration(
                `${NAME}/${credential.source}`,
                `ram_role_arn needs an AccessKey or STS credential to call AssumeRole, but its source ${credential.source} gives a bearer token; use an AccessKey source`,
                { key: 'source' },
              ),
            )
          }
          const { roleArn, roleSessionName, durationSeconds, endpoint } = resolved.right
          return StsClient.assumeRole(
            {
              credential,
              roleArn,
              roleSessionName,
              durationSeconds,
              ...(options.policy === undefined ? {} : { policy: options.policy }),
              ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
            },
            { endpoint, provider: NAME, source: `${NAME}/${credential.source}`, ...RS.transportOf(options) },
          )(caps)()
        }
    return cachedSource(NAME, options, caps)(refresh)
  }
