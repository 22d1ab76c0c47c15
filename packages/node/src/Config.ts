/**
 * `Config`: the options object of the drop-in `Client`, with the field names, types and constructor of
 * `@alicloud/credentials` 2.4.7's `Config`. Like the reference (a tea `Model`), the constructor copies only the
 * fields it knows and skips `undefined`/`null`; checking happens in `new Client(config)`, which also accepts a plain
 * object. Unlike the reference, secrets never print: `JSON.stringify`, `String` and `util.inspect` show
 * `<redacted>` in place of `accessKeySecret`, `securityToken` and `bearerToken`.
 *
 * @since 0.1.0
 */
import { ConfigFields, REDACTED } from '@alicred/core'

/**
 * The fields of the reference `Config`, with their types. `timeout` is the read timeout in ms; `durationSeconds`,
 * `enableIMDSv2` and `metadataTokenDuration` are accepted and ignored, as in the reference.
 *
 * @category facade
 * @since 0.1.0
 */
export interface ConfigOptions {
  type?: string
  accessKeyId?: string
  accessKeySecret?: string
  securityToken?: string
  bearerToken?: string
  durationSeconds?: number
  roleArn?: string
  policy?: string
  roleSessionExpiration?: number
  roleSessionName?: string
  externalId?: string
  stsEndpoint?: string
  stsRegionId?: string
  enableVpc?: boolean
  timeout?: number
  connectTimeout?: number
  publicKeyId?: string
  privateKeyFile?: string
  roleName?: string
  enableIMDSv2?: boolean
  disableIMDSv1?: boolean
  asyncCredentialUpdateEnabled?: boolean
  metadataTokenDuration?: number
  credentialsURI?: string
  oidcProviderArn?: string
  oidcTokenFilePath?: string
}

/** A field's type as the reference declares it (its `Config.types()`). @since 0.1.0 */
export type ReferenceType = 'string' | 'number' | 'boolean'

// The reference's fields, in its order (the order `Config` copies them in, and prints them).
const FIELDS = [
  'type',
  'accessKeyId',
  'accessKeySecret',
  'securityToken',
  'bearerToken',
  'durationSeconds',
  'roleArn',
  'policy',
  'roleSessionExpiration',
  'roleSessionName',
  'externalId',
  'stsEndpoint',
  'stsRegionId',
  'enableVpc',
  'timeout',
  'connectTimeout',
  'publicKeyId',
  'privateKeyFile',
  'roleName',
  'enableIMDSv2',
  'disableIMDSv1',
  'asyncCredentialUpdateEnabled',
  'metadataTokenDuration',
  'credentialsURI',
  'oidcProviderArn',
  'oidcTokenFilePath',
] as const

// Every other field is a core config field of the same name (the compiler checks it in `referenceType`).
const RENAMED = { roleSessionExpiration: 'durationSeconds' } as const
// Accepted and ignored, as in the reference: no core field, so the reference's declared type.
const IGNORED = { enableIMDSv2: 'boolean', metadataTokenDuration: 'number' } as const

const OF_KIND: Readonly<Record<ConfigFields.FieldKind, ReferenceType>> = {
  text: 'string',
  number: 'number',
  flag: 'boolean',
}

const referenceType = (k: (typeof FIELDS)[number]): ReferenceType => {
  if (k === 'enableIMDSv2' || k === 'metadataTokenDuration') return IGNORED[k]
  return OF_KIND[ConfigFields.kinds[k === 'roleSessionExpiration' ? RENAMED[k] : k]]
}

/**
 * What each field must hold: the kind of the core config field it becomes (`ConfigFields.kinds`), as the reference
 * names types. `enableVpc` also takes `'true'`/`'false'` (the reference declares it a string).
 *
 * @since 0.1.0
 */
export const FIELD_TYPES: Readonly<Record<keyof ConfigOptions, ReferenceType>> = Object.fromEntries(
  FIELDS.map((k) => [k, referenceType(k)]),
) as Record<(typeof FIELDS)[number], ReferenceType> satisfies Record<keyof ConfigOptions, ReferenceType>

/** Fields whose values are secrets. @since 0.1.0 */
export const SECRET_FIELDS: ReadonlyArray<keyof ConfigOptions> = ['accessKeySecret', 'securityToken', 'bearerToken']

/**
 * Copies the known fields of `u` that are neither `undefined` nor `null` (the tea `Model` rule).
 *
 * @since 0.1.0
 */
export const knownFields = (u: object): Partial<Record<keyof ConfigOptions, unknown>> => {
  const out: Partial<Record<keyof ConfigOptions, unknown>> = {}
  for (const k of FIELDS) {
    const v = (u as Record<string, unknown>)[k]
    if (v !== undefined && v !== null) out[k] = v
  }
  return out
}

const printable = (c: object): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(knownFields(c))) {
    out[k] = (SECRET_FIELDS as ReadonlyArray<string>).includes(k) ? REDACTED : v
  }
  return out
}

/**
 * The drop-in `Config`.
 *
 * @example
 * import Client, { Config } from '@alicred/node'
 * const config = new Config({ type: 'access_key', accessKeyId: 'id', accessKeySecret: 'secret' })
 * const client = new Client(config)
 * assert.strictEqual(client.getType(), 'access_key')
 * assert.strictEqual(JSON.stringify(config).includes('secret"'), false)
 * @category facade
 * @since 0.1.0
 */
export class Config implements ConfigOptions {
  declare type?: string
  declare accessKeyId?: string
  declare accessKeySecret?: string
  declare securityToken?: string
  declare bearerToken?: string
  declare durationSeconds?: number
  declare roleArn?: string
  declare policy?: string
  declare roleSessionExpiration?: number
  declare roleSessionName?: string
  declare externalId?: string
  declare stsEndpoint?: string
  declare stsRegionId?: string
  declare enableVpc?: boolean
  declare timeout?: number
  declare connectTimeout?: number
  declare publicKeyId?: string
  declare privateKeyFile?: string
  declare roleName?: string
  declare enableIMDSv2?: boolean
  declare disableIMDSv1?: boolean
  declare asyncCredentialUpdateEnabled?: boolean
  declare metadataTokenDuration?: number
  declare credentialsURI?: string
  declare oidcProviderArn?: string
  declare oidcTokenFilePath?: string

  constructor(config: ConfigOptions | Readonly<Record<string, unknown>> = {}) {
    if (typeof config === 'object' && config !== null) Object.assign(this, knownFields(config))
  }

  /** The reference's field map (field name → wire name). */
  static names(): Record<string, string> {
    return { ...Object.fromEntries(FIELDS.map((k) => [k, k])), timeout: 'readTimeout' }
  }

  /** The reference's field types. */
  static types(): Record<string, string> {
    return { ...FIELD_TYPES }
  }

  toJSON(): Record<string, unknown> {
    return printable(this)
  }

  toString(): string {
    return `Config(${JSON.stringify(printable(this))})`
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}
