// Range fuzzing of every decoded number and date: each number a source decodes (the OIDC token's `exp`, the CLI's
// `*_expire` and duration fields, INI and config durations and timeouts, OAuth's `expires_in`, provider options) and
// each date (every `Expiration` an endpoint or a helper answers with) is fed values from the whole range a JSON text,
// an INI value or a caller can hold — negative, huge, fractional, beyond a Date (8.64e15 ms), beyond a double
// (`1e400` parses as Infinity), past the year 9999, exactly on every boundary — over fakes. Every outcome is a
// credential whose expiration is a valid Date, or a typed error that is not "a bug in that provider" (a RangeError
// from an invalid Date), within a deadline. An out-of-range OIDC `exp` is InvalidConfiguration naming the file.
import { Config, Credential, Expiration, Providers } from '@alicred/core'
import { type FakeCapabilities, fakeCapabilities, json } from '@alicred/testing'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { AK_SECRET, checkOutcome, run } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const T0S = T0 / 1000
const HOUR = 3_600_000
const RANGE_RUNS = 1_500

/** Number literals as a JSON or INI text may hold them; `1e400` and `-1e400` parse as ±Infinity. */
const numberText = fc.oneof(
  { weight: 3, arbitrary: fc.integer().map(String) },
  {
    weight: 3,
    arbitrary: fc.double().map((n) => (Number.isFinite(n) ? String(n) : n > 0 ? '1e400' : n < 0 ? '-1e400' : '0')),
  },
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.integer({ min: -7200, max: 7200 }).map((d) => String(T0S + d)),
  fc.constantFrom(
    '1e400',
    '-1e400',
    '-0',
    '0',
    '1',
    '-1',
    '0.5',
    '899',
    '900',
    '3600',
    '43200',
    '2147483647',
    '2147483648',
    '8640000000000',
    '8640000000001',
    '8640000000000000',
    '8640000000000001',
    '253402300799',
    '253402300800',
    '9007199254740991',
    '9007199254740993',
    '12345678901234567890',
    '1e20',
    '-1e20',
    '1E+2',
  ),
)

/** The same, as JavaScript numbers (what a caller passes in options). */
const number = fc.oneof(
  numberText.map(Number),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, -Number.MAX_VALUE),
)

const pad = (n: number, w: number): string => String(n).padStart(w, '0')
/** Times on the wire: valid ones from year 0 to 9999, every boundary, and near misses. */
const dateText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
      )
      .map(
        ([y, mo, d, h, mi, s]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}Z`,
      ),
  },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 30 }).map((h) => Expiration.formatTimestamp(T0 + h * HOUR)) },
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '9999-12-31T23:59:59.999999999Z',
    '+275760-09-13T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '2024-02-29T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:00:60Z',
    '2024-01-01T06:00:00+08:00',
    '10000-01-01T00:00:00Z',
  ),
  fc.string({ maxLength: 24 }),
)

/** Checks what every case must satisfy and returns the outcome's tag. */
const check = (r: unknown): string => {
  const tag = checkOutcome(r as E.Either<unknown, unknown>)
  const e = r as E.Either<{ message: string }, Credential.Credential>
  if (e._tag === 'Left') {
    if (/this is a bug in that provider/.test(e.left.message)) throw new Error(`a provider threw: ${e.left.message}`)
    return tag
  }
  const c = e.right
  if (c.expiration !== undefined && Number.isNaN(c.expiration.getTime())) throw new Error('an invalid expiration Date')
  // every rendering works, whatever the date
  void [String(c), JSON.stringify(c), Credential.view(c)]
  return tag
}

const stsAnswer = (exp: string) =>
  json(200, {
    RequestId: 'R',
    Credentials: {
      AccessKeyId: 'STS.id',
      AccessKeySecret: 'resp-secret',
      SecurityToken: 'resp-token',
      Expiration: exp,
    },
  })
const flatAnswer = (exp: string) =>
  json(200, {
    Code: 'Success',
    AccessKeyId: 'STS.id',
    AccessKeySecret: 'resp-secret',
    SecurityToken: 'resp-token',
    Expiration: exp,
  })

// The OAuth token endpoint answers `token`; the exchange, CloudSSO and STS endpoints answer an hour-long credential.
const oauthAndSsoAnswers =
  (token: Readonly<Record<string, unknown>>) =>
  (req: { readonly url: string }): ReturnType<typeof json> =>
    req.url.includes('/v1/token')
      ? json(200, token)
      : req.url.includes('/v1/exchange')
        ? json(200, {
            accessKeyId: 'STS.id',
            accessKeySecret: 's',
            securityToken: 't',
            expiration: Expiration.formatTimestamp(T0 + HOUR),
          })
        : req.url.includes('cloud-credentials')
          ? json(200, {
              CloudCredential: {
                AccessKeyId: 'STS.id',
                AccessKeySecret: 's',
                SecurityToken: 't',
                Expiration: Expiration.formatTimestamp(T0 + HOUR),
              },
            })
          : stsAnswer(Expiration.formatTimestamp(T0 + HOUR))

const caps = (files: Readonly<Record<string, string>> = {}, env: Readonly<Record<string, string>> = {}) =>
  fakeCapabilities({ now: T0, files, env })
const answering = (c: FakeCapabilities, body: ReturnType<typeof json>): FakeCapabilities => {
  c.http.on('*', /.*/, body)
  return c
}

const b64url = (s: string): string => Buffer.from(s).toString('base64url')
const jwtWithExp = (expText: string): string =>
  `${b64url('{"alg":"RS256"}')}.${b64url(`{"sub":"sa","exp":${expText}}`)}.${b64url('signature')}`

/** Runs `n` cases of `prop` and returns the outcome tags seen (to show each property reaches more than one). */
const fuzz = async <A>(arb: fc.Arbitrary<A>, prop: (a: A) => Promise<string>): Promise<ReadonlySet<string>> => {
  const seen = new Set<string>()
  await fc.assert(
    fc.asyncProperty(arb, async (a) => {
      seen.add(await prop(a))
    }),
    { numRuns: RANGE_RUNS },
  )
  return seen
}

describe('range fuzzing: numbers', () => {
  it('the OIDC token exp: in range it decides, out of range it is InvalidConfiguration naming the file', async () => {
    const seen = await fuzz(numberText, async (expText) => {
      const file = '/var/run/oidc-token'
      const c = answering(caps({ [file]: jwtWithExp(expText) }), stsAnswer(Expiration.formatTimestamp(T0 + HOUR)))
      const r = await run(() =>
        Providers.oidcRoleArn({
          roleArn: 'acs:ram::1:role/r',
          oidcProviderArn: 'acs:ram::1:oidc-provider/p',
          oidcTokenFile: file,
        })(c)()(),
      )
      const tag = check(r)
      const exp = Number(expText)
      if (!Expiration.isEpochSeconds(exp)) {
        expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidConfiguration', location: { file } } })
        expect((r as { left: Error }).left.message).toContain(file)
      } else {
        expect(tag).toBe(exp > T0S ? 'Right' : 'SourceFailure')
      }
      return tag
    })
    expect([...seen].sort()).toEqual(['InvalidConfiguration', 'Right', 'SourceFailure'])
  }, 60_000)

  const cliDoc = (profile: string) => `{"current":"p","profiles":[${profile}]}`
  const cliProfiles: ReadonlyArray<readonly [string, (n: string) => string]> = [
    [
      'CloudSSO cloud_sso_access_token_expire',
      (n) =>
        `{"name":"p","mode":"CloudSSO","cloud_sso_sign_in_url":"http://127.0.0.1:9/login","cloud_sso_account_id":"1","cloud_sso_access_config":"ac","access_token":"sso-token","cloud_sso_access_token_expire":${n}}`,
    ],
    [
      'OAuth oauth_access_token_expire (no refresh token)',
      (n) =>
        `{"name":"p","mode":"OAuth","oauth_site_type":"CN","oauth_access_token":"at","oauth_access_token_expire":${n}}`,
    ],
    [
      'OAuth oauth_access_token_expire (with a refresh token)',
      (n) =>
        `{"name":"p","mode":"OAuth","oauth_site_type":"CN","oauth_refresh_token":"rt","oauth_access_token":"at","oauth_access_token_expire":${n}}`,
    ],
    [
      'RamRoleArn expired_seconds',
      (n) =>
        `{"name":"p","mode":"RamRoleArn","access_key_id":"LTAI5t","access_key_secret":"${AK_SECRET}","ram_role_arn":"acs:ram::1:role/r","expired_seconds":${n}}`,
    ],
    [
      'OIDC duration_seconds',
      (n) =>
        `{"name":"p","mode":"OIDC","oidc_provider_arn":"acs:ram::1:oidc-provider/p","oidc_token_file":"/t","ram_role_arn":"acs:ram::1:role/r","duration_seconds":${n}}`,
    ],
    [
      'StsToken sts_expiration',
      (n) =>
        `{"name":"p","mode":"StsToken","access_key_id":"STS.x","access_key_secret":"${AK_SECRET}","sts_token":"tok","sts_expiration":${n}}`,
    ],
  ]
  it.each(cliProfiles)(
    'the CLI config.json: %s',
    async (_, profile) => {
      await fuzz(numberText, async (n) => {
        const c = caps({ '~/.aliyun/config.json': cliDoc(profile(n)), '/t': jwtWithExp(String(T0S + 3600)) })
        c.http.on('*', /.*/, oauthAndSsoAnswers({ access_token: 'at2', refresh_token: 'rt2', expires_in: Number(n) }))
        return check(await run(() => Providers.cliProfile({ onWriteBackError: () => {} })(c)()()))
      })
    },
    60_000,
  )

  it.each(['duration_seconds', 'timeout', 'connect_timeout'])(
    'the INI file: %s',
    async (key) => {
      await fuzz(numberText, async (n) => {
        const ini = `[default]\ntype = ram_role_arn\naccess_key_id = LTAI5t\naccess_key_secret = ${AK_SECRET}\nrole_arn = acs:ram::1:role/r\n${key} = ${n}\n`
        const c = answering(
          caps({ '~/.alibabacloud/credentials': ini }),
          stsAnswer(Expiration.formatTimestamp(T0 + HOUR)),
        )
        return check(await run(() => Providers.iniProfile()(c)()()))
      })
    },
    60_000,
  )

  it.each(['durationSeconds', 'timeout', 'connectTimeout'])(
    'Config.fromConfig: %s',
    async (key) => {
      await fuzz(number, async (n) => {
        const c = answering(caps(), stsAnswer(Expiration.formatTimestamp(T0 + HOUR)))
        const config = {
          type: 'ram_role_arn',
          accessKeyId: 'LTAI5t',
          accessKeySecret: AK_SECRET,
          roleArn: 'acs:ram::1:role/r',
          [key]: n,
        } as unknown as Config.Config
        return check(await run(() => Config.fromConfig(config)(c)()()))
      })
    },
    60_000,
  )

  it('provider options: accessTokenExpire of cloud_sso and oauth, durations, timeouts, static expirations', async () => {
    const seen = await fuzz(fc.tuple(number, fc.nat(5)), async ([n, which]) => {
      const c = caps()
      c.http.on('*', /.*/, oauthAndSsoAnswers({ access_token: 'at2', refresh_token: 'rt2' }))
      const providers = [
        () =>
          Providers.cloudSso({
            signInUrl: 'http://127.0.0.1:9/login',
            accountId: '1',
            accessConfig: 'ac',
            accessToken: 'sso',
            accessTokenExpire: n,
          })(c),
        () => Providers.oauth({ siteType: 'CN', accessToken: 'at', accessTokenExpire: n })(c),
        () => Providers.oauth({ siteType: 'CN', accessToken: 'at', refreshToken: 'rt', accessTokenExpire: n })(c),
        () =>
          Providers.ramRoleArn({
            source: Providers.staticAccessKey({ accessKeyId: 'LTAI5t', accessKeySecret: AK_SECRET }),
            roleArn: 'acs:ram::1:role/r',
            durationSeconds: n,
            readTimeoutMs: n,
            connectTimeoutMs: n,
          })(c),
        () => Providers.credentialsUri({ uri: 'http://127.0.0.1:9/creds', readTimeoutMs: n, connectTimeoutMs: n })(c),
        () =>
          Providers.staticSts({
            accessKeyId: 'STS.x',
            accessKeySecret: AK_SECRET,
            securityToken: 't',
            expiration: new Date(n * 1000),
          }),
      ]
      const p = (providers[which] ?? providers[0]!)()
      return check(await run(() => p()()))
    })
    expect([...seen]).toEqual(expect.arrayContaining(['Right', 'InvalidConfiguration']))
  }, 60_000)

  it('OAuth expires_in in the token answer', async () => {
    await fuzz(numberText, async (n) => {
      const c = caps()
      c.http.on('*', /.*/, (req) =>
        req.url.includes('/v1/token')
          ? { status: 200, body: `{"access_token":"at2","refresh_token":"rt2","expires_in":${n}}` }
          : json(200, {
              accessKeyId: 'STS.id',
              accessKeySecret: 's',
              securityToken: 't',
              expiration: Expiration.formatTimestamp(T0 + HOUR),
            }),
      )
      const updates: Array<number> = []
      const p = Providers.oauth({
        siteType: 'CN',
        refreshToken: 'rt',
        onUpdate: async (u) => void updates.push(u.accessTokenExpire),
      })(c)
      const tag = check(await run(() => p()()))
      // what would be written to config.json is always a time the CLI config decoder accepts
      for (const u of updates) expect(Number.isSafeInteger(u) && Expiration.isEpochSeconds(u)).toBe(true)
      return tag
    })
  }, 60_000)
})

describe('range fuzzing: dates', () => {
  const sources: ReadonlyArray<readonly [string, (c: FakeCapabilities, exp: string) => () => Promise<unknown>]> = [
    [
      'STS AssumeRole Credentials.Expiration',
      (c, exp) => {
        answering(c, stsAnswer(exp))
        const p = Providers.ramRoleArn({
          source: Providers.staticAccessKey({ accessKeyId: 'LTAI5t', accessKeySecret: AK_SECRET }),
          roleArn: 'acs:ram::1:role/r',
        })(c)
        return () => p()()
      },
    ],
    [
      'the credentials URI Expiration',
      (c, exp) => {
        answering(c, flatAnswer(exp))
        const p = Providers.credentialsUri({ uri: 'http://127.0.0.1:9/creds' })(c)
        return () => p()()
      },
    ],
    [
      'ECS metadata Expiration',
      (c, exp) => {
        answering(c, flatAnswer(exp))
        const p = Providers.ecsRamRole({ roleName: 'r', disableIMDSv1: false })(c)
        return () => p()()
      },
    ],
    [
      'an External helper expiration',
      (c, exp) => {
        c.exec.on('helper', {
          exitCode: 0,
          stderr: '',
          stdout: JSON.stringify({ mode: 'AK', access_key_id: 'id', access_key_secret: 's', expiration: exp }),
        })
        const p = Providers.external({ processCommand: 'helper' })(c)
        return () => p()()
      },
    ],
  ]
  it.each(sources)(
    '%s',
    async (name, make) => {
      const seen = await fuzz(dateText, async (exp) => {
        const c = caps()
        const r = await run(make(c, exp))
        const tag = check(r)
        // a credential carries an expiration only when the time parsed, and then exactly that time (External
        // treats one it cannot read as none)
        if (E.isRight(r as E.Either<unknown, Credential.Credential>)) {
          const got = (r as E.Right<Credential.Credential>).right.expiration
          if (got !== undefined) expect(E.right(got)).toEqual(Expiration.parse(exp))
        }
        return tag
      })
      // External reads an expiration it cannot parse as none (a credential); the others refuse the answer
      expect([...seen]).toEqual(
        expect.arrayContaining(name.startsWith('an External') ? ['Right'] : ['Right', 'SourceFailure']),
      )
    },
    60_000,
  )
})
