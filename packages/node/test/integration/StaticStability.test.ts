// Static stability through the drop-in facade, on the emulator: the emulator's clock runs 8 hours behind this
// machine's, so every answer it gives (ECS metadata, AssumeRole, the credentials URI, a chainable role) carries an
// `Expiration` already past by this machine's clock. As the official SDKs' own suites expect, `Client` returns the
// credential — and tells the reporter once per source, naming it and the skew.
import type { Http } from '@alicred/core'
import Client, { Config } from '@alicred/node'
import { type FakeReporter, fakeReporter, manualClock } from '@alicred/testing'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { AK, callerIdentity, ROLE, T0, useWorld } from './_setup.js'

const HOUR = 3_600_000
const BEHIND = 8 * HOUR
const METADATA = 'http://100.100.100.200'

const w = useWorld({
  clock: manualClock(T0 - BEHIND),
  // the requests are signed with this machine's time, 8 hours ahead of the emulator's
  maxSkewSeconds: 9 * 3600,
  imds: { roleName: 'EcsRole' },
})

let reporter: FakeReporter
beforeEach(() => {
  reporter = fakeReporter()
})

const expiredWarning = (source: string) =>
  new RegExp(`^alicred: ${source}: the source answered with a credential that had already expired \\(at 2023-12-31T`)

// The facade's ecs_ram_role has no metadata address to set (as in the reference): its requests are sent to the
// emulator instead of 100.100.100.200 — on loopback, as every test here.
const toEmulator = (http: Http.Http): Http.Http => ({
  request: (req) => http.request({ ...req, url: req.url.replace(METADATA, w.emu.metadataBaseUrl) }),
})

const options = (env: Record<string, string> = {}) => {
  const caps = w.caps({ ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ...env })
  return { capabilities: { ...caps, http: toEmulator(caps.http), reporter } }
}

/** The credential a Client resolves, and that it is one the emulator issued (and, on its own clock, still honours). */
const resolve = async (client: Client) => {
  const model = await client.getCredential()
  const identity = await callerIdentity(
    w.emu,
    {
      type: 'sts',
      accessKeyId: model.accessKeyId as string,
      accessKeySecret: model.accessKeySecret as string,
      securityToken: model.securityToken as string,
      source: 'test',
    } as never,
    T0 - BEHIND,
  )
  return { model, identity }
}

describe('static stability through Client, against an emulator whose clock is 8 hours behind', () => {
  it('ecs_ram_role: the metadata answer is served, with one warning', async () => {
    const client = new Client(new Config({ type: 'ecs_ram_role', roleName: 'EcsRole' }), null, {
      capabilities: { ...w.caps(), http: toEmulator(w.caps().http), reporter },
    })
    const { model, identity } = await resolve(client)
    expect(model.type).toBe('ecs_ram_role')
    expect(identity).toMatchObject({ Arn: expect.stringContaining(':assumed-role/EcsRole/') })
    expect(reporter.warnings).toEqual([expect.stringMatching(expiredWarning('ecs_ram_role'))])
    // later calls are served from cache within the backoff step: no new metadata request, no new warning
    const before = w.emu.counts()['imds.credentials']
    expect((await client.getCredential()).accessKeyId).toBe(model.accessKeyId)
    expect(w.emu.counts()['imds.credentials']).toBe(before)
    expect(reporter.warnings).toHaveLength(1)
  })

  it('ram_role_arn: the AssumeRole answer is served, with one warning naming the skew', async () => {
    const client = new Client(
      new Config({
        type: 'ram_role_arn',
        ...AK,
        roleArn: ROLE,
        roleSessionName: 'skew',
        stsEndpoint: w.emu.stsEndpoint,
      }),
      null,
      options(),
    )
    const { model, identity } = await resolve(client)
    expect(model.type).toBe('ram_role_arn')
    expect(identity).toMatchObject({ Arn: expect.stringContaining(':assumed-role/reader/skew') })
    // issued for 1 h at the emulator's T0 - 8 h: 7 h before this machine's time
    expect(reporter.warnings).toEqual([
      expect.stringMatching(
        /^alicred: ram_role_arn: .*\(at 2023-12-31T17:00:00.000Z, 25200 s before this machine's time/,
      ),
    ])
    expect(w.emu.counts()['sts.AssumeRole']).toBe(1)
  })

  it('credentials_uri: the URI answer is served, with one warning', async () => {
    const client = new Client(
      new Config({ type: 'credentials_uri', credentialsURI: w.emu.credentialsUri }),
      null,
      options(),
    )
    const { model, identity } = await resolve(client)
    expect(model.type).toBe('credentials_uri')
    expect(identity).toMatchObject({ Arn: expect.stringContaining(':assumed-role/') })
    expect(reporter.warnings).toEqual([expect.stringMatching(expiredWarning('credential_uri'))])
  })

  it('a chainable role (Aliyun CLI profile): the chained AssumeRole answer is served, one warning per source', async () => {
    await w.file(
      '.aliyun/config.json',
      JSON.stringify({
        current: 'chained',
        profiles: [
          { name: 'base', mode: 'AK', access_key_id: AK.accessKeyId, access_key_secret: AK.accessKeySecret },
          {
            name: 'first',
            mode: 'ChainableRamRoleArn',
            source_profile: 'base',
            ram_role_arn: ROLE,
            ram_session_name: 'first',
            sts_endpoint: w.emu.stsEndpoint,
          },
          {
            name: 'chained',
            mode: 'ChainableRamRoleArn',
            source_profile: 'first',
            ram_role_arn: ROLE,
            ram_session_name: 'chained',
            sts_endpoint: w.emu.stsEndpoint,
          },
        ],
      }),
    )
    const client = new Client(null, null, options())
    const { model, identity } = await resolve(client)
    expect(model.type).toBe('default')
    expect(model.providerName).toBe('default/cli_profile')
    expect(identity).toMatchObject({ Arn: expect.stringContaining(':assumed-role/reader/chained') })
    expect(w.emu.counts()['sts.AssumeRole']).toBe(2)
    // the inner role and the chained one each arrived expired; the default chain's own cache adds no third warning
    expect(reporter.warnings).toEqual([
      expect.stringMatching(expiredWarning('ram_role_arn')),
      expect.stringMatching(expiredWarning('ram_role_arn')),
    ])
  })

  it('the live capabilities warn on the console, once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const client = new Client(
        new Config({ type: 'ram_role_arn', ...AK, roleArn: ROLE, stsEndpoint: w.emu.stsEndpoint }),
        null,
        { capabilities: w.caps({ ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }) },
      )
      expect((await client.getCredential()).type).toBe('ram_role_arn')
      expect((await client.getCredential()).type).toBe('ram_role_arn')
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(expiredWarning('ram_role_arn'))])
    } finally {
      warn.mockRestore()
    }
  })
})
