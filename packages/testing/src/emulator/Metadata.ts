/**
 * The ECS instance metadata service (REFERENCE §3.1): IMDSv2 session tokens (`PUT /latest/api/token` with a TTL
 * header, expiring on the emulator's clock), v1 access that can be switched off, the RAM role list, and the role's
 * STS credentials (`Code: Success`, `LastUpdated`, `Expiration`), rotated before they expire like the real service.
 *
 * @since 0.1.0
 */
import { Expiration } from '@alicred/core'
import type { Directory, Issued } from './Directory.js'
import { ALNUM, type Rng } from './Rng.js'
import { type Incoming, json, type Reply, text } from './Wire.js'

/**
 * How the emulator's ECS metadata service answers: the attached role, IMDSv1/v2, the lifetime.
 *
 * @category emulator
 * @since 0.1.0
 */
export interface ImdsOptions {
  /** The instance's RAM role name; `undefined` means no role is attached (the role list answers 404). */
  readonly roleName?: string | undefined
  /** Role ARN behind the name. Default `acs:ram::<accountId>:role/<roleName>`. */
  readonly roleArn?: string
  /** Accept requests without a token (IMDSv1). Default true. */
  readonly v1?: boolean
  /** Serve the token endpoint (IMDSv2). Default true; false answers 404, as old metadata servers do. */
  readonly v2?: boolean
  /** Lifetime of issued credentials. Default 21600 (6 h). */
  readonly durationSeconds?: number
  /** Reissue when fewer than this many seconds remain. Default 3600. */
  readonly rotateBeforeSeconds?: number
}

/** Header carrying the requested token TTL. @since 0.1.0 */
export const TTL_HEADER = 'x-aliyun-ecs-metadata-token-ttl-seconds'
/** Header carrying the token. @since 0.1.0 */
export const TOKEN_HEADER = 'x-aliyun-ecs-metadata-token'

/** @since 0.1.0 */
export const CREDENTIALS_PREFIX = '/latest/meta-data/ram/security-credentials/'

/**
 * A grant that hands out the same credentials until they near expiry (IMDS, credentials URI).
 *
 * @since 0.1.0
 */
export const rotating = (
  dir: Directory,
  now: () => number,
): ((roleArn: string, session: string, durationSeconds: number, rotateBeforeSeconds: number) => Issued) => {
  const current = new Map<string, Issued>()
  return (roleArn, session, durationSeconds, rotateBeforeSeconds) => {
    const key = `${roleArn}\n${session}`
    const c = current.get(key)
    if (c !== undefined && now() < (c.key.expiresAt ?? 0) - rotateBeforeSeconds * 1000) return c
    const issued = dir.issueSts(dir.ensureRole(roleArn), session, durationSeconds)
    current.set(key, issued)
    return issued
  }
}

/** @since 0.1.0 */
export interface Imds {
  readonly handle: (route: 'imds.token' | 'imds.roles' | 'imds.credentials', req: Incoming) => Reply
  readonly configure: (patch: ImdsOptions) => void
  readonly options: () => ImdsOptions
}

/**
 * @since 0.1.0
 */
export const imds = (dir: Directory, now: () => number, rng: Rng, initial: ImdsOptions = {}): Imds => {
  let options: ImdsOptions = initial
  const tokens = new Map<string, number>()
  const grant = rotating(dir, now)

  // undefined = allowed; otherwise the refusal.
  const gate = (req: Incoming): Reply | undefined => {
    const token = req.headers[TOKEN_HEADER]
    if (token === undefined) return options.v1 === false ? text(403, 'Forbidden') : undefined
    const exp = tokens.get(token)
    if (exp === undefined || now() >= exp) {
      tokens.delete(token)
      return text(401, 'Unauthorized')
    }
    return undefined
  }

  return {
    configure: (patch) => {
      options = { ...options, ...patch }
    },
    options: () => options,
    handle: (route, req) => {
      if (route === 'imds.token') {
        if (options.v2 === false) return text(404, 'Not Found')
        const raw = req.headers[TTL_HEADER]
        const ttl = raw === undefined ? Number.NaN : Number(raw)
        if (!(Number.isInteger(ttl) && ttl >= 1 && ttl <= 21600)) return text(400, 'Bad Request')
        for (const [t, exp] of tokens) if (now() >= exp) tokens.delete(t)
        const token = `AQAE${rng.chars(52, ALNUM)}`
        tokens.set(token, now() + ttl * 1000)
        return text(200, token)
      }
      const refused = gate(req)
      if (refused !== undefined) return refused
      const name = options.roleName
      if (route === 'imds.roles') return name === undefined ? text(404, 'Not Found') : text(200, name)
      const asked = decodeURIComponent(req.path.slice(CREDENTIALS_PREFIX.length))
      if (name === undefined || asked !== name) return text(404, 'Not Found')
      const issued = grant(
        options.roleArn ?? `acs:ram::${dir.accountId}:role/${name}`,
        'ecs-ram-role',
        options.durationSeconds ?? 21600,
        options.rotateBeforeSeconds ?? 3600,
      )
      return json(200, {
        AccessKeyId: issued.key.accessKeyId,
        AccessKeySecret: issued.key.accessKeySecret,
        Expiration: issued.expiration,
        SecurityToken: issued.key.securityToken,
        LastUpdated: Expiration.formatTimestamp(issued.issuedAt),
        Code: 'Success',
      })
    },
  }
}
