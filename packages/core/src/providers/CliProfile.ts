/**
 * `cli_profile/<inner>`: a profile of the Aliyun CLI's config.json (`~/.aliyun/config.json`, or
 * `ALIBABA_CLOUD_CONFIG_FILE`), chosen by option, `ALIBABA_CLOUD_PROFILE`, the file's `current`, then `default`
 * when the file has no `current` (an empty `current` is refused, as the CLI refuses it). A profile without `mode`
 * gets the one the CLI infers from its keys.
 * Every mode is supported — AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn (cycles detected),
 * CloudSSO, OAuth, External — and OAuth/CloudSSO/External write their rotated tokens and fresh credentials back into
 * the file (locked, atomic, every other key kept). OAuth and CloudSSO profiles holding an unexpired STS credential
 * (`sts_expiration` …) use it without a request, as the CLI does. `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` turns
 * the source off.
 *
 * File reads: as for the INI file, the file is read on each call until the profile has produced one credential;
 * then the built provider (and its cache) is reused for that path and profile name.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { Capabilities } from '../Capabilities.js'
import type { CredentialsError } from '../CredentialsError.js'
import { InvalidConfiguration, NotConfigured } from '../CredentialsError.js'
import * as Cli from '../config/CliConfig.js'
import { build, type FromConfigOptions, roleOptions, showName } from '../config/Config.js'
import * as ConfigFile from '../config/ConfigFile.js'
import {
  cloudSsoPatch,
  externalPatch,
  oauthPatch,
  toReporter,
  type WriteBackReporter,
  writeBack,
} from '../config/WriteBack.js'
import * as Env from '../Env.js'
import * as EnvVars from '../EnvVars.js'
import { memoBy, named, type Provider } from '../Provider.js'
import { ramRoleArn } from './RamRoleArn.js'

/** @since 0.1.0 */
export interface CliProfileOptions {
  /** Profile name; default `ALIBABA_CLOUD_PROFILE`, then the file's `current`, then `default`. */
  readonly profile?: string
  /** File path; default `ALIBABA_CLOUD_CONFIG_FILE`, then `~/.aliyun/config.json`. */
  readonly file?: string
  /** Split `External` commands with Windows rules (the Node runtime passes `process.platform === 'win32'`). */
  readonly windows?: boolean
  /** Told when OAuth tokens, CloudSSO or External credentials could not be saved; default: one line to `caps.reporter`. */
  readonly onWriteBackError?: WriteBackReporter
}

const NAME = 'cli_profile'

const spec: ConfigFile.FileSpec = {
  provider: NAME,
  envVar: EnvVars.CONFIG_FILE,
  underHome: ['.aliyun', 'config.json'],
  whenMissing: `run \`aliyun configure\` or set ${EnvVars.CONFIG_FILE}`,
}

const buildResolved =
  (r: Cli.Resolved, hooks: FromConfigOptions) =>
  (caps: Capabilities): Provider =>
    r._tag === 'Config'
      ? build(r.config, { ...hooks, profile: showName(r.profile) })(caps)
      : ramRoleArn({ source: buildResolved(r.source, hooks)(caps), ...roleOptions(r.role) })(caps)

/**
 * Credentials from an Aliyun CLI profile (`source` = `cli_profile/<inner>`, e.g. `cli_profile/static_ak`).
 *
 * - disabled by `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`, file absent (at the default path), no profiles, or the
 *   named profile absent → `NotConfigured`;
 * - anything broken (not JSON, `current` naming a missing profile, unknown mode, missing or malformed key,
 *   `source_profile` missing or looping) → `InvalidConfiguration` naming file, profile and key.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { fakeCapabilities } from '@alicred/testing'
 * const json = JSON.stringify({ current: 'dev', profiles: [{ name: 'dev', mode: 'AK', access_key_id: 'id', access_key_secret: 'secret' }] })
 * const caps = fakeCapabilities({ files: { '~/.aliyun/config.json': json } })
 * const r = await Providers.cliProfile()(caps)()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'cli_profile/static_ak')
 * @since 0.1.0
 */
export const cliProfile =
  (options: CliProfileOptions = {}) =>
  (caps: Capabilities): Provider => {
    const report = options.onWriteBackError ?? toReporter(caps.reporter)

    const load = async (
      file: ConfigFile.Located,
      chosen: { name: string; from?: string } | undefined,
    ): Promise<E.Either<CredentialsError, { name: string; provider: Provider }>> => {
      const text = await ConfigFile.read(spec, file)(caps.fs)()
      if (E.isLeft(text)) return text
      const doc = Cli.parseDocument(text.right)
      if (E.isLeft(doc)) {
        const at = doc.left.key === undefined ? { file: file.path } : { file: file.path, key: doc.left.key }
        return E.left(new InvalidConfiguration(NAME, `${file.path} ${doc.left.message}; fix or remove the file`, at))
      }
      if (doc.right.profiles.length === 0) {
        return E.left(new NotConfigured(NAME, `${file.path} has no profiles; run \`aliyun configure\``))
      }
      // `"current": ""` names no profile: the Aliyun CLI stops there ("unknown profile , run configure to check"),
      // and so does the reference. Falling back to `default` would use an identity the CLI never would.
      if (chosen === undefined && doc.right.current === '') {
        return E.left(
          new InvalidConfiguration(
            NAME,
            `${file.path} has an empty \`current\` (the Aliyun CLI refuses it too); run \`aliyun configure switch --profile <name>\` or set ${EnvVars.PROFILE}`,
            { file: file.path, key: 'current' },
          ),
        )
      }
      const name = chosen?.name ?? doc.right.current ?? 'default'
      if (Cli.findProfile(name)(doc.right) === undefined) {
        const has = `it has: ${Cli.profileNames(doc.right).join(', ')}`
        return chosen !== undefined
          ? E.left(
              new NotConfigured(
                NAME,
                `${file.path} has no profile '${showName(name)}'${chosen.from === undefined ? '' : ` (named by ${chosen.from})`}; ${has}`,
              ),
            )
          : doc.right.current !== undefined
            ? E.left(
                new InvalidConfiguration(
                  NAME,
                  `${file.path} names '${showName(name)}' as \`current\`, but has no such profile; run \`aliyun configure switch --profile <name>\` (${has})`,
                  { file: file.path, profile: showName(name), key: 'current' },
                ),
              )
            : E.left(
                new NotConfigured(
                  NAME,
                  `${file.path} has no \`current\` profile and no profile 'default'; set ${EnvVars.PROFILE} (${has})`,
                ),
              )
      }
      const location = { file: file.path, profile: showName(name) }
      const hooks: FromConfigOptions = {
        ...(options.windows === undefined ? {} : { windows: options.windows }),
        onOAuthUpdate: (u) => writeBack(caps.fs, file.path, name, 'OAuth', oauthPatch(u), report),
        onExternalUpdate: (u) => writeBack(caps.fs, file.path, name, 'External', externalPatch(u), report),
        onCloudSsoUpdate: (u) => writeBack(caps.fs, file.path, name, 'CloudSSO', cloudSsoPatch(u), report),
      }
      return pipe(
        Cli.resolve(name)(doc.right),
        E.bimap(
          (e): CredentialsError =>
            new InvalidConfiguration(NAME, `${file.path}: ${e.message}`, {
              file: file.path,
              profile: e.profile ?? showName(name),
              ...(e.key === undefined ? {} : { key: e.key }),
            }),
          (resolved) => ({
            name,
            provider: ConfigFile.explicitly(
              `profile '${showName(name)}' in ${file.path}`,
              location,
            )(buildResolved(resolved, hooks)(caps)),
          }),
        ),
      )
    }

    // The file is read on every run until its profile yields a credential; then that provider (and its cache) is kept
    // for the same path and profile name.
    return memoBy<{ readonly file: ConfigFile.Located; readonly chosen: ConfigFile.ChosenProfile | undefined }>({
      key: () =>
        Env.isTrue(EnvVars.CLI_PROFILE_DISABLED)(caps.env)
          ? E.left(new NotConfigured(NAME, `switched off by ${EnvVars.CLI_PROFILE_DISABLED}=true`))
          : pipe(
              ConfigFile.locate(spec, options.file)(caps.env, caps.fs),
              E.map((file) => ({ file, chosen: ConfigFile.chosenProfile(options.profile, caps.env) })),
            ),
      eq: { equals: (a, b) => a.file.path === b.file.path && a.chosen?.name === b.chosen?.name },
      build: (k) => async () =>
        pipe(
          await load(k.file, k.chosen),
          E.map((inner) => named(NAME)(inner.provider)),
        ),
      keep: 'succeeded',
    })
  }
