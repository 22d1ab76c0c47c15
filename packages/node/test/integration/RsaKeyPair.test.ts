import { generateKeyPairSync } from 'node:crypto'
import { Credential, Providers } from '@alicred/core'
import { expect, it } from 'vitest'
import { ACCOUNT, callerIdentity, left, right, T0, useWorld } from './_setup.js'

const w = useWorld()
const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string

it('generates a session AccessKey with a SHA256withRSA-signed request', async () => {
  w.emu.addKeyPair({ publicKeyId: 'TMPSK.key-pair', publicKey: pair.publicKey })
  const keyFile = await w.file('.alibabacloud/key.pem', pem)
  const p = Providers.rsaKeyPair({
    publicKeyId: 'TMPSK.key-pair',
    privateKeyFile: keyFile,
    durationSeconds: 1800,
    endpoint: w.emu.stsEndpoint,
  })(w.caps())
  const c = right(await p()())
  expect(Credential.view(c)).toEqual({
    type: 'access_key',
    source: 'rsa_key_pair',
    accessKeyId: 'TMPS****',
    expiration: '2024-01-01T00:30:00.000Z',
  })
  expect(await callerIdentity(w.emu, c, T0)).toEqual({
    AccountId: ACCOUNT,
    UserId: ACCOUNT,
    Arn: `acs:ram::${ACCOUNT}:root`,
    IdentityType: 'Account',
    PrincipalId: ACCOUNT,
  })
  expect(w.emu.counts()).toEqual({ 'sts.GenerateSessionAccessKey': 1, 'sts.GetCallerIdentity': 1 })
})

it('fails with the STS code when the public key is not registered', async () => {
  const p = Providers.rsaKeyPair({ publicKeyId: 'TMPSK.unknown', privateKey: pem, endpoint: w.emu.stsEndpoint })(
    w.caps(),
  )
  expect(left(await p()())).toMatchObject({ _tag: 'SourceFailure', status: 404, code: 'InvalidAccessKeyId.NotFound' })
})
