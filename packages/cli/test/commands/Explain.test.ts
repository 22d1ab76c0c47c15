import { Chain, Credential, Providers } from '@alicred/core'
import { json } from '@alicred/testing'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/index.js'
import { AK, SECRET, testRuntime } from '../_support/runtime.js'

const OFF = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }
const notTried = (link: string) => `  · ${link.padEnd(14)}  not tried`

// The reasons the default chain itself gives for skipping each link, in order.
const skipReasons = async (
  caps: Parameters<ReturnType<typeof Chain.defaultChain>>[0],
): Promise<ReadonlyArray<string>> => {
  const r = await Chain.defaultChain()(caps)()()
  if (r._tag === 'Right' || r.left._tag !== 'ChainExhausted') throw new Error('expected every link to skip')
  return r.left.attempts.map((a) => a.error.message)
}

describe('alicred explain', () => {
  it('shows the chosen link, the links not tried, and the credential without its secret', async () => {
    const rt = testRuntime({ env: { ...AK, ...OFF } })
    expect(await main(['explain'], rt)).toBe(0)
    expect(rt.out.text).toBe(
      [
        'Default credential chain',
        `  ✓ ${'env'.padEnd(14)}  ${'chosen'.padEnd(9)}  ${'0 ms'.padStart(8)}  env`,
        ...['oidc_role_arn', 'cli_profile', 'profile', 'credential_uri', 'ecs_ram_role'].map(notTried),
        '',
        'Credentials found in 0 ms',
        '  source      default/env',
        '  type        access_key',
        '  key id      LTAI****',
        '  expiration  none (a long-lived credential)',
        '',
      ].join('\n'),
    )
    expect(rt.err.text).toBe('')
    expect(rt.out.text).not.toContain(SECRET)
  })

  it('shows why every link was skipped, exit 1', async () => {
    const rt = testRuntime({ env: OFF })
    const reasons = await skipReasons(rt.capabilities)
    expect(await main(['explain'], rt)).toBe(1)
    const pad = ' '.repeat(2 + 2 + 14 + 2 + 9 + 2 + 8 + 2)
    expect(rt.out.text).toBe(
      [
        'Default credential chain',
        ...Chain.DEFAULT_LINKS.map(
          (l, i) =>
            `  – ${l.padEnd(14)}  ${'skipped'.padEnd(9)}  ${'0 ms'.padStart(8)}  ${reasons[i]!.split('\n').join(`\n${pad}`)}`,
        ),
        '',
        'No credentials: no credentials found: every source of the default chain was skipped (env, oidc_role_arn, cli_profile, profile, credential_uri, ecs_ram_role). Set one of them up (the reasons are listed above).',
        '',
      ].join('\n'),
    )
    expect(reasons[5]).toContain('ALIBABA_CLOUD_ECS_METADATA_DISABLED')
  })

  it('shows a broken profile as the failed link, with its typed error, and the rest as not tried', async () => {
    const files = { '~/.alibabacloud/credentials': '[default]\ntype = nope\n' }
    const rt = testRuntime({ env: OFF, files })
    const direct = await Providers.iniProfile({})(rt.capabilities)()()
    if (direct._tag === 'Right') throw new Error('expected the profile to be refused')
    expect(await main(['explain'], rt)).toBe(1)
    const lines = rt.out.text.split('\n')
    expect(lines[4]).toBe(
      `  ✗ ${'profile'.padEnd(14)}  ${'failed'.padEnd(9)}  ${'0 ms'.padStart(8)}  InvalidConfiguration: ${direct.left.message}`,
    )
    expect(lines.slice(5, 8)).toEqual([notTried('credential_uri'), notTried('ecs_ram_role'), ''])
    expect(lines[8]).toBe(`No credentials: ${direct.left.message} (InvalidConfiguration in default/profile).`)
  })

  it('times each link on the injected clock and shows when the credential expires', async () => {
    const uri = 'http://127.0.0.1:9/creds'
    const rt = testRuntime({ env: { ...OFF, ALIBABA_CLOUD_CREDENTIALS_URI: uri } })
    rt.capabilities.http.on('GET', uri, {
      ...json(200, {
        Code: 'Success',
        AccessKeyId: 'STS.uriKey',
        AccessKeySecret: SECRET,
        SecurityToken: 'token-SECRET',
        Expiration: '2024-01-01T01:00:00Z',
      }),
      delayMs: 250,
    })
    const run = main(['explain'], rt)
    await rt.capabilities.clock.advance(250)
    expect(await run).toBe(0)
    const lines = rt.out.text.split('\n')
    expect(lines[5]).toBe(
      `  ✓ ${'credential_uri'.padEnd(14)}  ${'chosen'.padEnd(9)}  ${'250 ms'.padStart(8)}  credential_uri`,
    )
    expect(lines.slice(8)).toEqual([
      'Credentials found in 250 ms',
      '  source      default/credential_uri',
      '  type        sts',
      '  key id      STS.****',
      '  expiration  2024-01-01T01:00:00Z (in 60 min)',
      '',
    ])
    expect(rt.out.text).not.toContain(SECRET)
    expect(rt.out.text).not.toContain('token-SECRET')
  })

  it('--json: the whole report, no secret', async () => {
    const rt = testRuntime({ env: { ...AK, ...OFF, ALIBABA_CLOUD_PROFILE: 'dev' } })
    expect(await main(['explain', '--json'], rt)).toBe(0)
    const view = Credential.view(
      Credential.accessKey({ accessKeyId: AK.ALIBABA_CLOUD_ACCESS_KEY_ID, accessKeySecret: SECRET, source: 'env' }),
    )
    expect(JSON.parse(rt.out.text)).toEqual({
      found: true,
      profile: { name: 'dev', from: 'env' },
      durationMs: 0,
      links: [
        { link: 'env', outcome: 'chosen', durationMs: 0, credential: view },
        ...['oidc_role_arn', 'cli_profile', 'profile', 'credential_uri', 'ecs_ram_role'].map((link) => ({
          link,
          outcome: 'not tried',
        })),
      ],
      credential: { ...view, source: 'default/env' },
      error: null,
    })
    expect(rt.out.text).not.toContain(SECRET)
  })

  it('--json: a blank --profile names no profile, as in the chain: the variable does', async () => {
    const rt = testRuntime({ env: { ...AK, ...OFF, ALIBABA_CLOUD_PROFILE: ' dev ' } })
    expect(await main(['explain', '--json', '--profile', ' '], rt)).toBe(0)
    expect(JSON.parse(rt.out.text).profile).toEqual({ name: 'dev', from: 'env' })
  })

  it('--json: skipped and failed links carry their reason and typed error', async () => {
    const rt = testRuntime({ env: { ...OFF, ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tOnlyId' } })
    expect(await main(['explain', '--json', '--profile', 'p'], rt)).toBe(1)
    const report = JSON.parse(rt.out.text)
    const direct = await Providers.environment(rt.capabilities)()()
    if (direct._tag === 'Right') throw new Error('expected env to be refused')
    expect(report.profile).toEqual({ name: 'p', from: 'option' })
    expect(report.links[0]).toEqual({
      link: 'env',
      outcome: 'failed',
      durationMs: 0,
      reason: direct.left.message,
      error: direct.left.toJSON(),
    })
    expect(report.error).toEqual({ ...direct.left.toJSON(), provider: 'default/env' })
    expect(report.found).toBe(false)
  })

  it('--json: one name per source (each link is named as its errors and credentials name their source)', async () => {
    const skipped = testRuntime({ env: OFF })
    expect(await main(['explain', '--json'], skipped)).toBe(1)
    const report = JSON.parse(skipped.out.text)
    expect(report.links.map((l: { link: string }) => l.link)).toEqual(Chain.DEFAULT_LINKS)
    expect(report.links.map((l: { link: string; error: { provider: string } }) => [l.link, l.error.provider])).toEqual(
      Chain.DEFAULT_LINKS.map((l) => [l, l]),
    )
    expect(report.error.attempts.map((a: { provider: string }) => a.provider)).toEqual(
      Chain.DEFAULT_LINKS.map((l) => `default/${l}`),
    )

    const uri = 'http://127.0.0.1:9/creds'
    const chosen = testRuntime({ env: { ...OFF, ALIBABA_CLOUD_CREDENTIALS_URI: uri } })
    chosen.capabilities.http.on(
      'GET',
      uri,
      json(200, {
        AccessKeyId: 'STS.k',
        AccessKeySecret: SECRET,
        SecurityToken: 't',
        Expiration: '2024-01-01T01:00:00Z',
      }),
    )
    expect(await main(['explain', '--json'], chosen)).toBe(0)
    const found = JSON.parse(chosen.out.text)
    const link = found.links.find((l: { outcome: string }) => l.outcome === 'chosen')
    expect([link.link, link.credential.source, found.credential.source]).toEqual([
      'credential_uri',
      'credential_uri',
      'default/credential_uri',
    ])
  })

  it('colours only a terminal, and never when NO_COLOR is set', async () => {
    const tty = testRuntime({ env: { ...AK, ...OFF }, tty: true })
    await main(['explain'], tty)
    expect(tty.out.text).toContain('\u001b[32m✓\u001b[39m')
    const noColor = testRuntime({ env: { ...AK, ...OFF }, tty: true, processEnv: { NO_COLOR: '1' } })
    await main(['explain'], noColor)
    expect(noColor.out.text).not.toContain('\u001b[')
    const piped = testRuntime({ env: { ...AK, ...OFF } })
    await main(['explain'], piped)
    expect(piped.out.text).toBe(noColor.out.text)
  })
})
