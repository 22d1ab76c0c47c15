import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { Credential, CredentialsError, Expiration, Providers, Signature, StsClient } from '@alicred/core'
import { fakeCapabilities, json, type Reply } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { beforeAll, describe, expect, it } from 'vitest'

const rsa = JSON.parse(readFileSync(new URL('../fixtures/rsa-vectors.json', import.meta.url), 'utf8')) as {
  pkcs8Base64: string
  sha256WithRsa: ReadonlyArray<{ data: string; expected: string }>
}

const START = Date.UTC(2024, 0, 1)
const MIN = 60_000
const JP = 'https://sts.ap-northeast-1.aliyuncs.com/'
const KEY_FILE = '/keys/key-pair.pem'
const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const
const TRANSPORT = { connectTimeoutMs: 5000, readTimeoutMs: 10000, maxResponseBytes: 1024 * 1024 }

const pem = (label: string, der: ArrayBuffer | string): string => {
  const body = typeof der === 'string' ? der : Buffer.from(der).toString('base64')
  return `-----BEGIN ${label}-----\n${body.match(/.{1,64}/g)?.join('\n')}\n-----END ${label}-----\n`
}

interface KeyPair {
  readonly pem: string
  readonly body: string
  readonly publicKey: CryptoKey
}
const generate = async (): Promise<KeyPair> => {
  const pair = await crypto.subtle.generateKey(
    { ...ALG, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )
  const der = await crypto.subtle.exportKey('pkcs8', pair.privateKey)
  return { pem: pem('PRIVATE KEY', der), body: Buffer.from(der).toString('base64'), publicKey: pair.publicKey }
}

let key1: KeyPair
let key2: KeyPair
let ecPem: string
beforeAll(async () => {
  key1 = await generate()
  key2 = await generate()
  const ec = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign'])
  ecPem = pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', ec.privateKey))
})

const answer = (n: number, expiresAt: number): Reply =>
  json(200, {
    RequestId: `R-${n}`,
    SessionAccessKey: {
      SessionAccessKeyId: `TMPSK.id-${n}`,
      SessionAccessKeySecret: `session-secret-${n}-0123456789`,
      Expiration: Expiration.formatTimestamp(expiresAt),
    },
  })
const session = (n: number, expiresAt: number) =>
  Credential.accessKey({
    accessKeyId: `TMPSK.id-${n}`,
    accessKeySecret: `session-secret-${n}-0123456789`,
    expiration: new Date(expiresAt),
    source: 'rsa_key_pair',
  })

const leftOf = <A>(r: E.Either<CredentialsError.CredentialsError, A>): CredentialsError.CredentialsError => {
  if (E.isRight(r)) throw new Error('expected a Left')
  return r.left
}
const expectNoKey = (e: CredentialsError.CredentialsError, ...more: ReadonlyArray<string>) => {
  const secrets = [key1.body.slice(40, 80), key2.body.slice(40, 80), rsa.pkcs8Base64.slice(80, 120), ...more]
  for (const shown of [e.message, String(e), JSON.stringify(e), inspect(e)]) {
    for (const s of secrets) expect(shown).not.toContain(s)
  }
}

/** Checks the request's Signature against its own parameters with the public key, as STS does. */
const verifies = async (url: string, publicKey: CryptoKey): Promise<boolean> => {
  const u = new URL(url)
  const params = Object.fromEntries([...u.searchParams].filter(([k]) => k !== 'Signature'))
  const signature = Uint8Array.from(atob(u.searchParams.get('Signature') ?? ''), (c) => c.charCodeAt(0))
  return crypto.subtle.verify(
    ALG,
    publicKey,
    signature,
    new TextEncoder().encode(Signature.stringToSign('GET', params)),
  )
}

describe('importRsaPrivateKey (§6.4)', () => {
  it.each([
    ['PEM text', () => pem('PRIVATE KEY', rsa.pkcs8Base64.replace(/\s+/g, ''))],
    ['the bare base64 body, as the Go test passes it', () => rsa.pkcs8Base64],
    [
      'PEM with CRLF line ends and surrounding text',
      () => `key:\r\n${pem('PRIVATE KEY', rsa.pkcs8Base64.replace(/\s+/g, '')).replace(/\n/g, '\r\n')}`,
    ],
  ])('imports %s and signs the credentials-go vectors', async (_, text) => {
    const key = await Providers.importRsaPrivateKey(text())
    if (E.isLeft(key)) throw new Error(key.left)
    for (const v of rsa.sha256WithRsa) expect(await Signature.rsaSha256Base64(v.data, key.right)).toBe(v.expected)
  })

  it.each([
    ['not a key', 'hello world', 'is not a PEM private key (expected BEGIN PRIVATE KEY, PKCS#8)'],
    ['an empty string', '', 'is not a PEM private key (expected BEGIN PRIVATE KEY, PKCS#8)'],
    [
      'a PKCS#1 key',
      pem('RSA PRIVATE KEY', 'MIIBOgIBAAJBAK'),
      'is a PKCS#1 key (BEGIN RSA PRIVATE KEY); convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem`',
    ],
    [
      'an encrypted key',
      pem('ENCRYPTED PRIVATE KEY', 'MIIFHDBOBgkqhkiG9w0BBQ0w'),
      'is encrypted; decrypt it with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem` (keep the result private)',
    ],
    [
      'a certificate',
      pem('CERTIFICATE', 'MIIDdzCCAl+gAwIBAgIE'),
      'holds a PEM block that is not a private key (expected BEGIN PRIVATE KEY)',
    ],
    [
      'base64 that is not DER',
      pem('PRIVATE KEY', 'Jv4yi8SobFhg5t1C7nWLbhBSFZQ='),
      'could not be imported as an RSA private key (PKCS#8 DER inside the PEM block is damaged or not RSA)',
    ],
  ])('refuses %s', async (_, text, reason) => {
    expect(await Providers.importRsaPrivateKey(text)).toEqual(E.left(reason))
  })

  it('refuses an EC key', async () => {
    expect(await Providers.importRsaPrivateKey(ecPem)).toEqual(
      E.left('could not be imported as an RSA private key (PKCS#8 DER inside the PEM block is damaged or not RSA)'),
    )
  })
})

describe('rsa_key_pair requests', () => {
  it('sends the Go SDK GET to the Japan endpoint, signed with the key file, and yields a session AccessKey', async () => {
    const caps = fakeCapabilities({ files: { [KEY_FILE]: key1.pem } })
    caps.http.on('GET', JP, answer(1, START + 60 * MIN))
    const p = Providers.rsaKeyPair({ publicKeyId: 'KP-0123', privateKeyFile: KEY_FILE })(caps)
    expect(await p()()).toEqual(E.right(session(1, START + 60 * MIN)))
    const [req] = caps.http.requests
    const signature = new URL(req!.url).searchParams.get('Signature') ?? ''
    expect(caps.http.requests).toEqual([
      {
        method: 'GET',
        url: `${JP}?AccessKeyId=KP-0123&Action=GenerateSessionAccessKey&Format=JSON&DurationSeconds=3600&SignatureMethod=SHA256withRSA&SignatureType=PRIVATEKEY&SignatureVersion=1.0&Version=2015-04-01&Timestamp=2024-01-01T00%3A00%3A00Z&SignatureNonce=nonce-0001&Signature=${encodeURIComponent(signature)}`,
        headers: { 'User-Agent': 'alicred/0.1.0' },
        ...TRANSPORT,
      },
    ])
    expect(await verifies(req!.url, key1.publicKey)).toBe(true)
    expect(await verifies(req!.url, key2.publicKey)).toBe(false)
  })

  it('takes the key as text (a bare base64 body), an emulator endpoint and a shorter duration', async () => {
    const caps = fakeCapabilities()
    caps.http.on('GET', 'http://127.0.0.1:40123/', answer(1, START + 15 * MIN))
    const p = Providers.rsaKeyPair({
      publicKeyId: ' KP-1 ',
      privateKey: key2.body,
      durationSeconds: 900,
      endpoint: 'http://127.0.0.1:40123',
      readTimeoutMs: 1234,
    })(caps)
    expect(await p()()).toEqual(E.right(session(1, START + 15 * MIN)))
    const [req] = caps.http.requests
    expect(Object.fromEntries(new URL(req!.url).searchParams)).toMatchObject({
      AccessKeyId: 'KP-1',
      DurationSeconds: '900',
    })
    expect(req?.readTimeoutMs).toBe(1234)
    expect(await verifies(req!.url, key2.publicKey)).toBe(true)
  })

  it('re-reads the key file on refresh, so a rotated key is used', async () => {
    const caps = fakeCapabilities({ files: { [KEY_FILE]: key1.pem } })
    caps.http.on('GET', JP, answer(1, START + 60 * MIN), answer(2, START + 105 * MIN))
    const p = Providers.rsaKeyPair({ publicKeyId: 'KP-1', privateKeyFile: KEY_FILE })(caps)
    expect(await p()()).toEqual(E.right(session(1, START + 60 * MIN)))
    caps.fs.put(KEY_FILE, key2.pem)
    await caps.clock.advance(45 * MIN - 1)
    expect(await p()()).toEqual(E.right(session(1, START + 60 * MIN)))
    await caps.clock.advance(1)
    expect(await p()()).toEqual(E.right(session(2, START + 105 * MIN)))
    const [first, second] = caps.http.requests
    expect([await verifies(first!.url, key1.publicKey), await verifies(second!.url, key2.publicKey)]).toEqual([
      true,
      true,
    ])
    expect(new URL(second!.url).searchParams.get('Timestamp')).toBe('2024-01-01T00:45:00Z')
  })
})

describe('rsa_key_pair configuration errors (no request is sent)', () => {
  const invalid = (message: string, location: Record<string, string>) => ({
    _tag: 'InvalidConfiguration',
    provider: 'rsa_key_pair',
    message,
    location,
  })
  it.each<[string, () => Providers.RsaKeyPairOptions, Record<string, unknown>]>([
    [
      'no public key id',
      () => ({ publicKeyId: ' ', privateKeyFile: KEY_FILE }),
      invalid(
        'publicKeyId is not set: give the id of the key pair (from the Security Settings of the Japan site console)',
        { key: 'publicKeyId' },
      ),
    ],
    [
      'no key',
      () => ({ publicKeyId: 'KP-1' }),
      invalid('privateKeyFile is not set: give the path of the PEM (PKCS#8) private key', { key: 'privateKeyFile' }),
    ],
    [
      'two keys',
      () => ({ publicKeyId: 'KP-1', privateKeyFile: KEY_FILE, privateKey: key1.pem }),
      invalid('give either privateKeyFile or privateKey, not both', { key: 'privateKeyFile' }),
    ],
    ...[899, 3601, 1000.5].map((d): [string, () => Providers.RsaKeyPairOptions, Record<string, unknown>] => [
      `duration ${d}`,
      () => ({ publicKeyId: 'KP-1', privateKeyFile: KEY_FILE, durationSeconds: d }),
      invalid(`durationSeconds must be a whole number of seconds between 900 and 3600 (got ${d})`, {
        key: 'durationSeconds',
      }),
    ]),
    [
      'plain http to a remote endpoint',
      () => ({ publicKeyId: 'KP-1', privateKeyFile: KEY_FILE, endpoint: 'http://sts.aliyuncs.com' }),
      invalid(
        'the STS endpoint uses plain http:// to sts.aliyuncs.com, which would carry credentials unencrypted; use https:// (plain http is allowed only for loopback hosts, or with allowInsecureHttp)',
        { key: 'endpoint' },
      ),
    ],
    [
      'a missing key file',
      () => ({ publicKeyId: 'KP-1', privateKeyFile: '/keys/none.pem' }),
      invalid('the private key file /keys/none.pem does not exist; check privateKeyFile', {
        file: '/keys/none.pem',
        key: 'privateKeyFile',
      }),
    ],
    [
      'a key file that holds no key',
      () => ({ publicKeyId: 'KP-1', privateKeyFile: '/keys/notes.txt' }),
      invalid('the private key file /keys/notes.txt is not a PEM private key (expected BEGIN PRIVATE KEY, PKCS#8)', {
        file: '/keys/notes.txt',
        key: 'privateKeyFile',
      }),
    ],
    [
      'a key option that is an EC key',
      () => ({ publicKeyId: 'KP-1', privateKey: ecPem }),
      invalid(
        'the privateKey option could not be imported as an RSA private key (PKCS#8 DER inside the PEM block is damaged or not RSA)',
        { key: 'privateKey' },
      ),
    ],
  ])('%s', async (_, options, expected) => {
    const caps = fakeCapabilities({ files: { [KEY_FILE]: key1.pem, '/keys/notes.txt': `password: ${key1.body}x!` } })
    caps.http.on('GET', JP, answer(1, START + 60 * MIN))
    const e = leftOf(await Providers.rsaKeyPair(options())(caps)()())
    expect(e).toBeInstanceOf(CredentialsError.InvalidConfiguration)
    expect(e.toJSON()).toEqual(expected)
    expectNoKey(e)
    expect(caps.http.requests).toEqual([])
  })

  it('an unreadable key file', async () => {
    const caps = fakeCapabilities({ files: { [KEY_FILE]: key1.pem } })
    caps.fs.failOn(KEY_FILE, 'EACCES')
    expect(
      leftOf(await Providers.rsaKeyPair({ publicKeyId: 'KP-1', privateKeyFile: KEY_FILE })(caps)()()).toJSON(),
    ).toEqual(
      invalid(`the private key file ${KEY_FILE} cannot be read (EACCES)`, { file: KEY_FILE, key: 'privateKeyFile' }),
    )
  })
})

describe('rsa_key_pair failures from STS', () => {
  const run = async (reply: Reply | ((req: { url: string }) => Reply)) => {
    const caps = fakeCapabilities({ files: { [KEY_FILE]: key1.pem } })
    caps.http.on('GET', JP, reply as Reply)
    return leftOf(await Providers.rsaKeyPair({ publicKeyId: 'KP-0123', privateKeyFile: KEY_FILE })(caps)()())
  }

  it('says the private key does not match when STS signed the same string', async () => {
    const e = await run((req) => {
      const params = Object.fromEntries([...new URL(req.url).searchParams].filter(([k]) => k !== 'Signature'))
      return json(400, {
        Code: 'SignatureDoesNotMatch',
        Message: `${StsClient.SIGNATURE_MISMATCH_PREFIX}${Signature.stringToSign('GET', params)}`,
      })
    })
    expect(e.toJSON()).toEqual({
      _tag: 'SourceFailure',
      provider: 'rsa_key_pair',
      message:
        'STS GenerateSessionAccessKey answered HTTP 400: code SignatureDoesNotMatch: the private key does not belong to public key id KP-0****: STS computed the same string to sign but a different signature; check that the private key is the private half of that key pair',
      status: 400,
      code: 'SignatureDoesNotMatch',
      retryable: false,
    })
  })

  const malformed = (reason: string) => ({
    _tag: 'SourceFailure',
    provider: 'rsa_key_pair',
    message: `STS GenerateSessionAccessKey answered with an unexpected body (${reason})`,
    status: 200,
    retryable: false,
  })
  it.each<[string, Reply, Record<string, unknown>]>([
    ['null', { status: 200, body: 'null' }, malformed('<root>: expected GenerateSessionAccessKey response, got null')],
    [
      'no SessionAccessKey',
      json(200, { Credentials: {} }),
      malformed('SessionAccessKey: expected SessionAccessKey object, got missing'),
    ],
    [
      'an empty secret and a bad Expiration',
      json(200, {
        SessionAccessKey: {
          SessionAccessKeyId: 'id',
          SessionAccessKeySecret: '',
          Expiration: '2024-01-01T01:00:00+09:00',
        },
      }),
      malformed(
        'SessionAccessKey.SessionAccessKeySecret: expected non-empty string, got string; SessionAccessKey.Expiration: expected UTC time (YYYY-MM-DDThh:mm:ssZ), got string',
      ),
    ],
    [
      'HTTP 404 for an unknown key pair',
      json(404, {
        Code: 'InvalidAccessKeyId.NotFound',
        Message: 'Specified access key is not found.',
        RequestId: '0C8E2C5A-0004-4A7B-9C1D-000000000004',
      }),
      {
        _tag: 'SourceFailure',
        provider: 'rsa_key_pair',
        message:
          'STS GenerateSessionAccessKey answered HTTP 404: code InvalidAccessKeyId.NotFound: Specified access key is not found.: the AccessKey id does not exist (check it, and that it belongs to this site) (request id 0C8E2C5A-0004-4A7B-9C1D-000000000004)',
        status: 404,
        code: 'InvalidAccessKeyId.NotFound',
        requestId: '0C8E2C5A-0004-4A7B-9C1D-000000000004',
        retryable: false,
      },
    ],
    [
      'a 10 MB body',
      { status: 200, body: 'x'.repeat(10 * 1024 * 1024) },
      {
        _tag: 'SourceFailure',
        provider: 'rsa_key_pair',
        message:
          'STS GenerateSessionAccessKey failed: response larger than 1048576 bytes (TooLarge on https://sts.ap-northeast-1.aliyuncs.com/)',
        retryable: false,
      },
    ],
  ])('%s', async (_, reply, expected) => {
    const e = await run(reply)
    expect(e.toJSON()).toEqual(expected)
    expectNoKey(e, 'session-secret-1')
  })

  it('static stability: session keys already past their expiration are served, with one warning', async () => {
    const caps = fakeCapabilities({ files: { [KEY_FILE]: key1.pem } })
    caps.http.on('GET', JP, answer(1, START - MIN))
    const r = await Providers.rsaKeyPair({ publicKeyId: 'KP-0123', privateKeyFile: KEY_FILE })(caps)()()
    expect(E.isRight(r) && r.right.expiration?.getTime()).toBe(START - MIN)
    expect(caps.reporter.warnings).toEqual([
      expect.stringMatching(
        /^alicred: rsa_key_pair: the source answered with a credential that had already expired \(at 2023-12-31T23:59:00.000Z, 60 s/,
      ),
    ])
  })
})
