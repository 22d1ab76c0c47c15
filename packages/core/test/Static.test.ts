import { Credential, CredentialsError, Providers } from '@alicred/core'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'

describe('static providers', () => {
  it('builds an access key credential', async () => {
    const r = await Providers.staticAccessKey({ accessKeyId: 'id', accessKeySecret: 'secret' })()()
    expect(r).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'id', accessKeySecret: 'secret', source: 'static_ak' })),
    )
  })
  it('refuses whitespace-only fields, naming them', async () => {
    const r = await Providers.staticSts({ accessKeyId: 'id', accessKeySecret: ' ', securityToken: '' })()()
    expect(E.isLeft(r) && r.left).toBeInstanceOf(CredentialsError.InvalidConfiguration)
    expect(E.isLeft(r) && r.left.message).toBe(
      'accessKeySecret, securityToken are empty; set them to the value from the RAM console',
    )
  })
})
