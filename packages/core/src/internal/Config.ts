/**
 * Typed configuration, whole: the codecs, decoding with problems described by field (`decodeWith`, `describeProblem`,
 * which the INI and Aliyun CLI readers use with their own key names), and the providers a config builds (`build`).
 * `Config.ts` is its public part.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import type { Capabilities } from '../Capabilities.js'
import { InvalidConfiguration } from '../CredentialsError.js'
import * as Env from '../Env.js'
import * as EnvVars from '../EnvVars.js'
import { fail, type Provider } from '../Provider.js'
import { type CloudSsoUpdate, cloudSso } from '../providers/CloudSso.js'
import { credentialsUri } from '../providers/CredentialsUri.js'
import { ecsRamRole } from '../providers/EcsRamRole.js'
import { type ExternalUpdate, external } from '../providers/External.js'
import { type OAuthTokenUpdate, oauth } from '../providers/OAuth.js'
import { oidcRoleArn } from '../providers/OidcRoleArn.js'
import { ramRoleArn } from '../providers/RamRoleArn.js'
import { rsaKeyPair } from '../providers/RsaKeyPair.js'
import { bearer, staticAccessKey, staticSts } from '../providers/Static.js'
import { dropUnset, EpochSeconds, Flag, KeyPairSeconds, Millis, SessionSeconds, SiteType, Text } from './Codecs.js'

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

const Timeouts = t.partial({ connectTimeout: Millis, timeout: Millis })

/**
 * The role settings shared by `ram_role_arn` (and the CLI's `RamRoleArn`/`ChainableRamRoleArn`): everything but the
 * credentials that call AssumeRole.
 *
 * @since 0.1.0
 */
export const RoleSettings = t.exact(
  t.intersection([
    t.type({ roleArn: Text }),
    t.partial({
      roleSessionName: Text,
      policy: Text,
      externalId: Text,
      durationSeconds: SessionSeconds,
      stsEndpoint: Text,
      stsRegionId: Text,
      enableVpc: Flag,
    }),
    Timeouts,
  ]),
  'role settings',
)
/** @since 0.1.0 */
export type RoleSettings = t.TypeOf<typeof RoleSettings>

/** `access_key`: a long-lived AccessKey pair. @category config @since 0.1.0 */
export const AccessKeyConfig = t.exact(
  t.type({ type: t.literal('access_key'), accessKeyId: Text, accessKeySecret: Text }),
  'access_key config',
)
/** @category config @since 0.1.0 */
export type AccessKeyConfig = t.TypeOf<typeof AccessKeyConfig>

/** `sts`: a fixed STS triple. @category config @since 0.1.0 */
export const StsConfig = t.exact(
  t.type({ type: t.literal('sts'), accessKeyId: Text, accessKeySecret: Text, securityToken: Text }),
  'sts config',
)
/** @category config @since 0.1.0 */
export type StsConfig = t.TypeOf<typeof StsConfig>

/** `bearer`: a fixed bearer token. @category config @since 0.1.0 */
export const BearerConfig = t.exact(t.type({ type: t.literal('bearer'), bearerToken: Text }), 'bearer config')
/** @category config @since 0.1.0 */
export type BearerConfig = t.TypeOf<typeof BearerConfig>

/**
 * `ecs_ram_role`: the instance's RAM role from ECS metadata. `asyncCredentialUpdateEnabled` is accepted for
 * compatibility and has no effect: background prefetch is always on.
 *
 * @category config
 * @since 0.1.0
 */
export const EcsRamRoleConfig = t.exact(
  t.intersection([
    t.type({ type: t.literal('ecs_ram_role') }),
    t.partial({ roleName: Text, disableIMDSv1: Flag, asyncCredentialUpdateEnabled: Flag }),
    Timeouts,
  ]),
  'ecs_ram_role config',
)
/** @category config @since 0.1.0 */
export type EcsRamRoleConfig = t.TypeOf<typeof EcsRamRoleConfig>

/**
 * `ram_role_arn`: AssumeRole called with an AccessKey pair (or an STS triple when `securityToken` is set). Without
 * `accessKeyId` and `accessKeySecret` the pair comes from `ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET` (see
 * `accessKeySource`); the file readers decode with `RamRoleArnKeysConfig`, which requires them.
 *
 * @category config
 * @since 0.1.0
 */
export const RamRoleArnConfig = t.exact(
  t.intersection([
    t.type({ type: t.literal('ram_role_arn') }),
    t.partial({ accessKeyId: Text, accessKeySecret: Text, securityToken: Text }),
    RoleSettings.type,
  ]),
  'ram_role_arn config',
)

/**
 * `ram_role_arn` with its AccessKey required: what an INI or CLI profile must hold (a profile names its identity; a
 * key missing from it is a mistake to report, not a reason to use another identity's keys).
 *
 * @since 0.1.0
 */
export const RamRoleArnKeysConfig = t.exact(
  t.intersection([
    t.type({ type: t.literal('ram_role_arn'), accessKeyId: Text, accessKeySecret: Text }),
    t.partial({ securityToken: Text }),
    RoleSettings.type,
  ]),
  'ram_role_arn config',
)
/** @category config @since 0.1.0 */
export type RamRoleArnConfig = t.TypeOf<typeof RamRoleArnConfig>

/**
 * `oidc_role_arn` (RRSA): AssumeRoleWithOIDC. `roleArn`, `oidcProviderArn` and `oidcTokenFilePath` fall back to
 * `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, as in the
 * reference.
 *
 * @category config
 * @since 0.1.0
 */
export const OidcRoleArnConfig = t.exact(
  t.intersection([
    t.type({ type: t.literal('oidc_role_arn') }),
    t.partial({
      roleArn: Text,
      oidcProviderArn: Text,
      oidcTokenFilePath: Text,
      roleSessionName: Text,
      policy: Text,
      durationSeconds: SessionSeconds,
      stsEndpoint: Text,
      stsRegionId: Text,
      enableVpc: Flag,
    }),
    Timeouts,
  ]),
  'oidc_role_arn config',
)
/** @category config @since 0.1.0 */
export type OidcRoleArnConfig = t.TypeOf<typeof OidcRoleArnConfig>

/** `rsa_key_pair`: GenerateSessionAccessKey signed with a key pair's private key file. @category config @since 0.1.0 */
export const RsaKeyPairConfig = t.exact(
  t.intersection([
    t.type({ type: t.literal('rsa_key_pair'), publicKeyId: Text, privateKeyFile: Text }),
    t.partial({ durationSeconds: KeyPairSeconds, stsEndpoint: Text }),
    Timeouts,
  ]),
  'rsa_key_pair config',
)
/** @category config @since 0.1.0 */
export type RsaKeyPairConfig = t.TypeOf<typeof RsaKeyPairConfig>

/**
 * `credentials_uri`: GET a URL that answers with an STS credential. `credentialsURI` falls back to
 * `ALIBABA_CLOUD_CREDENTIALS_URI`.
 *
 * @category config
 * @since 0.1.0
 */
export const CredentialsUriConfig = t.exact(
  t.intersection([t.type({ type: t.literal('credentials_uri') }), t.partial({ credentialsURI: Text }), Timeouts]),
  'credentials_uri config',
)
/** @category config @since 0.1.0 */
export type CredentialsUriConfig = t.TypeOf<typeof CredentialsUriConfig>

/**
 * An STS credential an earlier exchange saved (the CLI's `access_key_id`, `access_key_secret`, `sts_token`,
 * `sts_expiration`): `cloud_sso` and `oauth` reuse it, without a request, while it has not expired.
 *
 * @since 0.1.0
 */
export const StoredStsFields = t.partial({
  accessKeyId: Text,
  accessKeySecret: Text,
  securityToken: Text,
  stsExpiration: EpochSeconds,
})

/** `cloud_sso`: the Aliyun CLI's CloudSSO login. @category config @since 0.1.0 */
export const CloudSsoConfig = t.exact(
  t.intersection([
    t.type({
      type: t.literal('cloud_sso'),
      signInUrl: Text,
      accountId: Text,
      accessConfig: Text,
      accessToken: Text,
      accessTokenExpire: EpochSeconds,
    }),
    StoredStsFields,
    Timeouts,
  ]),
  'cloud_sso config',
)
/** @category config @since 0.1.0 */
export type CloudSsoConfig = t.TypeOf<typeof CloudSsoConfig>

/** `oauth`: the Aliyun CLI's OAuth login (`signInUrl`/`clientId` override the site's). @category config @since 0.1.0 */
export const OAuthConfig = t.exact(
  t.intersection([
    t.type({ type: t.literal('oauth'), siteType: SiteType }),
    t.partial({
      signInUrl: Text,
      clientId: Text,
      refreshToken: Text,
      accessToken: Text,
      accessTokenExpire: EpochSeconds,
    }),
    StoredStsFields,
    Timeouts,
  ]),
  'oauth config',
)
/** @category config @since 0.1.0 */
export type OAuthConfig = t.TypeOf<typeof OAuthConfig>

/**
 * `external`: run a command that prints credentials as JSON; `timeout` is the process timeout in ms.
 *
 * @category config
 * @since 0.1.0
 */
export const ExternalConfig = t.exact(
  t.intersection([t.type({ type: t.literal('external'), processCommand: Text }), t.partial({ timeout: Millis })]),
  'external config',
)
/** @category config @since 0.1.0 */
export type ExternalConfig = t.TypeOf<typeof ExternalConfig>

/**
 * Every codec by its `type`.
 *
 * @since 0.1.0
 */
export const codecs = {
  access_key: AccessKeyConfig,
  sts: StsConfig,
  bearer: BearerConfig,
  ecs_ram_role: EcsRamRoleConfig,
  ram_role_arn: RamRoleArnConfig,
  oidc_role_arn: OidcRoleArnConfig,
  rsa_key_pair: RsaKeyPairConfig,
  credentials_uri: CredentialsUriConfig,
  cloud_sso: CloudSsoConfig,
  oauth: OAuthConfig,
  external: ExternalConfig,
} as const satisfies Readonly<Record<ConfigType, t.Mixed>>

/** The `type` of a config. @category config @since 0.1.0 */
export type ConfigType =
  | 'access_key'
  | 'sts'
  | 'bearer'
  | 'ecs_ram_role'
  | 'ram_role_arn'
  | 'oidc_role_arn'
  | 'rsa_key_pair'
  | 'credentials_uri'
  | 'cloud_sso'
  | 'oauth'
  | 'external'

/** Every `type` a config may have. @category config @since 0.1.0 */
export const configTypes: ReadonlyArray<ConfigType> = Object.keys(codecs) as Array<ConfigType>

/**
 * Any credential configuration (a union discriminated on `type`).
 *
 * @category config
 * @since 0.1.0
 */
export const Config = t.union(
  [
    AccessKeyConfig,
    StsConfig,
    BearerConfig,
    EcsRamRoleConfig,
    RamRoleArnConfig,
    OidcRoleArnConfig,
    RsaKeyPairConfig,
    CredentialsUriConfig,
    CloudSsoConfig,
    OAuthConfig,
    ExternalConfig,
  ],
  'Config',
)

/**
 * @example
 * import { Config } from '@alicred/core'
 * const c: Config.Config = { type: 'ram_role_arn', accessKeyId: 'id', accessKeySecret: 's', roleArn: 'acs:ram::1:role/r' }
 * assert.strictEqual(c.type, 'ram_role_arn')
 * @category config
 * @since 0.1.0
 */
export type Config = t.TypeOf<typeof Config>

// -------------------------------------------------------------------------------------
// environment fallbacks
// -------------------------------------------------------------------------------------

/**
 * A field a config type needs that may be left out when its environment variable is set, as in the reference (its
 * builders read `config.roleArn || process.env.ALIBABA_CLOUD_ROLE_ARN`). `readBy` says what reads the variable:
 * `decoding` (given `DecodeOptions.env`, its value becomes the field, which the type's codec requires) or `provider`
 * (the field stays out of the config and the type's provider reads the variable when it is built or runs).
 *
 * @category config
 * @since 0.1.0
 */
export interface EnvFallback {
  readonly field: string
  readonly envVar: string
  readonly readBy: 'decoding' | 'provider'
}

/**
 * The fields each type needs that may come from an environment variable instead. (The `oidc_role_arn` provider also
 * takes the token itself from `ALIBABA_CLOUD_OIDC_TOKEN` when no token file is set anywhere, for runtimes without a
 * file system; the reference does not, and neither does `unmet`.)
 *
 * @category config
 * @since 0.1.0
 */
export const envFallbacks: { readonly [K in ConfigType]?: ReadonlyArray<EnvFallback> } = {
  ram_role_arn: [{ field: 'roleArn', envVar: EnvVars.ROLE_ARN, readBy: 'decoding' }],
  oidc_role_arn: [
    { field: 'roleArn', envVar: EnvVars.ROLE_ARN, readBy: 'provider' },
    { field: 'oidcProviderArn', envVar: EnvVars.OIDC_PROVIDER_ARN, readBy: 'provider' },
    { field: 'oidcTokenFilePath', envVar: EnvVars.OIDC_TOKEN_FILE, readBy: 'provider' },
  ],
  credentials_uri: [{ field: 'credentialsURI', envVar: EnvVars.CREDENTIALS_URI, readBy: 'provider' }],
}

/**
 * The variables that, set to `true` (any case), switch a type off: its provider then answers `NotConfigured`.
 *
 * @category config
 * @since 0.1.0
 */
export const switchedOffBy: { readonly [K in ConfigType]?: string } = {
  ecs_ram_role: EnvVars.ECS_METADATA_DISABLED,
}

/**
 * What a config needs from its environment and does not get: its type is switched off, or a field it needs is
 * neither in the config nor in its variable.
 *
 * @category config
 * @since 0.1.0
 */
export type Unmet =
  | { readonly _tag: 'SwitchedOff'; readonly type: ConfigType; readonly envVar: string }
  | { readonly _tag: 'Missing'; readonly type: ConfigType; readonly field: string; readonly envVar: string }

/**
 * The first need of a config of `type` that neither the config nor the environment meets (`switchedOffBy`, then
 * `envFallbacks` in order), or `undefined`. What the reference's builders check when a provider is constructed:
 * the drop-in facade refuses such a config in its constructor, where core's providers, built lazily, answer
 * `NotConfigured` or `InvalidConfiguration` when they run. Unset is as in every reader: absent, `null`, blank.
 *
 * @example
 * import { Config, Env, EnvVars } from '@alicred/core'
 * const env = Env.fromRecord({ [EnvVars.ROLE_ARN]: 'acs:ram::1:role/r' })
 * assert.deepStrictEqual(Config.unmet('oidc_role_arn', env)({ type: 'oidc_role_arn', oidcTokenFilePath: '/t' }), {
 *   _tag: 'Missing', type: 'oidc_role_arn', field: 'oidcProviderArn', envVar: EnvVars.OIDC_PROVIDER_ARN,
 * })
 * @category config
 * @since 0.1.0
 */
export const unmet =
  (type: ConfigType, env: Env.Env) =>
  (config: Readonly<Record<string, unknown>>): Unmet | undefined => {
    const off = switchedOffBy[type]
    if (off !== undefined && Env.isTrue(off)(env)) return { _tag: 'SwitchedOff', type, envVar: off }
    const given = dropUnset(config)
    const missing = envFallbacks[type]?.find(
      (f) => given[f.field] === undefined && Env.nonEmpty(f.envVar)(env) === undefined,
    )
    return missing === undefined ? undefined : { _tag: 'Missing', type, field: missing.field, envVar: missing.envVar }
  }

// The fields of `record` (already without unset values) that decoding reads from the environment, filled in.
const withEnvFallbacks = (
  type: ConfigType,
  record: Readonly<Record<string, unknown>>,
  env: Env.Env,
): Record<string, unknown> => {
  const out = { ...record }
  for (const f of envFallbacks[type] ?? []) {
    const v = f.readBy === 'decoding' && out[f.field] === undefined ? Env.nonEmpty(f.envVar)(env) : undefined
    if (v !== undefined) out[f.field] = v
  }
  return out
}

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

/** One field that did not decode. Never holds the value. @since 0.1.0 */
export interface FieldProblem {
  /** Config field name, e.g. `roleArn`. */
  readonly field: string
  /** What was expected, e.g. `non-empty text`. */
  readonly expected: string
  readonly missing: boolean
}

/** Why a value is not a valid config. @since 0.1.0 */
export type ConfigProblem =
  | { readonly _tag: 'NotAnObject' }
  | { readonly _tag: 'MissingType' }
  /** `shown` is the offending type when it is short and word-like enough to be a typo, not a pasted secret. */
  | { readonly _tag: 'UnknownType'; readonly shown?: string }
  | { readonly _tag: 'InvalidFields'; readonly type: ConfigType; readonly fields: ReadonlyArray<FieldProblem> }

const SHOWABLE = /^[A-Za-z][\w.-]{0,23}$/

/**
 * A user-given identifier (a `type` or `mode` value) if it looks like one — short and word-like — so echoing it in a
 * message cannot leak a secret pasted in the wrong place.
 *
 * @since 0.1.0
 */
export const showable = (u: unknown): string | undefined =>
  typeof u === 'string' && SHOWABLE.test(u.trim()) ? u.trim() : undefined

/**
 * The fields io-ts errors are about, each once, with the expected type's name.
 *
 * @since 0.1.0
 */
export const fieldProblems = (errors: t.Errors): ReadonlyArray<FieldProblem> => {
  const seen = new Set<string>()
  const out: Array<FieldProblem> = []
  for (const e of errors) {
    const field = e.context.map((c) => c.key).find((k) => k !== '' && !/^\d+$/.test(k)) ?? '<root>'
    if (seen.has(field)) continue
    seen.add(field)
    out.push({
      field,
      expected: e.context[e.context.length - 1]?.type.name ?? 'unknown',
      missing: e.value === undefined,
    })
  }
  return out
}

const isConfigType = (s: string): s is ConfigType => Object.hasOwn(codecs, s)

/** How `decodeWith` reads a config. @since 0.1.0 */
export interface DecodeOptions {
  /**
   * Let a `ram_role_arn` config leave out its AccessKey (it then comes from the environment, see `accessKeySource`).
   * Default false: the file readers require the keys; `decodeConfig` and the drop-in facade allow it.
   */
  readonly environmentAccessKey?: boolean
  /**
   * The environment the config's provider will read. Given, a field the type needs that `envFallbacks` says
   * decoding reads (`ram_role_arn`'s `roleArn`) comes from its variable when the config leaves it out. Default none:
   * the file readers' profiles hold their own.
   */
  readonly env?: Env.Env
}

/**
 * Decodes a config restricted to `allowed` types, reporting problems by field name and never by value. Readers
 * use it with their own key names; `decodeConfig` wraps it in an `InvalidConfiguration`.
 *
 * @since 0.1.0
 */
export const decodeWith =
  (allowed: ReadonlyArray<ConfigType> = configTypes, options: DecodeOptions = {}) =>
  (u: unknown): E.Either<ConfigProblem, Config> => {
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return E.left({ _tag: 'NotAnObject' })
    const record = dropUnset(u as Record<string, unknown>)
    const type = record.type
    if (type === undefined) return E.left({ _tag: 'MissingType' })
    const name = typeof type === 'string' ? type.trim() : undefined
    if (name === undefined || !isConfigType(name) || !allowed.includes(name)) {
      const shown = showable(type)
      return E.left(shown === undefined ? { _tag: 'UnknownType' } : { _tag: 'UnknownType', shown })
    }
    const codec: t.Type<Config, unknown, unknown> = (
      name === 'ram_role_arn' && options.environmentAccessKey !== true ? RamRoleArnKeysConfig : codecs[name]
    ) as never
    const fields = options.env === undefined ? record : withEnvFallbacks(name, record, options.env)
    return pipe(
      codec.decode({ ...fields, type: name }),
      E.mapLeft((errors): ConfigProblem => ({ _tag: 'InvalidFields', type: name, fields: fieldProblems(errors) })),
    )
  }

/** How a reader names a config field (`roleArn` → `role_arn`). @since 0.1.0 */
export type KeyNames = (field: string) => string

/**
 * A sentence describing a problem, using the reader's key names. Lists the types that are supported when the type
 * is missing or unknown.
 *
 * @since 0.1.0
 */
export const describeProblem = (
  problem: ConfigProblem,
  keyName: KeyNames = (f) => f,
  allowed: ReadonlyArray<ConfigType> = configTypes,
  needer?: string,
): { readonly message: string; readonly key?: string } => {
  const supported = allowed.join(', ')
  switch (problem._tag) {
    case 'NotAnObject':
      return { message: 'is not an object with a `type` field' }
    case 'MissingType':
      return { message: `has no \`${keyName('type')}\`; set it to one of: ${supported}`, key: keyName('type') }
    case 'UnknownType':
      return {
        message: `has ${problem.shown === undefined ? 'an unsupported type' : `the unknown type '${problem.shown}'`}; set \`${keyName('type')}\` to one of: ${supported}`,
        key: keyName('type'),
      }
    case 'InvalidFields': {
      const parts = problem.fields.map((f) =>
        f.missing
          ? `\`${keyName(f.field)}\` is missing or empty (${needer ?? `type ${problem.type}`} needs it)`
          : `\`${keyName(f.field)}\` must be ${f.expected}`,
      )
      const first = problem.fields[0]
      return first === undefined ? { message: 'is invalid' } : { message: parts.join('; '), key: keyName(first.field) }
    }
  }
}

/**
 * Checks a value from outside (JSON, a facade's `Config`) against the codec of its `type`. Errors name the fields
 * and what they should be, never their values. With `env`, a needed field that decoding may read from the
 * environment comes from its variable when the value leaves it out (`DecodeOptions.env`).
 *
 * @example
 * import { Config } from '@alicred/core'
 * const r = Config.decodeConfig({ type: 'access_key', accessKeyId: 'id' })
 * assert.strictEqual(r._tag === 'Left' && r.left.message, 'the config `accessKeySecret` is missing or empty (type access_key needs it)')
 * @category config
 * @since 0.1.0
 */
export const decodeConfig = (u: unknown, env?: Env.Env): E.Either<InvalidConfiguration, Config> =>
  pipe(
    decodeWith(configTypes, { environmentAccessKey: true, ...(env === undefined ? {} : { env }) })(u),
    E.mapLeft((problem) => {
      const d = describeProblem(problem)
      const provider = problem._tag === 'InvalidFields' ? problem.type : 'config'
      return new InvalidConfiguration(provider, `the config ${d.message}`, d.key === undefined ? {} : { key: d.key })
    }),
  )

/** How `decodeFor` reads a config for a reader of its own. @category config @since 0.1.0 */
export interface ReaderOptions {
  /** The types the reader accepts. Default: every type. */
  readonly types?: ReadonlyArray<ConfigType>
  /** How the reader names a field in its messages (`durationSeconds` → `roleSessionExpiration`). Default: as is. */
  readonly keyName?: (field: string) => string
  /**
   * The environment the config's provider will read. Given, a needed field that decoding reads from a variable when
   * the config leaves it out (`envFallbacks`: `ram_role_arn`'s `roleArn`) comes from there, and the AccessKey a
   * `ram_role_arn` config that names none takes from the environment (see `fromConfig`) is checked now, so a reader
   * can refuse the config up front instead of when it is first used.
   */
  readonly env?: Env.Env
}

/** What is wrong with a config, in the reader's words: fields are named, values never. @category config @since 0.1.0 */
export interface ReaderProblem {
  /** E.g. `` `accessKeySecret` is missing or empty (type access_key needs it) ``. */
  readonly message: string
  /** The first field at fault, as the reader names it. */
  readonly key?: string
}

/**
 * Decodes a config as a reader outside this package sees it (a facade with its own field names, a file format of
 * your own): restricted to `types`, with messages that use the reader's key names. Like `decodeConfig`, a
 * `ram_role_arn` config may leave its AccessKey to the environment.
 *
 * @example
 * import { Config } from '@alicred/core'
 * const decode = Config.decodeFor({ types: ['access_key'], keyName: (f) => f.toUpperCase() })
 * assert.deepStrictEqual(decode({ type: 'access_key', accessKeyId: 'id' }), {
 *   _tag: 'Left',
 *   left: { message: '`ACCESSKEYSECRET` is missing or empty (type access_key needs it)', key: 'ACCESSKEYSECRET' },
 * })
 * @category config
 * @since 0.1.0
 */
export const decodeFor =
  (options: ReaderOptions = {}) =>
  (u: unknown): E.Either<ReaderProblem, Config> => {
    const types = options.types ?? configTypes
    const env = options.env === undefined ? {} : { env: options.env }
    const decoded = decodeWith(types, { environmentAccessKey: true, ...env })(u)
    if (E.isLeft(decoded)) return E.left(describeProblem(decoded.left, options.keyName, types))
    const c = decoded.right
    if (c.type !== 'ram_role_arn' || options.env === undefined) return decoded
    const source = accessKeySource(c, options.env)
    if (E.isRight(source)) return decoded
    const key = source.left.location.key
    return E.left({
      message: source.left.message,
      ...(key === undefined ? {} : { key: options.keyName === undefined ? key : options.keyName(key) }),
    })
  }

// -------------------------------------------------------------------------------------
// providers
// -------------------------------------------------------------------------------------

/** Hooks a config cannot carry: write-back callbacks and how to split commands. @category config @since 0.1.0 */
export interface FromConfigOptions {
  /** Split `external` commands with Windows rules. */
  readonly windows?: boolean
  /** Told about rotated OAuth tokens (the CLI reader persists them). */
  readonly onOAuthUpdate?: (update: OAuthTokenUpdate) => Promise<void>
  /** Told about fresh `external` credentials (the CLI reader persists them). */
  readonly onExternalUpdate?: (update: ExternalUpdate) => Promise<void>
  /** The profile the config was read from, named in `external` messages instead of the command. */
  readonly profile?: string
  /** Told about fresh `cloud_sso` credentials (the CLI reader persists them). */
  readonly onCloudSsoUpdate?: (update: CloudSsoUpdate) => Promise<void>
}

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> }

// exactOptionalPropertyTypes: an optional option must be absent, not `undefined`.
const defined = <T extends Record<string, unknown>>(o: T): Defined<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Defined<T>

const timeouts = (c: { readonly connectTimeout?: number; readonly timeout?: number }) =>
  defined({ connectTimeoutMs: c.connectTimeout, readTimeoutMs: c.timeout })

const storedOf = (c: t.TypeOf<typeof StoredStsFields>) => {
  const stored = defined({
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    securityToken: c.securityToken,
    expiration: c.stsExpiration,
  })
  return Object.keys(stored).length === 0 ? {} : { stored }
}

/**
 * The `ramRoleArn` options for role settings (shared by `ram_role_arn` and the CLI's role modes).
 *
 * @since 0.1.0
 */
export const roleOptions = (c: RoleSettings) => ({
  roleArn: c.roleArn,
  ...defined({
    roleSessionName: c.roleSessionName,
    durationSeconds: c.durationSeconds,
    policy: c.policy,
    externalId: c.externalId,
    endpoint: c.stsEndpoint,
    region: c.stsRegionId,
    vpc: c.enableVpc,
  }),
  ...timeouts(c),
})

const ENV_KEYS_HINT = `set both accessKeyId and accessKeySecret, or neither to use ${EnvVars.ACCESS_KEY_ID} and ${EnvVars.ACCESS_KEY_SECRET}`

/**
 * The credentials a `ram_role_arn` config calls AssumeRole with: its own AccessKey (with its `securityToken`, if
 * any), or — when it names none — `ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET` (with `ALIBABA_CLOUD_SECURITY_TOKEN` when
 * set), read once, here, as the official SDKs read them when the provider is built. Half a pair, or a token without
 * a pair, is refused instead of mixed with the environment's.
 *
 * @since 0.1.0
 */
export const accessKeySource = (c: RamRoleArnConfig, env: Env.Env): E.Either<InvalidConfiguration, Provider> => {
  const refuse = (message: string, key: string) => E.left(new InvalidConfiguration('ram_role_arn', message, { key }))
  if (c.accessKeyId !== undefined && c.accessKeySecret !== undefined) {
    return E.right(
      c.securityToken === undefined
        ? staticAccessKey({ accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret })
        : staticSts({ accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken }),
    )
  }
  if (c.accessKeyId !== undefined) return refuse(`accessKeySecret is missing; ${ENV_KEYS_HINT}`, 'accessKeySecret')
  if (c.accessKeySecret !== undefined) return refuse(`accessKeyId is missing; ${ENV_KEYS_HINT}`, 'accessKeyId')
  if (c.securityToken !== undefined) {
    return refuse('securityToken is set without accessKeyId and accessKeySecret; set all three', 'accessKeyId')
  }
  const id = Env.nonEmpty(EnvVars.ACCESS_KEY_ID)(env)
  const secret = Env.nonEmpty(EnvVars.ACCESS_KEY_SECRET)(env)
  if (id === undefined || secret === undefined) {
    return refuse(
      `ram_role_arn needs the AccessKey that calls AssumeRole: set accessKeyId and accessKeySecret, or ${EnvVars.ACCESS_KEY_ID} and ${EnvVars.ACCESS_KEY_SECRET} (${id === undefined ? EnvVars.ACCESS_KEY_ID : EnvVars.ACCESS_KEY_SECRET} is not set)`,
      'accessKeyId',
    )
  }
  const token = Env.nonEmpty(EnvVars.SECURITY_TOKEN)(env)
  return E.right(
    token === undefined
      ? staticAccessKey({ accessKeyId: id, accessKeySecret: secret })
      : staticSts({ accessKeyId: id, accessKeySecret: secret, securityToken: token }),
  )
}

/**
 * The provider of an already decoded config. Prefer `fromConfig`, which decodes first.
 *
 * @since 0.1.0
 */
export const build =
  (c: Config, options: FromConfigOptions = {}) =>
  (caps: Capabilities): Provider => {
    switch (c.type) {
      case 'access_key':
        return staticAccessKey(c)
      case 'sts':
        return staticSts(c)
      case 'bearer':
        return bearer(c)
      case 'ecs_ram_role':
        return ecsRamRole({ ...defined({ roleName: c.roleName, disableIMDSv1: c.disableIMDSv1 }), ...timeouts(c) })(
          caps,
        )
      case 'ram_role_arn':
        return pipe(
          accessKeySource(c, caps.env),
          E.match(fail, (source) => ramRoleArn({ source, ...roleOptions(c) })(caps)),
        )
      case 'oidc_role_arn':
        return oidcRoleArn({
          ...defined({
            roleArn: c.roleArn,
            oidcProviderArn: c.oidcProviderArn,
            oidcTokenFile: c.oidcTokenFilePath,
            roleSessionName: c.roleSessionName,
            durationSeconds: c.durationSeconds,
            policy: c.policy,
            endpoint: c.stsEndpoint,
            region: c.stsRegionId,
            vpc: c.enableVpc,
          }),
          ...timeouts(c),
        })(caps)
      case 'rsa_key_pair':
        return rsaKeyPair({
          publicKeyId: c.publicKeyId,
          privateKeyFile: c.privateKeyFile,
          ...defined({ durationSeconds: c.durationSeconds, endpoint: c.stsEndpoint }),
          ...timeouts(c),
        })(caps)
      case 'credentials_uri':
        return credentialsUri({ ...defined({ uri: c.credentialsURI }), ...timeouts(c) })(caps)
      case 'cloud_sso':
        return cloudSso({
          signInUrl: c.signInUrl,
          accountId: c.accountId,
          accessConfig: c.accessConfig,
          accessToken: c.accessToken,
          accessTokenExpire: c.accessTokenExpire,
          ...storedOf(c),
          ...defined({ onUpdate: options.onCloudSsoUpdate }),
          ...timeouts(c),
        })(caps)
      case 'oauth':
        return oauth({
          siteType: c.siteType,
          ...defined({
            signInUrl: c.signInUrl,
            clientId: c.clientId,
            refreshToken: c.refreshToken,
            accessToken: c.accessToken,
            accessTokenExpire: c.accessTokenExpire,
            onUpdate: options.onOAuthUpdate,
          }),
          ...storedOf(c),
          ...timeouts(c),
        })(caps)
      case 'external':
        return external({
          processCommand: c.processCommand,
          ...defined({
            timeoutMs: c.timeout,
            windows: options.windows,
            onUpdate: options.onExternalUpdate,
            profile: options.profile,
          }),
        })(caps)
    }
  }

/**
 * The provider a config describes. The config is decoded first, so a hand-written or JSON config with a missing or
 * malformed field gives a provider that fails with `InvalidConfiguration` naming the field (and never its value).
 * Fields left out fall back to their environment variables as in the reference (`envFallbacks`), read from
 * `caps.env`.
 *
 * @example
 * import { Config } from '@alicred/core'
 * import { fakeCapabilities } from '@alicred/testing'
 * const p = Config.fromConfig({ type: 'access_key', accessKeyId: 'id', accessKeySecret: 'secret' })(fakeCapabilities())
 * const r = await p()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'static_ak')
 * @category config
 * @since 0.1.0
 */
export const fromConfig =
  (config: Config, options: FromConfigOptions = {}) =>
  (caps: Capabilities): Provider =>
    pipe(
      decodeConfig(config, caps.env),
      E.match(fail, (c) => build(c, options)(caps)),
    )
