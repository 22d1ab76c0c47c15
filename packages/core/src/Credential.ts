/**
 * The credential model: what a provider yields. A discriminated union on `type` (`access_key`, `sts`, `bearer`),
 * each with an optional `expiration` and the `source` path of the providers that produced it
 * (e.g. `default/profile/ram_role_arn/static_ak`).
 *
 * Secrets never print: `String(c)`, `JSON.stringify(c)` and `util.inspect(c)` show `<redacted>`; the fields
 * themselves hold the real values.
 *
 * @since 0.1.0
 */
import * as E from './internal/Either.js'
import { inspectSymbol, maskId, REDACTED } from './Redacted.js'

/** The kinds of credential, as the `type` field says. @category model @since 0.1.0 */
export type CredentialType = 'access_key' | 'sts' | 'bearer'

interface Base {
  /** Provider path that produced this credential, outermost first, e.g. `default/env`. */
  readonly source: string
  /** When the credential stops working; absent for long-lived keys. */
  readonly expiration?: Date
}

/** A long-lived (or session) AccessKey pair. @category model @since 0.1.0 */
export interface AccessKey extends Base {
  readonly type: 'access_key'
  readonly accessKeyId: string
  readonly accessKeySecret: string
}

/** A temporary STS credential. @category model @since 0.1.0 */
export interface Sts extends Base {
  readonly type: 'sts'
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken: string
}

/** A bearer token (CloudCall-style APIs). @category model @since 0.1.0 */
export interface Bearer extends Base {
  readonly type: 'bearer'
  readonly bearerToken: string
}

/** A credential of any kind (a union discriminated on `type`). @category model @since 0.1.0 */
export type Credential = AccessKey | Sts | Bearer

/** The public, printable view of a credential. @category model @since 0.1.0 */
export interface CredentialView {
  readonly type: CredentialType
  readonly source: string
  readonly accessKeyId?: string
  readonly expiration?: string
}

/**
 * What a credential shows when printed: its type, source, masked key id and expiration. Never a secret.
 *
 * @category model
 * @since 0.1.0
 */
export const view = (c: Credential): CredentialView => {
  const base: { type: CredentialType; source: string; accessKeyId?: string; expiration?: string } = {
    type: c.type,
    source: c.source,
  }
  if (c.type !== 'bearer') base.accessKeyId = maskId(c.accessKeyId)
  if (c.expiration !== undefined) base.expiration = isoOrInvalid(c.expiration)
  return base
}

// `toISOString` throws on an invalid date; printing a credential must never throw.
const isoOrInvalid = (d: Date): string => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())

const describe = (c: Credential): string => {
  const v = view(c)
  const parts = [`type=${v.type}`, `source=${v.source}`]
  if (v.accessKeyId !== undefined) parts.push(`accessKeyId=${v.accessKeyId}`)
  if (v.expiration !== undefined) parts.push(`expiration=${v.expiration}`)
  return `Credential(${parts.join(', ')}, secrets=${REDACTED})`
}

// The render methods live on a shared prototype, so they are non-enumerable: spreading a credential or
// comparing it with `toEqual` sees only data fields.
const proto = {
  toString(this: Credential): string {
    return describe(this)
  },
  toJSON(this: Credential): CredentialView & { secrets: string } {
    return { ...view(this), secrets: REDACTED }
  },
  [inspectSymbol](this: Credential): string {
    return describe(this)
  },
}

const make = <C extends Credential>(fields: C): C => {
  const out = Object.create(proto) as C
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v
  }
  return Object.freeze(out)
}

/** @inline */
type Fields<C extends Credential> = Omit<C, 'type' | 'source' | 'expiration'> & {
  readonly source: string
  readonly expiration?: Date | undefined
}

/**
 * Builds an `access_key` credential.
 *
 * @example
 * import { Credential } from '@alicred/core'
 * const c = Credential.accessKey({ accessKeyId: 'id', accessKeySecret: 'secret', source: 'static_ak' })
 * assert.strictEqual(JSON.stringify(c).includes('secret"'), false)
 * @category constructors
 * @since 0.1.0
 */
export const accessKey = (f: Fields<AccessKey>): AccessKey => make<AccessKey>({ type: 'access_key', ...f } as AccessKey)

/**
 * Builds an `sts` credential.
 *
 * @category constructors
 * @since 0.1.0
 */
export const sts = (f: Fields<Sts>): Sts => make<Sts>({ type: 'sts', ...f } as Sts)

/**
 * Builds a `bearer` credential.
 *
 * @category constructors
 * @since 0.1.0
 */
export const bearer = (f: Fields<Bearer>): Bearer => make<Bearer>({ type: 'bearer', ...f } as Bearer)

/**
 * Rebuilds a credential with new fields, keeping redaction.
 *
 * @category combinators
 * @since 0.1.0
 */
export const modify =
  (f: { readonly source?: string; readonly expiration?: Date | undefined }) =>
  (c: Credential): Credential =>
    make({ ...spread(c), ...f } as Credential)

const spread = (c: Credential): Credential => ({ ...c }) as Credential

/**
 * Joins a provider name in front of a provider path: `prefixPath('default', 'env')` is `default/env`. An empty path
 * gives the name alone, so naming never produces a dangling `/`.
 *
 * @category model
 * @since 0.1.0
 */
export const prefixPath = (prefix: string, path: string): string =>
  path === '' ? prefix : prefix === '' ? path : `${prefix}/${path}`

/**
 * Prefixes the `source` path: `withSource('default')(c)` turns `env` into `default/env`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const withSource =
  (prefix: string) =>
  (c: Credential): Credential =>
    modify({ source: prefixPath(prefix, c.source) })(c)

/**
 * Milliseconds left before `expiration`, or `Infinity` for a credential that does not expire (`NaN` for an invalid
 * expiration date).
 *
 * @category model
 * @since 0.1.0
 */
export const remainingMs =
  (nowMs: number) =>
  (c: Credential): number =>
    c.expiration === undefined ? Number.POSITIVE_INFINITY : c.expiration.getTime() - nowMs

/**
 * Whether the credential has expired at `nowMs`. A credential whose expiration is an invalid date counts as expired:
 * nobody can tell how long it works.
 *
 * @category model
 * @since 0.1.0
 */
export const isExpired =
  (nowMs: number) =>
  (c: Credential): boolean =>
    !(remainingMs(nowMs)(c) > 0)

/**
 * The secrets a credential holds, for leak scanners in tests and logs.
 *
 * @category model
 * @since 0.1.0
 */
export const secretsOf = (c: Credential): ReadonlyArray<string> =>
  c.type === 'access_key'
    ? [c.accessKeySecret]
    : c.type === 'sts'
      ? [c.accessKeySecret, c.securityToken]
      : [c.bearerToken]

/**
 * Whether a value was built by this module (and so prints redacted).
 *
 * @category model
 * @since 0.1.0
 */
export const isCredential = (u: unknown): u is Credential =>
  typeof u === 'object' && u !== null && Object.getPrototypeOf(u) === proto

const REQUIRED: Readonly<Record<CredentialType, ReadonlyArray<string>>> = {
  access_key: ['accessKeyId', 'accessKeySecret'],
  sts: ['accessKeyId', 'accessKeySecret', 'securityToken'],
  bearer: ['bearerToken'],
}

/**
 * Checks a value some provider produced before anyone uses it: a known `type`, every required field a non-blank
 * string, `expiration` absent or a valid `Date`, `source` a string (default `fallbackSource`). A plain object that
 * passes is rebuilt so it prints redacted. The `Left` names the field at fault, never its value.
 *
 * The combinators of `Provider` run every result through this, so a custom provider that returns an empty secret
 * or a hand-made object never turns into a silently wrong or leaky credential.
 *
 * @example
 * import { Credential } from '@alicred/core'
 * const r = Credential.validate({ type: 'access_key', accessKeyId: 'id', accessKeySecret: ' ', source: 'mine' })
 * assert.deepStrictEqual(r, { _tag: 'Left', left: 'accessKeySecret is empty' })
 * @category constructors
 * @since 0.1.0
 */
export const validate = (u: unknown, fallbackSource = ''): E.Either<string, Credential> => {
  if (typeof u !== 'object' || u === null) return E.left('expected a credential object')
  const o = u as Record<string, unknown>
  const type = o.type
  if (type !== 'access_key' && type !== 'sts' && type !== 'bearer') {
    return E.left('type must be one of access_key, sts, bearer')
  }
  for (const field of REQUIRED[type]) {
    const v = o[field]
    if (typeof v !== 'string') return E.left(`${field} is ${v === undefined ? 'missing' : 'not a string'}`)
    if (v.trim() === '') return E.left(`${field} is empty`)
  }
  const expiration = o.expiration
  if (expiration !== undefined && !(expiration instanceof Date && !Number.isNaN(expiration.getTime()))) {
    return E.left('expiration is not a valid Date')
  }
  if (isCredential(u) && typeof o.source === 'string') return E.right(u)
  const fields: Record<string, unknown> = { type }
  for (const field of REQUIRED[type]) fields[field] = o[field]
  fields.source = typeof o.source === 'string' ? o.source : fallbackSource
  if (expiration !== undefined) fields.expiration = expiration
  return E.right(make(fields as unknown as Credential))
}
