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
import type { Directory, Identity, Issued, KeyRecord, OidcProviderSpec, Role } from './Directory.js'
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

type Params = Readonly<Record<string, string>>

/** Renders an error answer; the key id only feeds the request log. */
type Fail = (e: StsError, accessKeyId?: string) => Reply

/** The handler's context plus the nonce memory every signature check shares. */
interface Service extends StsContext {
  readonly useNonce: (accessKeyId: string, nonce: string) => Result<void>
}

/** A request whose signature checked out with a key the directory holds. */
interface Authenticated {
  readonly accessKeyId: string
  readonly key: KeyRecord
}

const SIGNATURE_PREFIX = 'Specified signature is not matched with our calculation. server string to sign is:'
const NO_PERMISSION = stsError(403, 'NoPermission', 'No permission perform sts:AssumeRole on this Role.')
const KEY_NOT_FOUND = stsError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.')
const INCOMPLETE_SIGNATURE = stsError(
  400,
  'IncompleteSignature',
  'The request signature does not conform to Aliyun standards.',
)

const oidcInvalid = (message: string): StsError => stsError(401, 'AuthenticationFail.OIDCToken.Invalid', message)
const signatureMismatch = (toSign: string): StsError =>
  stsError(400, 'SignatureDoesNotMatch', `${SIGNATURE_PREFIX}${toSign}`)

// ── Checks of single parameters ──────────────────────────────────────────────────────────────────────────────────

const required = (params: Params, names: ReadonlyArray<string>): Result<void> => {
  const absent = names.find((n) => params[n] === undefined || params[n] === '')
  return absent === undefined ? ok(undefined) : err(missing(absent))
}

const checkTimestamp = (svc: Service, ts: string): Result<void> => {
  const parsed = Expiration.parse(ts)
  if (parsed._tag === 'Left') {
    return err(stsError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'))
  }
  if (Math.abs(svc.now() - parsed.right.getTime()) > svc.maxSkewMs) {
    return err(stsError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'))
  }
  return ok(undefined)
}

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

const checkSessionName = (name: string): Result<void> =>
  /^[\w.@-]{2,64}$/.test(name)
    ? ok(undefined)
    : err(stsError(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.'))

// What both AssumeRole flavours check of the session asked for, in the service's order; the granted seconds.
const sessionGrant = (sessionName: string, p: Params, maxSeconds: number): Result<number> => {
  const name = checkSessionName(sessionName)
  if (!name.ok) return name
  const d = duration(p.DurationSeconds, maxSeconds)
  if (!d.ok) return d
  const pol = checkPolicy(p.Policy)
  return pol.ok ? d : pol
}

const roleOf = (dir: Directory, arn: string): Result<Role> => {
  if (parseRoleArn(arn) === undefined) {
    return err(stsError(400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.'))
  }
  const r = dir.role(arn)
  return r === undefined ? err(stsError(404, 'EntityNotExist.Role', `The specified Role not exists: ${arn}.`)) : ok(r)
}

// ── Who signed ───────────────────────────────────────────────────────────────────────────────────────────────────

// Nonces are remembered for twice the skew window: older ones fail the timestamp check anyway.
const nonceMemory = (ctx: StsContext): Service['useNonce'] => {
  const nonces = new Map<string, number>()
  return (accessKeyId, nonce) => {
    const t = ctx.now()
    for (const [k, at] of nonces) if (at < t - 2 * ctx.maxSkewMs) nonces.delete(k)
    const k = `${accessKeyId}\n${nonce}`
    if (nonces.has(k)) return err(stsError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'))
    nonces.set(k, t)
    return ok(undefined)
  }
}

// The key must exist, carry a token exactly when it is an STS key, and (for STS keys) not be expired.
const checkKey = (svc: Service, accessKeyId: string, token: string | undefined): Result<KeyRecord> => {
  const k = svc.dir.key(accessKeyId)
  if (k === undefined) return err(KEY_NOT_FOUND)
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
  if (svc.now() >= (k.expiresAt ?? 0)) {
    return err(stsError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.'))
  }
  return ok(k)
}

// A nonce is spent only by a request whose signature matched, so a forged request cannot burn a real one.
const acceptSignature = (
  svc: Service,
  matched: boolean,
  toSign: string,
  accessKeyId: string,
  nonce: string,
): Result<void> => (matched ? svc.useNonce(accessKeyId, nonce) : err(signatureMismatch(toSign)))

const RPC_SIGNATURE_PARAMS = [
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureVersion',
  'Timestamp',
]

// What every RPC v1 request must carry, whichever key signs it; the signed parameters.
const rpcSignedParams = (svc: Service, req: Incoming, method: 'HMAC-SHA1' | 'SHA256withRSA'): Result<Params> => {
  const p = paramsOf(req)
  const present = required(p, RPC_SIGNATURE_PARAMS)
  if (!present.ok) return present
  if (p.SignatureMethod !== method) return err(invalid('SignatureMethod'))
  if (p.SignatureVersion !== '1.0') return err(invalid('SignatureVersion'))
  const ts = checkTimestamp(svc, p.Timestamp!)
  return ts.ok ? ok(p) : ts
}

// RPC v1 with an AccessKey: HMAC-SHA1 over METHOD&%2F&canonical(query ∪ form), keyed by `secret&`.
const verifyRpcHmac = async (svc: Service, req: Incoming): Promise<Result<Authenticated>> => {
  const checked = rpcSignedParams(svc, req, 'HMAC-SHA1')
  if (!checked.ok) return checked
  const p = checked.value
  const accessKeyId = p.AccessKeyId!
  const toSign = Signature.stringToSign(req.method, p)
  const k = checkKey(svc, accessKeyId, p.SecurityToken)
  if (!k.ok) return k
  const matched = (await Signature.hmacSha1Base64(toSign, `${k.value.accessKeySecret}&`)) === p.Signature
  const accepted = acceptSignature(svc, matched, toSign, accessKeyId, p.SignatureNonce!)
  return accepted.ok ? ok({ accessKeyId, key: k.value }) : accepted
}

// RPC v1 with a registered RSA key pair (GenerateSessionAccessKey): SHA256withRSA over the same string.
const verifyRpcRsa = (
  svc: Service,
  req: Incoming,
): Result<{ readonly accessKeyId: string; readonly accountId: string }> => {
  const checked = rpcSignedParams(svc, req, 'SHA256withRSA')
  if (!checked.ok) return checked
  const p = checked.value
  const accessKeyId = p.AccessKeyId!
  const toSign = Signature.stringToSign(req.method, p)
  if (p.SignatureType !== 'PRIVATEKEY') return err(invalid('SignatureType'))
  const pair = svc.dir.keyPair(accessKeyId)
  if (pair === undefined) return err(KEY_NOT_FOUND)
  const matched = verify('RSA-SHA256', Buffer.from(toSign), pair.key, Buffer.from(p.Signature!, 'base64'))
  const accepted = acceptSignature(svc, matched, toSign, accessKeyId, p.SignatureNonce!)
  return accepted.ok ? ok({ accessKeyId, accountId: pair.accountId }) : accepted
}

const V3_AUTHORIZATION = /^ACS3-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/

interface V3Authorization {
  readonly accessKeyId: string
  readonly signed: ReadonlyArray<string>
  readonly signature: string
}

// The Authorization header, which must sign `host` and every `x-acs-*` header sent, all named in lower case.
const parseV3Authorization = (req: Incoming): Result<V3Authorization> => {
  const m = V3_AUTHORIZATION.exec((req.headers.authorization ?? '').trim())
  if (m === null) return err(INCOMPLETE_SIGNATURE)
  const [, accessKeyId, signedList, signature] = m as unknown as [string, string, string, string]
  const signed = signedList.split(';')
  const mustSign = Object.keys(req.headers).filter((h) => h === 'host' || h.startsWith('x-acs-'))
  if (mustSign.some((h) => !signed.includes(h)) || signed.some((h) => h !== h.toLowerCase())) {
    return err(INCOMPLETE_SIGNATURE)
  }
  return ok({ accessKeyId, signed, signature })
}

// The canonical request as @alicloud/openapi-util builds it, hashed into the V3 string to sign.
const v3StringToSign = async (req: Incoming, signed: ReadonlyArray<string>, payloadHash: string): Promise<string> => {
  const query = Object.keys(req.query)
    .sort()
    .map((q) => `${Signature.percentEncode(q)}=${Signature.percentEncode(req.query[q]!)}`)
    .join('&')
  const headers = signed.map((h) => `${h}:${(req.headers[h] ?? '').trim()}\n`).join('')
  const canonical = [req.method, req.path, query, headers, signed.join(';'), payloadHash].join('\n')
  return `ACS3-HMAC-SHA256\n${await Signature.sha256Hex(canonical)}`
}

// V3: ACS3-HMAC-SHA256 over the canonical request, as generated Tea SDK clients sign.
const verifyV3 = async (svc: Service, req: Incoming): Promise<Result<Authenticated>> => {
  const auth = parseV3Authorization(req)
  if (!auth.ok) return auth
  const { accessKeyId, signed, signature } = auth.value
  const present = required(req.headers, ['x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'])
  if (!present.ok) return present
  const ts = checkTimestamp(svc, req.headers['x-acs-date']!)
  if (!ts.ok) return ts
  const k = checkKey(svc, accessKeyId, req.headers['x-acs-security-token'])
  if (!k.ok) return k
  const payloadHash = req.headers['x-acs-content-sha256']!
  if ((await Signature.sha256Hex(req.body)) !== payloadHash) {
    return err(stsError(400, 'SignatureDoesNotMatch', 'The x-acs-content-sha256 header does not match the body.'))
  }
  const toSign = await v3StringToSign(req, signed, payloadHash)
  const matched = (await Signature.hmacSha256Hex(toSign, k.value.accessKeySecret)) === signature
  const accepted = acceptSignature(svc, matched, toSign, accessKeyId, req.headers['x-acs-signature-nonce']!)
  return accepted.ok ? ok({ accessKeyId, key: k.value }) : accepted
}

const authenticate = (svc: Service, req: Incoming): Promise<Result<Authenticated>> =>
  (req.headers.authorization ?? '').startsWith('ACS3-') ? verifyV3(svc, req) : verifyRpcHmac(svc, req)

// ── OIDC tokens ──────────────────────────────────────────────────────────────────────────────────────────────────

interface OidcClaims {
  readonly iss: string
  readonly sub: string
  readonly exp: number
  readonly iat?: number
  readonly audiences: ReadonlyArray<string>
}

const decodeJwtPart = (s: string): unknown => {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(s)) throw new Error('not base64url')
  return JSON.parse(Buffer.from(s, 'base64url').toString('utf8'))
}

// The token's payload: three base64url JSON parts, the header and the payload decoding (the signature is not checked).
const jwtPayload = (token: string): Result<Readonly<Record<string, unknown>>> => {
  const parts = token.split('.')
  if (parts.length !== 3) return err(oidcInvalid("The number of Jwt field should be divided into 3 parts with '.' ."))
  try {
    decodeJwtPart(parts[0]!)
    const c = decodeJwtPart(parts[1]!)
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new Error('not an object')
    return ok(c as Record<string, unknown>)
  } catch {
    return err(oidcInvalid('Cannot decode base64 encoded response(format invalided).'))
  }
}

const oidcClaims = (payload: Readonly<Record<string, unknown>>): Result<OidcClaims> => {
  const { iss, sub, exp, iat, aud } = payload
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : []
  if (typeof iss !== 'string' || typeof sub !== 'string' || typeof exp !== 'number') {
    return err(oidcInvalid('The Jwt content is invalid that cannot be recognized.'))
  }
  return ok({ iss, sub, exp, audiences, ...(typeof iat === 'number' ? { iat } : {}) })
}

// A token the provider accepts: well formed, unexpired, from its issuer and for one of its audiences.
const verifyOidcToken = (svc: Service, provider: OidcProviderSpec, token: string): Result<OidcClaims> => {
  const payload = jwtPayload(token)
  if (!payload.ok) return payload
  const claims = oidcClaims(payload.value)
  if (!claims.ok) return claims
  const { iss, exp, audiences } = claims.value
  if (exp * 1000 <= svc.now()) {
    return err(stsError(401, 'AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.'))
  }
  if (provider.issuer !== undefined && provider.issuer !== iss) {
    return err(stsError(401, 'AuthenticationFail.OIDCToken.IssuerNotMatch', 'Invalid issuer.'))
  }
  if (provider.audiences !== undefined && !audiences.some((a) => provider.audiences!.includes(a))) {
    return err(stsError(401, 'AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.'))
  }
  return claims
}

// The role, if it lets this provider's tokens assume it.
const oidcRole = (svc: Service, arn: string, provider: OidcProviderSpec): Result<Role> => {
  const role = roleOf(svc.dir, arn)
  if (!role.ok) return role
  if (role.value.oidcProviderArns !== undefined && !role.value.oidcProviderArns.includes(provider.arn)) {
    return err(stsError(401, 'AuthenticationFail.NoPermission', 'There is no permission'))
  }
  return role
}

// ── Actions ──────────────────────────────────────────────────────────────────────────────────────────────────────

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

const oidcTokenInfo = (claims: OidcClaims) => ({
  Subject: claims.sub,
  Issuer: claims.iss,
  ClientIds: claims.audiences.join(','),
  ExpirationTime: Expiration.formatTimestamp(claims.exp * 1000),
  ...(claims.iat === undefined ? {} : { IssuanceTime: Expiration.formatTimestamp(claims.iat * 1000) }),
})

const callerIdentity = (id: Identity, requestId: string) => ({
  RequestId: requestId,
  AccountId: id.accountId,
  UserId: id.userId,
  Arn: id.arn,
  IdentityType: id.identityType,
  PrincipalId: id.principalId,
  ...(id.roleId === undefined ? {} : { RoleId: id.roleId }),
})

const assumeRole = (svc: Service, caller: Identity, p: Params, requestId: string): Result<unknown> => {
  if (caller.identityType === 'Account') {
    return err(stsError(403, 'NoPermission', 'Roles may not be assumed by root accounts.'))
  }
  const present = required(p, ['RoleArn', 'RoleSessionName'])
  if (!present.ok) return present
  const role = roleOf(svc.dir, p.RoleArn!)
  if (!role.ok) return role
  // Role chaining (an assumed role assuming another) is capped at an hour whatever the role allows.
  const max = role.value.maxSessionDurationSeconds
  const granted = sessionGrant(
    p.RoleSessionName!,
    p,
    caller.identityType === 'AssumedRoleUser' ? Math.min(3600, max) : max,
  )
  if (!granted.ok) return granted
  if (!svc.dir.trusts(role.value, caller)) return err(NO_PERMISSION)
  if (role.value.externalId !== undefined && p.ExternalId !== role.value.externalId) return err(NO_PERMISSION)
  const issued = svc.dir.issueSts(role.value, p.RoleSessionName!, granted.value)
  return ok(credentialsBody(requestId, role.value, p.RoleSessionName!, issued))
}

// Anonymous: the OIDC token stands in for a signature, so only the timestamp is checked of the envelope.
const assumeRoleWithOidc = (svc: Service, req: Incoming, requestId: string): Result<unknown> => {
  const p = paramsOf(req)
  const ts = p.Timestamp ?? req.headers['x-acs-date']
  if (ts === undefined) return err(missing('Timestamp'))
  const t = checkTimestamp(svc, ts)
  if (!t.ok) return t
  const present = required(p, ['OIDCProviderArn', 'RoleArn'])
  if (!present.ok) return present
  const token = (p.OIDCToken ?? '').trim()
  if (token === '') return err(oidcInvalid('The OIDCToken can not empty.'))
  const provider = svc.dir.oidcProvider(p.OIDCProviderArn!)
  if (provider === undefined) {
    return err(stsError(401, 'AuthenticationFail.NoPermission', 'No such OIDC Provider registered.'))
  }
  const claims = verifyOidcToken(svc, provider, token)
  if (!claims.ok) return claims
  const role = oidcRole(svc, p.RoleArn!, provider)
  if (!role.ok) return role
  const session = p.RoleSessionName ?? `oidc-${svc.rng.chars(8, '0123456789abcdef')}`
  const granted = sessionGrant(session, p, role.value.maxSessionDurationSeconds)
  if (!granted.ok) return granted
  const issued = svc.dir.issueSts(role.value, session, granted.value)
  return ok({ ...credentialsBody(requestId, role.value, session, issued), OIDCTokenInfo: oidcTokenInfo(claims.value) })
}

const generateSessionAccessKey = (svc: Service, req: Incoming, requestId: string, fail: Fail): Reply => {
  const p = paramsOf(req)
  const a = verifyRpcRsa(svc, req)
  if (!a.ok) return fail(a.error, p.AccessKeyId)
  const d = duration(p.DurationSeconds, 3600)
  if (!d.ok) return fail(d.error, a.value.accessKeyId)
  const issued = svc.dir.issueSession(a.value.accountId, d.value)
  const SessionAccessKey = {
    SessionAccessKeyId: issued.key.accessKeyId,
    SessionAccessKeySecret: issued.key.accessKeySecret,
    Expiration: issued.expiration,
  }
  return json(200, { RequestId: requestId, SessionAccessKey }, { accessKeyId: a.value.accessKeyId })
}

// AssumeRole and GetCallerIdentity: signed with an AccessKey (RPC v1 or V3), answered as the signer.
const answerSigned = async (
  svc: Service,
  req: Incoming,
  action: 'AssumeRole' | 'GetCallerIdentity',
  requestId: string,
  fail: Fail,
): Promise<Reply> => {
  const p = paramsOf(req)
  const a = await authenticate(svc, req)
  const claimed = p.AccessKeyId ?? /Credential=([^,\s]+)/.exec(req.headers.authorization ?? '')?.[1]
  if (!a.ok) return fail(a.error, claimed)
  const id = a.value.key.identity
  const who = { accessKeyId: a.value.accessKeyId }
  if (action === 'GetCallerIdentity') return json(200, callerIdentity(id, requestId), who)
  const r = assumeRole(svc, id, p, requestId)
  return r.ok ? json(200, r.value, who) : fail(r.error, a.value.accessKeyId)
}

// Action and Version come before anything else, as the gateway checks them.
const checkEnvelope = (req: Incoming): Result<void> => {
  const p = paramsOf(req)
  const action = req.headers['x-acs-action'] ?? p.Action
  if (action === undefined || action === '') return err(missing('Action'))
  const version = req.headers['x-acs-version'] ?? p.Version
  if (version === undefined || version === '') return err(missing('Version'))
  if (version !== VERSION) return err(stsError(400, 'InvalidVersion', 'Specified parameter Version is not valid.'))
  return ok(undefined)
}

/**
 * The STS handler. Remembers nonces for twice the skew window (older ones fail the timestamp check anyway).
 *
 * @since 0.1.0
 */
export const sts = (ctx: StsContext): ((req: Incoming) => Promise<Reply>) => {
  const svc: Service = { ...ctx, useNonce: nonceMemory(ctx) }
  return async (req) => {
    const requestId = ctx.rng.requestId()
    const host = req.headers.host ?? 'sts.aliyuncs.com'
    const fail: Fail = (e, accessKeyId) => stsErrorReply(e, requestId, host, accessKeyId)
    const envelope = checkEnvelope(req)
    if (!envelope.ok) return fail(envelope.error)
    const action = actionOf(req)
    switch (action) {
      case 'AssumeRoleWithOIDC': {
        const r = assumeRoleWithOidc(svc, req, requestId)
        return r.ok ? json(200, r.value) : fail(r.error)
      }
      case 'GenerateSessionAccessKey':
        return generateSessionAccessKey(svc, req, requestId, fail)
      case 'AssumeRole':
      case 'GetCallerIdentity':
        return answerSigned(svc, req, action, requestId, fail)
      default:
        return fail(
          stsError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
        )
    }
  }
}
