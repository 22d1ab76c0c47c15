/**
 * The credentials URI endpoint (REFERENCE §3.6): `GET /credentials` answers a role's STS credentials with
 * `Code: Success`, the shape sidecars and `alicred serve` use. Credentials rotate before they expire.
 *
 * @since 0.1.0
 */
import type { Directory, Issued } from './Directory.js'
import { json, type Reply } from './Wire.js'

/**
 * How the emulator's credentials URI endpoint answers: the role, the lifetime and the reissue window.
 *
 * @category emulator
 * @since 0.1.0
 */
export interface CredentialsUriOptions {
  /** Role whose credentials are served. Default `acs:ram::<accountId>:role/credentials-uri`. */
  readonly roleArn?: string
  /** Default 3600. */
  readonly durationSeconds?: number
  /** Reissue when fewer than this many seconds remain. Default 900. */
  readonly rotateBeforeSeconds?: number
}

/** @since 0.1.0 */
export const CREDENTIALS_URI_PATH = '/credentials'

/** @since 0.1.0 */
export const credentialsUri =
  (
    dir: Directory,
    grant: (roleArn: string, session: string, durationSeconds: number, rotateBeforeSeconds: number) => Issued,
    options: () => CredentialsUriOptions,
  ) =>
  (): Reply => {
    const o = options()
    const issued = grant(
      o.roleArn ?? `acs:ram::${dir.accountId}:role/credentials-uri`,
      'credentials-uri',
      o.durationSeconds ?? 3600,
      o.rotateBeforeSeconds ?? 900,
    )
    return json(200, {
      Code: 'Success',
      AccessKeyId: issued.key.accessKeyId,
      AccessKeySecret: issued.key.accessKeySecret,
      SecurityToken: issued.key.securityToken,
      Expiration: issued.expiration,
    })
  }
