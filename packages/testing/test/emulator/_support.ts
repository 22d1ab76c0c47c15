// Test-side clients for the emulator: a raw HTTP call (no keep-alive, so nothing outlives a test) and signers for
// RPC v1 and V3 written from REFERENCE §3.2 / §11 with core's Signature functions, independent of the emulator's code.
import { request } from 'node:http'
import { Expiration, Signature } from '@alicred/core'
import type { Emulator } from '@alicred/testing/emulator'

export interface Res {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export interface SendInit {
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  /** Abort after this long without an answer (rejects with `timeout`). */
  readonly timeoutMs?: number
}

export const send = (url: string, init: SendInit = {}): Promise<Res> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        body += c
      })
      res.on('error', () => undefined)
      res.on('close', () => {
        if (!res.complete) return reject(new Error('truncated'))
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v
        resolve({ status: res.statusCode ?? 0, headers, body })
      })
    })
    req.on('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code ?? e.message)))
    if (init.timeoutMs !== undefined) req.setTimeout(init.timeoutMs, () => req.destroy(new Error('timeout')))
    req.end(init.body)
  })

export const jsonOf = (r: Res): unknown => JSON.parse(r.body)

/** The STS error body minus the per-request parts. */
export const stsErrorOf = (r: Res) => {
  const b = JSON.parse(r.body) as Record<string, unknown>
  return { status: r.status, contentType: r.headers['content-type'], Code: b.Code, Message: b.Message }
}

let nonceCounter = 0
export const nonce = (): string => `nonce-${process.pid}-${++nonceCounter}`

// Parameters the reference puts in the query; the rest goes to the form body.
const QUERY_KEYS = new Set([
  'Version',
  'Action',
  'Format',
  'Timestamp',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'SignatureType',
  'AccessKeyId',
  'SecurityToken',
])

export interface RpcInit {
  readonly params: Readonly<Record<string, string>>
  readonly secret: string
  /** Epoch ms for `Timestamp`. */
  readonly now: number
  readonly method?: 'GET' | 'POST'
  readonly nonce?: string
}

/** Every parameter of a signed RPC v1 request (without `Signature`). */
export const rpcParams = (init: RpcInit): Record<string, string> => ({
  Version: '2015-04-01',
  Format: 'JSON',
  Timestamp: Expiration.formatTimestamp(init.now),
  SignatureMethod: 'HMAC-SHA1',
  SignatureVersion: '1.0',
  SignatureNonce: init.nonce ?? nonce(),
  ...init.params,
})

/** Sends already complete parameters (Signature included) the way the reference does. */
export const sendRpc = (emu: Emulator, all: Readonly<Record<string, string>>, method: 'GET' | 'POST' = 'POST') => {
  const query: Record<string, string> = {}
  const form: Record<string, string> = {}
  for (const [k, v] of Object.entries(all)) {
    if (method === 'GET' || QUERY_KEYS.has(k) || k === 'Signature') query[k] = v
    else form[k] = v
  }
  const hasForm = Object.keys(form).length > 0
  return send(`${emu.stsEndpoint}/?${Signature.formEncode(query)}`, {
    method,
    headers: hasForm ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    ...(hasForm ? { body: Signature.formEncode(form) } : {}),
  })
}

/** Signs with HMAC-SHA1 and sends. */
export const rpc = async (emu: Emulator, init: RpcInit): Promise<Res> => {
  const method = init.method ?? 'POST'
  const all = rpcParams(init)
  return sendRpc(emu, { ...all, Signature: await Signature.signRpc(method, all, init.secret) }, method)
}

export interface V3Init {
  readonly action: string
  readonly accessKeyId: string
  readonly secret: string
  readonly now: number
  readonly securityToken?: string
  readonly nonce?: string
  readonly query?: Readonly<Record<string, string>>
  readonly body?: string
  readonly contentType?: string
  /** Changes a header after signing (to test what the signature covers). */
  readonly after?: (headers: Record<string, string>) => void
  /** Header names to leave out of SignedHeaders. */
  readonly unsigned?: ReadonlyArray<string>
}

/** An `ACS3-HMAC-SHA256` request as @alicloud/openapi-client builds it (REFERENCE §11). */
export const v3 = async (emu: Emulator, init: V3Init): Promise<Res> => {
  const body = init.body ?? ''
  const headers: Record<string, string> = {
    host: emu.host,
    'x-acs-action': init.action,
    'x-acs-version': '2015-04-01',
    'x-acs-date': Expiration.formatTimestamp(init.now),
    'x-acs-signature-nonce': init.nonce ?? nonce(),
    'x-acs-content-sha256': await Signature.sha256Hex(body),
    ...(init.securityToken === undefined ? {} : { 'x-acs-security-token': init.securityToken }),
    ...(init.contentType === undefined ? {} : { 'content-type': init.contentType }),
  }
  const query = init.query ?? {}
  const signed = Object.keys(headers)
    .filter((h) => !(init.unsigned ?? []).includes(h))
    .sort()
  const canonical = [
    'POST',
    '/',
    Object.keys(query)
      .sort()
      .map((k) => `${k}=${Signature.percentEncode(query[k]!)}`)
      .join('&'),
    signed.map((h) => `${h}:${headers[h]!.trim()}\n`).join(''),
    signed.join(';'),
    headers['x-acs-content-sha256'],
  ].join('\n')
  const toSign = `ACS3-HMAC-SHA256\n${await Signature.sha256Hex(canonical)}`
  const signature = await Signature.hmacSha256Hex(toSign, init.secret)
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${init.accessKeyId},SignedHeaders=${signed.join(';')},Signature=${signature}`
  init.after?.(headers)
  const qs = Signature.formEncode(query)
  return send(`${emu.stsEndpoint}/${qs === '' ? '' : `?${qs}`}`, { method: 'POST', headers, body })
}
