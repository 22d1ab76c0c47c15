/**
 * Finding and reading a configuration file (the INI credentials file, the Aliyun CLI's config.json): where it is
 * (an explicit path, an env var, or a default under the home directory) and what each file-system failure means.
 * A missing default file is `NotConfigured` (skip); a missing file the user pointed at, an unreadable file or one
 * too large to be a credentials file is `InvalidConfiguration` (stop). Messages name the path, never the contents.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { CredentialsError } from '../CredentialsError.js'
import { InvalidConfiguration, NotConfigured, SourceFailure } from '../CredentialsError.js'
import * as Env from '../Env.js'
import * as EnvVars from '../EnvVars.js'
import * as Fs from '../Fs.js'
import type { Provider } from '../Provider.js'

/** Where a file's path came from. @since 0.1.0 */
export type Origin =
  | { readonly _tag: 'Option' }
  | { readonly _tag: 'EnvVar'; readonly envVar: string }
  | { readonly _tag: 'Default' }

/** @since 0.1.0 */
export interface Located {
  readonly path: string
  readonly origin: Origin
}

/** How to find one kind of file. @since 0.1.0 */
export interface FileSpec {
  /** Provider name for errors, e.g. `profile`. */
  readonly provider: string
  /** Env var that overrides the path, e.g. `ALIBABA_CLOUD_CREDENTIALS_FILE`. */
  readonly envVar: string
  /** Path segments under the home directory, e.g. `['.alibabacloud', 'credentials']`. */
  readonly underHome: ReadonlyArray<string>
  /** What to do when the default file is absent, e.g. "run `aliyun configure`". */
  readonly whenMissing: string
}

const expandHome = (p: string, home: string | undefined): string =>
  home !== undefined && (p === '~' || p.startsWith('~/')) ? Fs.join(home, p.slice(1)) : p

/**
 * The path to read: the explicit one, else the env var, else the default under the home directory. A leading `~/`
 * is expanded (shells do not expand it inside env files).
 *
 * @since 0.1.0
 */
export const locate =
  (spec: FileSpec, explicit: string | undefined) =>
  (env: Env.Env, fs: Pick<Fs.Fs, 'homedir'>): E.Either<NotConfigured, Located> => {
    const home = fs.homedir()
    const given = Env.nonBlank(explicit)
    if (given !== undefined) return E.right({ path: expandHome(given, home), origin: { _tag: 'Option' } })
    const fromEnv = Env.nonEmpty(spec.envVar)(env)
    if (fromEnv !== undefined) {
      return E.right({ path: expandHome(fromEnv, home), origin: { _tag: 'EnvVar', envVar: spec.envVar } })
    }
    if (home === undefined || home.trim() === '') {
      return E.left(
        new NotConfigured(
          spec.provider,
          `cannot determine the home directory to find ${Fs.join('~', ...spec.underHome)}; set ${spec.envVar} to the file's path`,
        ),
      )
    }
    return E.right({ path: Fs.join(home, ...spec.underHome), origin: { _tag: 'Default' } })
  }

/** A profile asked for by name, and the variable that named it when it was not the option. @since 0.1.0 */
export interface ChosenProfile {
  readonly name: string
  readonly from?: typeof EnvVars.PROFILE
}

/**
 * The profile asked for, as every profile reader (and the default chain, and `alicred explain`) decides it: the
 * option when it is not blank, else `ALIBABA_CLOUD_PROFILE`, both trimmed; `undefined` when neither names one (each
 * reader then has its own default: the CLI config's `current`, the INI file's `default`).
 *
 * @example
 * import { Chain, Env } from '@alicred/core'
 * const env = Env.fromRecord({ ALIBABA_CLOUD_PROFILE: ' dev ' })
 * assert.deepStrictEqual(Chain.chosenProfile('  ', env), { name: 'dev', from: 'ALIBABA_CLOUD_PROFILE' })
 * assert.deepStrictEqual(Chain.chosenProfile('prod', env), { name: 'prod' })
 * assert.strictEqual(Chain.chosenProfile(undefined, Env.empty), undefined)
 * @since 0.1.0
 */
export const chosenProfile = (option: string | undefined, env: Env.Env): ChosenProfile | undefined => {
  const given = Env.nonBlank(option)
  if (given !== undefined) return { name: given }
  const fromEnv = Env.nonEmpty(EnvVars.PROFILE)(env)
  return fromEnv === undefined ? undefined : { name: fromEnv, from: EnvVars.PROFILE }
}

const pointedAt = (file: Located): string =>
  file.origin._tag === 'EnvVar' ? `${file.origin.envVar} points to ${file.path}` : `the configured path ${file.path}`

/**
 * Turns a read failure into the error a reader reports.
 *
 * @since 0.1.0
 */
export const fromFsError =
  (spec: FileSpec, file: Located) =>
  (e: Fs.FsError): CredentialsError => {
    const at = { file: file.path }
    switch (e.code) {
      case 'ENOENT':
        return file.origin._tag === 'Default'
          ? new NotConfigured(spec.provider, `${file.path} does not exist; ${spec.whenMissing}`)
          : new InvalidConfiguration(
              spec.provider,
              `${pointedAt(file)}, which does not exist; fix the path${file.origin._tag === 'EnvVar' ? ` or unset ${file.origin.envVar}` : ''}`,
              file.origin._tag === 'EnvVar' ? { ...at, envVar: file.origin.envVar } : at,
            )
      case 'EACCES':
        return new InvalidConfiguration(
          spec.provider,
          `cannot read ${file.path}: permission denied; make it readable by this user (for example \`chmod 600 ${file.path}\`)`,
          at,
        )
      case 'EISDIR':
        return new InvalidConfiguration(
          spec.provider,
          `${file.path} is a directory, not a file; point ${spec.envVar} at the file itself`,
          at,
        )
      case 'ENOTFILE':
        return new InvalidConfiguration(
          spec.provider,
          `${file.path} is not a regular file (a FIFO, socket or device); ${file.origin._tag === 'Default' ? 'replace it with the credentials file' : `point ${file.origin._tag === 'EnvVar' ? file.origin.envVar : spec.envVar} at the file itself`}`,
          file.origin._tag === 'EnvVar' ? { ...at, envVar: file.origin.envVar } : at,
        )
      case 'EFBIG':
        return new InvalidConfiguration(
          spec.provider,
          `${file.path} is larger than ${Fs.DEFAULT_MAX_BYTES} bytes, far more than a credentials file needs; check that it is the right file`,
          at,
        )
      case 'ELOCKED':
      case 'EIO':
        return new SourceFailure(spec.provider, `could not read ${file.path} (${e.code}); try again`, {
          retryable: true,
        })
      case 'ENOSYS':
        return new NotConfigured(spec.provider, `cannot read ${file.path}: ${e.message}`)
    }
  }

/**
 * Reads the file (capped at `Fs.DEFAULT_MAX_BYTES`), mapping failures with `fromFsError`.
 *
 * @since 0.1.0
 */
export const read =
  (spec: FileSpec, file: Located) =>
  (fs: Pick<Fs.Fs, 'readFile'>): TE.TaskEither<CredentialsError, string> => {
    // `TE.mapLeft`, written out: this module is on the default chain's path, and fp-ts/TaskEither loads fourteen
    // fp-ts modules of its own at start-up (docs/packaging.md).
    const task = fs.readFile(file.path, { maxBytes: Fs.DEFAULT_MAX_BYTES })
    return () => task().then(E.mapLeft(fromFsError(spec, file)))
  }

/**
 * An explicitly configured source that says "not configured" (an unreachable metadata service, an unset env var
 * it falls back to) is a broken profile, not a reason for a chain to try the next source.
 *
 * @since 0.1.0
 */
export const explicitly =
  (where: string, location: { readonly file: string; readonly profile: string }) =>
  (p: Provider): Provider =>
  () =>
  async () => {
    const r = await p()()
    if (E.isRight(r) || (r.left._tag !== 'NotConfigured' && r.left._tag !== 'ChainExhausted')) return r
    return E.left(new InvalidConfiguration(r.left.provider, `${where}: ${r.left.message}`, location, r.left))
  }
