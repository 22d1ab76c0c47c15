/**
 * Static sources: an AccessKey pair, an STS triple or a bearer token given directly. No I/O, no refresh, and —
 * unlike the reference — no silent fallback to environment variables when a field is empty.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import * as C from '../Credential.js'
import { InvalidConfiguration } from '../CredentialsError.js'
import type { Provider } from '../Provider.js'

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === ''

const check =
  (provider: string, fields: ReadonlyArray<readonly [key: string, value: string | undefined]>) =>
  (build: () => C.Credential): Provider =>
  () =>
  () => {
    const missing = fields.filter(([, v]) => blank(v)).map(([k]) => k)
    return Promise.resolve(
      missing.length > 0
        ? E.left(
            new InvalidConfiguration(
              provider,
              `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} empty; set ${missing.length === 1 ? 'it' : 'them'} to the value from the RAM console`,
              { key: missing[0]! },
            ),
          )
        : E.right(build()),
    )
  }

/** @since 0.1.0 */
export interface StaticAccessKeyOptions {
  readonly accessKeyId: string
  readonly accessKeySecret: string
}

/**
 * A fixed AccessKey pair (`source` = `static_ak`). Empty or whitespace-only fields give `InvalidConfiguration`.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * const r = await Providers.staticAccessKey({ accessKeyId: 'id', accessKeySecret: 'secret' })()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'static_ak')
 * @since 0.1.0
 */
export const staticAccessKey = (o: StaticAccessKeyOptions): Provider =>
  check('static_ak', [
    ['accessKeyId', o.accessKeyId],
    ['accessKeySecret', o.accessKeySecret],
  ])(() =>
    C.accessKey({ accessKeyId: o.accessKeyId.trim(), accessKeySecret: o.accessKeySecret.trim(), source: 'static_ak' }),
  )

/** @since 0.1.0 */
export interface StaticStsOptions extends StaticAccessKeyOptions {
  readonly securityToken: string
  readonly expiration?: Date
}

/**
 * A fixed STS credential (`source` = `static_sts`).
 *
 * @since 0.1.0
 */
export const staticSts = (o: StaticStsOptions): Provider =>
  check('static_sts', [
    ['accessKeyId', o.accessKeyId],
    ['accessKeySecret', o.accessKeySecret],
    ['securityToken', o.securityToken],
  ])(() =>
    C.sts({
      accessKeyId: o.accessKeyId.trim(),
      accessKeySecret: o.accessKeySecret.trim(),
      securityToken: o.securityToken.trim(),
      source: 'static_sts',
      expiration: o.expiration,
    }),
  )

/** @since 0.1.0 */
export interface BearerOptions {
  readonly bearerToken: string
}

/**
 * A fixed bearer token (`source` = `bearer`).
 *
 * @since 0.1.0
 */
export const bearer = (o: BearerOptions): Provider =>
  check('bearer', [['bearerToken', o.bearerToken]])(() =>
    C.bearer({ bearerToken: o.bearerToken.trim(), source: 'bearer' }),
  )
