// Shared fixtures of the local-source tests (config readers, profile providers, default chain): secrets to hunt for
// in every rendering of an error, fake capabilities at a fixed time, and healthy routes for the remote sources.
import { inspect } from 'node:util'
import type { Credential, CredentialsError } from '@alicred/core'
import { type FakeCapabilities, fakeCapabilities, json, text } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { expect } from 'vitest'

export const T0 = Date.UTC(2024, 0, 1)
export const HOUR = 3_600_000
export const SECRET = 'sk+SECRET/d41d8cd98f00b204'
export const TOKEN = 'st+TOKEN/8f00b204e9800998'
export const HOME = '/home/user'
export const INI_PATH = `${HOME}/.alibabacloud/credentials`
export const CLI_PATH = `${HOME}/.aliyun/config.json`

export const setup = (
  o: {
    readonly env?: Record<string, string>
    readonly files?: Record<string, string>
    readonly home?: string | null
  } = {},
): FakeCapabilities =>
  fakeCapabilities({
    now: T0,
    ...(o.env === undefined ? {} : { env: o.env }),
    ...(o.files === undefined ? {} : { files: o.files }),
    ...(o.home === undefined ? {} : { home: o.home }),
  })

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')

/** An STS `Credentials` block valid for an hour. */
export const stsBlock = (id = 'STS.role-id') => ({
  AccessKeyId: id,
  AccessKeySecret: 'role-secret',
  SecurityToken: 'role-token',
  Expiration: iso(T0 + HOUR),
})

/** Answers every STS endpoint (public, regional, VPC) with a role credential. */
export const stsRoutes = (caps: FakeCapabilities, id = 'STS.role-id'): FakeCapabilities => {
  caps.http.on(
    'POST',
    /^https:\/\/sts(-vpc)?\.([a-z0-9-]+\.)?aliyuncs\.com\//,
    json(200, { RequestId: 'r', Credentials: stsBlock(id) }),
  )
  return caps
}

/** A healthy ECS instance with role `my-role` (a fake: nothing leaves the process). */
export const ecsRoutes = (caps: FakeCapabilities): FakeCapabilities => {
  const base = 'http://100.100.100.200/latest'
  caps.http
    .on('PUT', `${base}/api/token`, text(200, 'imds-token'))
    .on('GET', `${base}/meta-data/ram/security-credentials/`, text(200, 'my-role'))
    .on(
      'GET',
      `${base}/meta-data/ram/security-credentials/my-role`,
      json(200, { Code: 'Success', ...stsBlock('STS.ecs-id') }),
    )
  return caps
}

const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')

/** An unsigned JWT that expires a day after T0 (STS verifies tokens; the provider only decodes them). */
export const jwt =
  b64url({ alg: 'RS256', typ: 'JWT' }) +
  '.' +
  b64url({ sub: 'system:serviceaccount:ns:sa', exp: T0 / 1000 + 86_400 }) +
  '.sig'

/** Asserts no secret shows in any rendering of an error. */
export const expectNoLeak = (e: CredentialsError.CredentialsError, ...secrets: ReadonlyArray<string>): void => {
  const renderings = [e.message, String(e), JSON.stringify(e), inspect(e), e.stack ?? '']
  for (const s of [SECRET, TOKEN, ...secrets]) {
    for (const r of renderings) expect(r).not.toContain(s)
  }
}

export const leftOf = <A>(r: E.Either<CredentialsError.CredentialsError, A>): CredentialsError.CredentialsError => {
  if (E.isRight(r)) throw new Error(`expected a Left, got a credential from ${String(r.right)}`)
  return r.left
}

export const rightOf = (
  r: E.Either<CredentialsError.CredentialsError, Credential.Credential>,
): Credential.Credential => {
  if (E.isLeft(r)) throw new Error(`expected a Right, got ${r.left._tag}: ${r.left.message}`)
  return r.right
}

/** The tag, provider and message of an error (what a user sees), for whole-value assertions. */
export const shape = (e: CredentialsError.CredentialsError) => ({
  _tag: e._tag,
  provider: e.provider,
  message: e.message,
})
