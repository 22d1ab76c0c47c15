// `npm start` end to end: the demo script on the built packages, in a throwaway HOME with no ALIBABA_CLOUD_* variables.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cleanEnv, DEMO, ensureBuilt, reportSkip, run } from './_support/built.js'

const built = await ensureBuilt()
reportSkip('the demo test (packages/cli/test/demo.test.ts)', built)

describe.skipIf(!built.ok)('npm start (scripts/demo.mjs)', () => {
  const home = mkdtempSync(join(tmpdir(), 'alicred-demo-test-'))
  afterAll(() => rmSync(home, { recursive: true, force: true }))

  it('walks every source against the emulator, calls STS through a Tea client, and ends by itself', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('alicred-demo-')))
    const started = Date.now()
    const r = await run(DEMO, [], cleanEnv(home), 20_000)
    expect({ code: r.code, signal: r.signal, stderr: r.stderr }).toEqual({ code: 0, signal: null, stderr: '' })
    expect(Date.now() - started).toBeLessThan(20_000)
    const sources = [...r.stdout.matchAll(/^ {2}source {6}(.+)$/gm)].map((m) => m[1])
    expect(sources).toEqual([
      'default/env',
      'default/cli_profile/ram_role_arn/static_ak',
      'default/profile/ram_role_arn/static_ak',
      'default/credential_uri',
      'default/ecs_ram_role',
    ])
    expect(r.stdout).toMatch(/^ {2}Arn {11}acs:ram::1234567890123456:assumed-role\/ecs-instance\/.+$/m)
    expect(r.stdout).toContain("signed with   default credentials from provider 'default/ecs_ram_role'")
    expect(r.stdout).toMatch(/The emulator answered: .*imds\.credentials ×\d.*sts\.GetCallerIdentity ×1/)
    expect(r.stdout).not.toContain('demo-secret-only-for-the-emulator')
    expect(r.stdout).not.toContain('\u001b[')
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Done: the emulator is stopped and the throwaway HOME removed.')
    // its throwaway HOME is gone
    const after = readdirSync(tmpdir()).filter(
      (f) => f.startsWith('alicred-demo-') && !f.startsWith('alicred-demo-test-'),
    )
    expect(after.filter((f) => !before.has(f))).toEqual([])
  })
})
