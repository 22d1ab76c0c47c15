/**
 * `oidc_role_arn` (RRSA): STS AssumeRoleWithOIDC with a token file re-read on every refresh.
 *
 * Unlike the reference, the token is trimmed (a trailing newline is not part of a JWT, REFERENCE §9.18) and decoded
 * (not verified — STS does that) before the call, so an expired or malformed token fails here with a message that
 * names the file, instead of as an opaque STS error.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { Capabilities } from '../Capabilities.js'
import * as CE from '../CredentialsError.js'
import * as Env from '../Env.js'
import * as EnvVars from '../EnvVars.js'
import * as Expiration from '../Expiration.js'
import type { FsError } from '../Fs.js'
import type { CachedProvider, Provider } from '../Provider.js'
import { cachedSource, fail } from '../Provider.js'
import type { StsEndpointOptions } from '../sts/Endpoint.js'
import * as RS from '../sts/RoleSession.js'
import * as StsClient from '../sts/StsClient.js'

/** @since 0.1.0 */
export interface OidcRoleArnOptions extends StsEndpointOptions {
  /** Falls back to `ALIBABA_CLOUD_ROLE_ARN`. */
  readonly roleArn?: string
  /** Falls back to `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`. */
  readonly oidcProviderArn?: string
  /** Falls back to `ALIBABA_CLOUD_OIDC_TOKEN_FILE`. */
  readonly oidcTokenFile?: string
  /**
   * The token itself, for runtimes without a file system (a Worker secret, an environment variable). Used instead
   * of any token file, and checked the same way. When neither this nor a token file is given, the token is read from
   * `ALIBABA_CLOUD_OIDC_TOKEN` at every refresh.
   */
  readonly oidcToken?: string
  readonly roleSessionName?: string
  readonly durationSeconds?: number
  readonly policy?: string
  readonly connectTimeoutMs?: number
  readonly readTimeoutMs?: number
  readonly staleMs?: number
  /** Default `alicred/0.1.0`. */
  readonly userAgent?: string
}

const NAME = 'oidc_role_arn'
const PROVIDER_ARN_ENV = EnvVars.OIDC_PROVIDER_ARN
const TOKEN_FILE_ENV = EnvVars.OIDC_TOKEN_FILE
const TOKEN_ENV = EnvVars.OIDC_TOKEN

// Where the token comes from: a file (re-read at every refresh), a value given, or an environment variable (re-read).
type TokenSource =
  | { readonly _tag: 'File'; readonly file: string }
  | { readonly _tag: 'Given' }
  | { readonly _tag: 'EnvVar' }

const tokenSource = (o: OidcRoleArnOptions, env: Env.Env): E.Either<CE.InvalidConfiguration, TokenSource> => {
  if (o.oidcToken !== undefined) return E.right({ _tag: 'Given' })
  if (o.oidcTokenFile?.trim() === undefined || o.oidcTokenFile.trim() === '') {
    if (Env.nonEmpty(TOKEN_FILE_ENV)(env) === undefined && Env.nonEmpty(TOKEN_ENV)(env) !== undefined) {
      return E.right({ _tag: 'EnvVar' })
    }
  }
  return pipe(
    RS.required(NAME, 'oidcTokenFile', TOKEN_FILE_ENV, 'the path of the OIDC token file')(o.oidcTokenFile, env),
    E.map((file) => ({ _tag: 'File', file }) as const),
  )
}

// How messages name the token, and where they point.
const describeSource = (s: TokenSource) => {
  switch (s._tag) {
    case 'File':
      return {
        it: `the OIDC token file ${s.file}`,
        inIt: `the OIDC token in ${s.file}`,
        location: { file: s.file, key: 'oidcTokenFile' },
        writer: 'whatever writes that file (e.g. the Kubernetes service account token projection)',
      }
    case 'Given':
      return {
        it: 'the oidcToken option',
        inIt: 'the OIDC token of the oidcToken option',
        location: { key: 'oidcToken' },
        writer: 'whatever supplies it',
      }
    case 'EnvVar':
      return {
        it: TOKEN_ENV,
        inIt: `the OIDC token in ${TOKEN_ENV}`,
        location: { envVar: TOKEN_ENV },
        writer: `whatever sets ${TOKEN_ENV}`,
      }
  }
}

const resolve = (o: OidcRoleArnOptions, caps: Pick<Capabilities, 'env' | 'clock'>) =>
  pipe(
    E.Do,
    E.apS(
      'roleArn',
      RS.required(NAME, 'roleArn', RS.ROLE_ARN_ENV, 'the ARN of the role to assume')(o.roleArn, caps.env),
    ),
    E.apS(
      'oidcProviderArn',
      RS.required(
        NAME,
        'oidcProviderArn',
        PROVIDER_ARN_ENV,
        'the ARN of the OIDC identity provider',
      )(o.oidcProviderArn, caps.env),
    ),
    E.apS('token', tokenSource(o, caps.env)),
    E.apS('durationSeconds', RS.duration(NAME)(o.durationSeconds)),
    E.apS('endpoint', RS.endpoint(NAME)(o, caps.env)),
    E.map((r) => ({ ...r, roleSessionName: RS.sessionName(o.roleSessionName, caps.env, caps.clock.now()) })),
  )

const readError = (file: string, e: FsError): CE.CredentialsError => {
  const location = { file, key: 'oidcTokenFile' }
  switch (e.code) {
    case 'ENOENT':
      return new CE.InvalidConfiguration(
        NAME,
        `the OIDC token file ${file} does not exist; check oidcTokenFile / ${TOKEN_FILE_ENV} and that the token volume is mounted`,
        location,
      )
    case 'EACCES':
      return new CE.InvalidConfiguration(
        NAME,
        `the OIDC token file ${file} cannot be read: permission denied`,
        location,
      )
    case 'EISDIR':
      return new CE.InvalidConfiguration(NAME, `the OIDC token file ${file} is a directory, not a file`, location)
    case 'ENOTFILE':
      return new CE.InvalidConfiguration(
        NAME,
        `the OIDC token file ${file} is not a regular file (a FIFO, socket or device); point oidcTokenFile / ${TOKEN_FILE_ENV} at the token file itself`,
        location,
      )
    case 'EFBIG':
      return new CE.InvalidConfiguration(NAME, `the OIDC token file ${file} is too large to be a token`, location)
    case 'ENOSYS':
      return new CE.NotConfigured(
        NAME,
        `the OIDC token file ${file} cannot be read: ${e.message}; give the token itself (oidcToken / ${TOKEN_ENV})`,
      )
    default:
      return new CE.SourceFailure(NAME, `the OIDC token file ${file} could not be read (${e.code})`, {
        retryable: true,
      })
  }
}

// jose takes longer to import than the rest of the library, and only this source and rsa_key_pair use it: it is
// loaded on first use, not when the library is imported.
let jose: Promise<typeof import('jose')> | undefined
const loadJose = (): Promise<typeof import('jose')> => {
  jose ??= import('jose')
  return jose
}

/**
 * Checks the token is a JWT whose `exp`, if any, is in the future. Nothing of the token reaches a message.
 *
 * @since 0.1.0
 */
const checkToken = async (
  source: TokenSource,
  token: string,
  nowMs: number,
): Promise<E.Either<CE.CredentialsError, string>> => {
  const { it, inIt, location, writer } = describeSource(source)
  if (token === '') {
    return E.left(new CE.InvalidConfiguration(NAME, `${it} is empty`, location))
  }
  let decodeJwt: typeof import('jose').decodeJwt
  try {
    ;({ decodeJwt } = await loadJose())
  } catch {
    return E.left(
      new CE.InvalidConfiguration(
        NAME,
        'the jose package, a dependency of @alicred/core used to read OIDC tokens, failed to load; reinstall @alicred/core',
        location,
      ),
    )
  }
  let exp: unknown
  try {
    exp = decodeJwt(token).exp
  } catch {
    return E.left(
      new CE.InvalidConfiguration(
        NAME,
        `${it} does not hold a JWT (three base64url parts with a JSON payload); check what ${source._tag === 'File' ? 'writes' : 'sets'} it`,
        location,
      ),
    )
  }
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) {
    return E.left(new CE.InvalidConfiguration(NAME, `${inIt} has an exp claim that is not a number`, location))
  }
  if (typeof exp === 'number' && !Expiration.isEpochSeconds(exp)) {
    return E.left(
      new CE.InvalidConfiguration(
        NAME,
        `${inIt} has an exp claim out of range (a time in epoch seconds from 1970 to 9999 is expected); check what ${source._tag === 'File' ? 'writes that file' : 'sets it'}`,
        location,
      ),
    )
  }
  if (typeof exp === 'number' && exp * 1000 <= nowMs) {
    return E.left(
      new CE.SourceFailure(
        NAME,
        `${inIt} expired at ${Expiration.describeEpochSeconds(exp)}; ${writer} is not refreshing it`,
        { retryable: true },
      ),
    )
  }
  return E.right(token)
}

/**
 * Assumes a RAM role with an OIDC token (ACK RRSA, GitHub Actions…). The token file is read and checked on every
 * refresh; the result has `source` `oidc_role_arn` and is refreshed 15 minutes before it expires.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { fakeCapabilities } from '@alicred/testing'
 * const caps = fakeCapabilities({ env: { ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/r' } })
 * const r = await Providers.oidcRoleArn({})(caps)()()
 * assert.strictEqual(r._tag === 'Left' && r.left._tag, 'InvalidConfiguration') // no provider ARN, no token file
 * @since 0.1.0
 */
export const oidcRoleArn =
  (options: OidcRoleArnOptions) =>
  (caps: Pick<Capabilities, 'env' | 'fs' | 'http' | 'clock' | 'random' | 'reporter'>): CachedProvider => {
    const resolved = resolve(options, caps)
    const refresh: Provider = E.isLeft(resolved)
      ? fail(resolved.left)
      : () => async () => {
          const { token: source, oidcProviderArn, roleArn, roleSessionName, durationSeconds, endpoint } = resolved.right
          let raw: string
          if (source._tag === 'File') {
            const read = await caps.fs.readFile(source.file)()
            if (E.isLeft(read)) return E.left(readError(source.file, read.left))
            raw = read.right
          } else {
            raw = (source._tag === 'Given' ? options.oidcToken : caps.env.get(TOKEN_ENV)) ?? ''
          }
          const token = await checkToken(source, raw.trim(), caps.clock.now())
          if (E.isLeft(token)) return token
          return StsClient.assumeRoleWithOidc(
            {
              oidcProviderArn,
              oidcToken: token.right,
              roleArn,
              roleSessionName,
              durationSeconds,
              ...(options.policy === undefined ? {} : { policy: options.policy }),
            },
            { endpoint, provider: NAME, source: NAME, ...RS.transportOf(options) },
          )(caps)()
        }
    return cachedSource(NAME, caps, options)(refresh)
  }
