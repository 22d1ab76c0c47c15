// `decodeClientConfig` checks the static types (`access_key`, `sts`, `bearer`) without the codecs, so a cold start
// with static keys does not load io-ts (Client.ts, `staticConfig`). This holds that check to the codecs: for any
// static config, the result is what `Config.decodeFor` gives, in success and in failure.
import { Config as CoreConfig, Env } from '@alicred/core'
import { decodeClientConfig } from '@alicred/node'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const FIELDS = {
  access_key: ['accessKeyId', 'accessKeySecret'],
  sts: ['accessKeyId', 'accessKeySecret', 'securityToken'],
  bearer: ['bearerToken'],
} as const

// Values that sit on both sides of the codecs' rules: blank, padded, empty, unicode, and absent.
const value = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('', ' ', '\t\n', 'x', ' padded ', 'LTAI5t\u00e9', '\u3000'),
  fc.string({ maxLength: 8 }),
)

describe('decodeClientConfig on static configs', () => {
  it('law: gives what the codecs give, for any field values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(FIELDS) as Array<keyof typeof FIELDS>)),
        fc.array(value, { minLength: 3, maxLength: 3 }),
        (type, values) => {
          const config: Record<string, unknown> = { type }
          FIELDS[type].forEach((f, i) => {
            if (values[i] !== undefined) config[f] = values[i]
          })
          const ours = decodeClientConfig(config, Env.empty)
          const codec = CoreConfig.decodeFor({ types: [type] })(config)
          if (codec._tag === 'Right')
            expect(ours).toStrictEqual({ _tag: 'Right', right: { type, config: codec.right } })
          else {
            expect(ours._tag).toBe('Left')
            expect(ours._tag === 'Left' && ours.left.message).toBe(
              `invalid Config for type ${type}: ${codec.left.message}`,
            )
          }
        },
      ),
      { numRuns: 2_000 },
    )
  })

  it('trims, and keeps only the fields of the type', () => {
    expect(
      decodeClientConfig({ type: 'access_key', accessKeyId: ' id ', accessKeySecret: 's\n', securityToken: 't' }),
    ).toStrictEqual({
      _tag: 'Right',
      right: { type: 'access_key', config: { type: 'access_key', accessKeyId: 'id', accessKeySecret: 's' } },
    })
  })
})
