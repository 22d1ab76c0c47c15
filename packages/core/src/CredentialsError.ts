/**
 * Why a provider gave no credential. A tagged union whose tag decides what a chain does next:
 *
 * | tag | meaning | in a chain |
 * |---|---|---|
 * | `NotConfigured` | this source is not set up here | skip to the next link |
 * | `InvalidConfiguration` | set up, but wrong | stop |
 * | `SourceFailure` | set up, and answered badly | stop |
 * | `ChainExhausted` | every link said `NotConfigured` | the chain's own failure |
 *
 * Every variant is an `Error` (so `instanceof Error`, stack traces and `cause` work) and its message names the env
 * var, file, profile or key involved and what to do — never a secret or a file's contents.
 *
 * @since 0.1.0
 */
import { prefixPath } from './Credential.js'
import { inspectSymbol } from './Redacted.js'

/** Where a configuration problem is. @category errors @since 0.1.0 */
export interface Location {
  readonly file?: string
  readonly profile?: string
  readonly key?: string
  readonly envVar?: string
}

// One mark for the errors of every copy of this module: the ES module and CommonJS builds loaded side by side (a
// bundler may do that), or two installed versions. The symbol is in the global registry, so every copy reads the
// same key; its value on an error is the error's `_tag`. `instanceof` on any of the classes below checks it, so an
// error made by one copy is an instance of the other copy's class of the same tag (and of neither copy's other
// classes). In Node, each package runs from one copy anyway (docs/packaging.md).
const BRAND = Symbol.for('@alicred/core/CredentialsError')

abstract class Base extends Error {
  abstract readonly _tag: 'NotConfigured' | 'InvalidConfiguration' | 'SourceFailure' | 'ChainExhausted'
  // `x instanceof C` calls this with `this` = C, the class on the right; subclasses inherit it.
  static override [Symbol.hasInstance](u: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asks about, not always Base
    // biome-ignore lint/complexity/noUselessThisAlias: named for what it is here
    const cls: unknown = this
    if (Function.prototype[Symbol.hasInstance].call(cls, u)) return true
    const tag = typeof u === 'object' && u !== null ? (u as { [BRAND]?: unknown })[BRAND] : undefined
    return typeof tag === 'string' && (cls === Base || TAG_OF.get(cls) === tag)
  }
  /** The provider path that failed, e.g. `default/profile`. */
  readonly provider: string
  constructor(provider: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.provider = provider
  }
  override get name(): string {
    return this._tag
  }
  toJSON(): Record<string, unknown> {
    return { _tag: this._tag, provider: this.provider, message: this.message }
  }
  [inspectSymbol](): string {
    return render(this as unknown as CredentialsError)
  }
}

/**
 * The source is not set up here (env var unset, file absent, metadata disabled or unreachable). A chain skips it.
 *
 * @example
 * import { CredentialsError } from '@alicred/core'
 * const e = new CredentialsError.NotConfigured('env', 'ALIBABA_CLOUD_ACCESS_KEY_ID is not set')
 * assert.strictEqual(e._tag, 'NotConfigured')
 * @category errors
 * @since 0.1.0
 */
export class NotConfigured extends Base {
  readonly _tag = 'NotConfigured' as const
}

/**
 * The source is set up but wrong: parse error, unknown type, missing or malformed field, profile cycle. Stops a chain.
 *
 * @category errors
 * @since 0.1.0
 */
export class InvalidConfiguration extends Base {
  readonly _tag = 'InvalidConfiguration' as const
  readonly location: Location
  constructor(provider: string, message: string, location: Location = {}, cause?: unknown) {
    super(provider, message, cause)
    this.location = location
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), location: this.location }
  }
}

/** Details of a failed remote call. @category errors @since 0.1.0 */
export interface FailureDetails {
  /** HTTP status, when there was a response. */
  readonly status?: number
  /** Server error code, e.g. STS `Code`. */
  readonly code?: string
  readonly requestId?: string
  /** Whether trying again later may help (timeouts, throttling, 5xx). */
  readonly retryable: boolean
}

/**
 * The source is set up and answered badly: error status, timeout, malformed response, expired credential.
 * Stops a chain.
 *
 * @category errors
 * @since 0.1.0
 */
export class SourceFailure extends Base {
  readonly _tag = 'SourceFailure' as const
  readonly status: number | undefined
  readonly code: string | undefined
  readonly requestId: string | undefined
  readonly retryable: boolean
  constructor(provider: string, message: string, details: FailureDetails = { retryable: false }, cause?: unknown) {
    super(provider, message, cause)
    this.status = details.status
    this.code = details.code
    this.requestId = details.requestId
    this.retryable = details.retryable
  }
  override toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...super.toJSON(), retryable: this.retryable }
    if (this.status !== undefined) out.status = this.status
    if (this.code !== undefined) out.code = this.code
    if (this.requestId !== undefined) out.requestId = this.requestId
    return out
  }
}

/** One link's answer, as kept by a chain. @category errors @since 0.1.0 */
export interface Attempt {
  readonly provider: string
  readonly error: CredentialsError
}

/**
 * Every link of a chain said `NotConfigured`. Holds all attempts in order; `message` renders them as a tree.
 *
 * @category errors
 * @since 0.1.0
 */
export class ChainExhausted extends Base {
  readonly _tag = 'ChainExhausted' as const
  readonly attempts: ReadonlyArray<Attempt>
  constructor(provider: string, attempts: ReadonlyArray<Attempt>) {
    super(provider, drawAttempts(provider, attempts))
    this.attempts = attempts
  }
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      attempts: this.attempts.map((a) => ({ provider: a.provider, error: a.error.toJSON() })),
    }
  }
}

/** Any error a provider fails with (a union discriminated on `_tag`). @category errors @since 0.1.0 */
export type CredentialsError = NotConfigured | InvalidConfiguration | SourceFailure | ChainExhausted

// The tag each class checks for in `instanceof`; a class of the user's, derived from one of these, is checked as
// `instanceof` normally does.
const TAG_OF: ReadonlyMap<unknown, string> = new Map<unknown, string>([
  [NotConfigured, 'NotConfigured'],
  [InvalidConfiguration, 'InvalidConfiguration'],
  [SourceFailure, 'SourceFailure'],
  [ChainExhausted, 'ChainExhausted'],
])
Object.defineProperty(Base.prototype, BRAND, {
  get(this: Base) {
    return this._tag
  },
})

/**
 * Whether a chain may move on to its next link after this error.
 *
 * @category errors
 * @since 0.1.0
 */
export const isSkippable = (e: CredentialsError): e is NotConfigured | ChainExhausted =>
  e._tag === 'NotConfigured' || e._tag === 'ChainExhausted'

/**
 * The attempts an error stands for in a chain: an exhausted chain's own attempts (spliced in, not nested), any other
 * error as the one attempt of its provider. What `Provider.alt` keeps when both sides skip.
 *
 * @example
 * import { CredentialsError } from '@alicred/core'
 * const e = new CredentialsError.NotConfigured('env', 'unset')
 * assert.deepStrictEqual(CredentialsError.attemptsOf(e), [{ provider: 'env', error: e }])
 * assert.deepStrictEqual(CredentialsError.attemptsOf(new CredentialsError.ChainExhausted('chain', [{ provider: 'env', error: e }])), [{ provider: 'env', error: e }])
 * @category errors
 * @since 0.1.0
 */
export const attemptsOf = (e: CredentialsError): ReadonlyArray<Attempt> =>
  e._tag === 'ChainExhausted' ? e.attempts : [{ provider: e.provider, error: e }]

const TAGS: ReadonlySet<unknown> = new Set(['NotConfigured', 'InvalidConfiguration', 'SourceFailure', 'ChainExhausted'])

/**
 * Whether a value is one of our errors (for `catch` blocks at the edge). An error made by a second copy of this
 * module counts (see `instanceof` above), and so does an `Error` of the same shape.
 *
 * @category errors
 * @since 0.1.0
 */
export const isCredentialsError = (u: unknown): u is CredentialsError =>
  u instanceof Base ||
  (u instanceof Error &&
    TAGS.has((u as { _tag?: unknown })._tag) &&
    typeof (u as { provider?: unknown }).provider === 'string')

/**
 * The provider name a chain's `ChainExhausted` carries until something names the chain. `withProvider` (and so
 * `Provider.named`) replaces it instead of prefixing it: a named chain reads `default`, not `default/chain`.
 *
 * @category errors
 * @since 0.1.0
 */
export const CHAIN = 'chain'

const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((line, i) => (i === 0 ? line : prefix + line))
    .join('\n')

function drawAttempts(provider: string, attempts: ReadonlyArray<Attempt>): string {
  if (attempts.length === 0) return `no credentials found by ${provider}: it has no sources to try`
  const head = `no credentials found by ${provider}: every source was skipped`
  const lines = attempts.map((a, i) => {
    const last = i === attempts.length - 1
    const body = a.error._tag === 'ChainExhausted' ? a.error.message : `${a.error._tag}: ${a.error.message}`
    return `${last ? '└─' : '├─'} ${a.provider}: ${indent(body, last ? '   ' : '│  ')}`
  })
  return [head, ...lines].join('\n')
}

/**
 * Renders an error as a readable tree, io-ts `draw` style.
 *
 * @category errors
 * @since 0.1.0
 */
export const render = (e: CredentialsError): string =>
  e._tag === 'ChainExhausted' ? `ChainExhausted: ${e.message}` : `${e._tag} [${e.provider}]: ${e.message}`

/**
 * Prefixes the provider path of an error (and of every attempt it holds): `withProvider('default')` turns `env` into
 * `default/env`. An anonymous chain (`CHAIN`) takes the name itself, so a named chain reads `default`.
 *
 * @category errors
 * @since 0.1.0
 */
export const withProvider =
  (prefix: string) =>
  (e: CredentialsError): CredentialsError => {
    switch (e._tag) {
      case 'NotConfigured':
        return copyStack(e, new NotConfigured(prefixPath(prefix, e.provider), e.message, e.cause))
      case 'InvalidConfiguration':
        return copyStack(e, new InvalidConfiguration(prefixPath(prefix, e.provider), e.message, e.location, e.cause))
      case 'SourceFailure':
        return copyStack(e, new SourceFailure(prefixPath(prefix, e.provider), e.message, detailsOf(e), e.cause))
      case 'ChainExhausted':
        return new ChainExhausted(
          e.provider === CHAIN ? prefix : prefixPath(prefix, e.provider),
          e.attempts.map((a) => ({ provider: prefixPath(prefix, a.provider), error: withProvider(prefix)(a.error) })),
        )
    }
  }

/**
 * The `FailureDetails` of a `SourceFailure`, to rebuild it with another provider or message.
 *
 * @category errors
 * @since 0.1.0
 */
export const detailsOf = (e: SourceFailure): FailureDetails => {
  const d: { status?: number; code?: string; requestId?: string; retryable: boolean } = { retryable: e.retryable }
  if (e.status !== undefined) d.status = e.status
  if (e.code !== undefined) d.code = e.code
  if (e.requestId !== undefined) d.requestId = e.requestId
  return d
}

const copyStack = <E extends Error>(from: Error, to: E): E => {
  if (from.stack !== undefined) to.stack = from.stack.replace(from.message, to.message)
  return to
}

/**
 * Turns anything thrown into a `SourceFailure`, so a provider that throws never becomes an unhandled rejection.
 * The thrown value is kept as `cause` but never copied into the message (it may hold a secret).
 *
 * @category errors
 * @since 0.1.0
 */
export const fromUnknown =
  (provider: string) =>
  (u: unknown): CredentialsError =>
    isCredentialsError(u)
      ? u
      : new SourceFailure(
          provider,
          `the provider threw ${u instanceof Error ? `a ${u.name}` : 'a non-Error value'} instead of returning an error; this is a bug in that provider`,
          { retryable: false },
          u,
        )
