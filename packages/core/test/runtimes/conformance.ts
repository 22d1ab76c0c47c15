// The runtime conformance script: one set of checks of @alicred/core and @alicred/testing's fakes, run as it is in
// Node (vitest), Deno, Bun and workerd (Runtimes.test.ts bundles it for each). It uses web APIs only. Every check
// reports what it observed; the host compares with what it expects, so a runtime that behaves differently shows
// up as a named difference, not as a crash.
import { Chain, Credential, Expiration, Http, Provider, Providers, redactUrl, webCapabilities } from '@alicred/core'
import { fakeCapabilities, fakeJwt, json, manualClock } from '@alicred/testing'
import * as E from 'fp-ts/Either'

/** Where the host's loopback servers are. */
export interface Setup {
  /** The emulator's STS endpoint (`http://127.0.0.1:<port>`). */
  readonly stsEndpoint: string
  /** The emulator's credentials URI. */
  readonly credentialsUri: string
  /** An AccessKey the emulator knows, and a role it may assume. */
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly roleArn: string
  readonly oidcProviderArn: string
  readonly oidcIssuer: string
  /** The host's helper server: `/redirect`, `/big` (endless body), `/stall` (headers, then nothing). */
  readonly helper: string
  /** A loopback port nothing listens on. */
  readonly closedPort: number
}

export interface Check {
  readonly name: string
  /** What was observed: plain JSON, compared by the host. */
  readonly observed: unknown
}

const idOf = (c: Credential.Credential): string => ('accessKeyId' in c ? c.accessKeyId : 'bearer')
const show = <A>(r: E.Either<{ readonly _tag: string; readonly message: string }, A>, f: (a: A) => unknown) =>
  E.isRight(r) ? { ok: f(r.right) } : { error: r.left._tag, message: r.left.message }

const transport = (r: E.Either<Http.HttpError, Http.HttpResponse>) =>
  E.isRight(r)
    ? { status: r.right.status, location: r.right.headers.location ?? null }
    : { kind: r.left.kind, url: r.left.url }

const checks: ReadonlyArray<readonly [string, (s: Setup) => Promise<unknown>]> = [
  [
    'static AccessKey, and its redaction',
    async () => {
      const r = await Providers.staticAccessKey({ accessKeyId: 'LTAI5tStatic', accessKeySecret: 'static-SECRET' })()()
      return show(r, (c) => [idOf(c), c.source, String(c).includes('SECRET'), JSON.stringify(c).includes('SECRET')])
    },
  ],
  [
    'environment from an injected record',
    async () => {
      const caps = webCapabilities({
        env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tEnv', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret', KV: {} },
      })
      return show(await Providers.environment(caps)()(), (c) => [idOf(c), c.source])
    },
  ],
  [
    'credentials URI over Http.fromFetch (loopback)',
    async (s) => {
      const caps = webCapabilities({ env: {} })
      return show(await Providers.credentialsUri({ uri: s.credentialsUri })(caps)()(), (c) => [
        c.type,
        idOf(c).startsWith('STS.'),
        c.source,
      ])
    },
  ],
  [
    'web chain: credentials URI from the env, traced',
    async (s) => {
      const events: Array<string> = []
      const caps = webCapabilities({ env: { ALIBABA_CLOUD_CREDENTIALS_URI: s.credentialsUri } })
      const r = await Chain.webChain({ trace: (e) => events.push(`${e.provider} ${e.outcome}`) })(caps)()()
      return show(r, (c) => [c.source, events])
    },
  ],
  [
    'AssumeRole against the emulator (signed with WebCrypto HMAC)',
    async (s) => {
      const caps = webCapabilities({ env: {} })
      const source = Providers.staticAccessKey({ accessKeyId: s.accessKeyId, accessKeySecret: s.accessKeySecret })
      const p = Providers.ramRoleArn({ source, roleArn: s.roleArn, endpoint: s.stsEndpoint, roleSessionName: 'rt' })(
        caps,
      )
      return show(await p()(), (c) => [c.type, idOf(c).startsWith('STS.'), c.source, c.expiration !== undefined])
    },
  ],
  [
    'oidc_role_arn with the token in ALIBABA_CLOUD_OIDC_TOKEN (emulator)',
    async (s) => {
      const now = Math.floor(Date.now() / 1000)
      const token = fakeJwt({ iss: s.oidcIssuer, aud: 'sts.aliyuncs.com', sub: 'runtime', iat: now, exp: now + 600 })
      const caps = webCapabilities({
        env: {
          ALIBABA_CLOUD_ROLE_ARN: s.roleArn,
          ALIBABA_CLOUD_OIDC_PROVIDER_ARN: s.oidcProviderArn,
          ALIBABA_CLOUD_OIDC_TOKEN: token,
        },
      })
      // The web chain's OIDC link takes its STS endpoint from the region only, so the provider is built here with
      // the emulator's endpoint, reading the token from the same variable.
      const p = Providers.oidcRoleArn({ endpoint: s.stsEndpoint, roleSessionName: 'rt' })(caps)
      return show(await p()(), (c) => [c.type, c.source])
    },
  ],
  [
    'Http.fromFetch: a redirect is returned, not followed',
    async (s) => transport(await Http.fromFetch().request({ method: 'GET', url: `${s.helper}/redirect` })()),
  ],
  [
    'Http.fromFetch: the size cap stops an endless body',
    async (s) =>
      transport(await Http.fromFetch().request({ method: 'GET', url: `${s.helper}/big`, maxResponseBytes: 10_000 })()),
  ],
  [
    'Http.fromFetch: the read deadline ends a stalled body',
    async (s) =>
      transport(
        await Http.fromFetch().request({
          method: 'GET',
          url: `${s.helper}/stall`,
          connectTimeoutMs: 5_000,
          readTimeoutMs: 200,
        })(),
      ),
  ],
  [
    'Http.fromFetch: a refused connection, its URL path never shown',
    async (s) => {
      const url = `http://127.0.0.1:${s.closedPort}/v1/creds/path-SECRET?t=SECRET`
      const r = await Http.fromFetch().request({ method: 'GET', url, connectTimeoutMs: 5_000 })()
      return { ...transport(r), leaks: JSON.stringify(r).includes('SECRET') }
    },
  ],
  ['redactUrl', async () => [redactUrl('http://u:p@127.0.0.1:1/a?b=c'), redactUrl('https://sts.aliyuncs.com/')]],
  [
    'Provider.cached under a manual clock: refresh in the stale window, single flight',
    async () => {
      const clock = manualClock(Date.UTC(2024, 0, 1))
      let calls = 0
      const source: Provider.Provider = () => async () => {
        calls++
        await clock.sleep(10)()
        return E.right(
          Credential.sts({
            accessKeyId: `STS.${calls}`,
            accessKeySecret: 's',
            securityToken: 't',
            expiration: new Date(clock.now() + 60 * 60_000),
            source: 'counted',
          }),
        )
      }
      const p = Provider.cached({ name: 'cached' }, { clock })(source)
      const first = Promise.all([p()(), p()(), p()()])
      await clock.advance(10)
      const ids = (await first).map((r) => (E.isRight(r) ? idOf(r.right) : r.left._tag))
      await clock.advance(30 * 60_000) // still fresh: served from the cache
      const cachedId = await p()()
      await clock.advance(20 * 60_000) // inside the 15-minute stale window: refreshed
      const refreshing = p()()
      await clock.advance(10)
      const refreshed = await refreshing
      return [ids, E.isRight(cachedId) && idOf(cachedId.right), E.isRight(refreshed) && idOf(refreshed.right), calls]
    },
  ],
  [
    'the fakes: fakeCapabilities, fakeHttp delays on the manual clock, fakeFs, fakeJwt',
    async () => {
      const caps = fakeCapabilities({ env: { ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:8/c' }, now: 0 })
      caps.http.on('GET', 'http://127.0.0.1:8/c', {
        ...json(200, {
          Code: 'Success',
          AccessKeyId: 'STS.fake',
          AccessKeySecret: 's',
          SecurityToken: 't',
          Expiration: Expiration.formatTimestamp(3_600_000),
        }),
        delayMs: 250,
      })
      caps.fs.put(
        '~/.alibabacloud/credentials',
        '[default]\ntype = access_key\naccess_key_id = LTAI5tIni\naccess_key_secret = s\n',
      )
      const viaUri = Chain.webChain()(caps)()()
      await caps.clock.advance(250)
      const uri = await viaUri
      const ini = await Providers.iniProfile({})(caps)()()
      return [
        E.isRight(uri) && [idOf(uri.right), uri.right.source],
        E.isRight(ini) && [idOf(ini.right), ini.right.source],
        caps.http.requests.length,
        caps.clock.now(),
        fakeJwt({ a: 1 }).split('.').length,
      ]
    },
  ],
]

/** Runs every check; a check that throws reports the exception's name and message. */
export const conformance = async (setup: Setup): Promise<ReadonlyArray<Check>> => {
  const out: Array<Check> = []
  for (const [name, run] of checks) {
    try {
      out.push({ name, observed: await run(setup) })
    } catch (e) {
      out.push({ name, observed: { threw: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } })
    }
  }
  return out
}
