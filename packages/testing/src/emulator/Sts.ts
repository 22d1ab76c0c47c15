/**
 * The STS endpoint (RPC style, path `/`): AssumeRole, AssumeRoleWithOIDC (anonymous), GenerateSessionAccessKey
 * (SHA256withRSA) and GetCallerIdentity. It verifies RPC v1 HMAC-SHA1 signatures (REFERENCE §3.2), `ACS3-HMAC-SHA256`
 * V3 signatures as generated Tea SDK clients send them (§11) and RSA signatures, rejects stale timestamps and
 * replayed nonces, and answers errors with the real codes in the gateway's JSON shape.
 *
 * Codes the real service documents are used as is; where it documents none (an OIDC issuer mismatch) the emulator
 * uses the family's pattern (`AuthenticationFail.OIDCToken.IssuerNotMatch`).
 *
 * @since 0.1.0
 */
import { verify } from 'node:crypto'
import { Expiration, Signature } from '@alicred/core'
import type { Directory, Identity, Issued, KeyRecord, Role } from './Directory.js'
import { parseRoleArn } from './Directory.js'
import type { Rng } from './Rng.js'
import { type Incoming, invalid, json, missing, type Reply, type StsError, stsError, stsErrorReply } from './Wire.js'

/** The one API version STS has. @since 0.1.0 */
export const VERSION = '2015-04-01'

/** @since 0.1.0 */
export type StsAction = 'AssumeRole' | 'AssumeRoleWithOIDC' | 'GenerateSessionAccessKey' | 'GetCallerIdentity'

const ACTIONS: ReadonlyArray<StsAction> = [
  'AssumeRole',
  'AssumeRoleWithOIDC',
  'GenerateSessionAccessKey',
  'GetCallerIdentity',
]

/** Query and form parameters together (what RPC v1 signs). @since 0.1.0 */
export const paramsOf = (req: Incoming): Readonly<Record<string, string>> => ({ ...req.form, ...req.query })

/** The action a request asks for (V3 header, else the `Action` parameter), if it is one STS has. @since 0.1.0 */
export const actionOf = (req: Incoming): StsAction | undefined => {
  const a = req.headers['x-acs-action'] ?? paramsOf(req).Action
  return ACTIONS.find((x) => x === a)
}

/** @since 0.1.0 */
export interface StsContext {
  readonly dir: Directory
  readonly now: () => number
  readonly rng: Rng
  /** Accepted clock skew of `Timestamp` / `x-acs-date`, both ways. */
  readonly maxSkewMs: number
}

type Result<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: StsError }
const ok = <A>(value: A): Result<A> => ({ ok: true, value })
const err = <A>(error: StsError): Result<A> => ({ ok: false, error })

const SIGNATURE_PREFIX = 'Specified signature is not matched with our calculation. server string to sign is:'
const NO_PERMISSION = stsError(403, 'NoPermission', 'No permission perform sts:AssumeRole on this Role.')

const oidcInvalid = (message: string): StsError => stsError(401, 'AuthenticationFail.OIDCToken.Invalid', message)

/**
 * The STS handler. Remembers nonces for twice the skew window (older ones fail the timestamp check anyway).
 *
 * @since 0.1.0
 */
export const sts = (ctx: StsContext): ((req: Incoming) => Promise<Reply>) => {
  const { dir, now } = ctx
  const nonces = new Map<string, number>()

  const useNonce = (accessKeyId: string, nonce: string): Result<void> => {
    const t = now()
    for (const [k, at] of nonces) if (at < t - 2 * ctx.maxSkewMs) nonces.delete(k)
    const k = `${accessKeyId}\n${nonce}`
    if (nonces.has(k)) return err(stsError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'))
    nonces.set(k, t)
    return ok(undefined)
  }

  const checkTimestamp = (ts: string): Result<void> => {
    const parsed = Expiration.parse(ts)
    if (parsed._tag === 'Left') {
      return err(stsError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'))
    }
    if (Math.abs(now() - parsed.right.getTime()) > ctx.maxSkewMs) {
      return err(stsError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'))
    }
    return ok(undefined)
  }

  const checkKey = (accessKeyId: string, token: string | undefined): Result<KeyRecord> => {
    const k = dir.key(accessKeyId)
    if (k === undefined) return err(stsError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'))
    const mismatch = stsError(
      400,
      'InvalidSecurityToken.MismatchWithAccessKey',
      'Specified SecurityToken mismatch with the AccessKey.',
    )
    if (k.kind !== 'sts') return token === undefined || token === '' ? ok(k) : err(mismatch)
    if (token === undefined || token === '') {
      return err(stsError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.'))
    }
    if (token !== k.securityToken) return err(mismatch)
    if (now() >= (k.expiresAt ?? 0)) {
      return err(stsError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.'))
    }
    return ok(k)
  }

  const required = (params: Readonly<Record<string, string>>, names: ReadonlyArray<string>): Result<void> => {
    const absent = names.find((n) => params[n] === undefined || params[n] === '')
    return absent === undefined ? ok(undefined) : err(missing(absent))
  }

  // RPC v1: HMAC-SHA1 (or SHA256withRSA for key pairs) over METHOD&%2F&canonical(query ∪ form).
  const verifyRpc = async (
    req: Incoming,
    method: 'HMAC-SHA1' | 'SHA256withRSA',
  ): Promise<Result<{ readonly accessKeyId: string; readonly key?: KeyRecord }>> => {
    const p = paramsOf(req)
    const req1 = required(p, [
      'AccessKeyId',
      'Signature',
      'SignatureMethod',
      'SignatureNonce',
      'SignatureVersion',
      'Timestamp',
    ])
    if (!req1.ok) return req1
    if (p.SignatureMethod !== method) return err(invalid('SignatureMethod'))
    if (p.SignatureVersion !== '1.0') return err(invalid('SignatureVersion'))
    const ts = checkTimestamp(p.Timestamp!)
    if (!ts.ok) return ts
    const accessKeyId = p.AccessKeyId!
    const toSign = Signature.stringToSign(req.method, p)
    let key: KeyRecord | undefined
    let good: boolean
    if (method === 'HMAC-SHA1') {
      const k = checkKey(accessKeyId, p.SecurityToken)
      if (!k.ok) return k
      key = k.value
      good = (await Signature.hmacSha1Base64(toSign, `${k.value.accessKeySecret}&`)) === p.Signature
    } else {
      if (p.SignatureType !== 'PRIVATEKEY') return err(invalid('SignatureType'))
      const pair = dir.keyPair(accessKeyId)
      if (pair === undefined) {
        return err(stsError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'))
      }
      good = verify('RSA-SHA256', Buffer.from(toSign), pair.key, Buffer.from(p.Signature!, 'base64'))
    }
    if (!good) return err(stsError(400, 'SignatureDoesNotMatch', `${SIGNATURE_PREFIX}${toSign}`))
    const n = useNonce(accessKeyId, p.SignatureNonce!)
    if (!n.ok) return n
    return ok(key === undefined ? { accessKeyId } : { accessKeyId, key })
  }

  // V3: ACS3-HMAC-SHA256 over the canonical request, as @alicloud/openapi-util builds it.
  const verifyV3 = async (
    req: Incoming,
  ): Promise<Result<{ readonly accessKeyId: string; readonly key: KeyRecord }>> => {
    const incomplete = stsError(
      400,
      'IncompleteSignature',
      'The request signature does not conform to Aliyun standards.',
    )
    const m = /^ACS3-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec(
      (req.headers.authorization ?? '').trim(),
    )
    if (m === null) return err(incomplete)
    const [, accessKeyId, signedList, signature] = m as unknown as [string, string, string, string]
    const signed = signedList.split(';')
    const mustSign = Object.keys(req.headers).filter((h) => h === 'host' || h.startsWith('x-acs-'))
    if (mustSign.some((h) => !signed.includes(h)) || signed.some((h) => h !== h.toLowerCase())) return err(incomplete)
    const req1 = required(req.headers, ['x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'])
    if (!req1.ok) return req1
    const ts = checkTimestamp(req.headers['x-acs-date']!)
    if (!ts.ok) return ts
    const k = checkKey(accessKeyId, req.headers['x-acs-security-token'])
    if (!k.ok) return k
    const payloadHash = req.headers['x-acs-content-sha256']!
    if ((await Signature.sha256Hex(req.body)) !== payloadHash) {
      return err(stsError(400, 'SignatureDoesNotMatch', 'The x-acs-content-sha256 header does not match the body.'))
    }
    const query = Object.keys(req.query)
      .sort()
      .map((q) => `${Signature.percentEncode(q)}=${Signature.percentEncode(req.query[q]!)}`)
      .join('&')
    const headers = signed.map((h) => `${h}:${(req.headers[h] ?? '').trim()}\n`).join('')
    const canonical = [req.method, req.path, query, headers, signed.join(';'), payloadHash].join('\n')
    const toSign = `ACS3-HMAC-SHA256\n${await Signature.sha256Hex(canonical)}`
    if ((await Signature.hmacSha256Hex(toSign, k.value.accessKeySecret)) !== signature) {
      return err(stsError(400, 'SignatureDoesNotMatch', `${SIGNATURE_PREFIX}${toSign}`))
    }
    const n = useNonce(accessKeyId, req.headers['x-acs-signature-nonce']!)
    if (!n.ok) return n
    return ok({ accessKeyId, key: k.value })
  }

  const authenticate = (req: Incoming): Promise<Result<{ readonly accessKeyId: string; readonly key: KeyRecord }>> =>
    (req.headers.authorization ?? '').startsWith('ACS3-')
      ? verifyV3(req)
      : (verifyRpc(req, 'HMAC-SHA1') as Promise<Result<{ readonly accessKeyId: string; readonly key: KeyRecord }>>)

  const duration = (raw: string | undefined, max: number, min = 900): Result<number> => {
    const d = raw === undefined || raw === '' ? 3600 : /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN
    const hr = max % 3600 === 0 ? `${max / 3600}hr` : `${max}s`
    return Number.isInteger(d) && d >= min && d <= max
      ? ok(d)
      : err(stsError(400, 'InvalidParameter.DurationSeconds', `The Min/Max value of DurationSeconds is 15min/${hr}.`))
  }

  const checkPolicy = (policy: string | undefined): Result<void> => {
    if (policy === undefined) return ok(undefined)
    try {
      const v: unknown = JSON.parse(policy)
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return ok(undefined)
    } catch {}
    return err(stsError(400, 'InvalidParameter.PolicyGrammar', 'The parameter Policy has not passed grammar check.'))
  }

  const roleOf = (arn: string): Result<Role> => {
    if (parseRoleArn(arn) === undefined) {
      return err(stsError(400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.'))
    }
    const r = dir.role(arn)
    return r === undefined ? err(stsError(404, 'EntityNotExist.Role', `The specified Role not exists: ${arn}.`)) : ok(r)
  }

  const checkSessionName = (name: string): Result<void> =>
    /^[\w.@-]{2,64}$/.test(name)
      ? ok(undefined)
      : err(stsError(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.'))

  const credentialsBody = (requestId: string, role: Role, session: string, issued: Issued) => ({
    RequestId: requestId,
    AssumedRoleUser: { Arn: `${role.arn}/${session}`, AssumedRoleId: `${role.roleId}:${session}` },
    Credentials: {
      AccessKeyId: issued.key.accessKeyId,
      AccessKeySecret: issued.key.accessKeySecret,
      SecurityToken: issued.key.securityToken,
      Expiration: issued.expiration,
    },
  })

  const assumeRole = (caller: Identity, p: Readonly<Record<string, string>>, requestId: string): Result<unknown> => {
    if (caller.identityType === 'Account') {
      return err(stsError(403, 'NoPermission', 'Roles may not be assumed by root accounts.'))
    }
    const req1 = required(p, ['RoleArn', 'RoleSessionName'])
    if (!req1.ok) return req1
    const role = roleOf(p.RoleArn!)
    if (!role.ok) return role
    const name = checkSessionName(p.RoleSessionName!)
    if (!name.ok) return name
    const chained = caller.identityType === 'AssumedRoleUser'
    const d = duration(
      p.DurationSeconds,
      chained ? Math.min(3600, role.value.maxSessionDurationSeconds) : role.value.maxSessionDurationSeconds,
    )
    if (!d.ok) return d
    const pol = checkPolicy(p.Policy)
    if (!pol.ok) return pol
    if (!dir.trusts(role.value, caller)) return err(NO_PERMISSION)
    if (role.value.externalId !== undefined && p.ExternalId !== role.value.externalId) return err(NO_PERMISSION)
    const issued = dir.issueSts(role.value, p.RoleSessionName!, d.value)
    return ok(credentialsBody(requestId, role.value, p.RoleSessionName!, issued))
  }

  const assumeRoleWithOidc = (req: Incoming, requestId: string): Result<unknown> => {
    const p = paramsOf(req)
    const ts = p.Timestamp ?? req.headers['x-acs-date']
    if (ts === undefined) return err(missing('Timestamp'))
    const t = checkTimestamp(ts)
    if (!t.ok) return t
    const req1 = required(p, ['OIDCProviderArn', 'RoleArn'])
    if (!req1.ok) return req1
    const token = p.OIDCToken ?? ''
    if (token.trim() === '') return err(oidcInvalid('The OIDCToken can not empty.'))
    const provider = dir.oidcProvider(p.OIDCProviderArn!)
    if (provider === undefined) {
      return err(stsError(401, 'AuthenticationFail.NoPermission', 'No such OIDC Provider registered.'))
    }
    const parts = token.trim().split('.')
    if (parts.length !== 3) {
      return err(oidcInvalid("The number of Jwt field should be divided into 3 parts with '.' ."))
    }
    const decode = (s: string): unknown => {
      if (!/^[A-Za-z0-9_-]+={0,2}$/.test(s)) throw new Error('not base64url')
      return JSON.parse(Buffer.from(s, 'base64url').toString('utf8'))
    }
    let claims: Record<string, unknown>
    try {
      decode(parts[0]!)
      const c = decode(parts[1]!)
      if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new Error('not an object')
      claims = c as Record<string, unknown>
    } catch {
      return err(oidcInvalid('Cannot decode base64 encoded response(format invalided).'))
    }
    const { iss, sub, exp, iat, aud } = claims
    const audiences =
      typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : []
    if (typeof iss !== 'string' || typeof sub !== 'string' || typeof exp !== 'number') {
      return err(oidcInvalid('The Jwt content is invalid that cannot be recognized.'))
    }
    if (exp * 1000 <= now()) {
      return err(stsError(401, 'AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.'))
    }
    if (provider.issuer !== undefined && provider.issuer !== iss) {
      return err(stsError(401, 'AuthenticationFail.OIDCToken.IssuerNotMatch', 'Invalid issuer.'))
    }
    if (provider.audiences !== undefined && !audiences.some((a) => provider.audiences!.includes(a))) {
      return err(stsError(401, 'AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.'))
    }
    const role = roleOf(p.RoleArn!)
    if (!role.ok) return role
    if (role.value.oidcProviderArns !== undefined && !role.value.oidcProviderArns.includes(provider.arn)) {
      return err(stsError(401, 'AuthenticationFail.NoPermission', 'There is no permission'))
    }
    const session = p.RoleSessionName ?? `oidc-${ctx.rng.chars(8, '0123456789abcdef')}`
    const name = checkSessionName(session)
    if (!name.ok) return name
    const d = duration(p.DurationSeconds, role.value.maxSessionDurationSeconds)
    if (!d.ok) return d
    const pol = checkPolicy(p.Policy)
    if (!pol.ok) return pol
    const issued = dir.issueSts(role.value, session, d.value)
    return ok({
      ...credentialsBody(requestId, role.value, session, issued),
      OIDCTokenInfo: {
        Subject: sub,
        Issuer: iss,
        ClientIds: audiences.join(','),
        ExpirationTime: Expiration.formatTimestamp(exp * 1000),
        ...(typeof iat === 'number' ? { IssuanceTime: Expiration.formatTimestamp(iat * 1000) } : {}),
      },
    })
  }

  const callerIdentity = (id: Identity, requestId: string) => ({
    RequestId: requestId,
    AccountId: id.accountId,
    UserId: id.userId,
    Arn: id.arn,
    IdentityType: id.identityType,
    PrincipalId: id.principalId,
    ...(id.roleId === undefined ? {} : { RoleId: id.roleId }),
  })

  return async (req) => {
    const requestId = ctx.rng.requestId()
    const host = req.headers.host ?? 'sts.aliyuncs.com'
    const fail = (e: StsError, accessKeyId?: string): Reply => stsErrorReply(e, requestId, host, accessKeyId)
    const p = paramsOf(req)
    const action = req.headers['x-acs-action'] ?? p.Action
    if (action === undefined || action === '') return fail(missing('Action'))
    const version = req.headers['x-acs-version'] ?? p.Version
    if (version === undefined || version === '') return fail(missing('Version'))
    if (version !== VERSION) return fail(stsError(400, 'InvalidVersion', 'Specified parameter Version is not valid.'))
    switch (actionOf(req)) {
      case 'AssumeRoleWithOIDC': {
        const r = assumeRoleWithOidc(req, requestId)
        return r.ok ? json(200, r.value) : fail(r.error)
      }
      case 'GenerateSessionAccessKey': {
        const a = await verifyRpc(req, 'SHA256withRSA')
        if (!a.ok) return fail(a.error, p.AccessKeyId)
        const pair = dir.keyPair(a.value.accessKeyId)!
        const d = duration(p.DurationSeconds, 3600)
        if (!d.ok) return fail(d.error, a.value.accessKeyId)
        const issued = dir.issueSession(pair.accountId, d.value)
        return json(
          200,
          {
            RequestId: requestId,
            SessionAccessKey: {
              SessionAccessKeyId: issued.key.accessKeyId,
              SessionAccessKeySecret: issued.key.accessKeySecret,
              Expiration: issued.expiration,
            },
          },
          { accessKeyId: a.value.accessKeyId },
        )
      }
      case 'AssumeRole':
      case 'GetCallerIdentity': {
        const a = await authenticate(req)
        const claimed = p.AccessKeyId ?? /Credential=([^,\s]+)/.exec(req.headers.authorization ?? '')?.[1]
        if (!a.ok) return fail(a.error, claimed)
        const id = a.value.key.identity
        const who = { accessKeyId: a.value.accessKeyId }
        if (action === 'GetCallerIdentity') return json(200, callerIdentity(id, requestId), who)
        const r = assumeRole(id, p, requestId)
        return r.ok ? json(200, r.value, who) : fail(r.error, a.value.accessKeyId)
      }
      default:
        return fail(
          stsError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
        )
    }
  }
}
