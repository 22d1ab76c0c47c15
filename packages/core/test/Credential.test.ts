import { inspect } from 'node:util'
import { Credential, maskId } from '@alicred/core'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'

const SECRET = 'sk-cred-SECRET-91ab'
const TOKEN = 'st-cred-TOKEN-5c3e'
const EXP = new Date('2024-01-01T06:00:00Z')

const ak = Credential.accessKey({ accessKeyId: 'LTAI5tExample', accessKeySecret: SECRET, source: 'env' })
const sts = Credential.sts({
  accessKeyId: 'STS.NUexample',
  accessKeySecret: SECRET,
  securityToken: TOKEN,
  expiration: EXP,
  source: 'ram_role_arn/static_ak',
})
const bearer = Credential.bearer({ bearerToken: TOKEN, source: 'bearer' })

describe('constructors', () => {
  it('build exactly the data fields, readable as values', () => {
    expect({ ...sts }).toStrictEqual({
      type: 'sts',
      accessKeyId: 'STS.NUexample',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      expiration: EXP,
      source: 'ram_role_arn/static_ak',
    })
    expect({ ...ak }).toStrictEqual({
      type: 'access_key',
      accessKeyId: 'LTAI5tExample',
      accessKeySecret: SECRET,
      source: 'env',
    })
    expect({ ...bearer }).toStrictEqual({ type: 'bearer', bearerToken: TOKEN, source: 'bearer' })
  })

  it('leave out an undefined expiration and freeze the result', () => {
    const c = Credential.accessKey({ accessKeyId: 'id', accessKeySecret: SECRET, source: 's', expiration: undefined })
    expect(Object.keys(c)).toEqual(['type', 'accessKeyId', 'accessKeySecret', 'source'])
    expect(Object.isFrozen(c)).toBe(true)
  })
})

describe('printing', () => {
  it('view shows type, source, masked id and expiration', () => {
    expect(Credential.view(sts)).toStrictEqual({
      type: 'sts',
      source: 'ram_role_arn/static_ak',
      accessKeyId: 'STS.****',
      expiration: '2024-01-01T06:00:00.000Z',
    })
    expect(Credential.view(bearer)).toStrictEqual({ type: 'bearer', source: 'bearer' })
  })

  it('String, JSON and inspect show the view and <redacted>', () => {
    const text =
      'Credential(type=sts, source=ram_role_arn/static_ak, accessKeyId=STS.****, expiration=2024-01-01T06:00:00.000Z, secrets=<redacted>)'
    expect(String(sts)).toBe(text)
    expect(`${sts}`).toBe(text)
    expect(inspect(sts)).toBe(text)
    expect(JSON.parse(JSON.stringify(sts))).toStrictEqual({
      type: 'sts',
      source: 'ram_role_arn/static_ak',
      accessKeyId: 'STS.****',
      expiration: '2024-01-01T06:00:00.000Z',
      secrets: '<redacted>',
    })
  })

  it('an invalid expiration date prints instead of throwing', () => {
    const c = Credential.bearer({ bearerToken: TOKEN, source: 'x', expiration: new Date(Number.NaN) })
    expect(String(c)).toBe('Credential(type=bearer, source=x, expiration=Invalid Date, secrets=<redacted>)')
    expect(JSON.stringify(c)).toBe('{"type":"bearer","source":"x","expiration":"Invalid Date","secrets":"<redacted>"}')
  })
})

describe('paths', () => {
  it('withSource prefixes the source and keeps redaction', () => {
    const c = Credential.withSource('default')(ak)
    expect(c).toEqual({ ...ak, source: 'default/env' })
    expect(Credential.isCredential(c)).toBe(true)
    expect(String(c)).not.toContain(SECRET)
  })

  it('prefixPath never leaves a dangling slash', () => {
    expect([
      Credential.prefixPath('default', 'env'),
      Credential.prefixPath('default', ''),
      Credential.prefixPath('', 'env'),
    ]).toEqual(['default/env', 'default', 'env'])
  })

  it('modify replaces or removes fields and keeps redaction', () => {
    const c = Credential.modify({ expiration: undefined, source: 'x' })(sts)
    expect({ ...c }).toStrictEqual({
      type: 'sts',
      accessKeyId: 'STS.NUexample',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      source: 'x',
    })
    expect(inspect(c)).not.toContain(SECRET)
  })
})

describe('time', () => {
  it('remainingMs and isExpired', () => {
    const t = EXP.getTime()
    expect(Credential.remainingMs(t - 1000)(sts)).toBe(1000)
    expect(Credential.remainingMs(t)(ak)).toBe(Number.POSITIVE_INFINITY)
    expect([t - 1, t, t + 1].map((n) => Credential.isExpired(n)(sts))).toEqual([false, true, true])
    expect(Credential.isExpired(t)(ak)).toBe(false)
  })

  it('an invalid expiration counts as expired', () => {
    const c = Credential.bearer({ bearerToken: TOKEN, source: 'x', expiration: new Date(Number.NaN) })
    expect(Credential.isExpired(0)(c)).toBe(true)
  })

  it('secretsOf lists every secret', () => {
    expect([ak, sts, bearer].map(Credential.secretsOf)).toEqual([[SECRET], [SECRET, TOKEN], [TOKEN]])
  })
})

describe('validate', () => {
  it('accepts a credential as is', () => {
    const r = Credential.validate(sts)
    expect(E.isRight(r) && r.right).toBe(sts)
  })

  it('rebuilds a plain object so it prints redacted, defaulting the source', () => {
    const r = Credential.validate({ type: 'bearer', bearerToken: TOKEN }, 'custom')
    expect(r).toEqual(E.right(Credential.bearer({ bearerToken: TOKEN, source: 'custom' })))
    expect(E.isRight(r) && Credential.isCredential(r.right)).toBe(true)
    expect(E.isRight(r) && JSON.stringify(r.right)).not.toContain(TOKEN)
  })

  it('names the field at fault, never its value', () => {
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [null, 'expected a credential object'],
      ['x', 'expected a credential object'],
      [{ type: 'password' }, 'type must be one of access_key, sts, bearer'],
      [{ type: 'access_key', accessKeyId: 'id' }, 'accessKeySecret is missing'],
      [{ type: 'access_key', accessKeyId: 'id', accessKeySecret: 7 }, 'accessKeySecret is not a string'],
      [{ type: 'sts', accessKeyId: 'id', accessKeySecret: SECRET, securityToken: '  ' }, 'securityToken is empty'],
      [{ type: 'bearer', bearerToken: TOKEN, expiration: '2030-01-01' }, 'expiration is not a valid Date'],
      [{ type: 'bearer', bearerToken: TOKEN, expiration: new Date(Number.NaN) }, 'expiration is not a valid Date'],
    ]
    expect(cases.map(([u]) => Credential.validate(u))).toEqual(cases.map(([, reason]) => E.left(reason)))
  })

  it('property: valid fields always validate and print only the masked id', () => {
    const nonBlank = fc.string({ minLength: 1 }).filter((s) => s.trim() !== '')
    fc.assert(
      fc.property(nonBlank, nonBlank, (id, secret) => {
        const r = Credential.validate({ type: 'access_key', accessKeyId: id, accessKeySecret: secret, source: 's' })
        if (E.isLeft(r)) throw new Error(r.left)
        expect(String(r.right)).toBe(
          `Credential(type=access_key, source=s, accessKeyId=${maskId(id)}, secrets=<redacted>)`,
        )
        expect(JSON.parse(JSON.stringify(r.right))).toStrictEqual({
          type: 'access_key',
          source: 's',
          accessKeyId: maskId(id),
          secrets: '<redacted>',
        })
      }),
    )
  })
})
