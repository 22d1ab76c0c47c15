import { Credential, Providers } from '@alicred/core'
import { describe, expect, it } from 'vitest'
import { ACCOUNT, AK, callerIdentity, left, ROLE, right, T0, useWorld } from './_setup.js'

const w = useWorld()
const ROLE_ID = /^3\d{18}$/
const source = (secret: string = AK.accessKeySecret) =>
  Providers.staticAccessKey({ accessKeyId: AK.accessKeyId, accessKeySecret: secret })

describe('ram_role_arn on the emulator', () => {
  it('assumes the role with a static AccessKey; the credential works and is cached until the stale window', async () => {
    const p = Providers.ramRoleArn({
      source: source(),
      roleArn: ROLE,
      roleSessionName: 'it',
      endpoint: w.emu.stsEndpoint,
    })(w.caps())
    const c = right(await p()())
    expect(Credential.view(c)).toEqual({
      type: 'sts',
      source: 'ram_role_arn/static_ak',
      accessKeyId: 'STS.****',
      expiration: '2024-01-01T01:00:00.000Z',
    })
    expect(await callerIdentity(w.emu, c, T0)).toEqual({
      AccountId: ACCOUNT,
      UserId: expect.stringMatching(/:it$/),
      Arn: `acs:ram::${ACCOUNT}:assumed-role/reader/it`,
      IdentityType: 'AssumedRoleUser',
      PrincipalId: expect.stringMatching(/:it$/),
      RoleId: expect.stringMatching(ROLE_ID),
    })
    expect(right(await p()())).toBe(c)
    await w.clock.advance(45 * 60_000 + 1)
    const next = right(await p()())
    expect(next.type === 'sts' && next.accessKeyId).not.toBe(c.type === 'sts' && c.accessKeyId)
    expect(w.emu.counts()).toEqual({ 'sts.AssumeRole': 2, 'sts.GetCallerIdentity': 1 })
  })

  it('chains roles: the inner role credentials assume the outer role', async () => {
    const outer = `acs:ram::${ACCOUNT}:role/writer`
    w.emu.addRole({ roleArn: outer, trustedPrincipals: [ROLE] })
    const inner = Providers.ramRoleArn({
      source: source(),
      roleArn: ROLE,
      roleSessionName: 'hop1',
      endpoint: w.emu.stsEndpoint,
    })(w.caps())
    const p = Providers.ramRoleArn({
      source: inner,
      roleArn: outer,
      roleSessionName: 'hop2',
      durationSeconds: 900,
      endpoint: w.emu.stsEndpoint,
    })(w.caps())
    const c = right(await p()())
    expect(Credential.view(c)).toMatchObject({
      source: 'ram_role_arn/ram_role_arn/static_ak',
      expiration: '2024-01-01T00:15:00.000Z',
    })
    expect(await callerIdentity(w.emu, c, T0)).toMatchObject({ Arn: `acs:ram::${ACCOUNT}:assumed-role/writer/hop2` })
  })

  it('reports a wrong secret as a SourceFailure naming the code, without the secret', async () => {
    const p = Providers.ramRoleArn({
      source: source('wrong-secret-value'),
      roleArn: ROLE,
      endpoint: w.emu.stsEndpoint,
    })(w.caps())
    const e = left(await p()())
    expect(e).toMatchObject({ _tag: 'SourceFailure', status: 400, code: 'SignatureDoesNotMatch' })
    expect(`${e.message} ${JSON.stringify(e)}`).not.toContain('wrong-secret-value')
  })

  it.each([
    ['an unknown role', { roleArn: `acs:ram::${ACCOUNT}:role/none` }, 404, 'EntityNotExist.Role'],
    [
      'a duration over the role maximum',
      { roleArn: ROLE, durationSeconds: 7200 },
      400,
      'InvalidParameter.DurationSeconds',
    ],
  ])('reports %s with the STS code', async (_, o, status, code) => {
    const p = Providers.ramRoleArn({ source: source(), endpoint: w.emu.stsEndpoint, ...o })(w.caps())
    expect(left(await p()())).toMatchObject({ _tag: 'SourceFailure', status, code })
  })

  it('reports throttling as retryable, and a hung STS as a timeout', async () => {
    w.emu.fault('sts.AssumeRole', { type: 'throttle', times: 1 })
    const p = Providers.ramRoleArn({
      source: source(),
      roleArn: ROLE,
      endpoint: w.emu.stsEndpoint,
      readTimeoutMs: 200,
    })(w.caps())
    expect(left(await p()())).toMatchObject({ _tag: 'SourceFailure', status: 400, code: 'Throttling', retryable: true })
    w.emu.fault('sts.AssumeRole', { type: 'hang', times: 1 })
    expect(left(await p()())).toMatchObject({ _tag: 'SourceFailure', retryable: true })
    expect(right(await p()()).source).toBe('ram_role_arn/static_ak')
  })
})
