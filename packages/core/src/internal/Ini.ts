/**
 * The INI credentials file (`~/.alibabacloud/credentials`): a strict parser and the mapping of a profile's
 * snake_case keys onto the typed `Config`.
 *
 * The `ini` package is lenient where a credentials file should not be: it turns `[a.b]` into nested objects (so
 * dotted profile names cannot be found), reads a line without `=` as `key = true`, lets a repeated key silently win
 * and ignores a broken section header. This parser keeps `ini`'s value syntax (quotes, inline `;`/`#` comments,
 * escapes — it calls `ini.unsafe` on every key and value) but refuses those cases with the line number, so a typo
 * cannot select the wrong credential. Errors never repeat a line's text.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { unsafe } from 'ini'
import { redactName } from '../Redacted.js'
import { Flag } from './Codecs.js'
import { type Config, type ConfigProblem, type ConfigType, decodeWith, describeProblem } from './Config.js'

/** @since 0.1.0 */
export interface IniEntry {
  readonly value: string
  /** 1-based line number. */
  readonly line: number
}

/** @since 0.1.0 */
export interface IniSection {
  readonly name: string
  readonly line: number
  readonly entries: ReadonlyMap<string, IniEntry>
}

/** Sections by exact name (dots are part of the name). @since 0.1.0 */
export type IniDocument = ReadonlyMap<string, IniSection>

/** Where and why parsing stopped. @since 0.1.0 */
export interface IniError {
  readonly line: number
  readonly reason: string
}

// Control characters (C0 but tab and line ends, DEL, C1) and U+FFFD (what a decoder makes of invalid UTF-8) mean
// binary data.
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting them is the point
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/
const SECTION = /^\[([^[\]]*)\]\s*(?:[;#].*)?$/
const KEY = /^[A-Za-z0-9_.-]+$/

/**
 * Parses INI text. Accepts `\n`, `\r\n` and `\r` line ends, a leading BOM, `;`/`#` comments and quoted values.
 * Refuses binary data, malformed or empty section headers, repeated sections, keys outside a section, lines
 * without `=`, keys with unexpected characters and repeated keys.
 *
 * @since 0.1.0
 */
export const parse = (text: string): E.Either<IniError, IniDocument> => {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  const doc = new Map<string, IniSection>()
  let current: { name: string; line: number; entries: Map<string, IniEntry> } | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1
    const raw = lines[i] ?? ''
    if (BINARY.test(raw)) {
      return E.left({ line, reason: 'contains binary data (control characters); is this really a credentials file?' })
    }
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) continue
    if (trimmed.startsWith('[')) {
      const m = SECTION.exec(trimmed)
      const name = m?.[1]?.trim()
      if (name === undefined) return E.left({ line, reason: 'malformed section header; write it as [profile-name]' })
      if (name === '') return E.left({ line, reason: 'empty section name; write it as [profile-name]' })
      const previous = doc.get(name)
      if (previous !== undefined) {
        return E.left({
          line,
          reason: `profile [${redactName(name)}] is defined twice (first at line ${previous.line})`,
        })
      }
      current = { name, line, entries: new Map() }
      doc.set(name, current)
      continue
    }
    const eq = trimmed.indexOf('=')
    if (eq === -1) return E.left({ line, reason: 'expected `key = value`' })
    const key = unsafe(trimmed.slice(0, eq))
    if (!KEY.test(key)) {
      return E.left({ line, reason: 'a key may only contain letters, digits, `_`, `-` and `.`' })
    }
    if (current === undefined) return E.left({ line, reason: `key ${key} is outside any [profile] section` })
    const first = current.entries.get(key)
    if (first !== undefined) {
      return E.left({
        line,
        reason: `key ${key} repeats in [${redactName(current.name)}] (first at line ${first.line})`,
      })
    }
    current.entries.set(key, { value: unsafe(trimmed.slice(eq + 1)), line })
  }
  return E.right(doc)
}

// -------------------------------------------------------------------------------------
// profiles
// -------------------------------------------------------------------------------------

/** The types an INI profile may have. @since 0.1.0 */
export const types: ReadonlyArray<ConfigType> = [
  'access_key',
  'sts',
  'ecs_ram_role',
  'ram_role_arn',
  'oidc_role_arn',
  'rsa_key_pair',
  'credentials_uri',
  'bearer',
]

/**
 * INI key → config field. Keys not listed are ignored (other tools share the file).
 *
 * @since 0.1.0
 */
export const keys: Readonly<Record<string, string>> = {
  type: 'type',
  access_key_id: 'accessKeyId',
  access_key_secret: 'accessKeySecret',
  security_token: 'securityToken',
  bearer_token: 'bearerToken',
  role_arn: 'roleArn',
  role_session_name: 'roleSessionName',
  policy: 'policy',
  external_id: 'externalId',
  duration_seconds: 'durationSeconds',
  sts_endpoint: 'stsEndpoint',
  sts_region_id: 'stsRegionId',
  enable_vpc: 'enableVpc',
  connect_timeout: 'connectTimeout',
  timeout: 'timeout',
  public_key_id: 'publicKeyId',
  private_key_file: 'privateKeyFile',
  role_name: 'roleName',
  disable_imdsv1: 'disableIMDSv1',
  credentials_uri: 'credentialsURI',
  oidc_provider_arn: 'oidcProviderArn',
  oidc_token_file_path: 'oidcTokenFilePath',
}

const fieldToKey: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(keys).map(([k, f]) => [f, k]))

/** The INI key of a config field. @since 0.1.0 */
export const keyOf = (field: string): string => fieldToKey[field] ?? field

/** A profile's meaning: its config, or "switched off with `enable = false`". @since 0.1.0 */
export type ProfileConfig = { readonly _tag: 'Enabled'; readonly config: Config } | { readonly _tag: 'Disabled' }

/** Why a profile is not a valid config, naming the INI key. @since 0.1.0 */
export interface ProfileError {
  readonly message: string
  readonly key?: string
}

/**
 * The config of a profile section: `enable` honoured (`false` switches the profile off; anything but true/false is
 * an error), keys mapped onto config fields and decoded with the shared codecs.
 *
 * @since 0.1.0
 */
export const profileConfig = (section: IniSection): E.Either<ProfileError, ProfileConfig> => {
  const enable = section.entries.get('enable')
  if (enable !== undefined && enable.value.trim() !== '') {
    const flag = Flag.decode(enable.value)
    if (E.isLeft(flag)) return E.left({ message: '`enable` must be true or false', key: 'enable' })
    if (!flag.right) return E.right({ _tag: 'Disabled' })
  }
  const record: Record<string, unknown> = {}
  for (const [key, entry] of section.entries) {
    const field = keys[key]
    if (field !== undefined) record[field] = entry.value
  }
  return pipe(
    decodeWith(types)(record),
    E.bimap(
      (problem: ConfigProblem) => describeProblem(problem, keyOf, types),
      (config): ProfileConfig => ({ _tag: 'Enabled', config }),
    ),
  )
}
