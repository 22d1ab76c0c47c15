import { Credential, CredentialsError, Providers } from '@alicred/core'
import { type FakeCapabilities, fakeCapabilities } from '@alicred/testing'
import * as E from 'fp-ts/Either'
import { describe, expect, it, vi } from 'vitest'
import { badExpirations, expectNoLeak, expectRedacted, leftOf, RAW, SECRET, TOKEN } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const T0S = T0 / 1000
const HOUR = 3_600_000
const CMD = '/usr/local/bin/cred-helper --profile "my profile"'
const FILE = '/usr/local/bin/cred-helper'

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
const out = (o: unknown, exitCode = 0) => ({
  exitCode,
  stdout: typeof o === 'string' ? o : JSON.stringify(o),
  stderr: `${RAW} ${SECRET}`,
})
const sts = (exp: number) => ({
  mode: 'StsToken',
  access_key_id: 'STS.ext-id',
  access_key_secret: SECRET,
  sts_token: TOKEN,
  expiration: iso(exp),
})
const ak = { mode: 'AK', access_key_id: 'LTAI-ext', access_key_secret: SECRET }
const stsCred = (exp: number): Credential.Credential =>
  Credential.sts({
    accessKeyId: 'STS.ext-id',
    accessKeySecret: SECRET,
    securityToken: TOKEN,
    expiration: new Date(exp),
    source: 'external',
  })
const akCred = Credential.accessKey({ accessKeyId: 'LTAI-ext', accessKeySecret: SECRET, source: 'external' })
const call = { file: FILE, args: ['--profile', 'my profile'], timeoutMs: 60_000, maxOutputBytes: 1024 * 1024 }

const setup = (): FakeCapabilities => fakeCapabilities({ now: T0 })

describe('external: running the command', () => {
  it('splits process_command into argv (no shell) and decodes StsToken output', async () => {
    const caps = setup()
    caps.exec.on(FILE, out(sts(T0 + HOUR)))
    const r = await Providers.external({ processCommand: CMD })(caps)()()
    expect(r).toEqual(E.right(stsCred(T0 + HOUR)))
    expect(caps.exec.calls).toEqual([call])
    if (E.isRight(r)) expectRedacted(r.right)
  })

  it('AK mode gives an access_key credential; extra fields are ignored', async () => {
    const caps = setup()
    caps.exec.on(FILE, out({ ...ak, extra: { x: 1 } }))
    expect(await Providers.external({ processCommand: CMD, timeoutMs: 5_000 })(caps)()()).toEqual(E.right(akCred))
    expect(caps.exec.calls).toEqual([{ ...call, timeoutMs: 5_000 }])
  })

  it('a token without mode (or in AK mode) still makes an sts credential, as the reference passes it on', async () => {
    const caps = setup()
    const { mode: _, ...noMode } = sts(T0 + HOUR)
    caps.exec.on(FILE, out(noMode), out({ ...sts(T0 + HOUR), mode: 'AK' }))
    const p = Providers.external({ processCommand: CMD })(caps)
    expect(await p()()).toEqual(E.right(stsCred(T0 + HOUR)))
    expect(await p.forceRefresh()()).toEqual(E.right(stsCred(T0 + HOUR)))
  })

  it('null or empty sts_token / expiration mean "absent"', async () => {
    const caps = setup()
    caps.exec.on(FILE, out({ ...ak, sts_token: null, expiration: '' }))
    expect(await Providers.external({ processCommand: CMD })(caps)()()).toEqual(E.right(akCred))
  })

  it('splits with Windows rules when asked', async () => {
    const caps = setup()
    caps.exec.on('C:\\Program Files\\tool\\cred.exe', out(ak))
    const processCommand = '"C:\\Program Files\\tool\\cred.exe" get --profile default'
    expect(await Providers.external({ processCommand, windows: true })(caps)()()).toEqual(E.right(akCred))
    expect(caps.exec.calls.map((c) => [c.file, c.args])).toEqual([
      ['C:\\Program Files\\tool\\cred.exe', ['get', '--profile', 'default']],
    ])
  })

  it.each([
    ['   ', 'process_command is empty; fix process_command'],
    ['tool "unclosed', 'invalid process_command: unclosed quote; fix process_command'],
    ['tool\\', 'invalid process_command: trailing backslash; fix process_command'],
  ])('a process_command that does not split (%j) is InvalidConfiguration', async (processCommand, message) => {
    const caps = setup()
    expect(await Providers.external({ processCommand })(caps)()()).toEqual(
      E.left(new CredentialsError.InvalidConfiguration('external', message, { key: 'process_command' })),
    )
    expect(caps.exec.calls).toEqual([])
  })

  it('without an Exec capability it is InvalidConfiguration', async () => {
    const { exec: _, ...caps } = setup()
    expect(await Providers.external({ processCommand: CMD })(caps)()()).toEqual(
      E.left(
        new CredentialsError.InvalidConfiguration(
          'external',
          'the External mode needs to run a process, and this runtime has no Exec capability; use another credential source here',
          { key: 'process_command' },
        ),
      ),
    )
  })
})

describe('external: failures', () => {
  it.each([
    [
      'not found',
      { error: 'NotFound' } as const,
      new CredentialsError.InvalidConfiguration(
        'external',
        'the external command (process_command) was not found or cannot be run; check that its first word is the path of an executable',
        { key: 'process_command' },
      ),
    ],
    [
      'timeout',
      { error: 'Timeout' } as const,
      new CredentialsError.SourceFailure(
        'external',
        'the external command (process_command) did not finish in time and was stopped; check it, or raise the timeout',
        { retryable: true },
      ),
    ],
    [
      'too much output',
      { error: 'TooLarge' } as const,
      new CredentialsError.SourceFailure(
        'external',
        'the external command (process_command) printed more output than allowed on stdout; it must print one JSON object',
        { retryable: false },
      ),
    ],
    [
      'a failure to start',
      { error: 'Failed', message: `spawn failed ${SECRET}` } as const,
      new CredentialsError.SourceFailure(
        'external',
        'the external command (process_command) could not be run (Failed)',
        {
          retryable: true,
        },
      ),
    ],
    [
      'a non-zero exit',
      out(sts(T0 + HOUR), 3),
      new CredentialsError.SourceFailure(
        'external',
        'the external command (process_command) exited with code 3; run it by hand to see why (its output is not shown here because it may hold secrets)',
        { retryable: true },
      ),
    ],
  ])('%s → typed error, no secret', async (_, reply, expected) => {
    const caps = setup()
    caps.exec.on(FILE, reply)
    const e = leftOf(await Providers.external({ processCommand: CMD })(caps)()())
    expect(e).toEqual(expected)
    expectNoLeak(e)
  })

  // D6: `SECRET=… helper` with no such command put the secret in argv[0], which the message quoted.
  const SECRET_COMMAND = `ALIBABA_CLOUD_ACCESS_KEY_SECRET=${SECRET} /opt/helper --token ${TOKEN}`
  const words = SECRET_COMMAND.split(/[\s=]+/).filter((w) => w.length >= 4)
  const expectNoPartOfTheCommand = (e: Error): void => {
    for (const text of [e.message, String(e), JSON.stringify(e), e.stack ?? ''])
      for (const w of words) expect(text).not.toContain(w)
  }
  it.each(['NotFound', 'Timeout', 'TooLarge', 'Failed'] as const)(
    'no part of process_command is in any message (%s): the profile and the key are named instead',
    async (kind) => {
      const caps = setup()
      caps.exec.on(`ALIBABA_CLOUD_ACCESS_KEY_SECRET=${SECRET}`, { error: kind })
      const bare = leftOf(await Providers.external({ processCommand: SECRET_COMMAND })(caps)()())
      expectNoPartOfTheCommand(bare)
      expect(bare.message).toMatch(/^the external command \(process_command\) /)
      const named = leftOf(await Providers.external({ processCommand: SECRET_COMMAND, profile: 'ext' })(caps)()())
      expectNoPartOfTheCommand(named)
      expect(named.message).toMatch(/^the process_command of profile 'ext' /)
      if (named._tag === 'InvalidConfiguration')
        expect(named.location).toEqual({ profile: 'ext', key: 'process_command' })
    },
  )

  it('no part of process_command is in the message of a non-zero exit or bad output', async () => {
    const caps = setup()
    caps.exec.on(`ALIBABA_CLOUD_ACCESS_KEY_SECRET=${SECRET}`, out(sts(T0 + HOUR), 3), out('not json'), out({}))
    for (let i = 0; i < 3; i++) {
      const e = leftOf(await Providers.external({ processCommand: SECRET_COMMAND, noExpirationReuseMs: 0 })(caps)()())
      expectNoPartOfTheCommand(e)
    }
  })

  it('a helper that logs megabytes to stderr still gives its credential; stderr is never shown', async () => {
    const caps = setup()
    caps.exec.on(FILE, { exitCode: 0, stdout: JSON.stringify(ak), stderr: `${SECRET}\n`.repeat(200_000) })
    expect(await Providers.external({ processCommand: CMD, maxOutputBytes: 1024 })(caps)()()).toEqual(E.right(akCred))
    caps.exec.on(FILE, { exitCode: 2, stdout: '', stderr: `${SECRET}\n`.repeat(1000) })
    const e = leftOf(await Providers.external({ processCommand: CMD })(caps)()())
    expectNoLeak(e)
  })

  it('a command that never finishes is stopped at its timeout (on the clock)', async () => {
    const caps = setup()
    caps.exec.on(FILE, { hang: true })
    const pending = Providers.external({ processCommand: CMD, timeoutMs: 2_000 })(caps)()()
    await caps.clock.advance(2_000)
    expect(leftOf(await pending).message).toMatch(/did not finish in time/)
  })

  const what = 'the output of the external command (process_command)'
  it.each([
    ['garbage', `${RAW} ${SECRET}`, `${what} is not JSON (not valid JSON`],
    ['truncated JSON', JSON.stringify(sts(T0 + HOUR)).slice(0, 30), `${what} is not JSON (not valid JSON`],
    ['nothing', '', `${what} is not JSON (the body is empty)`],
    ['null', 'null', `${what} is not a credential (<root>: expected external command output, got null)`],
    [
      'no access_key_id',
      JSON.stringify({ ...ak, access_key_id: undefined }),
      `${what} is not a credential (access_key_id: expected non-empty string, got missing)`,
    ],
    [
      'an empty access_key_secret',
      JSON.stringify({ ...ak, access_key_secret: '' }),
      `${what} is not a credential (access_key_secret: expected non-empty string, got string)`,
    ],
    [
      'an unknown mode',
      JSON.stringify({ ...ak, mode: 'Bearer' }),
      `${what} is not a credential (mode: expected AK or StsToken, got string)`,
    ],
    [
      'StsToken without sts_token',
      JSON.stringify({ ...sts(T0 + HOUR), sts_token: '' }),
      `${what} is in StsToken mode but sts_token is empty`,
    ],
  ])('%s on stdout → SourceFailure naming the field, no secret', async (_, stdout, message) => {
    const caps = setup()
    caps.exec.on(FILE, { exitCode: 0, stdout: stdout as string, stderr: '' })
    const e = leftOf(await Providers.external({ processCommand: CMD })(caps)()())
    expect(e._tag).toBe('SourceFailure')
    expect(e.message.startsWith(message as string)).toBe(true)
    expectNoLeak(e)
  })

  // aliyun/credentials-go external_test.go TestExternalCredentialsProvider_GetCredentials_WithInvalidExpiration
  it.each(badExpirations.filter((x) => x !== null && x !== '').map((x) => [JSON.stringify(x), x]))(
    'an expiration that is not a UTC time (%s) is ignored with one warning that shows no value',
    async (_, x) => {
      const caps = setup()
      caps.exec.on(FILE, out({ ...sts(T0 + HOUR), expiration: x }))
      const onUpdate = vi.fn(async (_: Providers.ExternalUpdate) => {})
      const p = Providers.external({ processCommand: CMD, onUpdate })(caps)
      const noExpiration = Credential.sts({
        accessKeyId: 'STS.ext-id',
        accessKeySecret: SECRET,
        securityToken: TOKEN,
        source: 'external',
      })
      expect(await p()()).toEqual(E.right(noExpiration))
      await p.forceRefresh()()
      expect(caps.reporter.warnings).toEqual([
        `alicred: external: the external command (process_command) printed an expiration that is not a UTC time like 2015-04-09T11:52:19Z; it is ignored, and the credential is treated as one without expiration`,
      ])
      expect(onUpdate.mock.calls[0]?.[0].expiration).toBe(0)
      for (const w of caps.reporter.warnings) expect(w).not.toContain(String(x))
    },
  )

  it('without a reporter the ignored expiration goes unreported, and the credential is still served', async () => {
    const caps = setup()
    caps.exec.on(FILE, out({ ...ak, expiration: 'invalid-date' }))
    const { reporter: _, ...quiet } = caps
    expect(await Providers.external({ processCommand: CMD })(quiet)()()).toEqual(E.right(akCred))
  })

  it('static stability: credentials already past their expiration are served, with one warning', async () => {
    const caps = setup()
    caps.exec.on(FILE, out(sts(T0 - 1_000)))
    expect(await Providers.external({ processCommand: CMD })(caps)()()).toEqual(E.right(stsCred(T0 - 1_000)))
    expect(caps.reporter.warnings).toEqual([
      expect.stringMatching(/^alicred: external: the source answered with a credential that had already expired/),
    ])
  })
})

describe('external: refresh and write-back', () => {
  it('re-runs 180 s before expiry, not earlier', async () => {
    const caps = setup()
    caps.exec.on(FILE, out(sts(T0 + HOUR)), out(sts(T0 + 2 * HOUR)))
    const p = Providers.external({ processCommand: CMD })(caps)
    await p()()
    await caps.clock.advance(HOUR - 180_001)
    expect(await p()()).toEqual(E.right(stsCred(T0 + HOUR)))
    expect(caps.exec.calls).toHaveLength(1)
    await caps.clock.advance(1)
    expect(await p()()).toEqual(E.right(stsCred(T0 + 2 * HOUR)))
    expect(caps.exec.calls).toHaveLength(2)
  })

  it('calls onUpdate after every run with the credentials and the expiry in epoch seconds', async () => {
    const caps = setup()
    caps.exec.on(FILE, out(sts(T0 + HOUR)))
    const onUpdate = vi.fn(async (_: Providers.ExternalUpdate) => {})
    await Providers.external({ processCommand: CMD, onUpdate })(caps)()()
    expect(onUpdate.mock.calls).toEqual([
      [{ accessKeyId: 'STS.ext-id', accessKeySecret: SECRET, securityToken: TOKEN, expiration: T0S + 3600 }],
    ])
  })

  it('reference vector: AK without expiration and reuse 0 runs (and calls back) on each of 2 calls', async () => {
    const caps = setup()
    caps.exec.on(FILE, out(ak))
    const onUpdate = vi.fn(async (_: Providers.ExternalUpdate) => {})
    const p = Providers.external({ processCommand: CMD, onUpdate, noExpirationReuseMs: 0 })(caps)
    expect(await p()()).toEqual(E.right(akCred))
    expect(await p()()).toEqual(E.right(akCred))
    expect(caps.exec.calls).toHaveLength(2)
    expect(onUpdate.mock.calls).toEqual([
      [{ accessKeyId: 'LTAI-ext', accessKeySecret: SECRET, expiration: 0 }],
      [{ accessKeyId: 'LTAI-ext', accessKeySecret: SECRET, expiration: 0 }],
    ])
  })

  it('by default a credential without expiration is re-used for 5 minutes, then the command runs again', async () => {
    const caps = setup()
    caps.exec.on(FILE, out(ak), out({ ...ak, access_key_id: 'LTAI-rotated' }))
    const p = Providers.external({ processCommand: CMD })(caps)
    await p()()
    await caps.clock.advance(5 * 60_000 - 1)
    expect(await p()()).toEqual(E.right(akCred))
    expect(caps.exec.calls).toHaveLength(1)
    await caps.clock.advance(1)
    expect(await p()()).toEqual(
      E.right(Credential.accessKey({ accessKeyId: 'LTAI-rotated', accessKeySecret: SECRET, source: 'external' })),
    )
    expect(caps.exec.calls).toHaveLength(2)
  })

  it('when that re-run fails the caller gets the failure, and the next call runs the command again', async () => {
    const caps = setup()
    caps.exec.on(FILE, out(ak), out(ak, 1), out(ak))
    const p = Providers.external({ processCommand: CMD })(caps)
    await p()()
    await caps.clock.advance(5 * 60_000)
    expect(leftOf(await p()())._tag).toBe('SourceFailure')
    expect(await p()()).toEqual(E.right(akCred))
    expect(caps.exec.calls).toHaveLength(3)
  })

  it('a failing onUpdate is reported, not thrown', async () => {
    const caps = setup()
    caps.exec.on(FILE, out(sts(T0 + HOUR)))
    const reported: Array<string> = []
    const r = await Providers.external({
      processCommand: CMD,
      onUpdate: async () => Promise.reject(new Error(SECRET)),
      onUpdateError: (e) => reported.push(e.message),
    })(caps)()()
    expect(r).toEqual(E.right(stsCred(T0 + HOUR)))
    expect(reported).toEqual([
      'writing the refreshed credentials back failed (the callback failed with Error); the new credentials are used but were not saved',
    ])
  })

  it('concurrent callers share one run', async () => {
    const caps = setup()
    caps.exec.on(FILE, out(sts(T0 + HOUR)))
    const p = Providers.external({ processCommand: CMD })(caps)
    expect(await Promise.all([p()(), p()(), p()()])).toEqual(Array(3).fill(E.right(stsCred(T0 + HOUR))))
    expect(caps.exec.calls).toHaveLength(1)
  })
})
