import { writeFile } from 'node:fs/promises'
import { Env } from '@alicred/core'
import { fakeJwt } from '@alicred/testing'
import { type Emulator, openHandles, startEmulator } from '@alicred/testing/emulator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from './_support.js'
import { main, podCredentials, RRSA_TOKEN_FILE, rrsaEnv } from './kubernetes-oidc.js'

const ACCOUNT = '1234567890123456'
const ROLE = `acs:ram::${ACCOUNT}:role/app-reader`
const PROVIDER = `acs:ram::${ACCOUNT}:oidc-provider/ack-rrsa-c1`
const ISSUER = 'https://oidc-ack.example.test/c1'

// A projected service-account token as the kubelet writes it (with its trailing newline).
const token = (expiresInSeconds: number): string => {
  const now = Math.floor(Date.now() / 1000)
  return `${fakeJwt({ iss: ISSUER, sub: 'system:serviceaccount:shop:app', aud: ['sts.aliyuncs.com'], iat: now, exp: now + expiresInSeconds })}\n`
}

let emu: Emulator
let dir: Awaited<ReturnType<typeof tempDir>>
let tokenFile: string
let leaks: Awaited<ReturnType<typeof openHandles>>

beforeEach(async () => {
  leaks = await openHandles()
  emu = await startEmulator({
    oidcProviders: [{ arn: PROVIDER, issuer: ISSUER, audiences: ['sts.aliyuncs.com'] }],
    roles: [{ roleArn: ROLE, oidcProviderArns: [PROVIDER] }],
  })
  // The pod's file system: the token at the webhook's path, under a temp root.
  dir = await tempDir('rrsa')
  tokenFile = await dir.file(RRSA_TOKEN_FILE.slice(1), token(3600))
})
afterEach(async () => {
  await emu.stop()
  await dir.remove()
  await leaks.check()
})

describe('OIDC (RRSA) in a Kubernetes-like pod, against the emulator', () => {
  it('assumes the role with the projected token, configured only by the webhook variables', async () => {
    const env = Env.fromRecord(rrsaEnv({ roleArn: ROLE, oidcProviderArn: PROVIDER, tokenFile }))
    const r = await main(env, emu.stsEndpoint)
    if (r._tag === 'Left') throw r.left
    expect([r.right.type, r.right.source]).toEqual(['sts', 'oidc_role_arn'])
    expect(emu.identity(r.right.type === 'bearer' ? '' : r.right.accessKeyId)).toMatchObject({
      identityType: 'AssumedRoleUser',
      arn: expect.stringMatching(/^acs:ram::1234567890123456:assumed-role\/app-reader\/credentials-nodejs-\d+$/),
      roleArn: ROLE,
    })
    expect(emu.counts()).toEqual({ 'sts.AssumeRoleWithOIDC': 1 })
  })

  it('re-reads the token file on every refresh (the kubelet rotates it)', async () => {
    const env = Env.fromRecord(rrsaEnv({ roleArn: ROLE, oidcProviderArn: PROVIDER, tokenFile }))
    const provider = podCredentials(env, emu.stsEndpoint)
    try {
      expect((await provider()())._tag).toBe('Right')
      await writeFile(tokenFile, token(-60)) // a token that expired a minute ago: nobody rotated it
      const r = await provider.forceRefresh()()
      expect(r._tag === 'Left' && r.left).toMatchObject({
        _tag: 'SourceFailure',
        provider: 'oidc_role_arn',
        message: expect.stringMatching(
          new RegExp(
            `^the OIDC token in ${tokenFile} expired at \\S+; whatever writes that file \\(e\\.g\\. the Kubernetes service account token projection\\) is not refreshing it$`,
          ),
        ),
      })
      // The expired token never reached STS.
      expect(emu.counts()).toEqual({ 'sts.AssumeRoleWithOIDC': 1 })
    } finally {
      provider.close()
    }
  })

  it('names the variable to set when the webhook did not inject the role', async () => {
    const env = Env.fromRecord({ ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER, ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile })
    const r = await main(env, emu.stsEndpoint)
    expect(r._tag === 'Left' && r.left).toMatchObject({
      _tag: 'InvalidConfiguration',
      message: 'roleArn is not set: give roleArn or set ALIBABA_CLOUD_ROLE_ARN to the ARN of the role to assume',
      location: { key: 'roleArn', envVar: 'ALIBABA_CLOUD_ROLE_ARN' },
    })
    expect(emu.counts()).toEqual({})
  })
})
