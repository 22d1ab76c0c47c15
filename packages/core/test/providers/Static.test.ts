import { inspect } from 'node:util'
import { Credential, CredentialsError, Provider, Providers } from '@alicred/core'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'

const SECRET = 'sk-static-SECRET-0d1f'
const TOKEN = 'st-static-TOKEN-77aa'

const invalid = (provider: string, message: string, key: string) =>
  E.left(new CredentialsError.InvalidConfiguration(provider, message, { key }))

const AK_HINT = 'pass the AccessKey pair shown in the RAM console when the key was created'
const STS_HINT = 'pass the AccessKeyId, AccessKeySecret and SecurityToken returned together by STS'

describe('staticAccessKey', () => {
  it('builds an access_key credential with source static_ak', async () => {
    const r = await Providers.staticAccessKey({ accessKeyId: 'LTAI5tId', accessKeySecret: SECRET })()()
    expect(r).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'LTAI5tId', accessKeySecret: SECRET, source: 'static_ak' })),
    )
  })

  it('trims surrounding whitespace (a pasted key never works with it)', async () => {
    const r = await Providers.staticAccessKey({ accessKeyId: ' LTAI5tId\n', accessKeySecret: `\t${SECRET} ` })()()
    expect(r).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'LTAI5tId', accessKeySecret: SECRET, source: 'static_ak' })),
    )
  })

  it('refuses an empty id', async () => {
    const r = await Providers.staticAccessKey({ accessKeyId: '', accessKeySecret: SECRET })()()
    expect(r).toEqual(invalid('static_ak', `accessKeyId is empty; ${AK_HINT}`, 'accessKeyId'))
  })

  it('refuses non-strings from untyped callers instead of throwing', async () => {
    const r = await Providers.staticAccessKey({ accessKeyId: 42, accessKeySecret: undefined } as never)()()
    expect(r).toEqual(
      invalid('static_ak', `accessKeyId is not a string; accessKeySecret is missing; ${AK_HINT}`, 'accessKeyId'),
    )
  })

  it('property: any whitespace-only field is refused, named, and the other value never shown', async () => {
    const blank = fc.stringMatching(/^[ \t\r\n]*$/)
    await fc.assert(
      fc.asyncProperty(blank, async (ws) => {
        const r = await Providers.staticAccessKey({ accessKeyId: 'LTAI5tId', accessKeySecret: ws })()()
        expect(r).toEqual(invalid('static_ak', `accessKeySecret is empty; ${AK_HINT}`, 'accessKeySecret'))
        const r2 = await Providers.staticAccessKey({ accessKeyId: ws, accessKeySecret: SECRET })()()
        expect(E.isLeft(r2) && [r2.left.message, String(r2.left), inspect(r2.left)].join()).not.toContain(SECRET)
      }),
    )
  })
})

describe('staticSts', () => {
  it('builds an sts credential, keeping the expiration', async () => {
    const expiration = new Date('2030-01-01T00:00:00Z')
    const r = await Providers.staticSts({
      accessKeyId: 'STS.id',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      expiration,
    })()()
    expect(r).toEqual(
      E.right(
        Credential.sts({
          accessKeyId: 'STS.id',
          accessKeySecret: SECRET,
          securityToken: TOKEN,
          expiration,
          source: 'static_sts',
        }),
      ),
    )
  })

  it('names every empty field, in order, with the first as the key', async () => {
    const r = await Providers.staticSts({ accessKeyId: 'id', accessKeySecret: ' ', securityToken: '' })()()
    expect(r).toEqual(invalid('static_sts', `accessKeySecret, securityToken are empty; ${STS_HINT}`, 'accessKeySecret'))
  })

  it('refuses an invalid expiration date', async () => {
    const r = await Providers.staticSts({
      accessKeyId: 'id',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      expiration: new Date('not a date'),
    })()()
    expect(r).toEqual(
      invalid(
        'static_sts',
        'expiration is not a valid Date; pass the Expiration that came with the token, or leave it out',
        'expiration',
      ),
    )
  })
})

describe('bearer', () => {
  it('builds a bearer credential', async () => {
    const r = await Providers.bearer({ bearerToken: TOKEN })()()
    expect(r).toEqual(E.right(Credential.bearer({ bearerToken: TOKEN, source: 'bearer' })))
  })

  it('refuses a whitespace-only token', async () => {
    const r = await Providers.bearer({ bearerToken: ' \n ' })()()
    expect(r).toEqual(
      invalid('bearer', 'bearerToken is empty; pass the bearer token issued for the API you call', 'bearerToken'),
    )
  })
})

describe('static sources in a chain', () => {
  it('stop the chain with InvalidConfiguration (a wrong static key is not skipped)', async () => {
    const later = Providers.staticAccessKey({ accessKeyId: 'other', accessKeySecret: SECRET })
    const r = await pipe(
      Provider.firstOf(Providers.staticAccessKey({ accessKeyId: '', accessKeySecret: SECRET }), later),
      Provider.named('default'),
    )()()
    expect(r).toEqual(invalid('default/static_ak', `accessKeyId is empty; ${AK_HINT}`, 'accessKeyId'))
  })

  it('print no secret', async () => {
    const rs = await Promise.all([
      Providers.staticAccessKey({ accessKeyId: 'LTAI5tId', accessKeySecret: SECRET })()(),
      Providers.staticSts({ accessKeyId: 'STS.id', accessKeySecret: SECRET, securityToken: TOKEN })()(),
      Providers.bearer({ bearerToken: TOKEN })()(),
    ])
    for (const r of rs) {
      if (E.isLeft(r)) throw new Error('expected a credential')
      for (const s of [String(r.right), JSON.stringify(r.right), inspect(r.right), inspect({ r })]) {
        expect(s).not.toContain(SECRET)
        expect(s).not.toContain(TOKEN)
      }
    }
  })
})

describe('static sources: checked once', () => {
  it('every run answers with the same resolved result, a credential or the typed error', async () => {
    const good = Providers.staticSts({ accessKeyId: 'STS.id', accessKeySecret: SECRET, securityToken: TOKEN })
    const bad = Providers.bearer({ bearerToken: ' ' })
    for (const p of [good, bad]) expect(p()()).toBe(p()())
    expect(await bad()()).toEqual(
      invalid('bearer', 'bearerToken is empty; pass the bearer token issued for the API you call', 'bearerToken'),
    )
  })

  it('reads its options when built: changing them afterwards changes nothing', async () => {
    const options = { accessKeyId: 'LTAI5tId', accessKeySecret: SECRET }
    const p = Providers.staticAccessKey(options)
    options.accessKeyId = ''
    expect(await p()()).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'LTAI5tId', accessKeySecret: SECRET, source: 'static_ak' })),
    )
  })

  it('is already protected: Provider.protect returns it as it is', () => {
    const p = Providers.staticAccessKey({ accessKeyId: 'LTAI5tId', accessKeySecret: SECRET })
    expect(Provider.protect('client')(p)).toBe(p)
  })
})
