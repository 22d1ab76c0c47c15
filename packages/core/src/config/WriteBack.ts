/**
 * Writing rotated OAuth tokens and fresh `External` and CloudSSO credentials back into the Aliyun CLI's config.json,
 * the way the CLI and the reference do — but safely: read-modify-write under `Fs.lock`, written with
 * `Fs.writeFileAtomic`, and only the keys written back change: every other byte of the file is kept as found (big
 * numbers, `1e400`, duplicate keys, the layout), and so are its mode, owner and group. The target profile is found as
 * the reference finds it:
 * by name, following `source_profile` until a profile of the right mode. Failures are reported, never thrown,
 * and reports never contain the file's contents or a secret.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import * as Decode from '../Decode.js'
import * as Fs from '../Fs.js'
import type { CloudSsoUpdate } from '../providers/CloudSso.js'
import type { ExternalUpdate } from '../providers/External.js'
import type { OAuthTokenUpdate } from '../providers/OAuth.js'
import * as R from '../Reporter.js'
import { findWriteTarget } from './CliConfig.js'
import * as JsonText from './JsonText.js'

/** The profile modes whose refreshes are saved. @since 0.1.0 */
export type WriteBackMode = 'OAuth' | 'External' | 'CloudSSO'

/** A write-back that did not happen. @since 0.1.0 */
export interface WriteBackFailure {
  readonly file: string
  /** The profile the credentials came from. */
  readonly profile: string
  readonly mode: WriteBackMode
  /** What went wrong and what it means; no secret, no file contents. */
  readonly message: string
}

/** @since 0.1.0 */
export type WriteBackReporter = (failure: WriteBackFailure) => void

/**
 * The default: one line to the capabilities' `Reporter` (the library keeps working; only the saved copy is stale).
 * Without a reporter nothing is said.
 *
 * @since 0.1.0
 */
export const toReporter =
  (reporter: R.Reporter | undefined): WriteBackReporter =>
  (f) =>
    R.warn(reporter, `alicred: ${f.message}`)

/** Fields to set (a value) or remove (`undefined`). @since 0.1.0 */
export type Patch = Readonly<Record<string, string | number | undefined>>

const consequence = (mode: WriteBackMode): string =>
  mode === 'OAuth'
    ? 'the refresh token rotated, so the Aliyun CLI may ask you to log in again'
    : mode === 'External'
      ? 'the next run will run the command again'
      : 'the next run will ask the CloudSSO portal again'

/**
 * The new text of config.json: `patch` applied to the profile of `mode` reached from `profile`, and every other
 * byte as found (see `JsonText`). The `Left` says why the file is left alone, never what it holds. As a last check,
 * the edited text must parse to exactly what parsing the old one and patching that profile gives; if it does not,
 * nothing is written.
 *
 * @since 0.1.0
 */
export const edit = (text: string, profile: string, mode: WriteBackMode, patch: Patch): E.Either<string, string> => {
  if (text.trim() === '') return E.left('it is empty')
  // The reader replaced bytes that are not UTF-8 with U+FFFD; writing them back would change them.
  if (text.includes('\uFFFD'))
    return E.left('it holds bytes that are not UTF-8 (or U+FFFD), which could not be written back exactly')
  const tree = JsonText.parse(text)
  if (E.isLeft(tree)) return E.left(`it is ${tree.left}`)
  const objects = new Map<object, JsonText.ObjectNode>()
  const root = JsonText.toValue(text, tree.right, objects)
  const profiles =
    typeof root === 'object' && root !== null && !Array.isArray(root)
      ? (root as Record<string, unknown>).profiles
      : undefined
  if (!Array.isArray(profiles)) return E.left('it no longer has a `profiles` list')
  const target = findWriteTarget(profiles, profile, mode)
  const node = target === undefined ? undefined : objects.get(target)
  if (target === undefined || node === undefined)
    return E.left(`it no longer has a ${mode} profile reachable from '${profile}'`)
  const changes = Object.entries(patch)
  const next = JsonText.setMembers(text, node, changes)
  // The safety net: what the edited text means must be the old meaning with the patch applied, nothing else.
  for (const [k, v] of changes) {
    if (v === undefined) delete target[k]
    else target[k] = v
  }
  const meant = Decode.parseJson(next)
  if (E.isLeft(meant) || JSON.stringify(meant.right) !== JSON.stringify(root))
    return E.left('it could not be edited without changing data it does not own, so it was left as it was')
  return E.right(next)
}

/**
 * Applies `patch` to the profile of `mode` reached from `profile`, under the file's lock, changing only those keys:
 * every other byte of the file stays as found, and the file keeps its mode, owner and group.
 *
 * @since 0.1.0
 */
export const writeBack = async (
  fs: Fs.Fs,
  file: string,
  profile: string,
  mode: WriteBackMode,
  patch: Patch,
  report: WriteBackReporter,
): Promise<void> => {
  const failed = (why: string): void => {
    try {
      report({
        file,
        profile,
        mode,
        message: `could not save ${mode} credentials of profile '${profile}' to ${file}: ${why}; ${consequence(mode)}`,
      })
    } catch {
      // a broken reporter must not break a refresh
    }
  }
  try {
    const lock = await fs.lock(file)()
    if (E.isLeft(lock)) return failed(`the file is locked or cannot be locked (${lock.left.code})`)
    try {
      const text = await fs.readFile(file, { maxBytes: Fs.DEFAULT_MAX_BYTES })()
      if (E.isLeft(text)) return failed(`it cannot be read (${text.left.code})`)
      const edited = edit(text.right, profile, mode, patch)
      if (E.isLeft(edited)) return failed(edited.left)
      if (edited.right === text.right) return
      // No mode is passed: the file keeps its mode, owner and group (or the write is refused, saying why).
      const written = await fs.writeFileAtomic(file, edited.right)()
      if (E.isLeft(written)) return failed(`it cannot be written (${written.left.code}: ${written.left.message})`)
    } finally {
      await lock.right()
    }
  } catch (u) {
    failed(`unexpected ${u instanceof Error ? u.name : 'failure'}`)
  }
}

/**
 * The config.json fields OAuth rotates.
 *
 * @since 0.1.0
 */
export const oauthPatch = (u: OAuthTokenUpdate): Patch => ({
  oauth_refresh_token: u.refreshToken,
  oauth_access_token: u.accessToken,
  oauth_access_token_expire: u.accessTokenExpire,
  access_key_id: u.accessKeyId,
  access_key_secret: u.accessKeySecret,
  sts_token: u.securityToken,
  sts_expiration: u.stsExpiration,
})

/**
 * The config.json fields a CloudSSO exchange refreshes (the CLI saves the same four).
 *
 * @since 0.1.0
 */
export const cloudSsoPatch = (u: CloudSsoUpdate): Patch => ({
  access_key_id: u.accessKeyId,
  access_key_secret: u.accessKeySecret,
  sts_token: u.securityToken,
  sts_expiration: u.expiration,
})

/**
 * The config.json fields External caches (`sts_token` is removed for a plain AccessKey).
 *
 * @since 0.1.0
 */
export const externalPatch = (u: ExternalUpdate): Patch => ({
  access_key_id: u.accessKeyId,
  access_key_secret: u.accessKeySecret,
  sts_token: u.securityToken,
  sts_expiration: u.expiration,
})
