import { Fs, WriteBack as WB } from '@alicred/core'
import { fakeFs } from '@alicred/testing'
import * as TE from 'fp-ts/TaskEither'
import { describe, expect, it } from 'vitest'
import { CLI_PATH, SECRET, TOKEN } from './_support.js'

const config = {
  current: 'top',
  profiles: [
    {
      name: 'top',
      mode: 'ChainableRamRoleArn',
      source_profile: 'login',
      ram_role_arn: 'arn',
      region_id: 'cn-hangzhou',
    },
    { name: 'login', mode: 'OAuth', oauth_site_type: 'CN', oauth_refresh_token: 'rt-1', custom: { nested: [1, 'x'] } },
    { name: 'tool', mode: 'External', process_command: 'cred', sts_token: 'old-token' },
  ],
  meta_path: '',
  language: 'en',
}

const oauthUpdate = {
  refreshToken: 'rt-2',
  accessToken: TOKEN,
  accessTokenExpire: 1704070800,
  accessKeyId: 'STS.id',
  accessKeySecret: SECRET,
  securityToken: TOKEN,
  stsExpiration: 1704067200,
}

const collect = () => {
  const failures: Array<WB.WriteBackFailure> = []
  return { failures, report: (f: WB.WriteBackFailure) => void failures.push(f) }
}

describe('writeBack', () => {
  it('updates the OAuth profile reached through source_profile and keeps everything else', async () => {
    const fs = fakeFs({ [CLI_PATH]: JSON.stringify(config) })
    const { failures, report } = collect()
    await WB.writeBack(fs, CLI_PATH, 'top', 'OAuth', WB.oauthPatch(oauthUpdate), report)
    const expected = structuredClone(config)
    Object.assign(expected.profiles[1]!, {
      oauth_refresh_token: 'rt-2',
      oauth_access_token: TOKEN,
      oauth_access_token_expire: 1704070800,
      access_key_id: 'STS.id',
      access_key_secret: SECRET,
      sts_token: TOKEN,
      sts_expiration: 1704067200,
    })
    // only the profile's owned keys changed: the file stays as compact as it was, new keys after the last one
    expect(fs.files.get(CLI_PATH)).toBe(JSON.stringify(expected))
    const pretty = fakeFs({ [CLI_PATH]: `${JSON.stringify(config, null, 4)}\n` })
    await WB.writeBack(pretty, CLI_PATH, 'top', 'OAuth', WB.oauthPatch(oauthUpdate), report)
    expect(pretty.files.get(CLI_PATH)).toBe(`${JSON.stringify(expected, null, 4)}\n`)
    expect(fs.writes).toEqual([CLI_PATH])
    expect(failures).toEqual([])
  })

  it('caches External credentials and drops a stale sts_token for a plain AccessKey', async () => {
    const fs = fakeFs({ [CLI_PATH]: JSON.stringify(config) })
    await WB.writeBack(
      fs,
      CLI_PATH,
      'tool',
      'External',
      WB.externalPatch({ accessKeyId: 'ak', accessKeySecret: SECRET, expiration: 0 }),
      collect().report,
    )
    const written = JSON.parse(fs.files.get(CLI_PATH) ?? 'null') as typeof config
    expect(written.profiles[2]).toEqual({
      name: 'tool',
      mode: 'External',
      process_command: 'cred',
      access_key_id: 'ak',
      access_key_secret: SECRET,
      sts_expiration: 0,
    })
    expect(written.profiles.slice(0, 2)).toEqual(config.profiles.slice(0, 2))
  })

  // D5: the file is edited, not rewritten: every byte the write-back does not own stays as found.
  const ORIGINAL = `{
  "current": "tool",   "big": 12345678901234567890, "huge": 1e400, "exact": 0.10000000000000000001,
  "dup": 1, "dup": 2, "__proto__": {"x": 1}, "esc": "\\u00e9\\n\\/",
  "profiles": [
    {"name": "other", "mode": "AK", "access_key_id": "a", "access_key_id": "b", "n": -0},
	{ "name" : "tool" ,"mode":"External","process_command":"cred",
	  "sts_token" : "old-token",   "note": 1E+2, "access_key_id": "x", "access_key_id": "y" }
  ],
  "meta_path": ""
}
`
  it('edits only the keys it owns: big numbers, 1e400, duplicates, escapes and layout survive byte for byte', async () => {
    const fs = fakeFs({ [CLI_PATH]: ORIGINAL })
    const { failures, report } = collect()
    await WB.writeBack(
      fs,
      CLI_PATH,
      'tool',
      'External',
      WB.externalPatch({ accessKeyId: 'new-id', accessKeySecret: SECRET, expiration: 1704067200 }),
      report,
    )
    expect(failures.map((f) => f.message)).toEqual([])
    // access_key_id (twice) replaced in place, sts_token removed with its comma, the rest appended in the
    // profile's own layout
    expect(fs.files.get(CLI_PATH)).toBe(
      ORIGINAL.replace(
        `,"process_command":"cred",
	  "sts_token" : "old-token",   "note": 1E+2, "access_key_id": "x", "access_key_id": "y" }`,
        `,"process_command":"cred",   "note": 1E+2, "access_key_id": "new-id", "access_key_id": "new-id", "access_key_secret": ${JSON.stringify(SECRET)}, "sts_expiration": 1704067200 }`,
      ),
    )
    // the file keeps its mode: none is passed to the write
    expect(fs.modes.get(CLI_PATH)).toBeUndefined()
  })

  it('a file it cannot write back exactly is left alone, and the report says so', async () => {
    const text = JSON.stringify({ current: 'tool', note: 'caf\uFFFD', profiles: [config.profiles[2]] })
    const fs = fakeFs({ [CLI_PATH]: text })
    const { failures, report } = collect()
    await WB.writeBack(
      fs,
      CLI_PATH,
      'tool',
      'External',
      WB.externalPatch({ accessKeyId: 'a', accessKeySecret: SECRET, expiration: 0 }),
      report,
    )
    expect(fs.files.get(CLI_PATH)).toBe(text)
    expect(fs.writes).toEqual([])
    expect(failures.map((f) => f.message)).toEqual([
      `could not save External credentials of profile 'tool' to ${CLI_PATH}: it holds bytes that are not UTF-8 (or U+FFFD), which could not be written back exactly; the next run will run the command again`,
    ])
  })

  it('writes nothing when nothing changes', async () => {
    const fs = fakeFs({ [CLI_PATH]: JSON.stringify(config) })
    await WB.writeBack(fs, CLI_PATH, 'tool', 'External', { sts_token: 'old-token' }, collect().report)
    expect(fs.writes).toEqual([])
  })

  it('serialises concurrent write-backs under the lock, so no update is lost', async () => {
    const base = fakeFs({ [CLI_PATH]: JSON.stringify(config) })
    // A slow read widens the race window a missing lock would lose an update in.
    const slow: Fs.Fs = {
      ...base,
      readFile: (p, o) => async () => {
        await new Promise((r) => setTimeout(r, 5))
        return base.readFile(p, o)()
      },
    }
    const { failures, report } = collect()
    await Promise.all([
      WB.writeBack(slow, CLI_PATH, 'top', 'OAuth', WB.oauthPatch(oauthUpdate), report),
      WB.writeBack(
        slow,
        CLI_PATH,
        'tool',
        'External',
        WB.externalPatch({ accessKeyId: 'ak', accessKeySecret: SECRET, securityToken: TOKEN, expiration: 5 }),
        report,
      ),
    ])
    const written = JSON.parse(base.files.get(CLI_PATH) ?? 'null') as { profiles: Array<Record<string, unknown>> }
    expect([
      written.profiles[1]?.oauth_refresh_token,
      written.profiles[2]?.access_key_id,
      written.profiles[2]?.sts_token,
    ]).toEqual(['rt-2', 'ak', TOKEN])
    expect(failures).toEqual([])
  })

  type Base = ReturnType<typeof fakeFs>
  const after =
    (f: (fs: Base) => void) =>
    (fs: Base): Fs.Fs => {
      f(fs)
      return fs
    }
  const failing: ReadonlyArray<readonly [string, (fs: ReturnType<typeof fakeFs>) => Fs.Fs, string]> = [
    ['the file is gone', after((fs) => fs.remove(CLI_PATH)), 'it cannot be read (ENOENT)'],
    ['the file is unreadable', after((fs) => fs.failOn(CLI_PATH, 'EACCES')), 'it cannot be read (EACCES)'],
    [
      'the file is no longer JSON',
      after((fs) => fs.put(CLI_PATH, `{"profiles": [${SECRET}`)),
      'it is not valid JSON (expected a value, at character 14)',
    ],
    [
      'the file has no profiles',
      after((fs) => fs.put(CLI_PATH, `{"profile":"${SECRET}"}`)),
      'it no longer has a `profiles` list',
    ],
    [
      'the profile changed mode',
      after((fs) =>
        fs.put(CLI_PATH, JSON.stringify({ profiles: [{ name: 'top', mode: 'AK', access_key_secret: SECRET }] })),
      ),
      "it no longer has a OAuth profile reachable from 'top'",
    ],
    [
      'the lock cannot be taken',
      (fs) => ({ ...fs, lock: (p) => TE.left(Fs.fsError('ELOCKED', p, 'held')) }),
      'the file is locked or cannot be locked (ELOCKED)',
    ],
    [
      'the write fails',
      (fs) => ({ ...fs, writeFileAtomic: (p) => TE.left(Fs.fsError('EACCES', p, 'read-only')) }),
      'it cannot be written (EACCES: read-only)',
    ],
    [
      'the file system throws',
      (fs) => ({
        ...fs,
        readFile: () => () => {
          throw new TypeError(SECRET)
        },
      }),
      'unexpected TypeError',
    ],
  ]
  it.each(failing)('reports, never throws, when %s', async (_, breakIt, why) => {
    const base = fakeFs({ [CLI_PATH]: JSON.stringify(config) })
    const fs = breakIt(base)
    const { failures, report } = collect()
    const before = base.files.get(CLI_PATH)
    await expect(
      WB.writeBack(fs, CLI_PATH, 'top', 'OAuth', WB.oauthPatch(oauthUpdate), report),
    ).resolves.toBeUndefined()
    // Node versions differ on whether JSON.parse says where it stopped
    expect(failures.map((f) => ({ ...f, message: f.message.replace(/ \(stopped at character \d+\)/, '') }))).toEqual([
      {
        file: CLI_PATH,
        profile: 'top',
        mode: 'OAuth',
        message: `could not save OAuth credentials of profile 'top' to ${CLI_PATH}: ${why}; the refresh token rotated, so the Aliyun CLI may ask you to log in again`,
      },
    ])
    expect(JSON.stringify(failures)).not.toContain(SECRET)
    expect(JSON.stringify(failures)).not.toContain(TOKEN)
    expect(base.files.get(CLI_PATH)).toBe(before)
  })

  it('releases the lock after a failure, so the next write-back goes through', async () => {
    const fs = fakeFs({ [CLI_PATH]: 'not json' })
    const { failures, report } = collect()
    await WB.writeBack(fs, CLI_PATH, 'top', 'OAuth', WB.oauthPatch(oauthUpdate), report)
    fs.put(CLI_PATH, JSON.stringify(config))
    await WB.writeBack(fs, CLI_PATH, 'top', 'OAuth', WB.oauthPatch(oauthUpdate), report)
    expect(failures).toHaveLength(1)
    expect(fs.writes).toEqual([CLI_PATH])
  })

  it('survives a reporter that throws', async () => {
    const fs = fakeFs({})
    await expect(
      WB.writeBack(fs, CLI_PATH, 'top', 'External', {}, () => {
        throw new Error('broken reporter')
      }),
    ).resolves.toBeUndefined()
  })
})
