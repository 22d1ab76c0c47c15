import { Credential, type Http, Providers } from '@alicred/core'
import { startBlackhole } from '@alicred/testing/emulator'
import { describe, expect, it } from 'vitest'
import { ACCOUNT, callerIdentity, left, right, T0, useWorld } from './_setup.js'

const w = useWorld({ imds: { roleName: 'EcsRole' } })
const ecs = (o: Parameters<typeof Providers.ecsRamRole>[0] = {}, env: Record<string, string> = {}) =>
  Providers.ecsRamRole({ metadataBaseUrl: w.emu.metadataBaseUrl, ...o })(w.caps(env))

describe('ecs_ram_role on the emulator', () => {
  it('uses IMDSv2: token, role discovery, credentials', async () => {
    const c = right(await ecs()()())
    expect(Credential.view(c)).toEqual({
      type: 'sts',
      source: 'ecs_ram_role',
      accessKeyId: 'STS.****',
      expiration: '2024-01-01T06:00:00.000Z',
    })
    expect(await callerIdentity(w.emu, c, T0)).toMatchObject({
      Arn: `acs:ram::${ACCOUNT}:assumed-role/EcsRole/ecs-ram-role`,
    })
    const counts = w.emu.counts()
    expect(counts['imds.roles']).toBe(1)
    expect(counts['imds.credentials']).toBe(1)
    expect(counts['imds.token']).toBeGreaterThanOrEqual(1)
    expect(
      w.emu
        .requests()
        .filter((r) => r.route.startsWith('imds.'))
        .every((r) => r.status === 200),
    ).toBe(true)
  })

  it('skips discovery with a role name from ALIBABA_CLOUD_ECS_METADATA', async () => {
    right(await ecs({}, { ALIBABA_CLOUD_ECS_METADATA: 'EcsRole' })()())
    expect(w.emu.counts()['imds.roles']).toBeUndefined()
  })

  it('never lets a role name `.` or `..` (configured or discovered) leave the security-credentials path', async () => {
    for (const roleName of ['..', '.']) {
      expect(left(await ecs({ roleName })()())._tag).toBe('InvalidConfiguration')
      expect(left(await ecs({}, { ALIBABA_CLOUD_ECS_METADATA: roleName })()())._tag).toBe('InvalidConfiguration')
    }
    expect(w.emu.requests()).toEqual([])
    w.emu.configureImds({ roleName: '..' })
    expect(left(await ecs({ disableIMDSv1: true })()())._tag).toBe('SourceFailure')
    // the server saw the token and the role list, and nothing outside security-credentials/
    const paths = w.emu.requests().map((r) => r.path.split('?')[0])
    expect(paths.length).toBeGreaterThan(0)
    expect(paths.every((p) => p === '/latest/api/token' || p === '/latest/meta-data/ram/security-credentials/')).toBe(
      true,
    )
  })

  it('works with IMDSv1 only when v1 is not disabled', async () => {
    w.emu.configureImds({ v2: false })
    expect(right(await ecs({ roleName: 'EcsRole' })()()).source).toBe('ecs_ram_role')
    const strict = ecs({ roleName: 'EcsRole', disableIMDSv1: true })
    expect(left(await strict()())._tag).not.toBe('NotConfigured')
    const fromEnv = ecs({ roleName: 'EcsRole' }, { ALIBABA_CLOUD_IMDSV1_DISABLED: 'true' })
    expect(left(await fromEnv()())._tag).not.toBe('NotConfigured')
  })

  it('works with IMDSv2 when v1 is switched off on the server', async () => {
    w.emu.configureImds({ v1: false })
    expect(right(await ecs({ roleName: 'EcsRole', disableIMDSv1: true })()()).source).toBe('ecs_ram_role')
  })

  it('fails with SourceFailure when the role has no credentials', async () => {
    w.emu.configureImds({ roleName: undefined })
    expect(left(await ecs({ roleName: 'EcsRole' })()())).toMatchObject({ _tag: 'SourceFailure', status: 404 })
  })

  it('refreshes an hour before expiry, in the background, and the IMDS rotation gives new credentials', async () => {
    const p = ecs({ roleName: 'EcsRole' })
    const first = right(await p()())
    await w.clock.advance(5 * 3600_000)
    expect(right(await p()())).toBe(first)
    // The background refresh has ended only when its answer is in the cache, which is later than the emulator
    // counting the request: wait for the provider itself to hand out something new (bounded, for a loaded machine).
    let second = right(await p()())
    for (let i = 0; i < 500 && second === first; i++) {
      await new Promise((r) => setTimeout(r, 10))
      second = right(await p()())
    }
    expect(w.emu.counts()['imds.credentials']).toBe(2)
    expect(second).not.toBe(first)
    expect(Credential.view(second).expiration).toBe('2024-01-01T11:00:00.000Z')
  })

  it('off-cloud (a black-holed address): NotConfigured when the connect timeout fires, then no new attempt', async () => {
    const hole = await startBlackhole()
    try {
      const caps = w.caps()
      const urls: Array<string> = []
      const http: Http.Http = {
        request: (req) => {
          urls.push(req.url)
          return caps.http.request(req)
        },
      }
      const p = Providers.ecsRamRole({ metadataBaseUrl: hole.origin, connectTimeoutMs: 300 })({ ...caps, http })
      const started = Date.now()
      const first = left(await p()())
      const took = Date.now() - started
      const second = left(await p()())
      expect({ first, second, urls }).toEqual({
        first: expect.objectContaining({
          _tag: 'NotConfigured',
          message: `not running on ECS, or metadata unreachable (ConnectTimeout on PUT ${hole.origin}/latest/api/token); set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true to skip`,
        }),
        second: expect.objectContaining({
          _tag: 'NotConfigured',
          message:
            'not running on ECS, or metadata unreachable (remembered from a probe 0 s ago; probing again in 300 s); set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true to skip',
        }),
        urls: [`${hole.origin}/latest/api/token`],
      })
      expect(took).toBeGreaterThanOrEqual(290)
      expect(took).toBeLessThan(2_000)
    } finally {
      await hole.close()
    }
  })
})
