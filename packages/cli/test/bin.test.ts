// The built `alicred` binary, run as a child process the way people run it: a throwaway HOME, no ALIBABA_CLOUD_*
// variables but the ones a test sets, ECS metadata switched off, the emulator on 127.0.0.1 where a source needs one.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Emulator, startEmulator } from '@alicred/testing/emulator'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BIN, cleanEnv, ensureBuilt, killAll, reportSkip, run, start } from './_support/built.js'

const built = await ensureBuilt()
reportSkip('the built-binary tests of packages/cli/test/bin.test.ts', built)

const KEY = { accessKeyId: 'LTAI5tBinTestKey', accessKeySecret: 'bin-test-SECRET' }
const ROLE = 'acs:ram::1234567890123456:role/bin-test'
const OFF = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }
const ANSI = '\u001b['

describe.skipIf(!built.ok)('alicred (built binary)', () => {
  let emu: Emulator
  let home: string
  const env = (extra: Record<string, string> = {}) => cleanEnv(home, { ...OFF, ...extra })
  const alicred = (args: ReadonlyArray<string>, extra: Record<string, string> = {}) => run(BIN, args, env(extra))

  beforeAll(async () => {
    emu = await startEmulator({
      accessKeys: [KEY],
      roles: [{ roleArn: ROLE }],
      credentialsUri: { roleArn: ROLE },
    })
  })
  afterAll(async () => {
    await emu?.stop()
  })
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'alicred-bin-'))
  })
  afterEach(async () => {
    await killAll()
    rmSync(join(home, '.alibabacloud'), { recursive: true, force: true })
  })
  afterAll(() => rmSync(home, { recursive: true, force: true }))

  describe('explain', () => {
    it('in an empty HOME: every link skipped, naming the files under that HOME, exit 1', async () => {
      const r = await alicred(['explain'])
      expect(r.code).toBe(1)
      expect(r.stderr).toBe('')
      const lines = r.stdout.split('\n')
      expect(lines[0]).toBe('Default credential chain')
      expect(lines.slice(1, 7).map((l) => l.trim().split(/\s+/).slice(0, 3))).toEqual(
        ['env', 'oidc_role_arn', 'cli_profile', 'profile', 'credential_uri', 'ecs_ram_role'].map((l) => [
          '–',
          l,
          'skipped',
        ]),
      )
      expect(lines[3]).toContain(`${home}/.aliyun/config.json does not exist`)
      expect(lines[4]).toContain(`${home}/.alibabacloud/credentials does not exist`)
      expect(lines[6]).toContain('ALIBABA_CLOUD_ECS_METADATA_DISABLED=true')
      expect(lines[8]).toMatch(/^No credentials: no credentials found: every source of the default chain was skipped/)
      expect(r.stdout).not.toContain(ANSI)
    })

    it('an INI ram_role_arn profile over the emulator: the trace, the source, a masked key, never a secret', async () => {
      mkdirSync(join(home, '.alibabacloud'))
      writeFileSync(
        join(home, '.alibabacloud', 'credentials'),
        `[default]\ntype = ram_role_arn\naccess_key_id = ${KEY.accessKeyId}\naccess_key_secret = ${KEY.accessKeySecret}\nrole_arn = ${ROLE}\nsts_endpoint = ${emu.url}\n`,
      )
      const r = await alicred(['explain'])
      expect(r.code).toBe(0)
      const lines = r.stdout.split('\n')
      expect(lines[4]).toMatch(/^ {2}✓ profile +chosen +\d+ ms {2}profile\/ram_role_arn\/static_ak$/)
      expect(lines.slice(5, 7)).toEqual(['  · credential_uri  not tried', '  · ecs_ram_role    not tried'])
      expect(lines.slice(9, 12)).toEqual([
        '  source      default/profile/ram_role_arn/static_ak',
        '  type        sts',
        '  key id      STS.****',
      ])
      expect(lines[12]).toMatch(/^ {2}expiration {2}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 60 min\)$/)
      expect(r.stdout).not.toContain(KEY.accessKeySecret)

      const json = await alicred(['explain', '--json'])
      expect(json.code).toBe(0)
      const report = JSON.parse(json.stdout)
      expect([report.found, report.credential.source, report.credential.type]).toEqual([
        true,
        'default/profile/ram_role_arn/static_ak',
        'sts',
      ])
      expect(report.links.map((l: { outcome: string }) => l.outcome)).toEqual([
        'skipped',
        'skipped',
        'skipped',
        'chosen',
        'not tried',
        'not tried',
      ])
    })

    it('a broken profile: the failed link with its typed error, exit 1, no stack trace', async () => {
      mkdirSync(join(home, '.alibabacloud'))
      writeFileSync(join(home, '.alibabacloud', 'credentials'), '[default]\ntype = ram_role_arn\n')
      const r = await alicred(['explain'])
      expect(r.code).toBe(1)
      expect(r.stdout).toMatch(/\n {2}✗ profile +failed +\d+ ms {2}InvalidConfiguration: profile \[default\] in /)
      const env = await alicred(['env'])
      expect(env.code).toBe(1)
      expect(env.stdout).toBe('')
      expect(env.stderr.split('\n')).toHaveLength(2)
      expect(env.stderr).toMatch(
        /^alicred env: .*\(InvalidConfiguration in default\/profile\)\. Run 'alicred explain' to see the whole chain\.\n$/,
      )
    })

    it('an unknown --profile stops the chain with InvalidConfiguration naming it', async () => {
      const r = await alicred(['explain', '--profile', 'nope'])
      expect(r.code).toBe(1)
      expect(r.stdout).toMatch(/\nNo credentials: the profile option names the profile 'nope'/)
    })
  })

  describe('env', () => {
    it('prints assignments a real shell evaluates back to the same credential', async () => {
      const secret = `it's "quoted" $HOME \`x\``
      const r = await alicred(['env'], {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.binKey',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret,
        ALIBABA_CLOUD_SECURITY_TOKEN: 'tok',
      })
      expect(r.code).toBe(0)
      const sh = spawnSync(
        'sh',
        [
          '-c',
          `${r.stdout}\nprintf '%s|%s|%s' "$ALIBABA_CLOUD_ACCESS_KEY_ID" "$ALIBABA_CLOUD_ACCESS_KEY_SECRET" "$ALIBABA_CLOUD_SECURITY_TOKEN"`,
        ],
        { encoding: 'utf8', env: { PATH: process.env.PATH } },
      )
      expect(sh.stdout).toBe(`STS.binKey|${secret}|tok`)
    })

    it('an unknown --format: exit 2, one line', async () => {
      const r = await alicred(['env', '--format', 'csh'])
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        '',
        "alicred env: unknown --format 'csh'; use one of sh, fish, powershell, dotenv, json. Run 'alicred env --help' for usage.\n",
      ])
    })
  })

  describe('exec', () => {
    const withKey = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.accessKeySecret,
    }

    it('runs the command with the credentials in its environment and returns its exit code', async () => {
      const script =
        "process.stdout.write([process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, String(process.env.ALIBABA_CLOUD_SECURITY_TOKEN)].join('|')); process.exit(3)"
      const ok = await alicred(['exec', process.execPath, '-e', script], withKey)
      expect([ok.code, ok.stdout, ok.stderr]).toEqual([3, `${KEY.accessKeyId}|${KEY.accessKeySecret}|undefined`, ''])
    })

    it('passes SIGTERM on to the child and returns the child’s own exit code', async () => {
      const script =
        "process.on('SIGTERM', () => { process.stdout.write('child got SIGTERM'); process.exit(7) }); process.stdout.write('ready\\n'); setInterval(() => {}, 1000)"
      const p = start(BIN, ['exec', '--', process.execPath, '-e', script], env(withKey))
      await p.waitFor(/ready\n/)
      p.kill('SIGTERM')
      expect(await p.exit).toEqual({ code: 7, signal: null })
      expect(p.stdout).toBe('ready\nchild got SIGTERM')
    })

    it('a child ended by a signal gives 128 + its number (SIGINT passed on → 130; SIGKILL → 137)', async () => {
      const p = start(
        BIN,
        ['exec', '--', process.execPath, '-e', "process.stdout.write('ready\\n'); setInterval(() => {}, 1000)"],
        env(withKey),
      )
      await p.waitFor(/ready\n/)
      p.kill('SIGINT')
      expect(await p.exit).toEqual({ code: 130, signal: null })
      const killed = await alicred(
        ['exec', '--', process.execPath, '-e', "process.kill(process.pid, 'SIGKILL')"],
        withKey,
      )
      expect(killed.code).toBe(137)
    })

    it('no command: exit 2; a command that does not exist: exit 127; both one line', async () => {
      const none = await alicred(['exec'], withKey)
      expect([none.code, none.stderr.split('\n').length]).toEqual([2, 2])
      const missing = await alicred(['exec', '--', 'alicred-no-such-command'], withKey)
      expect([missing.code, missing.stderr]).toEqual([
        127,
        'alicred exec: command not found: alicred-no-such-command; check the name or your PATH.\n',
      ])
    })
  })

  describe('serve', () => {
    it('serves the resolved credentials on a secret loopback path; stops on SIGTERM', async () => {
      const p = start(BIN, ['serve'], env({ ALIBABA_CLOUD_CREDENTIALS_URI: emu.credentialsUri }))
      const [, url, port] = await p.waitFor(
        /^ALIBABA_CLOUD_CREDENTIALS_URI=(http:\/\/127\.0\.0\.1:(\d+)\/[0-9a-f]{32})\n$/,
      )
      const res = await fetch(url!)
      expect(res.status).toBe(200)
      const body = await res.json()
      expect(Object.keys(body)).toEqual(['Code', 'AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'Expiration'])
      expect(body.Code).toBe('Success')
      expect(body.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404)
      expect((await fetch(url!, { method: 'POST' })).status).toBe(405)
      expect(p.stderr).not.toContain(body.AccessKeySecret)
      expect(p.stderr).not.toContain(url!.slice(-32))
      p.kill('SIGTERM')
      expect(await p.exit).toEqual({ code: 0, signal: null })
      expect(emu.counts().uri).toBe(1)
    })

    it('a busy port: one line, exit 1', async () => {
      const busy: Server = createServer()
      await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
      const port = (busy.address() as { port: number }).port
      try {
        const r = await alicred(['serve', '--port', String(port)], {
          ALIBABA_CLOUD_CREDENTIALS_URI: emu.credentialsUri,
        })
        expect([r.code, r.stdout, r.stderr]).toEqual([
          1,
          '',
          `alicred serve: port ${port} on 127.0.0.1 is already in use; choose another with --port, or leave --port out to take a free one.\n`,
        ])
      } finally {
        await new Promise((r) => busy.close(r))
      }
    })
  })

  describe('emulator', () => {
    it('runs in the foreground, prints where it is, serves credentials, stops on SIGINT', async () => {
      const p = start(BIN, ['emulator'], env())
      const [, uri] = await p.waitFor(
        /^export ALIBABA_CLOUD_CREDENTIALS_URI='(http:\/\/127\.0\.0\.1:\d+\/credentials)'$/m,
      )
      const creds = await (await fetch(uri!)).json()
      expect(creds.Code).toBe('Success')
      const explained = await alicred(['explain'], { ALIBABA_CLOUD_CREDENTIALS_URI: uri! })
      expect(explained.stdout).toContain('  source      default/credential_uri\n')
      p.kill('SIGINT')
      expect(await p.exit).toEqual({ code: 0, signal: null })
      await expect(fetch(uri!)).rejects.toThrow()
    })
  })

  describe('usage', () => {
    it('--version, --help', async () => {
      const v = await alicred(['--version'])
      expect([v.code, v.stdout]).toEqual([0, 'alicred 0.1.0\n'])
      const h = await alicred(['exec', '--help'])
      expect([h.code, h.stdout.split('\n')[0]]).toEqual([
        0,
        'Usage: alicred exec [--profile NAME] [--] COMMAND [ARGS...]',
      ])
    })

    it('bad input: one line on stderr, exit 2, never a stack trace', async () => {
      for (const argv of [
        ['deploy'],
        ['--nope'],
        ['explain', '--nope'],
        ['serve', '--port', 'x'],
        ['env', '--format'],
      ]) {
        const r = await alicred(argv)
        expect([argv, r.code, r.stdout]).toEqual([argv, 2, ''])
        expect(r.stderr.split('\n')).toHaveLength(2)
        expect(r.stderr).not.toMatch(/\n\s+at /)
      }
    })
  })
})
