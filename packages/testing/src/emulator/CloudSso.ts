/**
 * The CloudSSO portal's credential exchange (REFERENCE §2.11): `POST /cloud-credentials` with
 * `Authorization: Bearer <access token>` and the JSON body `{AccountId, AccessConfigurationId}` answers
 * `{CloudCredential: {AccessKeyId, AccessKeySecret, SecurityToken, Expiration}, RequestId}`. A request without the
 * body (the reference Node SDK's bug) is refused with `MissingParameter`, so the fix is observable.
 *
 * @since 0.1.0
 */
import type { Directory } from './Directory.js'
import type { Rng } from './Rng.js'
import { bearerToken, type Incoming, json, type Reply } from './Wire.js'

/** A CloudSSO access token the portal accepts. @category emulator @since 0.1.0 */
export interface CloudSsoTokenSpec {
  readonly accessToken: string
  /** Epoch ms on the emulator's clock; default: never expires. */
  readonly expiresAt?: number
}

/** An account + access configuration the signed-in user may use. @category emulator @since 0.1.0 */
export interface CloudSsoAccessSpec {
  readonly accountId: string
  readonly accessConfigurationId: string
  /** Default `acs:ram::<accountId>:role/aliyunreservedsso-<accessConfigurationId>`. */
  readonly roleArn?: string
  /** Default 3600. */
  readonly durationSeconds?: number
}

/** @since 0.1.0 */
export const CLOUD_SSO_PATH = '/cloud-credentials'

/** @since 0.1.0 */
export interface CloudSso {
  readonly addToken: (spec: CloudSsoTokenSpec) => void
  readonly addAccess: (spec: CloudSsoAccessSpec) => void
  readonly handle: (req: Incoming) => Reply
}

/** @since 0.1.0 */
export const cloudSso = (dir: Directory, now: () => number, rng: Rng): CloudSso => {
  const tokens = new Map<string, CloudSsoTokenSpec>()
  const access = new Map<string, CloudSsoAccessSpec>()
  return {
    addToken: (spec) => {
      tokens.set(spec.accessToken, spec)
    },
    addAccess: (spec) => {
      access.set(`${spec.accountId}\n${spec.accessConfigurationId}`, spec)
    },
    handle: (req) => {
      const requestId = rng.requestId()
      const fail = (status: number, code: string, message: string): Reply =>
        json(status, { RequestId: requestId, Code: code, Message: message }, { code })
      const token = bearerToken(req.headers)
      if (token === undefined) return fail(401, 'MissingAccessToken', 'The Authorization header is missing.')
      const t = tokens.get(token)
      if (t === undefined) return fail(401, 'InvalidAccessToken', 'The access token is invalid. Please login again.')
      if (t.expiresAt !== undefined && now() >= t.expiresAt) {
        return fail(401, 'AccessTokenExpired', 'The access token is expired. Please login again.')
      }
      let body: unknown
      try {
        body = req.body === '' ? {} : JSON.parse(req.body)
      } catch {
        return fail(400, 'InvalidParameter', 'The request body is not valid JSON.')
      }
      const field = (k: string): string | undefined => {
        const v = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[k] : undefined
        return typeof v === 'string' && v !== '' ? v : undefined
      }
      const accountId = field('AccountId')
      const configId = field('AccessConfigurationId')
      if (accountId === undefined) return fail(400, 'MissingParameter.AccountId', 'AccountId is mandatory.')
      if (configId === undefined) {
        return fail(400, 'MissingParameter.AccessConfigurationId', 'AccessConfigurationId is mandatory.')
      }
      const a = access.get(`${accountId}\n${configId}`)
      if (a === undefined) {
        return fail(403, 'NoPermission', 'The user has no access to this account with this access configuration.')
      }
      const role = dir.ensureRole(a.roleArn ?? `acs:ram::${accountId}:role/aliyunreservedsso-${configId}`)
      const issued = dir.issueSts(role, 'cloudsso-user', a.durationSeconds ?? 3600)
      return json(200, {
        CloudCredential: {
          AccessKeyId: issued.key.accessKeyId,
          AccessKeySecret: issued.key.accessKeySecret,
          SecurityToken: issued.key.securityToken,
          Expiration: issued.expiration,
        },
        RequestId: requestId,
      })
    },
  }
}
