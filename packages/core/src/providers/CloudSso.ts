/**
 * `cloud_sso` (Aliyun CLI `CloudSSO` mode): exchange the CLI's CloudSSO access token for STS credentials.
 *
 * Wire: `POST <origin of signInUrl>/cloud-credentials` with `Accept: application/json`,
 * `Content-Type: application/json`, `Authorization: Bearer <access token>` and the JSON body
 * `{"AccountId":…,"AccessConfigurationId":…}` (the reference builds that body but never sends it, §9.3; Go sends it).
 * The answer is `{"CloudCredential":{"AccessKeyId","AccessKeySecret","SecurityToken","Expiration"},"RequestId"}`.
 * 5 s connect / 10 s read. The access token is never refreshed here: once it has expired (checked before every
 * call, on the injected clock) the answer is `InvalidConfiguration` asking for a new `aliyun configure` login.
 * A stored STS credential (`stored`, the CLI profile's `sts_*` fields) that has not expired is the first answer,
 * without a request, as the Aliyun CLI does; each exchange is handed to `onUpdate` (the CLI config write-back).
 * Plain `http://` sign-in URLs are accepted only for loopback and link-local hosts unless `allowInsecureHttp`.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import type { Capabilities } from '../Capabilities.js'
import { InvalidConfiguration, type SourceFailure } from '../CredentialsError.js'
import * as Env from '../Env.js'
import * as Expiration from '../Expiration.js'
import * as Failure from '../Failure.js'
import type { CachedProvider, Provider } from '../Provider.js'
import { cachedSource } from '../Provider.js'
import {
  callUpdate,
  checkEndpoint,
  decodeBody,
  jsonBody,
  positiveOr,
  type StoredSts,
  StsBlock,
  send,
  storedCredential,
  stsFromBlock,
} from './_remote.js'

export type { StoredSts } from './_remote.js'

/** What CloudSSO hands back for persisting. @since 0.1.0 */
export interface CloudSsoUpdate {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken: string
  /** Epoch seconds. */
  readonly expiration: number
}

/** @since 0.1.0 */
export interface CloudSsoOptions {
  readonly signInUrl: string
  readonly accountId: string
  readonly accessConfig: string
  readonly accessToken: string
  /** Epoch seconds. */
  readonly accessTokenExpire: number
  /** An STS credential saved by an earlier exchange; reused, without a request, while it has not expired. */
  readonly stored?: StoredSts
  /** Called after each exchange (the CLI config write-back); failures are reported, never thrown. */
  readonly onUpdate?: (update: CloudSsoUpdate) => Promise<void>
  /** Told when `onUpdate` throws, rejects or takes longer than 10 s. Default: ignored. */
  readonly onUpdateError?: (error: SourceFailure) => void
  /** Default 5000. */
  readonly connectTimeoutMs?: number
  /** Default 10000. */
  readonly readTimeoutMs?: number
  /** Refresh once less than this is left. Default 15 min. */
  readonly staleMs?: number
  /** Allow a plain `http://` sign-in URL to hosts other than loopback and link-local. Default false. */
  readonly allowInsecureHttp?: boolean
}

const NAME = 'cloud_sso'
const PATH = '/cloud-credentials'
const RELOGIN = 're-login with `aliyun configure --mode CloudSSO` (or `aliyun configure`)'

const Answer = t.type({ CloudCredential: StsBlock }, 'CloudSSO answer')

const blank = (s: string | undefined): boolean => Env.nonBlank(s) === undefined

/**
 * A provider exchanging a CloudSSO access token for STS credentials, cached and refreshed 15 minutes before
 * they expire. Credentials' `source` is `cloud_sso`.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { fakeCapabilities, json } from '@alicred/testing'
 * const caps = fakeCapabilities({ now: Date.UTC(2024, 0, 1) })
 * caps.http.on('POST', 'http://127.0.0.1:9000/cloud-credentials', json(200, { CloudCredential: {
 *   AccessKeyId: 'id', AccessKeySecret: 'secret', SecurityToken: 'token', Expiration: '2024-01-01T01:00:00Z' } }))
 * const p = Providers.cloudSso({ signInUrl: 'http://127.0.0.1:9000/login', accountId: '1', accessConfig: 'ac-1',
 *   accessToken: 'sso-token', accessTokenExpire: Date.UTC(2024, 0, 1) / 1000 + 3600 })(caps)
 * const r = await p()()
 * assert.strictEqual(r._tag === 'Right' && r.right.source, 'cloud_sso')
 * @since 0.1.0
 */
export const cloudSso =
  (options: CloudSsoOptions) =>
  (caps: Pick<Capabilities, 'http' | 'clock' | 'random' | 'reporter'>): CachedProvider => {
    // Consumed by the first fetch: a refresh means the cached credential is due for replacement.
    let stored = options.stored
    const fetchOnce: Provider = () => async () => {
      const expire = options.accessTokenExpire
      if (blank(options.accessToken) || !Expiration.isEpochSeconds(expire) || expire * 1_000 <= caps.clock.now()) {
        return E.left(
          new InvalidConfiguration(
            NAME,
            blank(options.accessToken)
              ? `the CloudSSO access token is empty; ${RELOGIN}`
              : `the CloudSSO access token ${Expiration.isEpochSeconds(expire) && expire > 0 ? `expired at ${Expiration.describeEpochSeconds(expire)}` : 'has no valid expiry (cloud_sso_access_token_expire)'}; ${RELOGIN}`,
            { key: blank(options.accessToken) ? 'access_token' : 'cloud_sso_access_token_expire' },
          ),
        )
      }
      const missing = (
        [
          ['signInUrl', 'cloud_sso_sign_in_url', options.signInUrl],
          ['accountId', 'cloud_sso_account_id', options.accountId],
          ['accessConfig', 'cloud_sso_access_config', options.accessConfig],
        ] as const
      ).filter(([, , v]) => blank(v))
      if (missing.length > 0) {
        return E.left(
          new InvalidConfiguration(
            NAME,
            `${missing.map(([k, cli]) => `${k} (${cli})`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} empty; ${RELOGIN}`,
            { key: missing[0]![1] },
          ),
        )
      }
      const signIn = checkEndpoint(
        NAME,
        options.signInUrl.trim(),
        { label: 'the CloudSSO sign-in URL (cloud_sso_sign_in_url)', location: { key: 'cloud_sso_sign_in_url' } },
        options.allowInsecureHttp === true,
      )
      if (E.isLeft(signIn)) return signIn
      const saved = storedCredential(stored, caps.clock.now(), NAME)
      stored = undefined
      if (saved !== undefined) return E.right(saved)
      const url = `${signIn.right.origin}${PATH}`
      const what = `CloudSSO POST ${url}`
      const res = await send(caps.http, {
        method: 'POST',
        url,
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          Authorization: `Bearer ${options.accessToken.trim()}`,
        },
        body: JSON.stringify({ AccountId: options.accountId, AccessConfigurationId: options.accessConfig }),
        connectTimeoutMs: positiveOr(options.connectTimeoutMs, 5_000),
        readTimeoutMs: positiveOr(options.readTimeoutMs, 10_000),
      })
      if (E.isLeft(res)) return E.left(Failure.fromHttpError(NAME, what)(res.left))
      const answer = pipe(
        jsonBody(NAME, what, (status) =>
          status === 401 || status === 403
            ? `the access token was refused (revoked, or no access to this account / access configuration); ${RELOGIN}`
            : undefined,
        )(res.right),
        E.chain(decodeBody(NAME, what, Answer)),
      )
      if (E.isLeft(answer)) return answer
      const c = answer.right.CloudCredential
      await callUpdate(
        NAME,
        caps.clock,
        options.onUpdate,
        {
          accessKeyId: c.AccessKeyId,
          accessKeySecret: c.AccessKeySecret,
          securityToken: c.SecurityToken,
          expiration: Math.floor(c.Expiration.getTime() / 1_000),
        },
        options.onUpdateError,
      )
      return E.right(stsFromBlock(NAME)(c))
    }
    return cachedSource(NAME, caps, options)(fetchOnce)
  }
