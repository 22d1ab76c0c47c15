/**
 * Resolving credentials for a command: the runtime's chain (the default chain unless the runtime gives another)
 * over the runtime's capabilities, with `--profile`, and small shared helpers to show the result.
 *
 * @since 0.1.0
 */
import { Chain, type Credential, type CredentialsError, Provider } from '@alicred/core'
import * as E from 'fp-ts/Either'
import { type Failure, noCredentials } from './Failure.js'
import type { Runtime } from './Runtime.js'

/**
 * The chain `rt` resolves with.
 *
 * @category commands
 * @since 0.1.0
 */
export const chainOf = (rt: Runtime, options: Chain.DefaultChainOptions = {}): Provider.Provider =>
  (rt.chain ?? Chain.defaultChain)(options)(rt.capabilities)

/** `--profile`, when given, as a chain option. @category commands @since 0.1.0 */
export const profileOption = (profile: string | undefined): Chain.DefaultChainOptions =>
  profile === undefined ? {} : { profile }

/**
 * Runs `p` once, turning a thrown error into a `Failure` too (providers are total, but a custom chain may not be).
 *
 * @category commands
 * @since 0.1.0
 */
export const resolveWith = async (
  command: string,
  p: Provider.Provider,
): Promise<E.Either<Failure, Credential.Credential>> => {
  const r = await Provider.protect(Chain.NAME)(p)()()
  return E.isRight(r) ? r : E.left(noCredentials(command, r.left as CredentialsError.CredentialsError))
}

/**
 * Resolves once with the runtime's chain.
 *
 * @category commands
 * @since 0.1.0
 */
export const resolve = (
  rt: Runtime,
  command: string,
  profile: string | undefined,
): Promise<E.Either<Failure, Credential.Credential>> => resolveWith(command, chainOf(rt, profileOption(profile)))

/**
 * How far `target` is from `now`, for people: `in 59 min`, `expired 3 s ago`.
 *
 * @example
 * import { Resolve } from '@alicred/cli'
 * assert.strictEqual(Resolve.relative(0, 3_540_000), 'in 59 min')
 * @category commands
 * @since 0.1.0
 */
export const relative = (now: number, target: number): string => {
  const ms = target - now
  const a = Math.abs(ms)
  const amount =
    a < 90_000
      ? `${Math.round(a / 1000)} s`
      : a < 90 * 60_000
        ? `${Math.round(a / 60_000)} min`
        : a < 48 * 3_600_000
          ? `${Math.round(a / 3_600_000)} h`
          : `${Math.round(a / 86_400_000)} days`
  return ms > 0 ? `in ${amount}` : `expired ${amount} ago`
}
