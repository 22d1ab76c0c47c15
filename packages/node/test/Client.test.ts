import { inspect } from 'node:util'
import { Credential, CredentialsError, Provider } from '@alicred/core'
import Default, {
  Client,
  Config,
  type CredentialModel,
  decodeClientConfig,
  INVALID_TYPE_MESSAGE,
  MISSING_TYPE_MESSAGE,
  toModel,
} from '@alicred/node'
import { type FakeCapabilities, fakeCapabilities, json } from '@alicred/testing'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const SECRET = 'sk-SECRET-0f8e2a'
const TOKEN = 'st-TOKEN-77c1d9'
const NOW = Date.parse('2024-01-01T00:00:00Z')
const STS = 'https://sts.aliyuncs.com/'

const caps = (o: Parameters<typeof fakeCapabilities>[0] = {}): FakeCapabilities =>
  fakeCapabilities({ now: NOW, env: { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }, ...o })

const client = (config: ConstructorParameters<typeof Client>[0], c: FakeCapabilities = caps()) =>
  new Client(config, null, { capabilities: c })

/** The model's own fields, as a plain object (so `toStrictEqual` also catches extra `undefined` keys). */
const fields = (m: CredentialModel) => ({ ...m })

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
const JWT = `${b64url({ alg: 'RS256' })}.${b64url({ sub: 'system:serviceaccount:ns:sa', exp: NOW / 1000 + 3600 })}.c2ln`

const stsAnswer = (id: string) =>
  json(200, {
    RequestId: 'req-1',
    Credentials: { AccessKeyId: id, AccessKeySecret: SECRET, SecurityToken: TOKEN, Expiration: '2024-01-01T01:00:00Z' },
  })

const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error('expected a throw')
}

describe('Client: the default export', () => {
  it('is Client', () => {
    expect(Default).toBe(Client)
  })
})

describe('Client: constructor validation (synchronous, like the reference)', () => {
  it.each([[{}], [{ type: '' }], [{ type: undefined }], [{ type: null }], [new Config({})]])(
    'throws "Missing required type option" for %j',
    (config) => {
      const e = thrown(() => client(config as never))
      expect(e).toBeInstanceOf(CredentialsError.InvalidConfiguration)
      expect(e).toBeInstanceOf(Error)
      expect((e as Error).message).toBe(MISSING_TYPE_MESSAGE)
      expect(MISSING_TYPE_MESSAGE).toBe('Missing required type option')
    },
  )

  it.each([['nope'], ['ACCESS_KEY'], [42], [true], [['access_key']], ['cloud_sso']])(
    'throws the reference message (plus the two types it forgot) for type %j',
    (type) => {
      const e = thrown(() => client({ type } as never)) as Error
      expect(e.message).toBe(
        'Invalid type option, support: access_key, sts, ecs_ram_role, ram_role_arn, rsa_key_pair, credentials_uri, oidc_role_arn, bearer',
      )
      expect(e.message).toContain(
        'Invalid type option, support: access_key, sts, ecs_ram_role, ram_role_arn, rsa_key_pair, credentials_uri',
      )
      expect(INVALID_TYPE_MESSAGE).toBe(e.message)
    },
  )

  it('names every field of the wrong type, and what it should be, never the value', () => {
    const e = thrown(() =>
      client({
        type: 'access_key',
        accessKeyId: 123,
        accessKeySecret: SECRET,
        timeout: '5000',
        enableVpc: 'yes',
      } as never),
    ) as CredentialsError.InvalidConfiguration
    expect([e._tag, e.message, e.location]).toEqual([
      'InvalidConfiguration',
      'invalid Config: `accessKeyId` must be a string, got number; `enableVpc` must be a boolean, got string; `timeout` must be a finite number, got string',
      { key: 'accessKeyId' },
    ])
    expect(`${e.message}${inspect(e)}${JSON.stringify(e)}`).not.toContain(SECRET)
  })

  it('rejects a config that is not an object', () => {
    expect((thrown(() => client('access_key' as never)) as Error).message).toBe(
      'invalid Config: expected an object with a `type` field, got string',
    )
  })

  it('names the missing fields of the chosen type', () => {
    const messages = [
      { type: 'access_key', accessKeyId: 'id' },
      { type: 'sts', accessKeyId: 'id', accessKeySecret: SECRET },
      { type: 'bearer' },
    ].map((config) => (thrown(() => client(config)) as CredentialsError.InvalidConfiguration).location)
    expect(messages).toEqual([{ key: 'accessKeySecret' }, { key: 'securityToken' }, { key: 'bearerToken' }])
    const e = thrown(() => client({ type: 'access_key', accessKeyId: 'id' })) as Error
    expect(e.message).toMatch(/^invalid Config for type access_key: `accessKeySecret` is missing or empty/)
  })

  it('speaks the reference field names: the session length is roleSessionExpiration', () => {
    const e = thrown(() =>
      client({
        type: 'ram_role_arn',
        accessKeyId: 'id',
        accessKeySecret: SECRET,
        roleArn: 'acs:ram::1:role/r',
        roleSessionExpiration: 100,
      }),
    ) as Error
    // The wording after "must be" is the core codec's; the field name is the facade's.
    expect(e.message).toMatch(
      /^invalid Config for type ram_role_arn: `roleSessionExpiration` must be [^;]*at least 900$/,
    )
  })

  it('accepts enableVpc as "true"/"false" text, as the reference declares it a string', () => {
    expect(() =>
      client({
        type: 'ram_role_arn',
        accessKeyId: 'id',
        accessKeySecret: SECRET,
        roleArn: 'r',
        enableVpc: 'TRUE' as never,
      }),
    ).not.toThrow()
  })

  it('takes roleArn from ALIBABA_CLOUD_ROLE_ARN when the config has none, as the reference does', () => {
    const c = caps({ env: { ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/from-env' } })
    const r = decodeClientConfig({ type: 'ram_role_arn', accessKeyId: 'id', accessKeySecret: SECRET }, c.env)
    expect(r._tag === 'Right' && r.right.config).toEqual({
      type: 'ram_role_arn',
      accessKeyId: 'id',
      accessKeySecret: SECRET,
      roleArn: 'acs:ram::1:role/from-env',
    })
  })

  it('throws what the reference builders throw in the constructor: ECS metadata switched off, OIDC settings missing', () => {
    const messages = [
      () => client({ type: 'ecs_ram_role' }),
      () => client({ type: 'oidc_role_arn' }),
      () => client({ type: 'oidc_role_arn', roleArn: 'r' }),
      () => client({ type: 'oidc_role_arn', roleArn: 'r', oidcProviderArn: 'p' }),
      () => client({ type: 'credentials_uri' }),
    ].map((f) => (thrown(f) as Error).message)
    expect(messages).toEqual([
      'IMDS credentials is disabled (ALIBABA_CLOUD_ECS_METADATA_DISABLED=true); unset it to use type ecs_ram_role',
      'roleArn does not exist and env ALIBABA_CLOUD_ROLE_ARN is null.',
      'oidcProviderArn does not exist and env ALIBABA_CLOUD_OIDC_PROVIDER_ARN is null.',
      'oidcTokenFilePath is not exists and env ALIBABA_CLOUD_OIDC_TOKEN_FILE is null.',
      'credentialsURI is missing and env ALIBABA_CLOUD_CREDENTIALS_URI is not set; set one of them to the URL of your credentials server',
    ])
  })

  it('says where each unmet need is: the field (or none when the environment switched the type off)', () => {
    const errors = [
      () => client({ type: 'ecs_ram_role', roleName: 'r' }),
      () => client({ type: 'oidc_role_arn', oidcProviderArn: 'p', oidcTokenFilePath: '/t' }),
      () => client({ type: 'oidc_role_arn', roleArn: 'r', oidcProviderArn: ' ', oidcTokenFilePath: '/t' }),
      () => client({ type: 'oidc_role_arn', roleArn: 'r', oidcProviderArn: 'p', oidcTokenFilePath: '' }),
      () => client({ type: 'credentials_uri', credentialsURI: '  ' }),
    ].map((f) => {
      const e = thrown(f) as CredentialsError.InvalidConfiguration
      return [e._tag, e.provider, e.location]
    })
    expect(errors).toEqual([
      ['InvalidConfiguration', 'config', {}],
      ['InvalidConfiguration', 'config', { key: 'roleArn' }],
      ['InvalidConfiguration', 'config', { key: 'oidcProviderArn' }],
      ['InvalidConfiguration', 'config', { key: 'oidcTokenFilePath' }],
      ['InvalidConfiguration', 'config', { key: 'credentialsURI' }],
    ])
  })

  it('checks the reference constructor needs before field values: an unmet need wins over a bad session length', () => {
    const e = thrown(() => client({ type: 'oidc_role_arn', roleSessionExpiration: 60 })) as Error
    expect(e.message).toBe('roleArn does not exist and env ALIBABA_CLOUD_ROLE_ARN is null.')
  })

  it('ram_role_arn without a roleArn anywhere: the codec names the field, as before', () => {
    const e = thrown(() =>
      client({ type: 'ram_role_arn', accessKeyId: 'id', accessKeySecret: SECRET, roleSessionExpiration: 60 }),
    ) as CredentialsError.InvalidConfiguration
    expect([e.message, e.location]).toEqual([
      'invalid Config for type ram_role_arn: `roleArn` is missing or empty (type ram_role_arn needs it); `roleSessionExpiration` must be a whole number of seconds, at least 900',
      { key: 'roleArn' },
    ])
  })

  it('a blank roleArn counts as left out, so ALIBABA_CLOUD_ROLE_ARN fills it (the reference reads `roleArn || env`)', () => {
    const env = caps({ env: { ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/from-env' } }).env
    const r = decodeClientConfig(
      { type: 'ram_role_arn', accessKeyId: 'id', accessKeySecret: SECRET, roleArn: ' ' },
      env,
    )
    expect(r._tag === 'Right' && r.right.config).toEqual({
      type: 'ram_role_arn',
      accessKeyId: 'id',
      accessKeySecret: SECRET,
      roleArn: 'acs:ram::1:role/from-env',
    })
  })

  it('an OIDC token in ALIBABA_CLOUD_OIDC_TOKEN does not stand for the token file, as in the reference', () => {
    const env = { ALIBABA_CLOUD_ROLE_ARN: 'r', ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'p', ALIBABA_CLOUD_OIDC_TOKEN: JWT }
    expect((thrown(() => client({ type: 'oidc_role_arn' }, caps({ env }))) as Error).message).toBe(
      'oidcTokenFilePath is not exists and env ALIBABA_CLOUD_OIDC_TOKEN_FILE is null.',
    )
  })

  it('takes the OIDC settings and the credentials URI from their variables, as the reference does', () => {
    const env = {
      ALIBABA_CLOUD_ROLE_ARN: 'r',
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'p',
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/t',
      ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:1/c',
    }
    expect(() => client({ type: 'oidc_role_arn' }, caps({ env }))).not.toThrow()
    expect(() => client({ type: 'credentials_uri' }, caps({ env }))).not.toThrow()
  })

  it('law: no config field value ever appears in a constructor error', () => {
    const value = fc.oneof(
      fc.string({ minLength: 6 }).map((s) => `V4L-${s}`),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    )
    const config = fc.record(
      {
        type: fc.oneof(
          fc.constantFrom('access_key', 'sts', 'ram_role_arn', 'oidc_role_arn', 'bearer', 'credentials_uri'),
          value,
        ),
        accessKeyId: value,
        accessKeySecret: value,
        securityToken: value,
        bearerToken: value,
        roleArn: value,
        roleSessionExpiration: value,
        timeout: value,
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(config, (cfg) => {
        let message = ''
        try {
          client(cfg as never)
          return
        } catch (e) {
          message = `${(e as Error).message} ${JSON.stringify(e)} ${inspect(e)}`
        }
        for (const v of Object.values(cfg)) {
          if (typeof v === 'string' && v.startsWith('V4L-')) expect(message).not.toContain(v)
        }
      }),
    )
  })
})

describe('Client: static types', () => {
  it('access_key', async () => {
    const c = client(new Config({ type: 'access_key', accessKeyId: 'akid', accessKeySecret: SECRET }))
    expect(fields(await c.getCredential())).toStrictEqual({
      accessKeyId: 'akid',
      accessKeySecret: SECRET,
      type: 'access_key',
      providerName: 'static_ak',
    })
    expect([c.getType(), c.getBearerToken()]).toEqual(['access_key', undefined])
    expect([await c.getAccessKeyId(), await c.getAccessKeySecret(), await c.getSecurityToken()]).toEqual([
      'akid',
      SECRET,
      undefined,
    ])
  })

  it('sts (a plain object literal works too, as with the reference)', async () => {
    const c = client({ type: 'sts', accessKeyId: 'akid', accessKeySecret: SECRET, securityToken: TOKEN })
    expect(fields(await c.getCredential())).toStrictEqual({
      accessKeyId: 'akid',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      type: 'sts',
      providerName: 'static_sts',
    })
    expect(await c.getSecurityToken()).toBe(TOKEN)
  })

  it('bearer: the reference bearer shape, with no providerName, and a sync getBearerToken', async () => {
    const c = client({ type: 'bearer', bearerToken: TOKEN })
    expect(fields(await c.getCredential())).toStrictEqual({
      accessKeyId: '',
      accessKeySecret: '',
      securityToken: '',
      bearerToken: TOKEN,
      type: 'bearer',
    })
    expect([c.getType(), c.getBearerToken()]).toEqual(['bearer', TOKEN])
  })
  it('a static client answers every call with the same promise of the same frozen model', async () => {
    for (const config of [
      { type: 'access_key', accessKeyId: 'akid', accessKeySecret: SECRET },
      { type: 'sts', accessKeyId: 'akid', accessKeySecret: SECRET, securityToken: TOKEN },
      { type: 'bearer', bearerToken: TOKEN },
    ] as const) {
      const c = client(config)
      const first = c.getCredential()
      const second = c.getCredential()
      const model = await first
      expect({ samePromise: first === second, frozen: Object.isFrozen(model), type: model.type }).toEqual({
        samePromise: true,
        frozen: true,
        type: config.type,
      })
    }
  })
})

describe('Client: remote types over fake capabilities', () => {
  it('ram_role_arn over an AccessKey: providerName ram_role_arn/static_ak', async () => {
    const c = caps()
    c.http.on('POST', STS, stsAnswer('STS.assumed'))
    const m = await client(
      {
        type: 'ram_role_arn',
        accessKeyId: 'akid',
        accessKeySecret: SECRET,
        roleArn: 'acs:ram::1:role/r',
        roleSessionName: 'rsn',
      },
      c,
    ).getCredential()
    expect(fields(m)).toStrictEqual({
      accessKeyId: 'STS.assumed',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      type: 'ram_role_arn',
      providerName: 'ram_role_arn/static_ak',
    })
    expect(c.http.requests[0]?.headers?.['x-acs-credentials-provider']).toBe('static_ak')
  })

  it('ram_role_arn without an AccessKey assumes the role with ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET, as the reference does', async () => {
    const c = caps({
      env: {
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-akid',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
      },
    })
    c.http.on('POST', STS, stsAnswer('STS.assumed'))
    const m = await client({ type: 'ram_role_arn', roleArn: 'acs:ram::1:role/r' }, c).getCredential()
    expect([m.accessKeyId, m.providerName]).toEqual(['STS.assumed', 'ram_role_arn/static_ak'])
    expect(c.http.requests[0]?.url).toMatch(/[?&]AccessKeyId=env-akid(&|$)/)
  })

  it('ram_role_arn without an AccessKey anywhere throws in the constructor, naming both places to set one', () => {
    const e = thrown(() => client({ type: 'ram_role_arn', roleArn: 'acs:ram::1:role/r' })) as Error
    expect(e).toBeInstanceOf(CredentialsError.InvalidConfiguration)
    expect(e.message).toBe(
      'invalid Config for type ram_role_arn: ram_role_arn needs the AccessKey that calls AssumeRole: set accessKeyId and accessKeySecret, or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (ALIBABA_CLOUD_ACCESS_KEY_ID is not set)',
    )
    const half = thrown(() =>
      client(
        { type: 'ram_role_arn', roleArn: 'r', accessKeyId: 'id' },
        caps({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET } }),
      ),
    ) as CredentialsError.InvalidConfiguration
    expect([half.message.includes(SECRET), half.location]).toEqual([false, { key: 'accessKeySecret' }])
  })

  it('ram_role_arn over an STS triple: providerName ram_role_arn/static_sts', async () => {
    const c = caps()
    c.http.on('POST', STS, stsAnswer('STS.assumed'))
    const m = await client(
      {
        type: 'ram_role_arn',
        accessKeyId: 'akid',
        accessKeySecret: SECRET,
        securityToken: 'prev',
        roleArn: 'acs:ram::1:role/r',
      },
      c,
    ).getCredential()
    expect(m.providerName).toBe('ram_role_arn/static_sts')
  })

  it('credentials_uri: providerName credential_uri (sic, as in the reference)', async () => {
    const c = caps()
    c.http.on(
      'GET',
      'http://127.0.0.1:9099/creds',
      json(200, {
        Code: 'Success',
        AccessKeyId: 'uri-id',
        AccessKeySecret: SECRET,
        SecurityToken: TOKEN,
        Expiration: '2024-01-01T01:00:00Z',
      }),
    )
    const m = await client(
      { type: 'credentials_uri', credentialsURI: 'http://127.0.0.1:9099/creds' },
      c,
    ).getCredential()
    expect(fields(m)).toStrictEqual({
      accessKeyId: 'uri-id',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      type: 'credentials_uri',
      providerName: 'credential_uri',
    })
  })

  it('oidc_role_arn: reads the token file and names itself oidc_role_arn', async () => {
    const c = caps({ files: { '/var/run/oidc/token': JWT } })
    c.http.on('POST', STS, stsAnswer('STS.oidc'))
    const m = await client(
      {
        type: 'oidc_role_arn',
        roleArn: 'acs:ram::1:role/r',
        oidcProviderArn: 'acs:ram::1:oidc-provider/p',
        oidcTokenFilePath: '/var/run/oidc/token',
      },
      c,
    ).getCredential()
    expect([m.accessKeyId, m.type, m.providerName]).toEqual(['STS.oidc', 'oidc_role_arn', 'oidc_role_arn'])
  })

  it('rejects getCredential with the CredentialsError of a failing source', async () => {
    const c = caps()
    c.http.on('POST', STS, json(403, { Code: 'NoPermission', Message: 'denied', RequestId: 'req-9' }))
    const p = client(
      { type: 'ram_role_arn', accessKeyId: 'akid', accessKeySecret: SECRET, roleArn: 'r' },
      c,
    ).getCredential()
    await expect(p).rejects.toBeInstanceOf(CredentialsError.SourceFailure)
    await expect(p).rejects.toMatchObject({ status: 403, code: 'NoPermission' })
  })
})

describe('Client: the default chain', () => {
  it('type default, providerName default/<source>', async () => {
    const c = caps({
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      },
    })
    const cl = client(null, c)
    expect(fields(await cl.getCredential())).toStrictEqual({
      accessKeyId: 'env-id',
      accessKeySecret: SECRET,
      type: 'default',
      providerName: 'default/env',
    })
    expect(cl.getType()).toBe('default')
  })

  it('default/profile from the INI file (the reference names the link, not the inner provider)', async () => {
    const c = caps({
      files: {
        '~/.alibabacloud/credentials': `[default]\ntype = access_key\naccess_key_id = ini-id\naccess_key_secret = ${SECRET}\n`,
      },
    })
    expect((await new Client(undefined, undefined, { capabilities: c }).getCredential()).providerName).toBe(
      'default/profile',
    )
  })

  it('default/cli_profile from the Aliyun CLI config', async () => {
    const cli = {
      current: 'main',
      profiles: [{ name: 'main', mode: 'AK', access_key_id: 'cli-id', access_key_secret: SECRET }],
    }
    const c = caps({ files: { '~/.aliyun/config.json': JSON.stringify(cli) } })
    const cl = client(null, c)
    expect((await cl.getCredential()).providerName).toBe('default/cli_profile')
    // the alicred provider behind it keeps the whole path
    const r = await (cl.provider as Provider.Provider)()()
    expect(r._tag === 'Right' && r.right.source).toBe('default/cli_profile/static_ak')
  })

  it('rejects with ChainExhausted listing every link when nothing is configured', async () => {
    const e = await client(null, caps())
      .getCredential()
      .catch((u: unknown) => u)
    expect(e).toBeInstanceOf(CredentialsError.ChainExhausted)
    expect((e as CredentialsError.ChainExhausted).attempts.map((a) => a.provider)).toEqual([
      'default/env',
      'default/oidc_role_arn',
      'default/cli_profile',
      'default/profile',
      'default/credential_uri',
      'default/ecs_ram_role',
    ])
  })
})

describe('Client: providers', () => {
  const legacy = {
    getCredentials: async () => ({
      accessKeyId: 'leg-id',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      providerName: 'my_source',
    }),
    getProviderName: () => 'my_provider',
  }

  it('wraps a reference-style provider object and ignores the config, as the reference does', async () => {
    const c = new Client({ type: 'nonsense' }, legacy)
    expect(fields(await c.getCredential())).toStrictEqual({
      accessKeyId: 'leg-id',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      type: 'my_provider',
      providerName: 'my_source',
    })
    expect([c.getType(), c.provider]).toEqual(['my_provider', undefined])
  })

  const providerFailure = (name: string, why: string) =>
    new CredentialsError.SourceFailure(
      name,
      `the provider '${name}' answered getCredentials() with ${why}; it must resolve to { accessKeyId, accessKeySecret, securityToken? } of non-empty strings`,
      { retryable: false },
    )
  it.each<[string, unknown, string]>([
    ['null', null, 'null instead of a credentials object'],
    ['undefined', undefined, 'undefined instead of a credentials object'],
    ['a string', SECRET, 'string instead of a credentials object'],
    ['an array', [SECRET], 'array instead of a credentials object'],
    ['no keys', {}, 'an unusable credential (accessKeyId is missing)'],
    [
      'an empty secret',
      { accessKeyId: 'id', accessKeySecret: ' ' },
      'an unusable credential (accessKeySecret is empty)',
    ],
    [
      'a numeric id',
      { accessKeyId: 7, accessKeySecret: SECRET },
      'an unusable credential (accessKeyId is not a string)',
    ],
    [
      'a token that is not a string',
      { accessKeyId: 'id', accessKeySecret: SECRET, securityToken: { t: TOKEN } },
      'an unusable credential (securityToken is not a string)',
    ],
    [
      'a blank token',
      { accessKeyId: 'id', accessKeySecret: SECRET, securityToken: '  ' },
      'an unusable credential (securityToken is empty)',
    ],
    [
      'a providerName that is not a string',
      { accessKeyId: 'id', accessKeySecret: SECRET, providerName: { SECRET } },
      'a providerName that is object, not a string',
    ],
  ])('a provider object answering %s is a typed error naming the provider, never a value', async (_, answer, why) => {
    const cl = new Client(null, { getCredentials: async () => answer as never, getProviderName: () => 'my_provider' })
    const e = await cl.getCredential().then(
      () => undefined,
      (u: unknown) => u,
    )
    expect(e).toEqual(providerFailure('my_provider', why))
    expect(CredentialsError.isCredentialsError(e)).toBe(true)
    for (const text of [String(e), JSON.stringify(e), (e as Error).stack ?? '']) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(TOKEN)
    }
  })

  it('a provider object whose security token is null or "" gives an AccessKey, as reference AK providers answer', async () => {
    for (const securityToken of [null, '', undefined]) {
      const cl = new Client(null, {
        getCredentials: async () => ({ accessKeyId: 'id', accessKeySecret: SECRET, securityToken }) as never,
        getProviderName: () => 'ak_provider',
      })
      expect(fields(await cl.getCredential())).toStrictEqual({
        accessKeyId: 'id',
        accessKeySecret: SECRET,
        type: 'ak_provider',
      })
    }
  })

  it.each<[string, unknown, string]>([
    ['an object', {}, 'object'],
    ['a number', 7, 'number'],
    ['an empty string', '', 'an empty string'],
    ['undefined', undefined, 'undefined'],
  ])('a provider object whose getProviderName() returns %s is refused by the constructor', (_, name, described) => {
    expect(
      () =>
        new Client(null, { getCredentials: async () => ({ accessKeyId: 'id' }), getProviderName: () => name as never }),
    ).toThrow(
      new CredentialsError.InvalidConfiguration(
        'client',
        `the provider object given to new Client(null, provider) returned ${described} from getProviderName(); it must return its name, a non-empty string`,
        { key: 'getProviderName' },
      ),
    )
  })

  it('ignores a second argument that is not provider-like', () => {
    expect(new Client({ type: 'bearer', bearerToken: 't' }, { getCredentials: () => 1 } as never).getType()).toBe(
      'bearer',
    )
  })

  it('wraps an alicred Provider: Client.fromProvider and the constructor', async () => {
    const p = Provider.of(
      Credential.sts({
        accessKeyId: 'core-id',
        accessKeySecret: SECRET,
        securityToken: TOKEN,
        source: 'mine/static_sts',
      }),
    )
    const a = Client.fromProvider(p, { type: 'mine' })
    expect(fields(await a.getCredential())).toStrictEqual({
      accessKeyId: 'core-id',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      type: 'mine',
      providerName: 'mine/static_sts',
    })
    expect(new Client(null, p).getType()).toBe('custom')
    expect(a.provider).toBe(p)
  })

  it('turns a provider that throws into a rejected CredentialsError, never an unhandled rejection', async () => {
    const boom: Provider.Provider = () => () => Promise.reject(new Error(`boom ${SECRET}`))
    const e = await Client.fromProvider(boom)
      .getCredential()
      .catch((u: unknown) => u)
    expect(CredentialsError.isCredentialsError(e)).toBe(true)
    expect((e as Error).message).not.toContain(SECRET)
  })
})

describe('Client: the hot path', () => {
  it('a static client answers every call with the same promise of one frozen model', async () => {
    const c = client({ type: 'access_key', accessKeyId: 'akid', accessKeySecret: SECRET })
    const first = c.getCredential()
    expect(c.getCredential()).toBe(first)
    const m = await first
    expect(fields(m)).toStrictEqual({
      accessKeyId: 'akid',
      accessKeySecret: SECRET,
      type: 'access_key',
      providerName: 'static_ak',
    })
    expect(Object.isFrozen(m)).toBe(true)
  })

  it('a cached credential keeps its model until a refresh brings a new credential', async () => {
    const c = caps()
    c.http.on('POST', STS, stsAnswer('STS.first'))
    const cl = client(
      { type: 'ram_role_arn', accessKeyId: 'akid', accessKeySecret: SECRET, roleArn: 'acs:ram::1:role/r' },
      c,
    )
    const first = await cl.getCredential()
    expect(cl.getCredential()).toBe(cl.getCredential())
    expect(await cl.getCredential()).toBe(first)
    c.http.on('POST', STS, stsAnswer('STS.second'))
    await c.clock.advance(50 * 60_000) // inside the 15-minute stale window: the next call refreshes
    const second = await cl.getCredential()
    expect([first.accessKeyId, second.accessKeyId]).toEqual(['STS.first', 'STS.second'])
    expect(await cl.getCredential()).toBe(second)
  })

  it('a custom provider that hands back the same credential object gets the same model', async () => {
    const same = Credential.accessKey({ accessKeyId: 'core-id', accessKeySecret: SECRET, source: 'mine' })
    let calls = 0
    const p: Provider.Provider = () => async () => {
      calls++
      return {
        _tag: 'Right',
        right:
          calls < 3 ? same : Credential.accessKey({ accessKeyId: 'next-id', accessKeySecret: SECRET, source: 'mine' }),
      }
    }
    const cl = Client.fromProvider(p)
    const [a, b, c] = [await cl.getCredential(), await cl.getCredential(), await cl.getCredential()]
    expect([a === b, b === c, c.accessKeyId, calls]).toEqual([true, false, 'next-id', 3])
  })

  it('a reference-style provider object gets a model of its own on every call, as before', async () => {
    const legacy = {
      getCredentials: async () => ({ accessKeyId: 'leg-id', accessKeySecret: SECRET }),
      getProviderName: () => 'legacy',
    }
    const cl = new Client(null, legacy)
    const [a, b] = [await cl.getCredential(), await cl.getCredential()]
    expect([a === b, Object.isFrozen(a), fields(a)]).toEqual([false, false, fields(b)])
  })

  it('a provider that always fails rejects every call with its CredentialsError', async () => {
    const p = Provider.fail(new CredentialsError.NotConfigured('mine', 'nothing here'))
    const cl = Client.fromProvider(p)
    const errors = await Promise.all([cl.getCredential(), cl.getCredential()].map((x) => x.catch((u: unknown) => u)))
    expect(errors.map((e) => CredentialsError.isCredentialsError(e) && e._tag)).toEqual([
      'NotConfigured',
      'NotConfigured',
    ])
  })
})

describe('CredentialModel and Config: secrets never print', () => {
  it('CredentialModel shows <redacted> in JSON, String and inspect, and the values in its fields', async () => {
    const m = await client({
      type: 'sts',
      accessKeyId: 'akid',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
    }).getCredential()
    for (const r of [JSON.stringify(m), String(m), inspect(m), `${m}`]) {
      expect(r).not.toContain(SECRET)
      expect(r).not.toContain(TOKEN)
      expect(r).toContain('akid')
    }
    expect(JSON.parse(JSON.stringify(m))).toEqual({
      accessKeyId: 'akid',
      accessKeySecret: '<redacted>',
      securityToken: '<redacted>',
      type: 'sts',
      providerName: 'static_sts',
    })
  })

  it('Config shows <redacted> for its secrets', () => {
    const config = new Config({ type: 'bearer', bearerToken: TOKEN, accessKeySecret: SECRET })
    for (const r of [JSON.stringify(config), String(config), inspect(config)]) {
      expect(r).not.toContain(SECRET)
      expect(r).not.toContain(TOKEN)
    }
    expect([config.bearerToken, config.accessKeySecret]).toEqual([TOKEN, SECRET])
  })
})

describe('Config: the tea Model rules', () => {
  it('copies only known fields, skipping undefined and null, without coercion', () => {
    const config = new Config({
      type: 'access_key',
      accessKeyId: 'id',
      foo: 1,
      securityToken: null,
      timeout: '5',
    } as never)
    expect({ ...config }).toStrictEqual({ type: 'access_key', accessKeyId: 'id', timeout: '5' })
    expect({ ...new Config() }).toStrictEqual({})
  })

  it('keeps the reference names() and types() maps', () => {
    expect(Config.names()).toMatchObject({ timeout: 'readTimeout', credentialsURI: 'credentialsURI', type: 'type' })
    expect(Config.types()).toMatchObject({ timeout: 'number', enableVpc: 'boolean', roleSessionExpiration: 'number' })
    expect(Object.keys(Config.names())).toHaveLength(26)
  })
})

describe('toModel', () => {
  it('gives a bearer credential the bearer shape whatever the client type (so openapi-client signs with the token)', () => {
    expect({
      ...toModel('default')(Credential.bearer({ bearerToken: TOKEN, source: 'default/profile/bearer' })),
    }).toStrictEqual({
      accessKeyId: '',
      accessKeySecret: '',
      securityToken: '',
      bearerToken: TOKEN,
      type: 'bearer',
    })
  })
})
