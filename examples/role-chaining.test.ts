import { type LiveCapabilities, liveCapabilities } from '@alicred/node'
import { type Emulator, openHandles, startEmulator } from '@alicred/testing/emulator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deployer, type Endpoints, main } from './role-chaining.js'

const ACCOUNT = '1234567890123456'
const INSTANCE_ROLE = `acs:ram::${ACCOUNT}:role/EcsInstanceRole`
const DEPLOYER = `acs:ram::${ACCOUNT}:role/deployer`
const LOCKED = `acs:ram::${ACCOUNT}:role/locked`

let emu: Emulator
let caps: LiveCapabilities
let endpoints: Endpoints
let leaks: Awaited<ReturnType<typeof openHandles>>

beforeEach(async () => {
  leaks = await openHandles()
  emu = await startEmulator({
    imds: { roleName: 'EcsInstanceRole' },
    roles: [
      { roleArn: INSTANCE_ROLE },
      // Only sessions of the instance role may assume `deployer`; nobody may assume `locked`.
      { roleArn: DEPLOYER, trustedPrincipals: [INSTANCE_ROLE] },
      { roleArn: LOCKED, trustedPrincipals: [`acs:ram::${ACCOUNT}:user/admin`] },
    ],
  })
  // An empty environment snapshot: nothing is read from process.env.
  caps = liveCapabilities({ env: {} })
  endpoints = { metadataBaseUrl: emu.metadataBaseUrl, stsEndpoint: emu.stsEndpoint }
})
afterEach(async () => {
  caps.close()
  await emu.stop()
  await leaks.check()
})

describe('ram_role_arn over the ECS instance role (emulator)', () => {
  it('assumes the deployer role with the instance role credentials', async () => {
    const r = await main(caps, endpoints, DEPLOYER)
    if (r._tag === 'Left') throw r.left
    expect([r.right.type, r.right.source]).toEqual(['sts', 'ram_role_arn/ecs_ram_role'])
    expect(emu.identity(r.right.type === 'bearer' ? '' : r.right.accessKeyId)).toEqual({
      accountId: ACCOUNT,
      identityType: 'AssumedRoleUser',
      arn: `acs:ram::${ACCOUNT}:assumed-role/deployer/deploy`,
      userId: expect.stringMatching(/:deploy$/),
      principalId: expect.stringMatching(/:deploy$/),
      roleId: expect.any(String),
      roleArn: DEPLOYER,
    })
    // IMDSv2: token, role discovery, role credentials; then one AssumeRole signed with those credentials.
    expect(emu.counts()).toEqual({ 'imds.token': 1, 'imds.roles': 1, 'imds.credentials': 1, 'sts.AssumeRole': 1 })
  })

  it('serves later calls from the cache', async () => {
    const p = deployer(caps, endpoints, DEPLOYER)
    const first = await p()()
    const second = await p()()
    expect(second).toEqual(first)
    expect(emu.counts()['sts.AssumeRole']).toBe(1)
  })

  it('fails with the STS error when the role does not trust the instance role', async () => {
    const r = await main(caps, endpoints, LOCKED)
    if (r._tag === 'Right') throw new Error('expected a failure')
    expect(r.left).toMatchObject({
      _tag: 'SourceFailure',
      provider: 'ram_role_arn',
      status: 403,
      code: 'NoPermission',
      retryable: false,
      message: expect.stringMatching(
        /^STS AssumeRole answered HTTP 403: code NoPermission: .*check the role ARN and that the role’s trust policy allows this caller \(request id [\w-]+\)$/,
      ),
    })
  })
})
