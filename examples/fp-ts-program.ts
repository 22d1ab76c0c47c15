/**
 * An fp-ts program over the capabilities: `ReaderTaskEither<Deps, CredentialsError, A>`. The reader is the record of
 * capabilities (plus the STS endpoint); getting a credential from the default chain and calling STS
 * `GetCallerIdentity` with it (RPC, HMAC-SHA1, over the `Http` capability) are two steps composed with `RTE.chain`.
 * Nothing runs until the program is given its dependencies, so `fp-ts-program.test.ts` gives it fakes in one test and
 * live capabilities against the emulator in another.
 *
 * @since 0.1.0
 */
import { type Capabilities, Chain, type Credential, CredentialsError, Expiration, Http, Signature } from '@alicred/core'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import * as t from 'io-ts'

/** What the program reads. */
export interface Deps {
  readonly caps: Capabilities
  /** Host or URL of STS, e.g. `sts.cn-hangzhou.aliyuncs.com` (or the emulator's `http://127.0.0.1:<port>`). */
  readonly stsEndpoint: string
}

/** A step of the program. */
export type App<A> = RTE.ReaderTaskEither<Deps, CredentialsError.CredentialsError, A>

/** A `Provider` is a lazy `TaskEither`; given the capabilities it is a `ReaderTaskEither` step. */
export const credential: App<Credential.Credential> = ({ caps }) => Chain.defaultChain()(caps)()

const Identity = t.type({ AccountId: t.string, Arn: t.string, IdentityType: t.string }, 'GetCallerIdentity response')

/** Who am I? */
export type Identity = t.TypeOf<typeof Identity>

const WHAT = 'STS GetCallerIdentity'

const isLoopback = (host: string): boolean => host === 'localhost' || host === '[::1]' || host.startsWith('127.')

/** `https://<host>/` for a host name; a URL as given, but plain `http://` only to this machine (the emulator). */
const stsBaseUrl = (endpoint: string): E.Either<string, string> => {
  const url = URL.canParse(endpoint) ? new URL(endpoint) : new URL(`https://${endpoint}`)
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname)))
    return E.right(`${url.origin}/`)
  return E.left(`the STS endpoint ${url.protocol}// to ${url.host} would carry credentials unencrypted; use https://`)
}

// What goes wrong on the way is a `SourceFailure` naming the call, never a value it carried.
const failure = (message: string, details: { readonly status?: number; readonly retryable: boolean }) =>
  new CredentialsError.SourceFailure('whoami', `${WHAT} ${message}`, details)

/** Signs and sends `GetCallerIdentity` with `c`, and decodes the answer (errors name fields, never values). */
export const callerIdentity =
  (c: Credential.Credential): App<Identity> =>
  ({ caps, stsEndpoint }) =>
  async () => {
    if (c.type === 'bearer') {
      return E.left(
        new CredentialsError.InvalidConfiguration(
          'whoami',
          `${c.source} gives a bearer token, which cannot sign ${WHAT}`,
        ),
      )
    }
    const base = stsBaseUrl(stsEndpoint)
    if (E.isLeft(base)) {
      return E.left(new CredentialsError.InvalidConfiguration('whoami', base.left, { key: 'stsEndpoint' }))
    }
    const params: Record<string, string> = {
      Version: '2015-04-01',
      Action: 'GetCallerIdentity',
      Format: 'JSON',
      Timestamp: Expiration.formatTimestamp(caps.clock.now()),
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: caps.random.nonce(),
      AccessKeyId: c.accessKeyId,
      ...(c.type === 'sts' ? { SecurityToken: c.securityToken } : {}),
    }
    const signed = await Signature.signQuery(Signature.hmacSha1Signer(c.accessKeySecret))('GET', params)
    const sent = await caps.http.request({
      method: 'GET',
      url: `${base.right}?${Signature.formEncode(signed.query)}`,
      connectTimeoutMs: 5_000,
      readTimeoutMs: 10_000,
    })()
    if (E.isLeft(sent)) {
      return E.left(failure(`failed: ${sent.left.message}`, { retryable: Http.isTransient(sent.left) }))
    }
    const res = sent.right
    if (res.status !== 200) {
      return E.left(failure(`answered HTTP ${res.status}`, { status: res.status, retryable: res.status >= 500 }))
    }
    return pipe(
      E.tryCatch(
        () => JSON.parse(res.body) as unknown,
        () => 'not JSON',
      ),
      E.chain((body) =>
        pipe(
          Identity.decode(body),
          E.mapLeft(() => `not a ${Identity.name}`),
        ),
      ),
      E.mapLeft((why) =>
        failure(`answered with an unexpected body (${why})`, { status: res.status, retryable: false }),
      ),
    )
  }

/** The program: a credential, then the identity it belongs to, as one line. */
export const whoAmI: App<string> = pipe(
  credential,
  RTE.chain(callerIdentity),
  RTE.map((id) => `${id.IdentityType} ${id.Arn}`),
)

/** Runs the program with its dependencies. */
export const main = (deps: Deps): Promise<E.Either<CredentialsError.CredentialsError, string>> => whoAmI(deps)()
