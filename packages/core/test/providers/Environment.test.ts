import { Credential, CredentialsError, Providers } from '@alicred/core'
import { fakeEnv } from '@alicred/testing'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { expectNoLeak, leftOf, SECRET, shape, TOKEN } from '../config/_support.js'

const ID = 'ALIBABA_CLOUD_ACCESS_KEY_ID'
const KEY = 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'
const STS = 'ALIBABA_CLOUD_SECURITY_TOKEN'

const run = (vars: Record<string, string>) => Providers.environment({ env: fakeEnv(vars) })()()

describe('environment', () => {
  it('gives an access_key credential from the id and secret (trimmed)', async () => {
    expect(await run({ [ID]: ' LTAI5t ', [KEY]: SECRET })).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'LTAI5t', accessKeySecret: SECRET, source: 'env' })),
    )
  })

  it('gives an sts credential when a security token is set', async () => {
    expect(await run({ [ID]: 'STS.id', [KEY]: SECRET, [STS]: TOKEN })).toEqual(
      E.right(Credential.sts({ accessKeyId: 'STS.id', accessKeySecret: SECRET, securityToken: TOKEN, source: 'env' })),
    )
  })

  it('reads the environment on every call', async () => {
    const env = fakeEnv()
    const p = Providers.environment({ env })
    expect(leftOf(await p()())._tag).toBe('NotConfigured')
    env.set(ID, 'id')
    env.set(KEY, SECRET)
    expect(await p()()).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'id', accessKeySecret: SECRET, source: 'env' })),
    )
    env.set(STS, TOKEN)
    expect(E.map((c: Credential.Credential) => c.type)(await p()())).toEqual(E.right('sts'))
  })

  it('is not configured when nothing is set, or only empty strings', async () => {
    const expected = {
      _tag: 'NotConfigured',
      provider: 'env',
      message: `${ID} and ${KEY} are not set; set both to use an AccessKey from the environment`,
    }
    expect(shape(leftOf(await run({})))).toEqual(expected)
    expect(shape(leftOf(await run({ [ID]: '', [KEY]: '  ', [STS]: '' })))).toEqual(expected)
  })

  const half: ReadonlyArray<readonly [string, Record<string, string>, string, string]> = [
    ['only the id', { [ID]: 'id' }, `${ID} is set but ${KEY} is not; set it too, or unset the others`, KEY],
    ['only the secret', { [KEY]: SECRET }, `${KEY} is set but ${ID} is not; set it too, or unset the others`, ID],
    [
      'the id and an empty secret',
      { [ID]: 'id', [KEY]: '' },
      `${ID} is set but ${KEY} is not; set it too, or unset the others`,
      KEY,
    ],
    [
      'only a token',
      { [STS]: TOKEN },
      `${STS} is set but ${ID} and ${KEY} are not; set them too, or unset the others`,
      ID,
    ],
    [
      'the secret and a token',
      { [KEY]: SECRET, [STS]: TOKEN },
      `${KEY} and ${STS} are set but ${ID} is not; set it too, or unset the others`,
      ID,
    ],
  ]
  it.each(half)('stops on half a credential: %s', async (_, vars, message, envVar) => {
    const e = leftOf(await run(vars))
    expect(e).toBeInstanceOf(CredentialsError.InvalidConfiguration)
    expect(shape(e)).toEqual({ _tag: 'InvalidConfiguration', provider: 'env', message })
    expect(e._tag === 'InvalidConfiguration' && e.location).toEqual({ envVar })
    expectNoLeak(e)
  })

  it('any combination of values gives a credential of the right type or a typed error without secrets (property)', async () => {
    const v = fc.option(fc.oneof(fc.constant(SECRET), fc.constant(''), fc.constant('  '), fc.constant(TOKEN)), {
      nil: undefined,
    })
    await fc.assert(
      fc.asyncProperty(v, v, v, async (id, key, token) => {
        const vars = Object.fromEntries(
          [
            [ID, id],
            [KEY, key],
            [STS, token],
          ].filter((e): e is [string, string] => e[1] !== undefined),
        )
        const r = await run(vars)
        const set = (s: string | undefined) => s !== undefined && s.trim() !== ''
        if (set(id) && set(key)) {
          expect(E.isRight(r) && r.right.type).toBe(set(token) ? 'sts' : 'access_key')
        } else {
          const e = leftOf(r)
          expect(e._tag).toBe(set(id) || set(key) || set(token) ? 'InvalidConfiguration' : 'NotConfigured')
          expectNoLeak(e)
        }
      }),
    )
  })

  it('documents every environment variable of the reference', () => {
    expect(Object.values(Providers.EnvVars).sort()).toEqual(
      [
        'ALIBABA_CLOUD_ACCESS_KEY_ID',
        'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
        'ALIBABA_CLOUD_SECURITY_TOKEN',
        'ALIBABA_CLOUD_ROLE_ARN',
        'ALIBABA_CLOUD_ROLE_SESSION_NAME',
        'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
        'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
        'ALIBABA_CLOUD_STS_REGION',
        'ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED',
        'ALIBABA_CLOUD_PROFILE',
        'ALIBABA_CLOUD_CLI_PROFILE_DISABLED',
        'ALIBABA_CLOUD_CONFIG_FILE',
        'ALIBABA_CLOUD_CREDENTIALS_FILE',
        'ALIBABA_CLOUD_ECS_METADATA',
        'ALIBABA_CLOUD_ECS_METADATA_DISABLED',
        'ALIBABA_CLOUD_IMDSV1_DISABLED',
        'ALIBABA_CLOUD_CREDENTIALS_URI',
        // alicred's own: the OIDC token itself, where there is no file system (the web chain)
        'ALIBABA_CLOUD_OIDC_TOKEN',
      ].sort(),
    )
  })
})
