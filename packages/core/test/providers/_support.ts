// Shared fixtures for the remote-source tests: secrets to hunt for, the bad-body table every JSON source must
// survive, and a leak check over every way an error can be printed.

import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import type { Credential, CredentialsError } from '@alicred/core'
import type { Reply } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { expect } from 'vitest'

export const SECRET = 'sk-SECRET-d41d8cd98f'
export const TOKEN = 'st-TOKEN-8f00b204e98'
/** Marks raw bodies: it must never appear in a message. */
export const RAW = 'RAW-BODY-MARKER'

export const vectors = JSON.parse(readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8')) as {
  readonly expiration: { readonly invalid: ReadonlyArray<string> }
}

/** Every wrong Expiration layout of §6.5 (from the fixture) plus offsets and non-strings. */
export const badExpirations: ReadonlyArray<unknown> = [
  ...vectors.expiration.invalid,
  '2024-01-01T06:00:00+08:00',
  '2024-01-01T06:00:00-00:00',
  '2024-01-01 06:00:00Z',
  1704088800,
  null,
]

/** Asserts nothing secret (or raw) shows in any rendering of an error. */
export const expectNoLeak = (e: CredentialsError.CredentialsError, ...extra: ReadonlyArray<string>): void => {
  const renderings = [e.message, String(e), JSON.stringify(e), inspect(e), e.stack ?? '']
  for (const s of [SECRET, TOKEN, RAW, ...extra]) {
    for (const r of renderings) expect(r).not.toContain(s)
  }
}

/** Asserts a credential prints no secret. */
export const expectRedacted = (c: Credential.Credential): void => {
  for (const r of [String(c), JSON.stringify(c), inspect(c)]) {
    expect(r).not.toContain(SECRET)
    expect(r).not.toContain(TOKEN)
  }
}

export const leftOf = <A>(r: E.Either<CredentialsError.CredentialsError, A>): CredentialsError.CredentialsError => {
  if (E.isRight(r)) throw new Error('expected a Left')
  return r.left
}

export interface BadCase {
  readonly name: string
  readonly reply: Reply
  /** The part of the message after `<what> answered `. */
  readonly expect: {
    readonly status?: number
    readonly retryable: boolean
    readonly message: RegExp
    readonly code?: string
  }
}

/** Bad answers shared by every JSON source; `wrap` puts a credential block where the source expects it. */
export const badBodies = (
  wrap: (block: Record<string, unknown>) => unknown,
  good: Record<string, unknown>,
): ReadonlyArray<BadCase> => {
  const body = (b: unknown): Reply => ({ status: 200, body: typeof b === 'string' ? b : JSON.stringify(b) })
  const without = (k: string): Record<string, unknown> =>
    Object.fromEntries(Object.entries(good).filter(([x]) => x !== k))
  const fieldNames = Object.keys(good)
  return [
    {
      name: 'non-JSON',
      reply: body(`<html>${RAW} ${SECRET}</html>`),
      expect: { status: 200, retryable: false, message: /unexpected body \(not valid JSON/ },
    },
    {
      name: 'truncated JSON',
      reply: body(JSON.stringify(wrap(good)).slice(0, 40)),
      expect: { status: 200, retryable: false, message: /unexpected body \(not valid JSON/ },
    },
    {
      name: 'empty body',
      reply: body(''),
      expect: { status: 200, retryable: false, message: /unexpected body \(the body is empty\)/ },
    },
    {
      name: 'JSON null',
      reply: body('null'),
      expect: { status: 200, retryable: false, message: /unexpected body \(.*got null/ },
    },
    {
      name: 'JSON array',
      reply: body([SECRET]),
      expect: { status: 200, retryable: false, message: /unexpected body \(/ },
    },
    ...fieldNames.map((k) => ({
      name: `missing ${k}`,
      reply: body(wrap(without(k))),
      expect: {
        status: 200,
        retryable: false,
        message: new RegExp(`unexpected body \\(.*${k}: expected .*, got missing`),
      },
    })),
    ...fieldNames.map((k) => ({
      name: `empty ${k}`,
      reply: body(wrap({ ...good, [k]: '' })),
      expect: { status: 200, retryable: false, message: new RegExp(`unexpected body \\(.*${k}: expected`) },
    })),
    ...fieldNames.map((k) => ({
      name: `${k} of the wrong type`,
      reply: body(wrap({ ...good, [k]: 42 })),
      expect: {
        status: 200,
        retryable: false,
        message: new RegExp(`unexpected body \\(.*${k}: expected .*, got number`),
      },
    })),
    {
      name: 'HTTP 400',
      reply: { status: 400, body: `${RAW} ${SECRET}` },
      expect: { status: 400, retryable: false, message: /answered HTTP 400/ },
    },
    {
      name: 'HTTP 403 with a JSON error',
      reply: {
        status: 403,
        body: JSON.stringify({ Code: 'Forbidden', Message: `${RAW} ${SECRET}`, RequestId: 'req-1' }),
      },
      expect: {
        status: 403,
        retryable: false,
        message: /answered HTTP 403: code Forbidden.*request id req-1/,
        code: 'Forbidden',
      },
    },
    {
      name: 'HTTP 404 whose Code is not an identifier',
      reply: { status: 404, body: JSON.stringify({ Code: `${RAW} ${SECRET}` }) },
      expect: { status: 404, retryable: false, message: /answered HTTP 404/ },
    },
    {
      name: 'HTTP 429',
      reply: { status: 429, body: RAW },
      expect: { status: 429, retryable: true, message: /answered HTTP 429/ },
    },
    {
      name: 'HTTP 500',
      reply: { status: 500, body: RAW },
      expect: { status: 500, retryable: true, message: /answered HTTP 500/ },
    },
    {
      name: 'HTTP 503',
      reply: { status: 503, body: RAW },
      expect: { status: 503, retryable: true, message: /answered HTTP 503/ },
    },
    {
      name: 'a 10 MB body',
      reply: body(`"${'x'.repeat(10 * 1024 * 1024)}"`),
      expect: { retryable: false, message: /TooLarge/ },
    },
    {
      name: 'a connection reset',
      reply: { error: 'ConnectionReset' },
      expect: { retryable: true, message: /ConnectionReset/ },
    },
    ...badExpirations.map((x) => ({
      name: `Expiration ${JSON.stringify(x)}`,
      reply: body(wrap({ ...good, [expirationKey(good)]: x })),
      expect: {
        status: 200,
        retryable: false,
        message: new RegExp(`unexpected body \\(.*${expirationKey(good)}: expected UTC time`),
      },
    })),
  ]
}

const expirationKey = (good: Record<string, unknown>): string =>
  Object.keys(good).find((k) => k.toLowerCase() === 'expiration') ?? 'Expiration'
