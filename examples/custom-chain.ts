/**
 * A credential chain of your own, built from the providers and combinators of `@alicred/core`: the environment, then
 * a credentials URI (a sidecar, when `ALIBABA_CLOUD_CREDENTIALS_URI` is set), then the `ci` profile of the INI
 * credentials file. Every link reads only the capabilities it is given, so `custom-chain.test.ts` runs it against
 * fakes: no process environment, no disk, no network.
 *
 * @since 0.1.0
 */
import { type Capabilities, type Credential, type CredentialsError, Provider, Providers } from '@alicred/core'
import type * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'

/**
 * The chain. A link that is not set up here answers `NotConfigured` and the next one runs; a link that is set up but
 * broken stops the chain. Sources read `app/env`, `app/credential_uri`, `app/profile/static_ak`, ….
 *
 * `credentialsUri` and `iniProfile` are built once, so the URI credential is cached (and refreshed 15 minutes before
 * it expires) across calls of the returned provider.
 */
export const appChain = (caps: Capabilities): Provider.Provider =>
  pipe(
    Provider.firstOf(
      Providers.environment(caps),
      Providers.credentialsUri()(caps),
      Providers.iniProfile({ profile: 'ci' })(caps),
    ),
    Provider.named('app'),
  )

/** Runs the chain once. */
export const main = (caps: Capabilities): Promise<E.Either<CredentialsError.CredentialsError, Credential.Credential>> =>
  appChain(caps)()()
