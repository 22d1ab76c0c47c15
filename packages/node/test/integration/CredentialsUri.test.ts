import { Credential, Providers } from '@alicred/core'
import { expect, it } from 'vitest'
import { ACCOUNT, callerIdentity, left, right, T0, useWorld } from './_setup.js'

const w = useWorld({ credentialsUri: { roleArn: `acs:ram::${ACCOUNT}:role/sidecar` } })

it('fetches STS credentials from the URI in ALIBABA_CLOUD_CREDENTIALS_URI', async () => {
  const p = Providers.credentialsUri()(w.caps({ ALIBABA_CLOUD_CREDENTIALS_URI: w.emu.credentialsUri }))
  const c = right(await p()())
  expect(Credential.view(c)).toEqual({
    type: 'sts',
    source: 'credential_uri',
    accessKeyId: 'STS.****',
    expiration: '2024-01-01T01:00:00.000Z',
  })
  expect(await callerIdentity(w.emu, c, T0)).toMatchObject({
    Arn: `acs:ram::${ACCOUNT}:assumed-role/sidecar/credentials-uri`,
  })
})

it.each([
  ['an error status', { type: 'status', status: 500, body: 'boom' }],
  ['a malformed body', { type: 'malformed' }],
  ['a truncated body', { type: 'truncated' }],
  ['a reset connection', { type: 'reset' }],
] as const)('turns %s into a SourceFailure', async (_, fault) => {
  w.emu.fault('uri', { ...fault, times: 1 })
  const p = Providers.credentialsUri({ uri: w.emu.credentialsUri })(w.caps())
  const e = left(await p()())
  expect(e._tag).toBe('SourceFailure')
  expect(e.message).not.toContain('boom')
  expect(right(await p()()).source).toBe('credential_uri')
})

it('times out on a hung endpoint', async () => {
  w.emu.fault('uri', { type: 'hang' })
  const p = Providers.credentialsUri({ uri: w.emu.credentialsUri, readTimeoutMs: 150 })(w.caps())
  expect(left(await p()())).toMatchObject({ _tag: 'SourceFailure', retryable: true })
})
