/**
 * `profile/<inner>`: a profile of the INI credentials file (`~/.alibabacloud/credentials`, or
 * `ALIBABA_CLOUD_CREDENTIALS_FILE`), profile `ALIBABA_CLOUD_PROFILE` or `default`. Every type the reference
 * documents is supported — `access_key`, `sts`, `ecs_ram_role`, `ram_role_arn`, `oidc_role_arn`, `rsa_key_pair`,
 * `credentials_uri`, `bearer` — with every key those types take; `enable = false` switches a profile off; dotted
 * names (`[team.prod]`) work.
 *
 * File reads: the file is read on each call until the profile has produced one credential; from then on the built
 * provider (and its cache) is reused and the file is not read again for that path and profile name — like the
 * reference, so the hot path does no I/O. A missing file is looked for again on every call.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { Capabilities } from '../Capabilities.js'
import type { CredentialsError } from '../CredentialsError.js'
import { InvalidConfiguration, NotConfigured } from '../CredentialsError.js'
import type * as Env from '../Env.js'
import * as EnvVars from '../EnvVars.js'
import { build } from '../internal/Config.js'
import * as ConfigFile from '../internal/ConfigFile.js'
import * as Ini from '../internal/Ini.js'
import { memoBy, named, type Provider } from '../Provider.js'
import { redactName } from '../Redacted.js'

/** Options of `iniProfile`. @category sources @since 0.1.0 */
export interface IniProfileOptions {
  /** Profile name; default `ALIBABA_CLOUD_PROFILE`, then `default`. */
  readonly profile?: string
  /** File path; default `ALIBABA_CLOUD_CREDENTIALS_FILE`, then `~/.alibabacloud/credentials`. */
  readonly file?: string
}

const NAME = 'profile'

const spec: ConfigFile.FileSpec = {
  provider: NAME,
  envVar: EnvVars.CREDENTIALS_FILE,
  underHome: ['.alibabacloud', 'credentials'],
  whenMissing: `create it with a [default] profile or set ${EnvVars.CREDENTIALS_FILE}`,
}

// The profile name to use and where it came from.
const profileName = (explicit: string | undefined, env: Env.Env): ConfigFile.ChosenProfile =>
  ConfigFile.chosenProfile(explicit, env) ?? { name: 'default' }

/**
 * Credentials from an INI credentials file profile (`source` = `profile/<inner>`, e.g. `profile/static_ak`).
 *
 * - file absent (at the default path) or profile absent → `NotConfigured`;
 * - `enable = false` → `NotConfigured`;
 * - anything broken (syntax, unknown type, missing or malformed key, unreadable or oversized file, a path from
 *   `ALIBABA_CLOUD_CREDENTIALS_FILE` that does not exist) → `InvalidConfiguration` naming file, profile, key or line.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { fakeCapabilities } from '@alicred/testing'
 * const caps = fakeCapabilities({ files: { '~/.alibabacloud/credentials': '[default]\ntype = access_key\naccess_key_id = id\naccess_key_secret = secret\n' } })
 * const r = await Providers.iniProfile()(caps)()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'profile/static_ak')
 * @category sources
 * @since 0.1.0
 */
export const iniProfile =
  (options: IniProfileOptions = {}) =>
  (caps: Capabilities): Provider => {
    const load = async (
      file: ConfigFile.Located,
      name: string,
      from?: string,
    ): Promise<E.Either<CredentialsError, Provider>> => {
      const text = await ConfigFile.read(spec, file)(caps.fs)()
      if (E.isLeft(text)) return text
      const doc = Ini.parse(text.right)
      if (E.isLeft(doc)) {
        return E.left(
          new InvalidConfiguration(NAME, `${file.path} line ${doc.left.line}: ${doc.left.reason}`, { file: file.path }),
        )
      }
      const section = doc.right.get(name)
      const shown = redactName(name)
      const where = `profile [${shown}] in ${file.path}`
      if (section === undefined) {
        const names = [...doc.right.keys()].map(redactName)
        return E.left(
          new NotConfigured(
            NAME,
            `${file.path} has no [${shown}] profile${from === undefined ? '' : ` (named by ${from})`}; ${names.length === 0 ? 'it has no profiles' : `it has: ${names.join(', ')}`}`,
          ),
        )
      }
      const location = { file: file.path, profile: shown }
      return pipe(
        Ini.profileConfig(section),
        E.mapLeft(
          (e): CredentialsError =>
            new InvalidConfiguration(
              NAME,
              `${where}: ${e.message}`,
              e.key === undefined ? location : { ...location, key: e.key },
            ),
        ),
        E.chain((pc) =>
          pc._tag === 'Disabled'
            ? E.left(new NotConfigured(NAME, `${where} is switched off (enable = false)`))
            : E.right(ConfigFile.explicitly(where, location)(build(pc.config)(caps))),
        ),
      )
    }

    // The file is read on every run until its profile yields a credential; then that provider (and its cache) is kept
    // for the same path and profile name.
    return memoBy<{ readonly file: ConfigFile.Located; readonly name: string; readonly from?: string }>({
      key: () =>
        pipe(
          ConfigFile.locate(spec, options.file)(caps.env, caps.fs),
          E.map((file) => ({ file, ...profileName(options.profile, caps.env) })),
        ),
      eq: { equals: (a, b) => a.file.path === b.file.path && a.name === b.name },
      build: (k) => async () => pipe(await load(k.file, k.name, k.from), E.map(named(NAME))),
      keep: 'succeeded',
    })
  }
