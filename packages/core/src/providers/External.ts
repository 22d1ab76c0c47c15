/**
 * `external` (Aliyun CLI `External` mode): run a command that prints credentials as JSON.
 *
 * The command (`process_command`) is split into argv with the reference's rules (`ProcessCommand`, POSIX or
 * Windows) and run through the `Exec` capability with no shell and a timeout (default 60 s). Its stdout must be
 * `{"mode":"AK"|"StsToken","access_key_id","access_key_secret","sts_token"?,"expiration"?}`; stderr is ignored and
 * never shown. `sts_token` makes an `sts` credential (required in `StsToken` mode), otherwise `access_key`.
 * `expiration` is read as a strict UTC time. One that is not (`"invalid-date"`, a number, an offset) is treated as
 * absent, with one warning (to the capabilities' `Reporter`) naming the command but not the value: the
 * official Go SDK does the same and its suite (external_test.go `..._WithInvalidExpiration`) states it, and the
 * reference also keeps the credential. The field only says when to run the command again, so failing a credential
 * the command did produce over it would turn a helper's formatting slip into an outage.
 *
 * Refresh: 180 s before `expiration` (`Provider.cached` with `staleMs` 180 000). Credentials without an
 * expiration are re-used for `noExpirationReuseMs` (default 5 min) and the command then runs again; if that run
 * fails the caller gets the failure and the next call runs the command again. The reference re-ran the command on
 * every call (`noExpirationReuseMs: 0` restores that), which spawns a process per API request.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import type { Capabilities } from '../Capabilities.js'
import * as C from '../Credential.js'
import { type CredentialsError, InvalidConfiguration, SourceFailure } from '../CredentialsError.js'
import * as Decode from '../Decode.js'
import type { ExecError, ExecResult } from '../Exec.js'
import * as Expiration from '../Expiration.js'
import * as ProcessCommand from '../ProcessCommand.js'
import type { CachedProvider, Provider } from '../Provider.js'
import { cached } from '../Provider.js'
import * as Reporter from '../Reporter.js'
import { callUpdate, emptyAsAbsent, NonEmptyString, positiveOr } from './_remote.js'

/** What External hands back for persisting. @since 0.1.0 */
export interface ExternalUpdate {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken?: string
  /** Epoch seconds; 0 when unknown. */
  readonly expiration: number
}

/** @since 0.1.0 */
export interface ExternalOptions {
  /** Split into argv per the CLI's rules (POSIX or Windows); never run through a shell. */
  readonly processCommand: string
  /** Default 60 000. */
  readonly timeoutMs?: number
  /** Split with Windows rules. Default: `false` (the live Node runtime passes `process.platform === 'win32'`). */
  readonly windows?: boolean
  readonly onUpdate?: (update: ExternalUpdate) => Promise<void>
  /** Told when `onUpdate` throws, rejects or takes longer than 10 s. Default: ignored, as in the reference. */
  readonly onUpdateError?: (error: SourceFailure) => void
  /** How long a credential without `expiration` is re-used before the command runs again. Default 5 min. */
  readonly noExpirationReuseMs?: number
  /** Refresh once less than this is left. Default 180 s (the reference's value). */
  readonly staleMs?: number
  /** Larger stdout fails. Default 1 MiB. */
  readonly maxOutputBytes?: number
  /**
   * The Aliyun CLI profile the command comes from, named in messages (which never quote the command: it may carry a
   * secret, even in its first word).
   */
  readonly profile?: string
}

/** Default `staleMs` of `external`. @since 0.1.0 */
export const EXTERNAL_STALE_MS = 180_000
/** Default `noExpirationReuseMs`. @since 0.1.0 */
export const EXTERNAL_NO_EXPIRATION_REUSE_MS = 5 * 60_000

const NAME = 'external'

// Messages name the profile and the key, never any part of the command: `SECRET=… helper` puts a secret in argv[0].
const commandOf = (profile: string | undefined): string =>
  profile === undefined ? 'the external command (process_command)' : `the process_command of profile '${profile}'`
const locationOf = (profile: string | undefined) =>
  profile === undefined ? { key: 'process_command' } : { profile, key: 'process_command' }

const Output = t.intersection(
  [
    t.type({ access_key_id: NonEmptyString, access_key_secret: NonEmptyString }, 'external command output'),
    t.partial(
      {
        mode: t.keyof({ AK: null, StsToken: null }, 'AK or StsToken'),
        sts_token: emptyAsAbsent(t.string),
        // checked after decoding: an unusable expiration is ignored, not fatal
        expiration: t.unknown,
      },
      'external command output',
    ),
  ],
  'external command output',
)

const execFailure = (profile: string | undefined, e: ExecError): CredentialsError => {
  const command = commandOf(profile)
  switch (e.kind) {
    case 'NotFound':
      return new InvalidConfiguration(
        NAME,
        `${command} was not found or cannot be run; check that its first word is the path of an executable`,
        locationOf(profile),
      )
    case 'Timeout':
      return new SourceFailure(
        NAME,
        `${command} did not finish in time and was stopped; check it, or raise the timeout`,
        { retryable: true },
      )
    case 'TooLarge':
      return new SourceFailure(
        NAME,
        `${command} printed more output than allowed on stdout; it must print one JSON object`,
        { retryable: false },
      )
    case 'Failed':
      return new SourceFailure(NAME, `${command} could not be run (${e.kind})`, { retryable: true })
  }
}

const fromOutput = (
  profile: string | undefined,
  out: ExecResult,
): E.Either<CredentialsError, t.TypeOf<typeof Output>> => {
  const what = `the output of ${commandOf(profile)}`
  if (out.exitCode !== 0) {
    return E.left(
      new SourceFailure(
        NAME,
        `${commandOf(profile)} exited with code ${out.exitCode}; run it by hand to see why (its output is not shown here because it may hold secrets)`,
        { retryable: true },
      ),
    )
  }
  return pipe(
    Decode.parseJson(out.stdout),
    E.mapLeft((reason) => `${what} is not JSON (${reason})`),
    E.chain((u) =>
      pipe(
        Decode.decode(Output)(u),
        E.mapLeft((reason) => `${what} is not a credential (${reason})`),
      ),
    ),
    E.chain((o) =>
      o.mode === 'StsToken' && (o.sts_token ?? '').trim() === ''
        ? E.left(`${what} is in StsToken mode but sts_token is empty`)
        : E.right(o),
    ),
    E.mapLeft((message): CredentialsError => new SourceFailure(NAME, message, { retryable: false })),
  )
}

// `null` and `""` mean "none"; anything else that is not a strict UTC time is reported and ignored.
const expirationOf = (u: unknown, onIgnored: () => void): Date | undefined => {
  if (u === undefined || u === null || u === '') return undefined
  const parsed = typeof u === 'string' ? Expiration.parse(u) : E.left('not text')
  if (E.isRight(parsed)) return parsed.right
  onIgnored()
  return undefined
}

/**
 * A provider running the Aliyun CLI `External` command. Credentials' `source` is `external`. Without an `Exec`
 * capability (browsers, workers) it fails with `InvalidConfiguration`.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { fakeCapabilities } from '@alicred/testing'
 * const caps = fakeCapabilities()
 * caps.exec.on('cred-helper', { exitCode: 0, stderr: '',
 *   stdout: '{"mode":"AK","access_key_id":"id","access_key_secret":"secret"}' })
 * const r = await Providers.external({ processCommand: 'cred-helper --json' })(caps)()()
 * assert.strictEqual(r._tag === 'Right' && r.right.type, 'access_key')
 * @since 0.1.0
 */
export const external =
  (options: ExternalOptions) =>
  (
    caps: Pick<Capabilities, 'clock' | 'random' | 'reporter'> & { readonly exec?: Capabilities['exec'] },
  ): CachedProvider => {
    const { clock } = caps
    const reuseMs = options.noExpirationReuseMs ?? EXTERNAL_NO_EXPIRATION_REUSE_MS
    let runs = 0
    let lastRunAt = Number.NEGATIVE_INFINITY
    // Once per provider: the helper prints the same thing on every run.
    let warned = false
    const ignored = (): void => {
      if (warned) return
      warned = true
      Reporter.warn(
        caps.reporter,
        `alicred: external: ${commandOf(options.profile)} printed an expiration that is not a UTC time like 2015-04-09T11:52:19Z; it is ignored, and the credential is treated as one without expiration`,
      )
    }

    const runOnce: Provider = () => async () => {
      runs++
      lastRunAt = clock.now()
      const argv = ProcessCommand.split({ windows: options.windows === true })(options.processCommand ?? '')
      if (E.isLeft(argv)) {
        return E.left(
          new InvalidConfiguration(
            NAME,
            `${argv.left.message}${options.profile === undefined ? '' : ` in profile '${options.profile}'`}; fix process_command`,
            locationOf(options.profile),
          ),
        )
      }
      const [file, ...args] = argv.right as readonly [string, ...Array<string>]
      if (caps.exec === undefined) {
        return E.left(
          new InvalidConfiguration(
            NAME,
            'the External mode needs to run a process, and this runtime has no Exec capability; use another credential source here',
            locationOf(options.profile),
          ),
        )
      }
      let result: E.Either<ExecError, ExecResult>
      try {
        result = await caps.exec.run({
          file,
          args,
          timeoutMs: positiveOr(options.timeoutMs, 60_000),
          maxOutputBytes: positiveOr(options.maxOutputBytes, 1024 * 1024),
        })()
      } catch {
        result = E.left({ _tag: 'ExecError', kind: 'Failed', message: 'the Exec capability threw' })
      }
      if (E.isLeft(result)) return E.left(execFailure(options.profile, result.left))
      const out = fromOutput(options.profile, result.right)
      if (E.isLeft(out)) return out
      const o = out.right
      const token =
        o.sts_token === undefined || o.sts_token === null || o.sts_token.trim() === '' ? undefined : o.sts_token
      const expiration = expirationOf(o.expiration, ignored)
      await callUpdate(
        NAME,
        clock,
        options.onUpdate,
        {
          accessKeyId: o.access_key_id,
          accessKeySecret: o.access_key_secret,
          ...(token === undefined ? {} : { securityToken: token }),
          expiration: expiration === undefined ? 0 : Math.floor(expiration.getTime() / 1_000),
        },
        options.onUpdateError,
      )
      return E.right(
        token === undefined
          ? C.accessKey({
              accessKeyId: o.access_key_id,
              accessKeySecret: o.access_key_secret,
              expiration,
              source: NAME,
            })
          : C.sts({
              accessKeyId: o.access_key_id,
              accessKeySecret: o.access_key_secret,
              securityToken: token,
              expiration,
              source: NAME,
            }),
      )
    }

    const inner = cached({
      clock,
      random: caps.random,
      ...(caps.reporter === undefined ? {} : { reporter: caps.reporter }),
      name: NAME,
      staleMs: options.staleMs ?? EXTERNAL_STALE_MS,
    })(runOnce)

    // `cached` keeps a credential without expiration forever; this bounds that to `noExpirationReuseMs`.
    const provider = (() => async () => {
      const before = runs
      const r = await inner()()
      if (E.isLeft(r) || r.right.expiration !== undefined || runs !== before) return r
      if (clock.now() - lastRunAt < reuseMs) return r
      const fresh = await inner.forceRefresh()()
      if (E.isLeft(fresh)) inner.invalidate()
      return fresh
    }) as CachedProvider

    return Object.assign(provider, { forceRefresh: inner.forceRefresh, invalidate: inner.invalidate })
  }
