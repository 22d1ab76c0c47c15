// Differential tests: the same configurations through @alicloud/credentials 2.4.7 (the reference) and our Client
// give the same credential fields, `type` and `providerName` — except where the architecture documents a deliberate
// difference; each of those is asserted explicitly, with its reason in the test name.
//
// The reference reads the real process.env and os.homedir(): for its side the test sets variables on process.env
// (restoring them afterwards) and points HOME at a temporary directory. Our side gets the same values injected and
// never reads process.env. ALIBABA_CLOUD_ECS_METADATA_DISABLED=true is always set, and every case is one where an
// earlier link of the reference's chain wins, so its URI link (which requests https://undefined/ when unset) and
// its metadata link are never reached. The only HTTP server is on 127.0.0.1.
import * as fs from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import * as path from 'node:path'
import * as RefModule from '@alicloud/credentials'
import * as OpenApi from '@alicloud/openapi-client'
import StsModule from '@alicloud/sts20150401'
import { CredentialsError } from '@alicred/core'
import { Client, Config, type ConfigOptions, type LiveCapabilities, liveCapabilities } from '@alicred/node'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from './helpers/servers.js'

// The reference is CommonJS with `exports.default`: for TypeScript (NodeNext) the class is `default.default`; at run
// time, depending on the loader's interop, it is one or two `default`s deep.
type RefCredentialClass = typeof RefModule.default.default
const interop = RefModule as unknown as { default: RefCredentialClass & { default?: RefCredentialClass } }
const RefCredential: RefCredentialClass = interop.default.default ?? interop.default
const RefConfig = (RefModule as unknown as { Config: new (c: object) => object }).Config

const SECRET = 'sk-SECRET-differential'
const TOKEN = 'st-TOKEN-differential'
const BASE_ENV = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }

const isManaged = (k: string): boolean =>
  k.startsWith('ALIBABA_CLOUD_') || /^(https?|all|no)_proxy$/i.test(k) || k === 'HOME' || k === 'USERPROFILE'

let home: string
let saved: Record<string, string | undefined>
const cleanups: Array<() => Promise<void> | void> = []

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(tmpdir(), 'alicred-diff-'))
  saved = Object.fromEntries(
    Object.keys(process.env)
      .filter(isManaged)
      .map((k) => [k, process.env[k]]),
  )
})

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  for (const k of Object.keys(process.env).filter(isManaged)) delete process.env[k]
  for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v
  await fs.rm(home, { recursive: true, force: true })
})

/** Sets the reference's world: only `env` (plus BASE_ENV) among the managed variables, and HOME = the temp dir. */
const enterReferenceWorld = (env: Record<string, string>): void => {
  for (const k of Object.keys(process.env).filter(isManaged)) delete process.env[k]
  Object.assign(process.env, BASE_ENV, env, { HOME: home, USERPROFILE: home })
  expect(homedir()).toBe(home)
}

const ours = (env: Record<string, string>): LiveCapabilities => {
  const caps = liveCapabilities({ env: { ...BASE_ENV, ...env }, home })
  cleanups.push(caps.close)
  return caps
}

const writeHome = async (file: string, contents: string): Promise<void> => {
  const p = path.join(home, file)
  await fs.mkdir(path.dirname(p), { recursive: true })
  await fs.writeFile(p, contents)
}

interface Observed {
  readonly type: string
  readonly bearer: string | undefined
  readonly model: Record<string, unknown>
  readonly getters: ReadonlyArray<unknown>
}

/** What a client shows: getType(), getBearerToken(), the model's own fields, and the deprecated getters. */
const observe = async (c: {
  getType(): string
  getBearerToken(): string
  getCredential(): Promise<object>
  getAccessKeyId(): Promise<string>
  getAccessKeySecret(): Promise<string>
  getSecurityToken(): Promise<string>
}): Promise<Observed> => {
  const model = { ...(await c.getCredential()) } as Record<string, unknown>
  // The reference's tea Model keeps only defined fields, and so does ours; compare the defined ones.
  for (const k of Object.keys(model)) if (model[k] === undefined) delete model[k]
  return {
    type: c.getType(),
    bearer: c.getBearerToken(),
    model,
    getters: [await c.getAccessKeyId(), await c.getAccessKeySecret(), await c.getSecurityToken()],
  }
}

/** Runs a config (or `null` for the default chain) through both, in the same environment and home. */
const both = async (config: ConfigOptions | null, env: Record<string, string> = {}) => {
  enterReferenceWorld(env)
  const reference = await observe(new RefCredential(config === null ? null : (new RefConfig(config) as never)))
  const caps = ours(env)
  const alicred = await observe(new Client(config === null ? null : new Config(config), null, { capabilities: caps }))
  return { reference, alicred }
}

const utcInAnHour = (): string => new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')

const uriServer = async (): Promise<TestServer> => {
  const s = await startServer((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(
      JSON.stringify({
        Code: 'Success',
        AccessKeyId: 'uri-id',
        AccessKeySecret: SECRET,
        SecurityToken: TOKEN,
        Expiration: utcInAnHour(),
      }),
    )
  })
  cleanups.push(s.close)
  return s
}

const ini = (profiles: Record<string, Record<string, string>>): string =>
  Object.entries(profiles)
    .map(
      ([name, kv]) =>
        `[${name}]\n${Object.entries(kv)
          .map(([k, v]) => `${k} = ${v}`)
          .join('\n')}\n`,
    )
    .join('\n')

describe('same results as @alicloud/credentials 2.4.7', () => {
  it('access_key', async () => {
    const { reference, alicred } = await both({ type: 'access_key', accessKeyId: 'akid', accessKeySecret: SECRET })
    expect(alicred).toEqual(reference)
    expect(reference.model).toEqual({
      accessKeyId: 'akid',
      accessKeySecret: SECRET,
      type: 'access_key',
      providerName: 'static_ak',
    })
  })

  it('sts', async () => {
    const { reference, alicred } = await both({
      type: 'sts',
      accessKeyId: 'akid',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
    })
    expect(alicred).toEqual(reference)
    expect(reference.model).toMatchObject({ type: 'sts', providerName: 'static_sts', securityToken: TOKEN })
  })

  it('bearer (no providerName, empty key fields, sync getBearerToken)', async () => {
    const { reference, alicred } = await both({ type: 'bearer', bearerToken: TOKEN })
    expect(alicred).toEqual(reference)
    expect(reference.model).toEqual({
      accessKeyId: '',
      accessKeySecret: '',
      securityToken: '',
      bearerToken: TOKEN,
      type: 'bearer',
    })
    expect(reference.bearer).toBe(TOKEN)
  })

  it('credentials_uri over a local server (providerName credential_uri)', async () => {
    const s = await uriServer()
    const { reference, alicred } = await both({ type: 'credentials_uri', credentialsURI: `${s.origin}/creds` })
    expect(alicred).toEqual(reference)
    expect(reference.model).toMatchObject({
      type: 'credentials_uri',
      providerName: 'credential_uri',
      accessKeyId: 'uri-id',
    })
  })

  it('a reference-style provider object', async () => {
    const provider = {
      getCredentials: async () => ({
        accessKeyId: 'p-id',
        accessKeySecret: SECRET,
        securityToken: TOKEN,
        providerName: 'inner',
      }),
      getProviderName: () => 'outer',
    }
    enterReferenceWorld({})
    const reference = await observe(new RefCredential(null, provider as never))
    const alicred = await observe(new Client(null, provider))
    expect(alicred).toEqual(reference)
    expect(reference.model).toMatchObject({ type: 'outer', providerName: 'inner' })
  })

  it('the constructor error for a missing type', () => {
    enterReferenceWorld({})
    const messages = [() => new RefCredential(new RefConfig({}) as never), () => new Client(new Config({}))].map(
      (f) => {
        try {
          f()
          return 'no error'
        } catch (e) {
          return (e as Error).message
        }
      },
    )
    expect(messages[1]).toBe(messages[0])
  })

  it('the constructor errors of ecs_ram_role with metadata switched off and of oidc_role_arn without settings (ours add what to do)', () => {
    enterReferenceWorld({})
    const attempt = (f: () => unknown): string => {
      try {
        f()
        return 'no error'
      } catch (e) {
        return (e as Error).message
      }
    }
    for (const config of [
      { type: 'ecs_ram_role' },
      { type: 'oidc_role_arn' },
      { type: 'oidc_role_arn', roleArn: 'r' },
    ]) {
      const reference = attempt(() => new RefCredential(new RefConfig(config) as never))
      const alicred = attempt(() => new Client(new Config(config), null, { capabilities: ours({}) }))
      expect([config.type, alicred.startsWith(reference), reference]).toEqual([config.type, true, expect.any(String)])
      expect(reference).not.toBe('no error')
    }
  })

  describe('the default chain', () => {
    it('env: AccessKey pair', async () => {
      const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET }
      const { reference, alicred } = await both(null, env)
      expect(alicred).toEqual(reference)
      expect(reference.model).toMatchObject({ type: 'default', providerName: 'default/env' })
    })

    it('env: STS token', async () => {
      const env = {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
        ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN,
      }
      const { reference, alicred } = await both(null, env)
      expect(alicred).toEqual(reference)
      expect(reference.model).toMatchObject({ securityToken: TOKEN, providerName: 'default/env' })
    })

    it('Aliyun CLI profile, AK mode, the current profile', async () => {
      await writeHome(
        '.aliyun/config.json',
        JSON.stringify({
          current: 'main',
          profiles: [
            { name: 'other', mode: 'AK', access_key_id: 'other-id', access_key_secret: SECRET },
            { name: 'main', mode: 'AK', access_key_id: 'cli-id', access_key_secret: SECRET },
          ],
        }),
      )
      const { reference, alicred } = await both(null)
      expect(alicred).toEqual(reference)
      expect(reference.model).toMatchObject({ accessKeyId: 'cli-id', providerName: 'default/cli_profile' })
    })

    it('Aliyun CLI profile, StsToken mode, chosen by ALIBABA_CLOUD_PROFILE', async () => {
      await writeHome(
        '.aliyun/config.json',
        JSON.stringify({
          current: 'main',
          profiles: [
            { name: 'main', mode: 'AK', access_key_id: 'cli-id', access_key_secret: SECRET },
            { name: 'temp', mode: 'StsToken', access_key_id: 'sts-id', access_key_secret: SECRET, sts_token: TOKEN },
          ],
        }),
      )
      const { reference, alicred } = await both(null, { ALIBABA_CLOUD_PROFILE: 'temp' })
      expect(alicred).toEqual(reference)
      expect(reference.model).toMatchObject({ accessKeyId: 'sts-id', providerName: 'default/cli_profile' })
    })

    it('INI profile [default] in ~/.alibabacloud/credentials', async () => {
      await writeHome(
        '.alibabacloud/credentials',
        ini({ default: { type: 'access_key', access_key_id: 'ini-id', access_key_secret: SECRET } }),
      )
      const { reference, alicred } = await both(null)
      expect(alicred).toEqual(reference)
      expect(reference.model).toMatchObject({ accessKeyId: 'ini-id', providerName: 'default/profile' })
    })

    it('INI profile chosen by ALIBABA_CLOUD_PROFILE in the file named by ALIBABA_CLOUD_CREDENTIALS_FILE', async () => {
      const file = path.join(home, 'elsewhere.ini')
      await fs.writeFile(
        file,
        ini({
          default: { type: 'access_key', access_key_id: 'd-id', access_key_secret: SECRET },
          dev: { type: 'access_key', access_key_id: 'dev-id', access_key_secret: SECRET },
        }),
      )
      const { reference, alicred } = await both(null, {
        ALIBABA_CLOUD_CREDENTIALS_FILE: file,
        ALIBABA_CLOUD_PROFILE: 'dev',
      })
      expect(alicred).toEqual(reference)
      expect(reference.model).toMatchObject({ accessKeyId: 'dev-id', providerName: 'default/profile' })
    })

    it('env wins over the CLI and INI profiles', async () => {
      await writeHome(
        '.alibabacloud/credentials',
        ini({ default: { type: 'access_key', access_key_id: 'ini-id', access_key_secret: SECRET } }),
      )
      await writeHome(
        '.aliyun/config.json',
        JSON.stringify({
          current: 'main',
          profiles: [{ name: 'main', mode: 'AK', access_key_id: 'cli-id', access_key_secret: SECRET }],
        }),
      )
      const { reference, alicred } = await both(null, {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
      })
      expect(alicred).toEqual(reference)
      expect(reference.model.providerName).toBe('default/env')
    })

    it('the CLI profile wins over the INI profile; the CLI link can be disabled', async () => {
      await writeHome(
        '.alibabacloud/credentials',
        ini({ default: { type: 'access_key', access_key_id: 'ini-id', access_key_secret: SECRET } }),
      )
      await writeHome(
        '.aliyun/config.json',
        JSON.stringify({
          current: 'main',
          profiles: [{ name: 'main', mode: 'AK', access_key_id: 'cli-id', access_key_secret: SECRET }],
        }),
      )
      const first = await both(null)
      expect(first.alicred).toEqual(first.reference)
      expect(first.reference.model.providerName).toBe('default/cli_profile')
      const disabled = await both(null, { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'TRUE' })
      expect(disabled.alicred).toEqual(disabled.reference)
      expect(disabled.reference.model.providerName).toBe('default/profile')
    })

    it('credentials URI from ALIBABA_CLOUD_CREDENTIALS_URI (a local server)', async () => {
      const s = await uriServer()
      const { reference, alicred } = await both(null, { ALIBABA_CLOUD_CREDENTIALS_URI: `${s.origin}/creds` })
      expect(alicred).toEqual(reference)
      expect(reference.model).toMatchObject({ accessKeyId: 'uri-id', providerName: 'default/credential_uri' })
    })
  })
})

describe('as the credential of a generated Tea SDK (sts20150401 over @alicloud/openapi-client)', () => {
  type StsClass = typeof StsModule.default
  const Sts: StsClass = (StsModule as unknown as { default?: StsClass }).default ?? (StsModule as unknown as StsClass)

  const callerIdentity = async (credential: unknown): Promise<Record<string, string | undefined>> => {
    const s = await startServer((_req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(
        JSON.stringify({
          RequestId: 'r',
          AccountId: '1',
          Arn: 'acs:ram::1:user/u',
          UserId: 'u',
          IdentityType: 'RAMUser',
          PrincipalId: 'u',
        }),
      )
    })
    cleanups.push(s.close)
    // `credential` is typed as the reference class by openapi-client, but its Config constructor takes a plain map:
    // this compiles with our Client as it is, no cast (see the type check below).
    const sdk = new Sts(new OpenApi.Config({ credential, endpoint: `127.0.0.1:${s.port}`, protocol: 'HTTP' }))
    const r = await sdk.getCallerIdentity()
    expect(r.body?.arn).toBe('acs:ram::1:user/u')
    const h = s.requests[0]?.headers ?? {}
    const auth = String(h.authorization ?? '')
    return {
      provider: h['x-acs-credentials-provider'] as string | undefined,
      accessKeyId: h['x-acs-accesskey-id'] as string | undefined,
      securityToken: h['x-acs-security-token'] as string | undefined,
      bearerToken: h['x-acs-bearer-token'] as string | undefined,
      // the signature itself differs (date and nonce); who signed, and over which headers, must not
      scheme: auth.replace(/,Signature=[0-9a-f]+$/, ''),
    }
  }

  // With a token the SDK also sends (and signs) the key id and the token as headers.
  const signed = (provider: string, token?: string) => ({
    provider,
    accessKeyId: token === undefined ? undefined : 'akid',
    securityToken: token,
    bearerToken: undefined,
    scheme: `ACS3-HMAC-SHA256 Credential=akid,SignedHeaders=host;${token === undefined ? '' : 'x-acs-accesskey-id;'}x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;${token === undefined ? '' : 'x-acs-security-token;'}x-acs-signature-nonce;x-acs-version`,
  })
  const expected = {
    sts: signed('static_sts', TOKEN),
    access_key: signed('static_ak'),
    bearer: { provider: undefined, accessKeyId: undefined, securityToken: undefined, bearerToken: TOKEN, scheme: '' },
  }

  it('compiles without a cast where openapi-client expects its credential', () => {
    const config = new OpenApi.Config({ credential: new Client(new Config({ type: 'bearer', bearerToken: TOKEN })) })
    expect(config.credential).toBeInstanceOf(Client)
  })

  it.each([
    ['sts', { type: 'sts', accessKeyId: 'akid', accessKeySecret: SECRET, securityToken: TOKEN }],
    ['access_key', { type: 'access_key', accessKeyId: 'akid', accessKeySecret: SECRET }],
    ['bearer', { type: 'bearer', bearerToken: TOKEN }],
  ])('the SDK sends the same credential headers with either library (%s)', async (_name, config) => {
    enterReferenceWorld({})
    const reference = await callerIdentity(new RefCredential(new RefConfig(config) as never))
    const alicred = await callerIdentity(new Client(new Config(config)))
    expect(alicred).toEqual(reference)
    expect(reference).toEqual(expected[_name as keyof typeof expected])
  })
})

describe('deliberate differences from @alicloud/credentials 2.4.7', () => {
  it('an explicit access_key config without keys throws instead of silently using ALIBABA_CLOUD_ACCESS_KEY_* (no hidden identity switch)', async () => {
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET }
    enterReferenceWorld(env)
    const reference = await observe(new RefCredential(new RefConfig({ type: 'access_key' }) as never))
    expect(reference.model).toMatchObject({ accessKeyId: 'env-id', providerName: 'static_ak' })
    expect(() => new Client(new Config({ type: 'access_key' }), null, { capabilities: ours(env) })).toThrow(
      CredentialsError.InvalidConfiguration,
    )
  })

  it('the invalid-type message also lists oidc_role_arn and bearer, which the reference supports but leaves out (its text stays a prefix)', () => {
    enterReferenceWorld({})
    const messages = [
      () => new RefCredential(new RefConfig({ type: 'x' }) as never),
      () => new Client(new Config({ type: 'x' })),
    ].map((f) => {
      try {
        f()
        return ''
      } catch (e) {
        return (e as Error).message
      }
    })
    expect(messages[1]).toBe(`${messages[0]}, oidc_role_arn, bearer`)
  })

  it('secrets never print: JSON.stringify of the model shows <redacted> where the reference shows the secret', async () => {
    const config = { type: 'sts', accessKeyId: 'akid', accessKeySecret: SECRET, securityToken: TOKEN }
    enterReferenceWorld({})
    const refJson = JSON.stringify(await new RefCredential(new RefConfig(config) as never).getCredential())
    const ourModel = await new Client(new Config(config)).getCredential()
    expect([refJson.includes(SECRET), JSON.stringify(ourModel).includes(SECRET), ourModel.accessKeySecret]).toEqual([
      true,
      false,
      SECRET,
    ])
  })

  it('credentials_uri without a URI fails in the constructor (the reference accepts it and would later request https://undefined/)', () => {
    enterReferenceWorld({})
    // Construct only: calling getCredential on the reference would send a request off this machine.
    expect(() => new RefCredential(new RefConfig({ type: 'credentials_uri' }) as never)).not.toThrow()
    expect(() => new Client(new Config({ type: 'credentials_uri' }), null, { capabilities: ours({}) })).toThrow(
      CredentialsError.InvalidConfiguration,
    )
  })

  it('`enable = false` in an INI profile is honoured (the reference ignores it and uses the profile)', async () => {
    await writeHome(
      '.alibabacloud/credentials',
      ini({ default: { enable: 'false', type: 'access_key', access_key_id: 'ini-id', access_key_secret: SECRET } }),
    )
    enterReferenceWorld({})
    const reference = await observe(new RefCredential(null))
    expect(reference.model.providerName).toBe('default/profile')
    const e = await new Client(null, null, { capabilities: ours({}) }).getCredential().catch((u: unknown) => u)
    expect(e).toBeInstanceOf(CredentialsError.ChainExhausted)
  })

  it('half-set env credentials stop the chain instead of silently falling through to a profile of another identity', async () => {
    await writeHome(
      '.alibabacloud/credentials',
      ini({ default: { type: 'access_key', access_key_id: 'ini-id', access_key_secret: SECRET } }),
    )
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id' }
    enterReferenceWorld(env)
    const reference = await observe(new RefCredential(null))
    expect(reference.model).toMatchObject({ accessKeyId: 'ini-id', providerName: 'default/profile' })
    const e = await new Client(null, null, { capabilities: ours(env) }).getCredential().catch((u: unknown) => u)
    expect(e).toBeInstanceOf(CredentialsError.InvalidConfiguration)
    expect((e as Error).message).toContain('ALIBABA_CLOUD_ACCESS_KEY_SECRET')
  })
})
