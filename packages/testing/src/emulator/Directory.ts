/**
 * The emulator's account directory: who exists (AccessKeys of RAM users and root accounts, roles, OIDC providers,
 * RSA key pairs) and every credential it has issued (STS triples, session AccessKeys). Every issuing endpoint —
 * STS, IMDS, credentials URI, CloudSSO, OAuth — registers what it hands out here, so those credentials can call
 * STS again (role chaining, GetCallerIdentity) until the emulator's clock passes their expiry.
 *
 * @since 0.1.0
 */
import { createPublicKey, type KeyObject } from 'node:crypto'
import { Expiration } from '@alicred/core'
import { ALNUM, DIGITS, type Rng } from './Rng.js'

/** What GetCallerIdentity reports. @category emulator @since 0.1.0 */
export interface Identity {
  readonly accountId: string
  readonly identityType: 'Account' | 'RAMUser' | 'AssumedRoleUser'
  readonly userId: string
  readonly arn: string
  readonly principalId: string
  /** For an assumed role. */
  readonly roleId?: string
  /** For an assumed role: the role's ARN (trust policies name roles, not sessions). */
  readonly roleArn?: string
}

/** An AccessKey the emulator accepts. @since 0.1.0 */
export interface KeyRecord {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  /** Present exactly for STS credentials. */
  readonly securityToken?: string
  /** Epoch ms; absent for permanent keys. */
  readonly expiresAt?: number
  readonly kind: 'permanent' | 'sts' | 'session'
  readonly identity: Identity
}

/** A permanent AccessKey of a RAM user (default) or of a root account. @category emulator @since 0.1.0 */
export interface AccessKeySpec {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  /** Default: the emulator's `accountId`. */
  readonly accountId?: string
  /** RAM user name; default `user-<accessKeyId>`. Ignored for `root`. */
  readonly userName?: string
  /** The key belongs to the root account (such keys may not assume roles). */
  readonly root?: boolean
}

/**
 * STS credentials given rather than issued (to test a `static_sts` source, or a token from elsewhere).
 *
 * @category emulator
 * @since 0.1.0
 */
export interface StsCredentialsSpec {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken: string
  /** Epoch ms on the emulator's clock; default: never. */
  readonly expiresAt?: number
  /** The role they are a session of (registered with defaults if absent). */
  readonly roleArn: string
  /** Default `session`. */
  readonly sessionName?: string
}

/** A RAM role. @category emulator @since 0.1.0 */
export interface RoleSpec {
  /** `acs:ram::<account>:role/<name>`. */
  readonly roleArn: string
  /** Default: a generated 19-digit id. */
  readonly roleId?: string
  /** 900..43200; default 3600. Role chaining is capped at 3600 like the real service. */
  readonly maxSessionDurationSeconds?: number
  /**
   * ARNs trusted by the role's trust policy: a user ARN, a role ARN (any session of it), or `acs:ram::<id>:root`
   * (anyone in that account). Default: everyone.
   */
  readonly trustedPrincipals?: ReadonlyArray<string>
  /** When set, AssumeRole must send this `ExternalId`. */
  readonly externalId?: string
  /** OIDC providers allowed to assume the role. Default: any registered one. */
  readonly oidcProviderArns?: ReadonlyArray<string>
}

/** A RAM OIDC identity provider. @category emulator @since 0.1.0 */
export interface OidcProviderSpec {
  /** `acs:ram::<account>:oidc-provider/<name>`. */
  readonly arn: string
  /** When set, the token's `iss` must equal it. */
  readonly issuer?: string
  /** When set, the token's `aud` must contain one of them (the console's "client IDs"). */
  readonly audiences?: ReadonlyArray<string>
}

/** An RSA key pair registered for GenerateSessionAccessKey. @category emulator @since 0.1.0 */
export interface KeyPairSpec {
  readonly publicKeyId: string
  /** PEM (SPKI or PKCS#1) text, or a Node `KeyObject`. */
  readonly publicKey: string | KeyObject
  /** Default: the emulator's `accountId`. Key pairs belong to root accounts. */
  readonly accountId?: string
}

/** A registered role. @category emulator @since 0.1.0 */
export interface Role {
  readonly arn: string
  readonly accountId: string
  readonly name: string
  readonly roleId: string
  readonly maxSessionDurationSeconds: number
  readonly trustedPrincipals?: ReadonlyArray<string>
  readonly externalId?: string
  readonly oidcProviderArns?: ReadonlyArray<string>
}

const ROLE_ARN = /^acs:ram::(\d+):role\/([^/]+)$/i

/** Splits a role ARN; `undefined` when it is not one. @since 0.1.0 */
export const parseRoleArn = (arn: string): { readonly accountId: string; readonly name: string } | undefined => {
  const m = ROLE_ARN.exec(arn)
  return m === null ? undefined : { accountId: m[1]!, name: m[2]! }
}

/** Issued STS credentials, as every endpoint puts them on the wire (field names differ per endpoint). @since 0.1.0 */
export interface Issued {
  readonly key: KeyRecord
  readonly issuedAt: number
  readonly expiration: string
}

/** @since 0.1.0 */
export interface Directory {
  readonly accountId: string
  readonly addAccessKey: (spec: AccessKeySpec) => Identity
  readonly removeAccessKey: (accessKeyId: string) => void
  readonly addStsCredentials: (spec: StsCredentialsSpec) => Identity
  readonly addRole: (spec: RoleSpec) => Role
  readonly role: (arn: string) => Role | undefined
  /** The role, registered with defaults if absent (IMDS, URI, CloudSSO and OAuth name roles implicitly). */
  readonly ensureRole: (arn: string) => Role
  readonly addOidcProvider: (spec: OidcProviderSpec) => void
  readonly oidcProvider: (arn: string) => OidcProviderSpec | undefined
  readonly addKeyPair: (spec: KeyPairSpec) => void
  readonly keyPair: (publicKeyId: string) => { readonly key: KeyObject; readonly accountId: string } | undefined
  /** A live key, or `undefined`. Expired STS keys stay visible so the caller can say "expired". */
  readonly key: (accessKeyId: string) => KeyRecord | undefined
  /** Issues an STS triple for a session of `role`. */
  readonly issueSts: (role: Role, sessionName: string, durationSeconds: number) => Issued
  /** Issues a session AccessKey pair (GenerateSessionAccessKey). */
  readonly issueSession: (accountId: string, durationSeconds: number) => Issued
  readonly trusts: (role: Role, caller: Identity) => boolean
}

// Validates a role spec and fills in its defaults (a generated id, a one-hour maximum session).
const roleFrom = (spec: RoleSpec, rng: Rng): Role => {
  const parsed = parseRoleArn(spec.roleArn)
  if (parsed === undefined) throw new TypeError('roleArn must look like acs:ram::<account id>:role/<role name>')
  const max = spec.maxSessionDurationSeconds ?? 3600
  if (!Number.isInteger(max) || max < 900 || max > 43200) {
    throw new RangeError('maxSessionDurationSeconds must be an integer in 900..43200')
  }
  return {
    arn: spec.roleArn,
    accountId: parsed.accountId,
    name: parsed.name,
    roleId: spec.roleId ?? `3${rng.chars(18, DIGITS)}`,
    maxSessionDurationSeconds: max,
    ...(spec.trustedPrincipals === undefined ? {} : { trustedPrincipals: spec.trustedPrincipals }),
    ...(spec.externalId === undefined ? {} : { externalId: spec.externalId }),
    ...(spec.oidcProviderArns === undefined ? {} : { oidcProviderArns: spec.oidcProviderArns }),
  }
}

const rootIdentity = (acct: string): Identity => ({
  accountId: acct,
  identityType: 'Account',
  userId: acct,
  arn: `acs:ram::${acct}:root`,
  principalId: acct,
})

const permanentKey = (spec: AccessKeySpec, defaultAccount: string, rng: Rng): KeyRecord => {
  const acct = spec.accountId ?? defaultAccount
  const userId = spec.root === true ? acct : `2${rng.chars(15, DIGITS)}`
  const identity: Identity =
    spec.root === true
      ? rootIdentity(acct)
      : {
          accountId: acct,
          identityType: 'RAMUser',
          userId,
          arn: `acs:ram::${acct}:user/${spec.userName ?? `user-${spec.accessKeyId}`}`,
          principalId: userId,
        }
  return { accessKeyId: spec.accessKeyId, accessKeySecret: spec.accessKeySecret, kind: 'permanent', identity }
}

// An STS key is a session of a role: it authenticates as `assumed-role/<role>/<session>`.
const stsKey = (
  r: Role,
  sessionName: string,
  k: { accessKeyId: string; accessKeySecret: string; securityToken: string; expiresAt: number },
): KeyRecord => {
  const userId = `${r.roleId}:${sessionName}`
  return {
    ...k,
    kind: 'sts',
    identity: {
      accountId: r.accountId,
      identityType: 'AssumedRoleUser',
      userId,
      arn: `acs:ram::${r.accountId}:assumed-role/${r.name}/${sessionName}`,
      principalId: userId,
      roleId: r.roleId,
      roleArn: r.arn,
    },
  }
}

// Prefixed like real STS credentials (`STS.`, `CAIS`) so they read as such in logs and tests.
const drawStsSecrets = (rng: Rng, expiresAt: number) => ({
  accessKeyId: `STS.${rng.chars(25, ALNUM)}`,
  accessKeySecret: rng.chars(44, ALNUM),
  securityToken: `CAIS${rng.chars(300, ALNUM)}`,
  expiresAt,
})

// Session AccessKeys belong to the root account of the key pair that asked for them.
const sessionKey = (acct: string, rng: Rng, expiresAt: number): KeyRecord => ({
  accessKeyId: `TMPSK.${rng.chars(24, ALNUM)}`,
  accessKeySecret: rng.chars(30, ALNUM),
  expiresAt,
  kind: 'session',
  identity: rootIdentity(acct),
})

// A trust policy names users, roles (any session of them) or a whole account; no policy trusts everyone.
const trusts = (r: Role, caller: Identity): boolean =>
  r.trustedPrincipals === undefined ||
  r.trustedPrincipals.some(
    (p) =>
      p === caller.arn ||
      p === `acs:ram::${caller.accountId}:root` ||
      (caller.roleArn !== undefined && p.toLowerCase() === caller.roleArn.toLowerCase()),
  )

/**
 * A fresh directory. `now` is the emulator's clock; `rng` draws ids and secrets.
 *
 * @since 0.1.0
 */
export const directory = (accountId: string, now: () => number, rng: Rng): Directory => {
  const keys = new Map<string, KeyRecord>()
  const roles = new Map<string, Role>()
  const oidc = new Map<string, OidcProviderSpec>()
  const keyPairs = new Map<string, { key: KeyObject; accountId: string }>()

  const addRole = (spec: RoleSpec): Role => {
    const role = roleFrom(spec, rng)
    // Role names are case-insensitive in RAM.
    roles.set(role.arn.toLowerCase(), role)
    return role
  }
  const role = (arn: string): Role | undefined => roles.get(arn.toLowerCase())
  const ensureRole = (arn: string): Role => role(arn) ?? addRole({ roleArn: arn })

  const register = (key: KeyRecord): KeyRecord => {
    keys.set(key.accessKeyId, key)
    return key
  }
  const issued = (key: KeyRecord, issuedAt: number): Issued => ({
    key: register(key),
    issuedAt,
    expiration: Expiration.formatTimestamp(key.expiresAt ?? issuedAt),
  })

  const liveKey = (id: string): KeyRecord | undefined => {
    const k = keys.get(id)
    // Session AccessKeys simply stop existing; STS keys linger so the error can say "expired".
    if (k !== undefined && k.kind === 'session' && k.expiresAt !== undefined && now() >= k.expiresAt) {
      keys.delete(id)
      return undefined
    }
    return k
  }

  return {
    accountId,
    addAccessKey: (spec) => register(permanentKey(spec, accountId, rng)).identity,
    removeAccessKey: (id) => {
      keys.delete(id)
    },
    addStsCredentials: (spec) => {
      const { accessKeyId, accessKeySecret, securityToken } = spec
      const expiresAt = spec.expiresAt ?? Number.POSITIVE_INFINITY
      const k = stsKey(ensureRole(spec.roleArn), spec.sessionName ?? 'session', {
        accessKeyId,
        accessKeySecret,
        securityToken,
        expiresAt,
      })
      return register(k).identity
    },
    addRole,
    role,
    ensureRole,
    addOidcProvider: (spec) => {
      oidc.set(spec.arn, spec)
    },
    oidcProvider: (arn) => oidc.get(arn),
    addKeyPair: (spec) => {
      const key = typeof spec.publicKey === 'string' ? createPublicKey(spec.publicKey) : spec.publicKey
      keyPairs.set(spec.publicKeyId, { key, accountId: spec.accountId ?? accountId })
    },
    keyPair: (id) => keyPairs.get(id),
    key: liveKey,
    issueSts: (r, sessionName, durationSeconds) => {
      const t = now()
      return issued(stsKey(r, sessionName, drawStsSecrets(rng, t + durationSeconds * 1000)), t)
    },
    issueSession: (acct, durationSeconds) => {
      const t = now()
      return issued(sessionKey(acct, rng, t + durationSeconds * 1000), t)
    },
    trusts,
  }
}
