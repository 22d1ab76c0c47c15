/**
 * The Aliyun CLI's `~/.aliyun/config.json`: its document shape, how each profile `mode` maps onto the typed
 * `Config` (reading every key the CLI documents, `policy` and `external_id` included), and how
 * `ChainableRamRoleArn` profiles resolve through `source_profile` — with cycles detected and named.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { redactName } from '../Redacted.js'
import { dropUnset, Text } from './Codecs.js'
import {
  type Config,
  type ConfigType,
  decodeWith,
  describeProblem,
  fieldProblems,
  RoleSettings,
  type RoleSettings as RoleSettingsT,
  showable,
} from './Config.js'
import * as Decode from './Decode.js'

/**
 * The parts of config.json this library reads; everything else is kept as is on write-back. `current` is trimmed,
 * and `''` when the file names an empty one (which the CLI refuses; see `cliProfile`).
 *
 * @since 0.1.0
 */
export interface CliDocument {
  readonly current?: string
  readonly profiles: ReadonlyArray<Readonly<Record<string, unknown>>>
}

/** Why a document or profile cannot be used. Never holds a value from the file. @since 0.1.0 */
export interface CliError {
  readonly message: string
  readonly profile?: string
  readonly key?: string
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * Parses and checks the top level: a JSON object whose `profiles` is a list of objects and whose `current`, if
 * present, is text. The message never repeats the file's text (the reference's did, secrets included).
 *
 * @since 0.1.0
 */
export const parseDocument = (text: string): E.Either<CliError, CliDocument> =>
  pipe(
    Decode.parseJson(text),
    E.mapLeft((reason) => ({ message: `is ${reason === 'the body is empty' ? 'empty' : reason}` })),
    E.chain((u) => {
      if (!isRecord(u)) return E.left({ message: 'is not a JSON object with a `profiles` list' })
      const { current, profiles } = u
      if (current !== undefined && current !== null && typeof current !== 'string') {
        return E.left({ message: '`current` must be a profile name (text)', key: 'current' })
      }
      if (profiles === undefined || profiles === null) return E.right({ profiles: [], ...currentOf(current) })
      if (!Array.isArray(profiles)) return E.left({ message: '`profiles` must be a list', key: 'profiles' })
      const bad = profiles.findIndex((p) => !isRecord(p))
      if (bad !== -1) return E.left({ message: `\`profiles[${bad}]\` is not an object`, key: 'profiles' })
      return E.right({ profiles: profiles as CliDocument['profiles'], ...currentOf(current) })
    }),
  )

const currentOf = (current: unknown): { current?: string } =>
  typeof current === 'string' ? { current: current.trim() } : {}

/**
 * The first profile whose `name` is `name`.
 *
 * @since 0.1.0
 */
export const findProfile =
  (name: string) =>
  (doc: CliDocument): Readonly<Record<string, unknown>> | undefined =>
    doc.profiles.find((p) => p.name === name)

/** Profile names, for messages (names are not secret). @since 0.1.0 */
export const profileNames = (doc: CliDocument): ReadonlyArray<string> =>
  doc.profiles.flatMap((p) => (typeof p.name === 'string' ? [redactName(p.name)] : []))

// -------------------------------------------------------------------------------------
// modes
// -------------------------------------------------------------------------------------

/** Every profile mode the CLI writes. @since 0.1.0 */
export const modes = [
  'AK',
  'StsToken',
  'RamRoleArn',
  'EcsRamRole',
  'OIDC',
  'ChainableRamRoleArn',
  'CloudSSO',
  'OAuth',
  'External',
] as const

/** @since 0.1.0 */
export type Mode = (typeof modes)[number]

const isMode = (s: unknown): s is Mode => typeof s === 'string' && (modes as ReadonlyArray<string>).includes(s)

/**
 * The mode the Aliyun CLI gives a profile that has none (its `AutoModeRecognition`, checked in this order):
 * `access_key_id` and `access_key_secret` → AK, or StsToken with `sts_token`, or RamRoleArn with `ram_role_arn`;
 * `private_key` and `key_pair_name` → RsaKeyPair; `ram_role_name` → EcsRamRole; `process_command` → External;
 * `oidc_provider_arn`, `oidc_token_file` and `ram_role_arn` → OIDC; `cloud_sso_sign_in_url` → CloudSSO;
 * `bearer_token` → BearerToken. `undefined` when no rule applies. (RsaKeyPair and BearerToken are CLI modes this
 * library does not read.)
 *
 * @since 0.1.0
 */
export const inferMode = (
  profile: Readonly<Record<string, unknown>>,
): Mode | 'RsaKeyPair' | 'BearerToken' | undefined => {
  const has = (k: string): boolean => Object.hasOwn(set, k)
  const set = dropUnset(profile)
  if (has('access_key_id') && has('access_key_secret')) {
    return has('sts_token') ? 'StsToken' : has('ram_role_arn') ? 'RamRoleArn' : 'AK'
  }
  if (has('private_key') && has('key_pair_name')) return 'RsaKeyPair'
  if (has('ram_role_name')) return 'EcsRamRole'
  if (has('process_command')) return 'External'
  if (has('oidc_provider_arn') && has('oidc_token_file') && has('ram_role_arn')) return 'OIDC'
  if (has('cloud_sso_sign_in_url')) return 'CloudSSO'
  if (has('bearer_token')) return 'BearerToken'
  return undefined
}

// config field → profile keys, the first one present wins
/** @inline */
type Fields = Readonly<Record<string, ReadonlyArray<string>>>

const AK: Fields = { accessKeyId: ['access_key_id'], accessKeySecret: ['access_key_secret'] }

// The STS credential the CLI (and the write-back) saves in CloudSSO and OAuth profiles.
const STORED: Fields = { ...AK, securityToken: ['sts_token'], stsExpiration: ['sts_expiration'] }

const ROLE: Fields = {
  roleArn: ['ram_role_arn'],
  roleSessionName: ['ram_session_name'],
  durationSeconds: ['expired_seconds'],
  stsRegionId: ['sts_region'],
  stsEndpoint: ['sts_endpoint'],
  enableVpc: ['enable_vpc'],
  policy: ['policy'],
  externalId: ['external_id'],
}

/**
 * How each mode (but `ChainableRamRoleArn`, which needs a source profile) becomes a config: its `type` and which
 * profile keys feed which config fields.
 *
 * @since 0.1.0
 */
export const mapping: Readonly<Record<Exclude<Mode, 'ChainableRamRoleArn'>, { type: ConfigType; fields: Fields }>> = {
  AK: { type: 'access_key', fields: AK },
  StsToken: { type: 'sts', fields: { ...AK, securityToken: ['sts_token'] } },
  RamRoleArn: { type: 'ram_role_arn', fields: { ...AK, ...ROLE } },
  EcsRamRole: { type: 'ecs_ram_role', fields: { roleName: ['ram_role_name'] } },
  OIDC: {
    type: 'oidc_role_arn',
    fields: {
      roleArn: ['ram_role_arn'],
      oidcProviderArn: ['oidc_provider_arn'],
      oidcTokenFilePath: ['oidc_token_file'],
      roleSessionName: ['ram_session_name'],
      // The reference lets `duration_seconds` (even unset) overwrite `expired_seconds`; take whichever is set.
      durationSeconds: ['duration_seconds', 'expired_seconds'],
      stsRegionId: ['sts_region'],
      stsEndpoint: ['sts_endpoint'],
      enableVpc: ['enable_vpc'],
      policy: ['policy'],
    },
  },
  CloudSSO: {
    type: 'cloud_sso',
    fields: {
      signInUrl: ['cloud_sso_sign_in_url'],
      accountId: ['cloud_sso_account_id'],
      accessConfig: ['cloud_sso_access_config'],
      accessToken: ['access_token'],
      accessTokenExpire: ['cloud_sso_access_token_expire'],
      ...STORED,
    },
  },
  OAuth: {
    type: 'oauth',
    fields: {
      siteType: ['oauth_site_type'],
      refreshToken: ['oauth_refresh_token'],
      accessToken: ['oauth_access_token'],
      accessTokenExpire: ['oauth_access_token_expire'],
      ...STORED,
    },
  },
  External: { type: 'external', fields: { processCommand: ['process_command'] } },
}

// Picks the fields of a profile, remembering which key fed each (for messages).
const pick = (profile: Readonly<Record<string, unknown>>, fields: Fields) => {
  const present = dropUnset(profile)
  const record: Record<string, unknown> = {}
  const used: Record<string, string> = {}
  for (const [field, keys] of Object.entries(fields)) {
    const key = keys.find((k) => Object.hasOwn(present, k)) ?? keys[0]
    if (key === undefined) continue
    used[field] = key
    if (Object.hasOwn(present, key)) record[field] = present[key]
  }
  return { record, keyName: (field: string) => used[field] ?? field }
}

/** A profile resolved to what to build: a config, or a role assumed with another profile's credentials. @since 0.1.0 */
export type Resolved =
  | { readonly _tag: 'Config'; readonly profile: string; readonly config: Config }
  | { readonly _tag: 'Chain'; readonly profile: string; readonly role: RoleSettingsT; readonly source: Resolved }

const described = (name: string, mode: string, d: { message: string; key?: string }): CliError => {
  const profile = redactName(name)
  return d.key === undefined
    ? { profile, message: `profile '${profile}' (mode ${mode}): ${d.message}` }
    : { profile, key: d.key, message: `profile '${profile}' (mode ${mode}): ${d.message}` }
}

const resolveFrom = (
  doc: CliDocument,
  profile: Readonly<Record<string, unknown>>,
  name: string,
  path: ReadonlyArray<string>,
): E.Either<CliError, Resolved> => {
  const given = profile.mode
  const unset = given === undefined || given === null || given === ''
  // A profile without `mode` gets the one the CLI would give it.
  const inferred = unset ? inferMode(profile) : undefined
  const mode = unset ? inferred : given
  if (!isMode(mode)) {
    const shown = showable(given)
    const what =
      inferred !== undefined
        ? `has no \`mode\`, and its keys make it a ${inferred} profile to the Aliyun CLI, which alicred does not read`
        : unset
          ? 'has no `mode` (and its keys fit none)'
          : shown === undefined
            ? 'has an unsupported `mode`'
            : `has the unknown mode '${shown}'`
    return E.left({
      profile: redactName(name),
      key: 'mode',
      message: `profile '${redactName(name)}' ${what}; use one of: ${modes.join(', ')}`,
    })
  }
  if (mode !== 'ChainableRamRoleArn') {
    const { type, fields } = mapping[mode]
    const { record, keyName } = pick(profile, fields)
    return pipe(
      decodeWith([type])({ ...record, type }),
      E.bimap(
        (p) => described(name, mode, describeProblem(p, keyName, [type], `mode ${mode}`)),
        (config): Resolved => ({ _tag: 'Config', profile: name, config }),
      ),
    )
  }
  const { record, keyName } = pick(profile, ROLE)
  const role = pipe(
    RoleSettings.decode(record),
    E.mapLeft((errors) =>
      described(
        name,
        mode,
        describeProblem(
          { _tag: 'InvalidFields', type: 'ram_role_arn', fields: fieldProblems(errors) },
          keyName,
          ['ram_role_arn'],
          `mode ${mode}`,
        ),
      ),
    ),
  )
  if (E.isLeft(role)) return role
  const source = Text.decode(profile.source_profile)
  if (E.isLeft(source)) {
    return E.left({
      profile: redactName(name),
      key: 'source_profile',
      message: `profile '${redactName(name)}' (mode ${mode}): \`source_profile\` is missing or empty; name the profile whose credentials assume the role`,
    })
  }
  const sourceName = source.right
  const chain = [...path, name]
  if (chain.includes(sourceName)) {
    const cycle = [...chain.slice(chain.indexOf(sourceName)), sourceName].map((n) => `'${redactName(n)}'`).join(' → ')
    return E.left({
      profile: redactName(name),
      key: 'source_profile',
      message: `profiles form a cycle through source_profile: ${cycle}; make one of them use its own credentials`,
    })
  }
  const next = findProfile(sourceName)(doc)
  if (next === undefined) {
    return E.left({
      profile: redactName(name),
      key: 'source_profile',
      message: `profile '${redactName(name)}' names source_profile '${redactName(sourceName)}', which is not in the file`,
    })
  }
  return pipe(
    resolveFrom(doc, next, sourceName, chain),
    E.map((src): Resolved => ({ _tag: 'Chain', profile: name, role: role.right, source: src })),
  )
}

/**
 * Resolves the profile `name` (which must exist) into what to build.
 *
 * @since 0.1.0
 */
export const resolve =
  (name: string) =>
  (doc: CliDocument): E.Either<CliError, Resolved> => {
    const profile = findProfile(name)(doc)
    return profile === undefined
      ? E.left({ profile: redactName(name), message: `there is no profile '${redactName(name)}'` })
      : resolveFrom(doc, profile, name, [])
  }

/**
 * The profile that receives written-back fields: starting at `name`, follow `source_profile` until a profile of
 * `mode` (the reference's lookup); `undefined` when there is none or the references loop.
 *
 * @since 0.1.0
 */
export const findWriteTarget = (
  profiles: ReadonlyArray<unknown>,
  name: string,
  mode: Mode,
): Record<string, unknown> | undefined => {
  const seen = new Set<string>()
  let current: string | undefined = name
  while (current !== undefined && !seen.has(current)) {
    seen.add(current)
    const wanted: string = current
    const p = profiles.find((x): x is Record<string, unknown> => isRecord(x) && x.name === wanted)
    if (p === undefined) return undefined
    if (p.mode === mode) return p
    current = typeof p.source_profile === 'string' && p.source_profile !== '' ? p.source_profile : undefined
  }
  return undefined
}
