/**
 * What each field of a typed `Config` holds, as plain data: text, a whole number, or a flag. The codecs in
 * `Config.ts` decide; this table says the same thing without io-ts, for code that checks a config's shape before (or
 * instead of) decoding it. The drop-in facade of `@alicred/node` derives its field types from it, and a static
 * credential there must not load io-ts. A test (test/ConfigFields.test.ts) derives the table from the codecs, so
 * the two cannot drift.
 *
 * @since 0.1.0
 */

/**
 * The kind of value a field decodes from: `text` (`Text`, `SiteType`, the `type` literal), `number` (the whole-number
 * codecs: seconds, milliseconds, epoch seconds; they also read decimal text) or `flag` (`Flag`; it also reads
 * `true`/`false` text).
 *
 * @category config
 * @since 0.1.0
 */
export type FieldKind = 'text' | 'number' | 'flag'

/**
 * Every field of every config type (the codecs of `Config`) with its kind. A field has one kind whatever the type
 * it is in.
 *
 * @example
 * import { ConfigFields } from '@alicred/core'
 * assert.deepStrictEqual(
 *   [ConfigFields.kinds.roleArn, ConfigFields.kinds.durationSeconds, ConfigFields.kinds.enableVpc],
 *   ['text', 'number', 'flag'],
 * )
 * @category config
 * @since 0.1.0
 */
export const kinds = {
  type: 'text',
  accessKeyId: 'text',
  accessKeySecret: 'text',
  securityToken: 'text',
  bearerToken: 'text',
  roleName: 'text',
  disableIMDSv1: 'flag',
  asyncCredentialUpdateEnabled: 'flag',
  roleArn: 'text',
  roleSessionName: 'text',
  policy: 'text',
  externalId: 'text',
  durationSeconds: 'number',
  stsEndpoint: 'text',
  stsRegionId: 'text',
  enableVpc: 'flag',
  connectTimeout: 'number',
  timeout: 'number',
  oidcProviderArn: 'text',
  oidcTokenFilePath: 'text',
  publicKeyId: 'text',
  privateKeyFile: 'text',
  credentialsURI: 'text',
  signInUrl: 'text',
  accountId: 'text',
  accessConfig: 'text',
  accessToken: 'text',
  accessTokenExpire: 'number',
  stsExpiration: 'number',
  siteType: 'text',
  clientId: 'text',
  refreshToken: 'text',
  processCommand: 'text',
} as const satisfies Readonly<Record<string, FieldKind>>

/** A field of some config type. @category config @since 0.1.0 */
export type Field = keyof typeof kinds
