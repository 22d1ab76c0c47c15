/**
 * Settings shared by the role-assuming sources (`ram_role_arn`, `oidc_role_arn`, `rsa_key_pair`): required values with
 * env fallbacks, the session name, the session duration and the endpoint — each refused with an
 * `InvalidConfiguration` that names the option and the env var.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as CE from '../CredentialsError.js'
import * as Env from '../Env.js'
import * as EnvVars from '../EnvVars.js'
import * as StsEndpoint from './Endpoint.js'

/** @since 0.1.0 */
export const ROLE_ARN_ENV = EnvVars.ROLE_ARN

/** @since 0.1.0 */
export const ROLE_SESSION_NAME_ENV = EnvVars.ROLE_SESSION_NAME

/** The reference's default session duration. @since 0.1.0 */
export const DEFAULT_DURATION_SECONDS = 3600

/** STS refuses shorter sessions. @since 0.1.0 */
export const MIN_DURATION_SECONDS = 900

/**
 * A required string option with an env fallback; the error names both.
 *
 * @since 0.1.0
 */
export const required =
  (provider: string, key: string, envVar: string, what: string) =>
  (given: string | undefined, env: Env.Env): E.Either<CE.InvalidConfiguration, string> => {
    const v = Env.nonBlank(given) ?? Env.nonEmpty(envVar)(env)
    return v === undefined
      ? E.left(
          new CE.InvalidConfiguration(provider, `${key} is not set: give ${key} or set ${envVar} to ${what}`, {
            key,
            envVar,
          }),
        )
      : E.right(v)
  }

/**
 * The session name: given, else `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else `credentials-nodejs-<epoch ms>` (the
 * reference's default, so STS audit logs look the same).
 *
 * @since 0.1.0
 */
export const sessionName = (given: string | undefined, env: Env.Env, nowMs: number): string =>
  Env.nonBlank(given) ?? Env.nonEmpty(ROLE_SESSION_NAME_ENV)(env) ?? `credentials-nodejs-${nowMs}`

/**
 * A whole number of seconds, at least 900 (and at most `max` when given); default 3600.
 *
 * @since 0.1.0
 */
export const duration =
  (provider: string, max?: number) =>
  (given: number | undefined): E.Either<CE.InvalidConfiguration, number> => {
    if (given === undefined) return E.right(DEFAULT_DURATION_SECONDS)
    const range = max === undefined ? `at least ${MIN_DURATION_SECONDS}` : `between ${MIN_DURATION_SECONDS} and ${max}`
    return Number.isSafeInteger(given) && given >= MIN_DURATION_SECONDS && (max === undefined || given <= max)
      ? E.right(given)
      : E.left(
          new CE.InvalidConfiguration(
            provider,
            `durationSeconds must be a whole number of seconds ${range} (got ${given})`,
            { key: 'durationSeconds' },
          ),
        )
  }

/**
 * The endpoint URL (`StsEndpoint.resolve`), or an `InvalidConfiguration` naming the setting.
 *
 * @since 0.1.0
 */
export const endpoint =
  (provider: string) =>
  (options: StsEndpoint.StsEndpointOptions, env: Env.Env): E.Either<CE.InvalidConfiguration, string> =>
    pipe(
      StsEndpoint.resolve(options, env),
      E.mapLeft(
        (e) =>
          new CE.InvalidConfiguration(provider, e.message, {
            key: e.key,
            ...(e.envVar === undefined ? {} : { envVar: e.envVar }),
          }),
      ),
    )

/**
 * Copies the optional transport settings that are set (with `exactOptionalPropertyTypes`, `undefined` must not be
 * passed on as a value).
 *
 * @since 0.1.0
 */
export const transportOf = (o: {
  readonly connectTimeoutMs?: number | undefined
  readonly readTimeoutMs?: number | undefined
  readonly userAgent?: string | undefined
}): { connectTimeoutMs?: number; readTimeoutMs?: number; userAgent?: string } => ({
  ...(o.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: o.connectTimeoutMs }),
  ...(o.readTimeoutMs === undefined ? {} : { readTimeoutMs: o.readTimeoutMs }),
  ...(o.userAgent === undefined ? {} : { userAgent: o.userAgent }),
})
