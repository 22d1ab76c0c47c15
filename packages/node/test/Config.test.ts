// The facade's `Config`: its field types come from core's (`ConfigFields.kinds`, held to the codecs in core's tests)
// through the reference's names; these are the types the reference declares, which users and `Config.types()` see.
import { Config } from '@alicred/node'
import { describe, expect, it } from 'vitest'
import { FIELD_TYPES, knownFields } from '../src/Config.js'

// The reference `Config`'s fields and declared types, in its order (what FIELD_TYPES was, written by hand).
const REFERENCE = {
  type: 'string',
  accessKeyId: 'string',
  accessKeySecret: 'string',
  securityToken: 'string',
  bearerToken: 'string',
  durationSeconds: 'number',
  roleArn: 'string',
  policy: 'string',
  roleSessionExpiration: 'number',
  roleSessionName: 'string',
  externalId: 'string',
  stsEndpoint: 'string',
  stsRegionId: 'string',
  enableVpc: 'boolean',
  timeout: 'number',
  connectTimeout: 'number',
  publicKeyId: 'string',
  privateKeyFile: 'string',
  roleName: 'string',
  enableIMDSv2: 'boolean',
  disableIMDSv1: 'boolean',
  asyncCredentialUpdateEnabled: 'boolean',
  metadataTokenDuration: 'number',
  credentialsURI: 'string',
  oidcProviderArn: 'string',
  oidcTokenFilePath: 'string',
}

describe('FIELD_TYPES', () => {
  it('gives every reference field the type the reference declares, in the reference order', () => {
    expect(Object.entries(FIELD_TYPES)).toEqual(Object.entries(REFERENCE))
    expect(Config.types()).toEqual(REFERENCE)
  })
})

describe('knownFields', () => {
  it('copies the reference fields that are set, in the reference order, and nothing else', () => {
    const given = {
      oidcTokenFilePath: '/t',
      extra: 1,
      type: 'oidc_role_arn',
      roleArn: null,
      timeout: 0,
      policy: undefined,
    }
    expect(Object.entries(knownFields(given))).toEqual([
      ['type', 'oidc_role_arn'],
      ['timeout', 0],
      ['oidcTokenFilePath', '/t'],
    ])
  })
})
