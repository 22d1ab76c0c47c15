import { Credential, Decode } from '@alicred/core'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import {
  identifier,
  identifierField,
  MetadataAnswer,
  NonEmptyString,
  StsBlock,
  stsBlock,
  stsFromBlock,
} from '../../src/providers/_remote.js'

const BLOCK = {
  AccessKeyId: 'STS.id',
  AccessKeySecret: 'secret',
  SecurityToken: 'token',
  Expiration: '2030-01-01T00:00:00Z',
}

describe('NonEmptyString', () => {
  it('property: accepts a string with a non-blank character, unchanged (credentials are not trimmed)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(Decode.decode(NonEmptyString)(s)).toEqual(
          s.trim() === '' ? E.left('<root>: expected non-empty string, got string') : E.right(s),
        )
      }),
    )
  })

  it('refuses what is not a string, naming only the type', () => {
    expect([undefined, null, 1, {}].map((u) => Decode.decode(NonEmptyString)(u))).toEqual([
      E.left('<root>: expected non-empty string, got missing'),
      E.left('<root>: expected non-empty string, got null'),
      E.left('<root>: expected non-empty string, got number'),
      E.left('<root>: expected non-empty string, got object'),
    ])
  })
})

describe('stsBlock', () => {
  it('is named as the answer calls it, with the same fields either way', () => {
    expect(Decode.decode(stsBlock('Credentials object'))('x')).toEqual(
      E.left('<root>: expected Credentials object, got string'),
    )
    expect(Decode.decode(StsBlock)('x')).toEqual(E.left('<root>: expected credentials object, got string'))
    expect(Object.keys(stsBlock('any').props)).toEqual(Object.keys(StsBlock.props))
  })

  it('decodes to the sts credential it stands for', () => {
    expect(
      pipe(
        Decode.decode(StsBlock)({ ...BLOCK, Extra: 1 }),
        E.map((b) => Credential.view(stsFromBlock('src')(b))),
      ),
    ).toEqual(
      E.right(
        Credential.view(
          Credential.sts({
            accessKeyId: 'STS.id',
            accessKeySecret: 'secret',
            securityToken: 'token',
            expiration: new Date('2030-01-01T00:00:00Z'),
            source: 'src',
          }),
        ),
      ),
    )
  })
})

describe('MetadataAnswer', () => {
  it('accepts the ECS / credentials URI answer, whatever its Code, and fails exactly as the STS block does', () => {
    const ecs = { Code: 'Success', LastUpdated: '2030-01-01T00:00:00Z', ...BLOCK }
    expect(E.isRight(MetadataAnswer.decode(ecs))).toBe(true)
    expect(E.isRight(MetadataAnswer.decode({ ...BLOCK, Code: 7 }))).toBe(true)
    for (const bad of ['x', null, [], {}, { ...BLOCK, AccessKeyId: ' ' }, { ...BLOCK, Expiration: '2030-01-01' }]) {
      expect(Decode.decode(MetadataAnswer)(bad)).toEqual(Decode.decode(StsBlock)(bad))
      expect(E.isLeft(Decode.decode(MetadataAnswer)(bad))).toBe(true)
    }
  })
})

describe('identifier', () => {
  it('keeps codes and request ids of up to 64 identifier characters, and drops anything else', () => {
    const max = `Code.${'x'.repeat(59)}`
    expect(
      [
        'InvalidSecurityToken.MismatchWithAccessKey',
        'D5A8D4A2-3E3B-4A5E-8F69-2C1B1C4E6F70',
        'a/b:c@d-e_f.g',
        max,
        `${max}x`,
        'has space',
        '<b>',
        '',
        42,
        undefined,
      ].map(identifier),
    ).toEqual([
      'InvalidSecurityToken.MismatchWithAccessKey',
      'D5A8D4A2-3E3B-4A5E-8F69-2C1B1C4E6F70',
      'a/b:c@d-e_f.g',
      max,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })

  it('identifierField takes the first key whose value is an identifier', () => {
    expect(identifierField({ Code: 'bad code', code: 'Good' }, 'Code', 'code')).toBe('Good')
    expect(identifierField('not an object', 'Code')).toBeUndefined()
  })
})
