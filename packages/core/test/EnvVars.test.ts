import { EnvVars, Providers, StsEndpoint } from '@alicred/core'
import { describe, expect, it } from 'vitest'
import * as RoleSession from '../src/sts/RoleSession.js'

describe('EnvVars', () => {
  it('names each variable after its constant, with the ALIBABA_CLOUD_ prefix', () => {
    const entries = Object.entries(EnvVars)
    expect(entries.length).toBeGreaterThan(0)
    expect(entries.filter(([k, v]) => v !== `ALIBABA_CLOUD_${k}`)).toEqual([])
  })

  it('is what Providers.EnvVars and the per-source constants refer to', () => {
    expect({ ...Providers.EnvVars }).toEqual({ ...EnvVars })
    expect([
      Providers.CREDENTIALS_URI_ENV,
      Providers.ECS_METADATA_DISABLED_ENV,
      Providers.ECS_METADATA_ROLE_ENV,
      Providers.IMDSV1_DISABLED_ENV,
      StsEndpoint.REGION_ENV,
      StsEndpoint.VPC_ENV,
      RoleSession.ROLE_ARN_ENV,
      RoleSession.ROLE_SESSION_NAME_ENV,
    ]).toEqual([
      EnvVars.CREDENTIALS_URI,
      EnvVars.ECS_METADATA_DISABLED,
      EnvVars.ECS_METADATA,
      EnvVars.IMDSV1_DISABLED,
      EnvVars.STS_REGION,
      EnvVars.VPC_ENDPOINT_ENABLED,
      EnvVars.ROLE_ARN,
      EnvVars.ROLE_SESSION_NAME,
    ])
  })
})
