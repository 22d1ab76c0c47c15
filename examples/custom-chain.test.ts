import { Credential, CredentialsError } from '@alicred/core'
import { fakeCapabilities, json } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { appChain, main } from './custom-chain.js'

const URI = 'http://127.0.0.1:9000/credentials'
const answer = (id: string, expiration: string) =>
  json(200, {
    Code: 'Success',
    AccessKeyId: id,
    AccessKeySecret: `${id}-secret`,
    SecurityToken: `${id}-token`,
    Expiration: expiration,
  })

describe('a custom chain (env → credentials URI → INI profile `ci`), with fakes', () => {
  it('takes the environment first, without touching files or the network', async () => {
    const caps = fakeCapabilities({
      env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tEnv', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret' },
    })
    expect(await main(caps)).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'LTAI5tEnv', accessKeySecret: 'env-secret', source: 'app/env' })),
    )
    expect(caps.fs.reads).toEqual([])
    expect(caps.http.requests).toEqual([])
  })

  it('falls through to the credentials URI when the environment has no AccessKey', async () => {
    const caps = fakeCapabilities({ env: { ALIBABA_CLOUD_CREDENTIALS_URI: URI } })
    caps.http.on('GET', URI, answer('STS.sidecar', '2024-01-01T06:00:00Z'))
    expect(await main(caps)).toEqual(
      E.right(
        Credential.sts({
          accessKeyId: 'STS.sidecar',
          accessKeySecret: 'STS.sidecar-secret',
          securityToken: 'STS.sidecar-token',
          expiration: new Date('2024-01-01T06:00:00Z'),
          source: 'app/credential_uri',
        }),
      ),
    )
    expect(caps.http.requests).toEqual([{ method: 'GET', url: URI, connectTimeoutMs: 5000, readTimeoutMs: 10000 }])
  })

  it('then reads the `ci` profile of ~/.alibabacloud/credentials', async () => {
    const caps = fakeCapabilities({
      files: {
        '~/.alibabacloud/credentials':
          '[ci]\ntype = access_key\naccess_key_id = LTAI5tCi\naccess_key_secret = ci-secret\n',
      },
    })
    expect(await main(caps)).toEqual(
      E.right(
        Credential.accessKey({
          accessKeyId: 'LTAI5tCi',
          accessKeySecret: 'ci-secret',
          source: 'app/profile/static_ak',
        }),
      ),
    )
  })

  it('says why every link was skipped when none is set up', async () => {
    const r = await main(fakeCapabilities())
    expect(r._tag === 'Left' && r.left._tag).toBe('ChainExhausted')
    expect(r._tag === 'Left' && r.left.message).toBe(
      [
        'no credentials found by app: every source was skipped',
        '├─ app/env: NotConfigured: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set; set both to use an AccessKey from the environment',
        '├─ app/credential_uri: NotConfigured: ALIBABA_CLOUD_CREDENTIALS_URI is not set (and no `uri` option was given)',
        '└─ app/profile: NotConfigured: /home/user/.alibabacloud/credentials does not exist; create it with a [default] profile or set ALIBABA_CLOUD_CREDENTIALS_FILE',
      ].join('\n'),
    )
  })

  it('stops at a link that is set up but broken (half an AccessKey), instead of using another identity', async () => {
    const caps = fakeCapabilities({
      env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tEnv', ALIBABA_CLOUD_CREDENTIALS_URI: URI },
    })
    const r = await main(caps)
    expect(r).toEqual(
      E.left(
        new CredentialsError.InvalidConfiguration(
          'app/env',
          'ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not; set it too, or unset the others',
          { envVar: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET' },
        ),
      ),
    )
    expect(caps.http.requests).toEqual([])
  })

  it('caches the URI credential and refreshes it 15 minutes before it expires', async () => {
    const caps = fakeCapabilities({ env: { ALIBABA_CLOUD_CREDENTIALS_URI: URI } })
    caps.http.on('GET', URI, answer('STS.first', '2024-01-01T01:00:00Z'), answer('STS.second', '2024-01-01T02:00:00Z'))
    const chain = appChain(caps)
    const id = async () => {
      const r = await chain()()
      return r._tag === 'Right' && r.right.type === 'sts' ? r.right.accessKeyId : r
    }
    expect(await id()).toBe('STS.first')
    await caps.clock.advance(44 * 60_000) // 16 minutes left: still fresh
    expect(await id()).toBe('STS.first')
    await caps.clock.advance(2 * 60_000) // 14 minutes left: inside the stale window
    expect(await id()).toBe('STS.second')
    expect(caps.http.requests.length).toBe(2)
  })
})
