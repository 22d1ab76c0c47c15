/**
 * Static sources: an AccessKey pair, an STS triple or a bearer token given directly. No I/O, no refresh, and —
 * unlike the reference — no silent fallback to environment variables when a field is empty.
 *
 * @since 0.1.0
 */
import * as C from '../Credential.js'
import { InvalidConfiguration } from '../CredentialsError.js'
import { fail, of, type Provider } from '../Provider.js'

// Callers in plain JavaScript (or a config read from JSON) can pass anything; a non-string is as unusable as an empty
// string and gets the same clear error instead of a TypeError.
const problem = (value: unknown): string | undefined =>
  typeof value !== 'string'
    ? value === undefined
      ? 'missing'
      : 'not a string'
    : value.trim() === ''
      ? 'empty'
      : undefined

const describeProblems = (problems: ReadonlyArray<readonly [key: string, problem: string]>): string => {
  const byProblem = new Map<string, Array<string>>()
  for (const [key, p] of problems) byProblem.set(p, [...(byProblem.get(p) ?? []), key])
  return Array.from(byProblem, ([p, keys]) => `${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are'} ${p}`).join('; ')
}

// The options are read and checked once, when the provider is built, so every run answers with the same resolved
// result (see `Provider.of` and `Provider.fail`): the credential, or the typed error, which is returned when the
// provider runs and never thrown here.
const check = (
  provider: string,
  hint: string,
  fields: ReadonlyArray<readonly [key: string, value: unknown]>,
  expiration?: unknown,
) => {
  const problems = fields.flatMap(([k, v]) => {
    const p = problem(v)
    return p === undefined ? [] : [[k, p] as const]
  })
  return (build: () => C.Credential): Provider => {
    if (problems.length > 0) {
      return fail(
        new InvalidConfiguration(provider, `${describeProblems(problems)}; ${hint}`, { key: problems[0]![0] }),
      )
    }
    if (expiration !== undefined && !(expiration instanceof Date && !Number.isNaN(expiration.getTime()))) {
      return fail(
        new InvalidConfiguration(
          provider,
          'expiration is not a valid Date; pass the Expiration that came with the token, or leave it out',
          { key: 'expiration' },
        ),
      )
    }
    return of(build())
  }
}

const AK_HINT = 'pass the AccessKey pair shown in the RAM console when the key was created'
const STS_HINT = 'pass the AccessKeyId, AccessKeySecret and SecurityToken returned together by STS'

/** Options of `staticAccessKey`. @category sources @since 0.1.0 */
export interface StaticAccessKeyOptions {
  readonly accessKeyId: string
  readonly accessKeySecret: string
}

/**
 * A fixed AccessKey pair (`source` = `static_ak`). Empty or whitespace-only fields give `InvalidConfiguration`
 * naming them (never their values); values are trimmed.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * const r = await Providers.staticAccessKey({ accessKeyId: 'id', accessKeySecret: 'secret' })()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'static_ak')
 * @category sources
 * @since 0.1.0
 */
export const staticAccessKey = (o: StaticAccessKeyOptions): Provider =>
  check('static_ak', AK_HINT, [
    ['accessKeyId', o.accessKeyId],
    ['accessKeySecret', o.accessKeySecret],
  ])(() =>
    C.accessKey({ accessKeyId: o.accessKeyId.trim(), accessKeySecret: o.accessKeySecret.trim(), source: 'static_ak' }),
  )

/** Options of `staticSts`. @category sources @since 0.1.0 */
export interface StaticStsOptions extends StaticAccessKeyOptions {
  readonly securityToken: string
  readonly expiration?: Date
}

/**
 * A fixed STS credential (`source` = `static_sts`). Empty or whitespace-only fields, or an invalid `expiration`,
 * give `InvalidConfiguration`. Values are trimmed. Nothing refreshes it: wrap a refreshing source instead when the
 * token is short-lived.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * const r = await Providers.staticSts({ accessKeyId: 'STS.id', accessKeySecret: 'secret', securityToken: ' ' })()()
 * assert.strictEqual(r._tag === 'Left' && r.left.message, 'securityToken is empty; pass the AccessKeyId, AccessKeySecret and SecurityToken returned together by STS')
 *
 * @category sources
 * @since 0.1.0
 */
export const staticSts = (o: StaticStsOptions): Provider =>
  check(
    'static_sts',
    STS_HINT,
    [
      ['accessKeyId', o.accessKeyId],
      ['accessKeySecret', o.accessKeySecret],
      ['securityToken', o.securityToken],
    ],
    o.expiration,
  )(() =>
    C.sts({
      accessKeyId: o.accessKeyId.trim(),
      accessKeySecret: o.accessKeySecret.trim(),
      securityToken: o.securityToken.trim(),
      source: 'static_sts',
      expiration: o.expiration,
    }),
  )

/** Options of `bearer`. @category sources @since 0.1.0 */
export interface BearerOptions {
  readonly bearerToken: string
}

/**
 * A fixed bearer token (`source` = `bearer`). An empty or whitespace-only token gives `InvalidConfiguration`.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * const r = await Providers.bearer({ bearerToken: 'token' })()()
 * assert.strictEqual(r._tag === 'Right' && r.right.type, 'bearer')
 *
 * @category sources
 * @since 0.1.0
 */
export const bearer = (o: BearerOptions): Provider =>
  check('bearer', 'pass the bearer token issued for the API you call', [['bearerToken', o.bearerToken]])(() =>
    C.bearer({ bearerToken: o.bearerToken.trim(), source: 'bearer' }),
  )
