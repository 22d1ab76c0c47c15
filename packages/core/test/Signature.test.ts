import { readFileSync } from 'node:fs'
import { Signature } from '@alicred/core'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'

interface Vectors {
  readonly hmacSha1Base64: ReadonlyArray<{ data: string; key: string; expected: string }>
  readonly percentEncode: ReadonlyArray<{ in: string; out: string }>
  readonly stringToSign: ReadonlyArray<{ method: string; params: Record<string, string>; expected: string }>
  readonly rpcSignature: ReadonlyArray<{
    name: string
    method: string
    secret: string
    params: Record<string, string>
    expected: string
  }>
}
const vectors = JSON.parse(readFileSync(new URL('./fixtures/vectors.json', import.meta.url), 'utf8')) as Vectors
const rsa = JSON.parse(readFileSync(new URL('./fixtures/rsa-vectors.json', import.meta.url), 'utf8')) as {
  pkcs8Base64: string
  sha256WithRsa: ReadonlyArray<{ data: string; expected: string }>
}

const vectorNamed = (prefix: string) => {
  const v = vectors.rpcSignature.find((x) => x.name.startsWith(prefix))
  if (v === undefined) throw new Error(`vector ${prefix} missing from fixtures`)
  return v
}

// An encoder written independently of the one under test: UTF-8 bytes, unreserved bytes literal, the rest %XX.
const byteEncode = (s: string): string =>
  Array.from(new TextEncoder().encode(s), (b) =>
    /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
      ? String.fromCharCode(b)
      : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('')

const parseCanonical = (s: string): Record<string, string> =>
  s === ''
    ? {}
    : Object.fromEntries(
        s.split('&').map((pair) => {
          const parts = pair.split('=')
          expect(parts).toHaveLength(2)
          return [decodeURIComponent(parts[0]!), decodeURIComponent(parts[1]!)]
        }),
      )

const unicode = fc.string({ unit: 'grapheme', maxLength: 12 })
const dict = fc.dictionary(unicode, unicode, { maxKeys: 8 })

describe('HMAC-SHA1 (§6.1)', () => {
  it.each(vectors.hmacSha1Base64)('$data under $key', async ({ data, key, expected }) => {
    expect(await Signature.hmacSha1Base64(data, key)).toBe(expected)
  })
})

describe('percentEncode (§6.2)', () => {
  it.each(vectors.percentEncode)('$in', ({ in: input, out }) => {
    expect(Signature.percentEncode(input)).toBe(out)
  })

  it('agrees with a byte-wise RFC 3986 encoder on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(Signature.percentEncode(s)).toBe(byteEncode(s))
      }),
    )
  })

  it('is total: lone surrogates become U+FFFD, like TextEncoder, instead of throwing', () => {
    const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n))
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(surrogate, fc.string({ minLength: 1, maxLength: 1 })) }), (s) => {
        expect(Signature.percentEncode(s)).toBe(byteEncode(s))
        expect(Signature.formEncode({ k: s })).toBe(`k=${encodeURIComponent(Signature.wellFormed(s))}`)
      }),
    )
    expect(Signature.percentEncode('a\uD800b')).toBe('a%EF%BF%BDb')
  })
})

describe('string to sign (§6.2)', () => {
  it.each(vectors.stringToSign)('$method $params', ({ method, params, expected }) => {
    expect(Signature.stringToSign(method, params)).toBe(expected)
  })

  it('signs query and form body together (Go vector with a body parameter)', async () => {
    const signed = await Signature.signQuery(Signature.hmacSha1Signer('secret'))(
      '',
      { q: 'http://domain/?q=value&q2=value2' },
      { bq: 'bq' },
    )
    expect(signed.stringToSign).toBe(
      '&%2F&bq%3Dbq%26q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2',
    )
    expect(signed.query).toEqual({ q: 'http://domain/?q=value&q2=value2', Signature: signed.signature })
    expect(Object.keys(signed.query)).toEqual(['q', 'Signature'])
  })

  it('never signs a Signature parameter', () => {
    expect(Signature.canonicalize({ b: '2', Signature: 'x', a: '1' })).toBe('a=1&b=2')
  })
})

describe('RPC signatures (§6.3)', () => {
  it.each(vectors.rpcSignature)('$name', async ({ method, secret, params, expected }) => {
    expect(await Signature.signRpc(method, params, secret)).toBe(expected)
    const signed = await Signature.signQuery(Signature.hmacSha1Signer(secret))(method, params)
    expect(signed).toEqual({
      query: { ...params, Signature: expected },
      stringToSign: Signature.stringToSign(method, params),
      signature: expected,
    })
  })

  it('vector A has the documented string to sign', () => {
    const a = vectorNamed('A')
    expect(Signature.stringToSign(a.method, a.params)).toBe(
      'POST&%2F&AccessKeyId%3Dakid%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3DJSON%26RoleArn%3Dacs%253Aram%253A%253A1234567890123456%253Arole%252Ftest-role%26RoleSessionName%3Drsn%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0123456789abcdef0123456789abcdef%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2015-04-01',
    )
  })

  it('vector B encodes ExternalId and Policy as documented, and its form body is sent with plain encodeURIComponent', () => {
    const b = vectorNamed('B')
    const sts = Signature.stringToSign(b.method, b.params)
    expect(sts).toContain('ExternalId%3Dext-id_1.2~3%2520%2528x%2529%2521%2527')
    expect(sts).toContain('Policy%3D%257B%2522Statement%2522%253A%2520%255B')
    expect(sts).toContain('%2522%252A%2522')
    const form = {
      RoleArn: b.params.RoleArn!,
      Policy: b.params.Policy!,
      ExternalId: b.params.ExternalId!,
      RoleSessionName: b.params.RoleSessionName!,
      DurationSeconds: b.params.DurationSeconds!,
    }
    const body = Signature.formEncode(form)
    expect(
      body.startsWith(
        'RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Ftest-role&Policy=%7B%22Statement%22%3A%20%5B%7B%22Action%22%3A%20%5B%22*%22%5D%2C%20',
      ),
    ).toBe(true)
    expect(body.endsWith("&ExternalId=ext-id_1.2~3%20(x)!'&RoleSessionName=rsn&DurationSeconds=3600")).toBe(true)
  })

  it('vector C encodes UTF-8 and plus signs in the session name', () => {
    const c = vectorNamed('C')
    expect(Signature.stringToSign(c.method, c.params)).toContain(
      'RoleSessionName%3D%25E4%25BC%259A%25E8%25AF%259D%2520a%252Bb',
    )
  })
})

describe('canonicalization laws', () => {
  it('round-trips any unicode keys and values: decoding each encoded part gives the original back', () => {
    fc.assert(
      fc.property(dict, (params) => {
        const { Signature: _, ...rest } = params
        expect(parseCanonical(Signature.canonicalize(params))).toEqual(rest)
      }),
    )
  })

  it('uses only unreserved characters, upper-case escapes and the separators', () => {
    fc.assert(
      fc.property(dict, fc.constantFrom('GET', 'POST', ''), (params, method) => {
        expect(Signature.canonicalize(params)).toMatch(/^(?:[A-Za-z0-9\-_.~=&]|%[0-9A-F]{2})*$/)
        expect(Signature.stringToSign(method, params)).toMatch(/^(?:GET|POST)?&%2F&(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*$/)
      }),
    )
  })

  it('does not depend on insertion order', async () => {
    const entries = fc.uniqueArray(fc.tuple(unicode, unicode), { selector: ([k]) => k, maxLength: 8 })
    await fc.assert(
      fc.asyncProperty(
        entries.chain((es) => fc.tuple(fc.constant(es), fc.shuffledSubarray(es, { minLength: es.length }))),
        async ([original, shuffled]) => {
          const a = Object.fromEntries(original)
          const b = Object.fromEntries(shuffled)
          expect(Signature.stringToSign('POST', b)).toBe(Signature.stringToSign('POST', a))
          expect(await Signature.signRpc('POST', b, 'secret')).toBe(await Signature.signRpc('POST', a, 'secret'))
        },
      ),
      { numRuns: 50 },
    )
  })

  it('formEncode is what a server decodes back: URLSearchParams gives the same pairs, in order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(unicode, unicode), { selector: ([k]) => k, maxLength: 8 }), (es) => {
        expect([...new URLSearchParams(Signature.formEncode(Object.fromEntries(es)))]).toEqual(es)
      }),
    )
  })
})

describe('SHA256withRSA (§6.4)', () => {
  it.each(rsa.sha256WithRsa)('$data with the credentials-go test key', async ({ data, expected }) => {
    const key = await crypto.subtle.importKey(
      'pkcs8',
      Uint8Array.from(atob(rsa.pkcs8Base64.replace(/\s+/g, '')), (ch) => ch.charCodeAt(0)),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    expect(await Signature.rsaSha256Base64(data, key)).toBe(expected)
  })
})

describe('base64 and hex', () => {
  it('match the platform encoders on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(Signature.base64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
        expect(Signature.hex(bytes)).toBe(Buffer.from(bytes).toString('hex'))
      }),
    )
  })
})
