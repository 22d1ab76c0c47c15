// Byte-for-byte comparison with the reference (@alicloud/credentials 2.4.7): its providers build the requests, a
// stub replaces httpx (nothing leaves the process), and our `prepare*` must produce the same URL, body and headers
// for the same inputs, timestamp and nonce. Date is frozen with fake timers, so no wall clock is read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Credential, type Random } from '@alicred/core'
import { manualClock } from '@alicred/testing'
import * as fc from 'fast-check'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import * as StsClient from '../../src/internal/StsClient.js'

const require = createRequire(import.meta.url)
interface HttpxCall {
  readonly url: string
  readonly opts: {
    method: string
    data?: string
    headers: Record<string, string>
    readTimeout: number
    connectTimeout: number
  }
}
const httpx = require('httpx') as {
  request: (url: string, opts: HttpxCall['opts']) => Promise<unknown>
  read: (res: unknown, encoding: string) => Promise<Buffer>
}
// the reference is untyped CommonJS
type Builder = any
const reference = (name: string): { builder: () => Builder } =>
  require(`@alicloud/credentials/dist/src/providers/${name}.js`).default

const START = Date.UTC(2024, 0, 1, 12, 34, 56)
const OK = {
  Credentials: { AccessKeyId: 'a', AccessKeySecret: 'b', SecurityToken: 'c', Expiration: '2024-01-02T00:00:00Z' },
}
const fixedNonce = (nonce: string): Random.Random => ({ nonce: () => nonce, float: () => 0.5 })

let calls: Array<HttpxCall> = []
const original = { request: httpx.request, read: httpx.read }
beforeEach(() => {
  calls = []
  vi.useFakeTimers({ toFake: ['Date'], now: START })
  httpx.request = async (url, opts) => {
    calls.push({ url, opts })
    return { statusCode: 200, headers: { 'content-type': 'application/json' } }
  }
  httpx.read = async () => Buffer.from(JSON.stringify(OK))
})
afterEach(() => {
  httpx.request = original.request
  httpx.read = original.read
  vi.useRealTimers()
})

const lastCall = (): HttpxCall => {
  const c = calls.at(-1)
  if (c === undefined) throw new Error('the reference sent nothing')
  return c
}
// Loopback on a closed port: even if the stub failed, nothing could leave the machine.
const LOOPBACK = '127.0.0.1:9'
const ours = { endpoint: `https://${LOOPBACK}/`, provider: 'p', source: 's' }

const expectSame = (call: HttpxCall, prepared: StsClient.Prepared) => {
  const { 'User-Agent': ua, ...headers } = prepared.request.headers ?? {}
  expect(ua).toBe('alicred/0.1.0')
  expect({
    method: prepared.request.method,
    url: prepared.request.url,
    body: prepared.request.body,
    headers,
    readTimeout: prepared.request.readTimeoutMs,
    connectTimeout: prepared.request.connectTimeoutMs,
  }).toEqual({
    method: call.opts.method,
    url: call.url,
    body: call.opts.data,
    headers: call.opts.headers,
    readTimeout: call.opts.readTimeout,
    connectTimeout: call.opts.connectTimeout,
  })
}

// Strings the reference and we both take as given (we trim ARNs and session names; the reference does not).
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }).filter((s) => s.trim() === s && s !== '')

describe('AssumeRole matches the reference byte for byte', () => {
  const compare = async (input: {
    readonly securityToken?: string
    readonly roleArn: string
    readonly roleSessionName: string
    readonly durationSeconds: number
    readonly policy?: string
    readonly externalId?: string
  }) => {
    const previous =
      input.securityToken === undefined
        ? reference('static_ak').builder().withAccessKeyId('akid').withAccessKeySecret('aksecret').build()
        : reference('static_sts')
            .builder()
            .withAccessKeyId('akid')
            .withAccessKeySecret('aksecret')
            .withSecurityToken(input.securityToken)
            .build()
    let b = reference('ram_role_arn')
      .builder()
      .withCredentialsProvider(previous)
      .withRoleArn(input.roleArn)
      .withRoleSessionName(input.roleSessionName)
      .withDurationSeconds(input.durationSeconds)
      .withStsEndpoint(LOOPBACK)
    if (input.policy !== undefined) b = b.withPolicy(input.policy)
    if (input.externalId !== undefined) b = b.withExternalId(input.externalId)
    await b.build().getCredentials()
    const call = lastCall()
    const nonce = new URL(call.url).searchParams.get('SignatureNonce') ?? ''
    const credential =
      input.securityToken === undefined
        ? Credential.accessKey({ accessKeyId: 'akid', accessKeySecret: 'aksecret', source: 'static_ak' })
        : Credential.sts({
            accessKeyId: 'akid',
            accessKeySecret: 'aksecret',
            securityToken: input.securityToken,
            source: 'static_sts',
          })
    const prepared = await StsClient.prepareAssumeRole(
      {
        credential,
        roleArn: input.roleArn,
        roleSessionName: input.roleSessionName,
        durationSeconds: input.durationSeconds,
        ...(input.policy === undefined ? {} : { policy: input.policy }),
        ...(input.externalId === undefined ? {} : { externalId: input.externalId }),
      },
      ours,
    )({ clock: manualClock(START), random: fixedNonce(nonce) })
    expectSame(call, prepared)
  }

  it('for vector B inputs', async () => {
    await compare({
      securityToken: 'ststoken',
      roleArn: 'acs:ram::1234567890123456:role/test-role',
      roleSessionName: '会话 a+b',
      durationSeconds: 3600,
      policy: '{"Statement": [{"Action": ["*"], "Effect": "Allow", "Resource": ["*"]}], "Version":"1"}',
      externalId: "ext-id_1.2~3 (x)!'",
    })
  })

  it('for any unicode inputs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            securityToken: text,
            roleArn: text,
            roleSessionName: text,
            durationSeconds: fc.integer({ min: 900, max: 43_200 }),
            policy: text,
            externalId: text,
          },
          { requiredKeys: ['roleArn', 'roleSessionName', 'durationSeconds'] },
        ),
        compare,
      ),
      { numRuns: 40 },
    )
  })
})

describe('AssumeRoleWithOIDC matches the reference byte for byte', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'alicred-oidc-'))
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('for any unicode inputs', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            oidcToken: text,
            oidcProviderArn: text,
            roleArn: text,
            roleSessionName: text,
            durationSeconds: fc.integer({ min: 900, max: 43_200 }),
            policy: text,
          },
          { requiredKeys: ['oidcToken', 'oidcProviderArn', 'roleArn', 'roleSessionName', 'durationSeconds'] },
        ),
        async (input) => {
          const file = join(dir, `token-${n++}`)
          writeFileSync(file, input.oidcToken)
          let b = reference('oidc_role_arn')
            .builder()
            .withOIDCProviderArn(input.oidcProviderArn)
            .withOIDCTokenFilePath(file)
            .withRoleArn(input.roleArn)
            .withRoleSessionName(input.roleSessionName)
            .withDurationSeconds(input.durationSeconds)
            .withStsEndpoint(LOOPBACK)
          if (input.policy !== undefined) b = b.withPolicy(input.policy)
          await b.build().getCredentials()
          const prepared = await StsClient.prepareAssumeRoleWithOidc(input, ours)({ clock: manualClock(START) })
          expectSame(lastCall(), prepared)
        },
      ),
      { numRuns: 30 },
    )
  })
})
