// The External mode with real processes: a CLI profile in a real config.json under a temp HOME, run through the
// live Exec of @alicred/node (execFile of a real program, no shell).
import { chown, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Providers } from '@alicred/core'
import { liveCapabilities } from '@alicred/node'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const SECRET = 'argv0+SECRET=Zq8Wx7'
let home: string
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'alicred-external-'))
})
afterEach(async () => {
  await rm(home, { recursive: true, force: true })
})

const config = (processCommand: string) =>
  JSON.stringify({ current: 'tools', profiles: [{ name: 'tools', mode: 'External', process_command: processCommand }] })

const run = async (processCommand: string) => {
  const file = join(home, 'config.json')
  await writeFile(file, config(processCommand))
  const caps = liveCapabilities({ env: { PATH: process.env.PATH ?? '' }, home })
  try {
    return await Providers.cliProfile({ file, onWriteBackError: () => {} })(caps)()()
  } finally {
    caps.close()
  }
}

describe('External with real processes', () => {
  it('a process_command whose first word holds a secret and is no command: named by profile, never quoted', async () => {
    const r = await run(`ALIBABA_CLOUD_ACCESS_KEY_SECRET=${SECRET} alicred-no-such-helper --json`)
    expect(r._tag).toBe('Left')
    if (r._tag === 'Right') return
    expect([r.left._tag, r.left.message]).toEqual([
      'InvalidConfiguration',
      "the process_command of profile 'tools' was not found or cannot be run; check that its first word is the path of an executable",
    ])
    for (const text of [r.left.message, String(r.left), JSON.stringify(r.left), r.left.stack ?? '']) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain('alicred-no-such-helper')
    }
  })

  it('a helper that exits non-zero: the message names the profile, not the command or its output', async () => {
    const r = await run(
      `${JSON.stringify(process.execPath)} -e "process.stderr.write('${SECRET}'); process.exit(3)" ${SECRET}`,
    )
    if (r._tag === 'Right') throw new Error('expected a failure')
    expect([r.left._tag, r.left.message]).toEqual([
      'SourceFailure',
      "the process_command of profile 'tools' exited with code 3; run it by hand to see why (its output is not shown here because it may hold secrets)",
    ])
  })

  it('a helper that logs 5 MB to stderr and prints valid JSON: the credential (stderr is drained and ignored)', async () => {
    const script = [
      'const line = "log ".repeat(255) + "\\n";',
      'for (let i = 0; i < 5 * 1024; i++) process.stderr.write(line);',
      'process.stdout.write(JSON.stringify({ mode: "StsToken", access_key_id: "STS.ext", access_key_secret: "s", sts_token: "t", expiration: "2099-01-01T00:00:00Z" }))',
    ].join(' ')
    const r = await run(`${JSON.stringify(process.execPath)} -e ${JSON.stringify(script)}`)
    if (r._tag === 'Left') throw r.left
    expect([r.right.type, r.right.source]).toEqual(['sts', 'cli_profile/external'])
  })

  it('writes the credential back into config.json changing only its keys, keeping owner, group and mode', async () => {
    const file = join(home, 'config.json')
    const helper = `${JSON.stringify(process.execPath)} -e ${JSON.stringify(
      'process.stdout.write(JSON.stringify({ mode: "StsToken", access_key_id: "STS.ext", access_key_secret: "s", sts_token: "t", expiration: "2099-01-01T00:00:00Z" }))',
    )}`
    const before = `{
    "current": "tools",
    "big": 12345678901234567890, "huge": 1e400, "dup": 1, "dup": 2,
    "profiles": [
        {
            "name": "tools",
            "mode": "External",
            "process_command": ${JSON.stringify(helper)},
            "custom": 0.1000000000000000055511151231257827
        }
    ]
}
`
    await writeFile(file, before, { mode: 0o640 })
    const isRoot = process.getuid?.() === 0
    if (isRoot) await chown(file, 4242, 4343)
    const caps = liveCapabilities({ env: { PATH: process.env.PATH ?? '' }, home })
    const failures: Array<string> = []
    try {
      const r = await Providers.cliProfile({ file, onWriteBackError: (f) => void failures.push(f.message) })(caps)()()
      if (r._tag === 'Left') throw r.left
    } finally {
      caps.close()
    }
    expect(failures).toEqual([])
    const after = await readFile(file, 'utf8')
    expect(after).toBe(
      before.replace(
        '"custom": 0.1000000000000000055511151231257827\n',
        '"custom": 0.1000000000000000055511151231257827,\n            "access_key_id": "STS.ext",\n            "access_key_secret": "s",\n            "sts_token": "t",\n            "sts_expiration": 4070908800\n',
      ),
    )
    const st = await stat(file)
    expect(st.mode & 0o777).toBe(0o640)
    if (isRoot) expect([st.uid, st.gid]).toEqual([4242, 4343])
  })
})
