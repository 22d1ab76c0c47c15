import { Chain, Clock, Credential, type Http, Providers, Random, webCapabilities } from '@alicred/core'
import { fakeJwt } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'

const ROLE = 'acs:ram::1234567890123456:role/edge'
const PROVIDER_ARN = 'acs:ram::1234567890123456:oidc-provider/gh'
const URI = 'http://127.0.0.1:9911/v1/creds/session-SECRET'
const FUTURE = '2999-01-01T00:00:00Z'

const idOf = (c: Credential.Credential): string | undefined => ('accessKeyId' in c ? c.accessKeyId : undefined)

interface Seen {
  readonly method: string
  readonly url: string
  readonly body: string
}

// A fake fetch answering STS AssumeRoleWithOIDC and the credentials URI, recording what it was sent.
const fakeCloud = () => {
  const seen: Array<Seen> = []
  const fetch: Http.Fetch = async (url, init) => {
    seen.push({ method: init.method ?? 'GET', url, body: typeof init.body === 'string' ? init.body : '' })
    const u = new URL(url)
    if (u.searchParams.get('Action') === 'AssumeRoleWithOIDC') {
      return Response.json({
        RequestId: 'R1',
        Credentials: {
          AccessKeyId: 'STS.oidc',
          AccessKeySecret: 'oidc-secret',
          SecurityToken: 'oidc-token',
          Expiration: FUTURE,
        },
      })
    }
    if (url === URI) {
      return Response.json({
        Code: 'Success',
        AccessKeyId: 'STS.uri',
        AccessKeySecret: 'uri-secret',
        SecurityToken: 'uri-token',
        Expiration: FUTURE,
      })
    }
    return new Response('not found', { status: 404 })
  }
  return { fetch, seen }
}

describe('webCapabilities', () => {
  it('reads only the string values of an env record (Worker bindings hold objects too), or uses an Env as it is', () => {
    const caps = webCapabilities({ env: { A: 'a', KV: { get: () => 1 }, DEV: true, U: undefined } })
    expect(['A', 'KV', 'DEV', 'U', 'toString', '__proto__'].map(caps.env.get)).toEqual([
      'a',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
    const env = { get: (n: string) => (n === 'X' ? 'x' : undefined) }
    expect(webCapabilities({ env }).env).toBe(env)
  })

  it('has the web clock and WebCrypto random, no exec, and HTTP over the given fetch', async () => {
    const cloud = fakeCloud()
    const caps = webCapabilities({ env: {}, fetch: cloud.fetch })
    expect([caps.clock, caps.random, 'exec' in caps]).toEqual([Clock.system, Random.webCrypto, false])
    const lines: Array<string> = []
    webCapabilities({ env: {}, reporter: { warn: (m) => lines.push(m) } }).reporter.warn('alicred: x')
    expect(lines).toEqual(['alicred: x'])
    const r = await caps.http.request({ method: 'GET', url: URI })()
    expect(E.isRight(r) && r.right.status).toBe(200)
    expect(cloud.seen.map((s) => s.url)).toEqual([URI])
  })

  it('resolves the environment provider from the injected env, and the credentials URI over fetch', async () => {
    const cloud = fakeCloud()
    const env = webCapabilities({
      env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tEdge', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'edge-secret' },
    })
    expect(await Providers.environment(env)()()).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'LTAI5tEdge', accessKeySecret: 'edge-secret', source: 'env' })),
    )
    const uri = await Providers.credentialsUri({ uri: URI })(webCapabilities({ env: {}, fetch: cloud.fetch }))()()
    expect(E.isRight(uri) && [idOf(uri.right), uri.right.source]).toEqual(['STS.uri', 'credential_uri'])
  })

  it('makes every file-based source NotConfigured, naming the missing file system', async () => {
    const caps = webCapabilities({
      env: {
        ALIBABA_CLOUD_ROLE_ARN: ROLE,
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER_ARN,
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/t',
      },
      fetch: fakeCloud().fetch,
    })
    const results = await Promise.all([
      Providers.iniProfile({})(caps)()(),
      Providers.cliProfile({})(caps)()(),
      Providers.oidcRoleArn({})(caps)()(),
      Providers.rsaKeyPair({ publicKeyId: 'KP-1', privateKeyFile: '/keys/k.pem' })(caps)()(),
    ])
    expect(results.map((r) => (E.isLeft(r) ? [r.left._tag, r.left.message] : 'Right'))).toEqual([
      ['NotConfigured', 'cannot read ~/.alibabacloud/credentials: webCapabilities has no file system'],
      ['NotConfigured', 'cannot read ~/.aliyun/config.json: webCapabilities has no file system'],
      [
        'NotConfigured',
        'the OIDC token file /t cannot be read: webCapabilities has no file system; give the token itself (oidcToken / ALIBABA_CLOUD_OIDC_TOKEN)',
      ],
      [
        'NotConfigured',
        'the private key file /keys/k.pem cannot be read: webCapabilities has no file system; give the key itself (privateKey)',
      ],
    ])
  })
})

describe('Chain.webChain', () => {
  it('walks env → OIDC (token from ALIBABA_CLOUD_OIDC_TOKEN) → credentials URI, tracing each link', async () => {
    const cloud = fakeCloud()
    const token = fakeJwt({ sub: 'repo:x', aud: 'sts.aliyuncs.com' })
    const events: Array<string> = []
    const caps = webCapabilities({
      env: {
        ALIBABA_CLOUD_ROLE_ARN: ROLE,
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER_ARN,
        ALIBABA_CLOUD_OIDC_TOKEN: token,
        ALIBABA_CLOUD_CREDENTIALS_URI: URI,
      },
      fetch: cloud.fetch,
    })
    const r = await Chain.webChain({ trace: (e) => events.push(`${e.provider} ${e.outcome}`) })(caps)()()
    expect(E.isRight(r) && [idOf(r.right), r.right.source]).toEqual(['STS.oidc', 'default/oidc_role_arn'])
    expect(events).toEqual(['default/env skipped', 'default/oidc_role_arn success'])
    expect(cloud.seen.map((s) => new URLSearchParams(s.body).get('OIDCToken'))).toEqual([token])
  })

  it('falls through to the credentials URI', async () => {
    const cloud = fakeCloud()
    const r = await Chain.webChain()(
      webCapabilities({ env: { ALIBABA_CLOUD_CREDENTIALS_URI: URI }, fetch: cloud.fetch }),
    )()()
    expect(E.isRight(r) && [idOf(r.right), r.right.source]).toEqual(['STS.uri', 'default/credential_uri'])
  })

  it('says why every link was skipped when none is set up, and never reads a file or the metadata service', async () => {
    const cloud = fakeCloud()
    const caps = webCapabilities({
      env: { ALIBABA_CLOUD_ROLE_ARN: ROLE, ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/var/run/token' },
      fetch: cloud.fetch,
    })
    const r = await Chain.webChain()(caps)()()
    expect(E.isLeft(r) && r.left._tag).toBe('ChainExhausted')
    const e = E.isLeft(r) ? r.left : undefined
    expect(e?._tag === 'ChainExhausted' && e.attempts.map((a) => [a.provider, a.error.message])).toEqual([
      ['default/env', expect.stringContaining('ALIBABA_CLOUD_ACCESS_KEY_ID')],
      [
        'default/oidc_role_arn',
        'ALIBABA_CLOUD_ROLE_ARN is set but ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN are not; set all three to use RRSA (OIDC)',
      ],
      ['default/credential_uri', 'ALIBABA_CLOUD_CREDENTIALS_URI is not set; set it to a credentials URL'],
    ])
    expect(cloud.seen).toEqual([])
  })

  it('takes a subset of its links, and refuses links it does not have', async () => {
    const caps = webCapabilities({ env: { ALIBABA_CLOUD_CREDENTIALS_URI: URI }, fetch: fakeCloud().fetch })
    const only = await Chain.webChain({ links: ['env'] })(caps)()()
    expect(E.isLeft(only) && only.left._tag).toBe('ChainExhausted')
    const bad = await Chain.webChain({ links: ['ecs_ram_role' as Chain.WebLinkName] })(caps)()()
    expect(E.isLeft(bad) && bad.left.message).toBe(
      "unknown chain link 'ecs_ram_role'; links are: env, oidc_role_arn, credential_uri",
    )
  })
})
