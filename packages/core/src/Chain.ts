/**
 * The default chain: where credentials come from when none are given.
 *
 * env → OIDC (all three env vars set) → Aliyun CLI profile → INI profile → credentials URI (only when
 * `ALIBABA_CLOUD_CREDENTIALS_URI` is set) → ECS RAM role (unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`).
 *
 * A link that is not set up says `NotConfigured` and the next one runs; a link that is set up but broken stops the
 * chain. Every call walks the links from the first (the chain never sticks to the link that answered last time);
 * links keep what they built — the OIDC, URI and ECS providers and their caches, and the profile readers' inner
 * providers once they produced a credential — so walking is cheap. Sources read like
 * `default/profile/ram_role_arn/static_ak`. When a profile name is given explicitly (option or
 * `ALIBABA_CLOUD_PROFILE`) and no profile link finds it, the chain stops there with `InvalidConfiguration` rather
 * than fall through to the URI or ECS metadata and hand out credentials of another identity.
 *
 * @since 0.1.0
 */
import type * as TE from 'fp-ts/TaskEither'
import type { Capabilities } from './Capabilities.js'
import * as CE from './CredentialsError.js'
import * as Env from './Env.js'
import * as EnvVars from './EnvVars.js'
import * as ConfigFile from './internal/ConfigFile.js'
import * as E from './internal/Either.js'
import type { WriteBackReporter } from './internal/WriteBack.js'
import { CHAIN, firstOf, memoBy, named, type Provider, type TraceEvent, traced } from './Provider.js'
import * as CliProfile from './providers/CliProfile.js'
import * as CredentialsUri from './providers/CredentialsUri.js'
import * as EcsRamRole from './providers/EcsRamRole.js'
import * as Environment from './providers/Environment.js'
import * as IniProfile from './providers/IniProfile.js'
import * as OidcRoleArn from './providers/OidcRoleArn.js'
import { redactName } from './Redacted.js'

/**
 * The links of the default chain, each named as its source is everywhere: `default/<link>` in credentials' `source`,
 * errors' `provider` and trace events, and the reference's `providerName` (whose URI provider calls itself
 * `credential_uri`, though the config type is `credentials_uri`).
 *
 * @category sources
 * @since 0.1.0
 */
export type LinkName = 'env' | 'oidc_role_arn' | 'cli_profile' | 'profile' | 'credential_uri' | 'ecs_ram_role'

/** The default order. @category sources @since 0.1.0 */
export const DEFAULT_LINKS: ReadonlyArray<LinkName> = [
  'env',
  'oidc_role_arn',
  'cli_profile',
  'profile',
  'credential_uri',
  'ecs_ram_role',
]

/** Options of `defaultChain`. @category sources @since 0.1.0 */
export interface DefaultChainOptions {
  /** Which links to walk, in order (drop or reorder links). Default `DEFAULT_LINKS`. */
  readonly links?: ReadonlyArray<LinkName>
  /** Told about every link's attempt (`alicred explain`); events carry no secret. */
  readonly trace?: (event: TraceEvent) => void
  /** Profile name for the CLI and INI links; default `ALIBABA_CLOUD_PROFILE`. */
  readonly profile?: string
  /** Split CLI `External` commands with Windows rules. */
  readonly windows?: boolean
  /** Told when the CLI link could not save rotated OAuth tokens / External credentials. */
  readonly onWriteBackError?: WriteBackReporter
  /** The chain's name, the first segment of every `source`. Default `default`. */
  readonly name?: string
}

// The profile rule of the chain's profile links, for callers that report on it (`alicred explain`).
export { type ChosenProfile, chosenProfile } from './internal/ConfigFile.js'

/** The name the chain's sources start with. @category sources @since 0.1.0 */
export const NAME = 'default'

// The env-driven links keep the provider they built (and its cache) while the variables stay the same.
const built =
  (p: Provider): TE.TaskEither<CE.CredentialsError, Provider> =>
  () =>
    Promise.resolve(E.right(p))

interface OidcVars {
  readonly roleArn: string
  readonly oidcProviderArn: string
  readonly oidcTokenFile?: string
}

const oidcVars = (caps: Capabilities, tokenVar: string): E.Either<CE.CredentialsError, OidcVars> => {
  const vars = [EnvVars.ROLE_ARN, EnvVars.OIDC_PROVIDER_ARN, tokenVar] as const
  const [roleArn, oidcProviderArn, token] = vars.map((v) => Env.nonEmpty(v)(caps.env))
  if (roleArn !== undefined && oidcProviderArn !== undefined && token !== undefined) {
    // A token variable is re-read by the provider at each refresh; a file path is part of what the provider is.
    return E.right(
      tokenVar === EnvVars.OIDC_TOKEN_FILE
        ? { roleArn, oidcProviderArn, oidcTokenFile: token }
        : { roleArn, oidcProviderArn },
    )
  }
  const set = vars.filter((v) => Env.nonEmpty(v)(caps.env) !== undefined)
  const missing = vars.filter((v) => !set.includes(v))
  const what =
    set.length === 0
      ? `${vars[0]}, ${vars[1]} and ${vars[2]} are not set`
      : `${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not`
  return E.left(new CE.NotConfigured('oidc_role_arn', `${what}; set all three to use RRSA (OIDC)`))
}

// The token comes from a file (`OIDC_TOKEN_FILE`, the default chain) or, where there is no file system, from the
// variable itself (`OIDC_TOKEN`, the web chain).
const oidcLink = (caps: Capabilities, tokenVar: string = EnvVars.OIDC_TOKEN_FILE): Provider =>
  memoBy<OidcVars>({
    key: () => oidcVars(caps, tokenVar),
    eq: {
      equals: (a, b) =>
        a.roleArn === b.roleArn && a.oidcProviderArn === b.oidcProviderArn && a.oidcTokenFile === b.oidcTokenFile,
    },
    build: (vars) => built(OidcRoleArn.oidcRoleArn(vars)(caps)),
  })

const uriLink = (caps: Capabilities): Provider =>
  memoBy<string>({
    key: () => {
      const uri = Env.nonEmpty(EnvVars.CREDENTIALS_URI)(caps.env)
      return uri === undefined
        ? E.left(
            new CE.NotConfigured(
              'credential_uri',
              `${EnvVars.CREDENTIALS_URI} is not set; set it to a credentials URL`,
            ),
          )
        : E.right(uri)
    },
    build: (uri) => built(CredentialsUri.credentialsUri({ uri })(caps)),
  })

const ecsLink = (caps: Capabilities): Provider =>
  memoBy<true>({
    key: () =>
      Env.isTrue(EnvVars.ECS_METADATA_DISABLED)(caps.env)
        ? E.left(new CE.NotConfigured('ecs_ram_role', `switched off by ${EnvVars.ECS_METADATA_DISABLED}=true`))
        : E.right(true),
    build: () => built(EcsRamRole.ecsRamRole({})(caps)),
  })

const isProfileLink = (n: LinkName): boolean => n === 'cli_profile' || n === 'profile'

// Both profile links skipped, yet a profile was asked for by name: stop before URI/ECS answer for another identity.
const requireNamedProfile =
  (caps: Capabilities, explicit: string | undefined) =>
  (p: Provider): Provider =>
  () =>
  async () => {
    const r = await p()()
    if (E.isRight(r) || !CE.isSkippable(r.left)) return r
    const chosen = ConfigFile.chosenProfile(explicit, caps.env)
    if (chosen === undefined) return r
    const name = chosen.name
    const why = CE.attemptsOf(r.left)
      .filter((a) => a.provider.startsWith('cli_profile') || a.provider.startsWith('profile'))
      .map((a) => `${a.provider}: ${a.error.message}`)
      .join('; ')
    const by = chosen.from ?? 'the profile option'
    return E.left(
      new CE.InvalidConfiguration(
        'profile',
        `${by} names the profile '${redactName(name)}', which no profile source could load (${why}); fix the name or create the profile`,
        chosen.from === undefined ? { profile: redactName(name) } : { profile: redactName(name), envVar: chosen.from },
      ),
    )
  }

/**
 * The default chain (env → OIDC → CLI profile → INI profile → credentials URI → ECS metadata), built like every
 * source from its options and then the capabilities its links use: `Chain.defaultChain({ profile: 'prod' })(caps)`,
 * or `Chain.defaultChain()(caps)` with none.
 *
 * @example
 * import { Chain, Env } from '@alicred/core'
 * import { fakeCapabilities } from '@alicred/testing'
 * const caps = fakeCapabilities({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' } })
 * const r = await Chain.defaultChain()(caps)()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'default/env')
 * @category sources
 * @since 0.1.0
 */
export const defaultChain =
  (options: DefaultChainOptions = {}) =>
  (caps: Capabilities): Provider => {
    const profileOptions = {
      ...(options.profile === undefined ? {} : { profile: options.profile }),
    }
    return walk(caps, options, DEFAULT_LINKS, {
      env: () => Environment.environment(caps),
      oidc_role_arn: () => oidcLink(caps),
      cli_profile: () =>
        CliProfile.cliProfile({
          ...profileOptions,
          ...(options.windows === undefined ? {} : { windows: options.windows }),
          ...(options.onWriteBackError === undefined ? {} : { onWriteBackError: options.onWriteBackError }),
        })(caps),
      profile: () => IniProfile.iniProfile(profileOptions)(caps),
      credential_uri: () => uriLink(caps),
      ecs_ram_role: () => ecsLink(caps),
    })
  }

/** The links of the web chain. @category sources @since 0.1.0 */
export type WebLinkName = 'env' | 'oidc_role_arn' | 'credential_uri'

/** The web chain's order. @category sources @since 0.1.0 */
export const WEB_LINKS: ReadonlyArray<WebLinkName> = ['env', 'oidc_role_arn', 'credential_uri']

/** Options of `webChain`. @category sources @since 0.1.0 */
export interface WebChainOptions extends Pick<DefaultChainOptions, 'trace' | 'name'> {
  /** Which links to walk, in order. Default `WEB_LINKS`. */
  readonly links?: ReadonlyArray<WebLinkName>
}

/**
 * The default chain for runtimes without a file system or processes (Deno Deploy, Cloudflare Workers, browsers,
 * edge functions; see `webCapabilities`): env → OIDC with the token in `ALIBABA_CLOUD_OIDC_TOKEN` (all three of
 * `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN` set) → credentials URI
 * (`ALIBABA_CLOUD_CREDENTIALS_URI`). No profile files and no ECS metadata. It skips and stops like the default chain,
 * and `trace` reports every link the same way (`alicred explain`). Options first, then the capabilities, as for
 * `defaultChain`.
 *
 * @example
 * import { Chain, webCapabilities } from '@alicred/core'
 * const caps = webCapabilities({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' } })
 * const events: Array<string> = []
 * const r = await Chain.webChain({ trace: (e) => events.push(`${e.provider} ${e.outcome}`) })(caps)()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'default/env')
 * assert.deepStrictEqual(events, ['default/env success'])
 * @category sources
 * @since 0.1.0
 */
export const webChain =
  (options: WebChainOptions = {}) =>
  (caps: Capabilities): Provider =>
    walk(caps, options, WEB_LINKS, {
      env: () => Environment.environment(caps),
      oidc_role_arn: () => oidcLink(caps, EnvVars.OIDC_TOKEN),
      credential_uri: () => uriLink(caps),
    })

// Walks `known` links (those asked for in `options.links`, in that order), tracing each, then names the result.
const walk = <L extends LinkName>(
  caps: Capabilities,
  options: Pick<DefaultChainOptions, 'trace' | 'name' | 'profile'> & { readonly links?: ReadonlyArray<L> },
  known: ReadonlyArray<L>,
  make: Record<L, () => Provider>,
): Provider => {
  const name = options.name ?? NAME
  const order = [...new Set<string>(options.links ?? known)]
  const unknown = order.filter((n) => !(known as ReadonlyArray<string>).includes(n))
  if (unknown.length > 0) {
    return () => async () =>
      E.left(
        new CE.InvalidConfiguration(
          name,
          `unknown chain link ${unknown.map((n) => `'${n}'`).join(', ')}; links are: ${known.join(', ')}`,
        ),
      )
  }
  const links = order as ReadonlyArray<string> as ReadonlyArray<L>
  const sink = options.trace
  const built = links.map((n) =>
    sink === undefined ? make[n]() : traced({ name: `${name}/${n}`, sink }, { clock: caps.clock })(make[n]()),
  )
  const lastProfile = links.reduce((last, n, i) => (isProfileLink(n) ? i : last), -1)
  const chain =
    lastProfile === -1
      ? firstOf(...built)
      : firstOf(
          requireNamedProfile(caps, options.profile)(firstOf(...built.slice(0, lastProfile + 1))),
          ...built.slice(lastProfile + 1),
        )
  // A chain that skipped everything says so as a whole, even with a single link (whose own name `named` would
  // otherwise keep): an anonymous ChainExhausted of its attempts, which `named` then names.
  const whole: Provider = () => async () => {
    const r = await chain()()
    return E.isLeft(r) && CE.isSkippable(r.left) ? E.left(new CE.ChainExhausted(CHAIN, CE.attemptsOf(r.left))) : r
  }
  return named(name)(whole)
}
