import { Ini } from '@alicred/core'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { SECRET, TOKEN } from './_support.js'

// A document as plain data: { section: { line, entries: { key: [value, line] } } }
const plain = (doc: Ini.IniDocument) =>
  Object.fromEntries(
    [...doc].map(([name, s]) => [
      name,
      { line: s.line, entries: Object.fromEntries([...s.entries].map(([k, e]) => [k, [e.value, e.line]])) },
    ]),
  )

const parsed = (text: string) => E.map(plain)(Ini.parse(text))

describe('Ini.parse: what a credentials file may contain', () => {
  it('reads sections, comments, quotes, empty values and dotted names', () => {
    const text = [
      '; written by hand',
      '# both comment styles',
      '[default]',
      'type = access_key',
      `access_key_id=LTAI5t ; inline comment`,
      `access_key_secret = "${SECRET};#"`,
      "role_session_name = 'quoted name'",
      'policy =',
      '',
      '  [team.prod]   # main account',
      '  type   =   ram_role_arn  ',
      'a.b-c_d = x#comment',
    ].join('\n')
    expect(parsed(text)).toEqual(
      E.right({
        default: {
          line: 3,
          entries: {
            type: ['access_key', 4],
            access_key_id: ['LTAI5t', 5],
            access_key_secret: [`${SECRET};#`, 6],
            role_session_name: ['quoted name', 7],
            policy: ['', 8],
          },
        },
        'team.prod': { line: 10, entries: { type: ['ram_role_arn', 11], 'a.b-c_d': ['x', 12] } },
      }),
    )
  })

  it('accepts CRLF and CR line ends and a byte-order mark, keeping line numbers', () => {
    const lines = ['[a]', 'k = 1', '', '[b]', 'k = 2']
    const expected = E.right({ a: { line: 1, entries: { k: ['1', 2] } }, b: { line: 4, entries: { k: ['2', 5] } } })
    expect(parsed(lines.join('\r\n'))).toEqual(expected)
    expect(parsed(lines.join('\r'))).toEqual(expected)
    expect(parsed(`\uFEFF${lines.join('\n')}\n`)).toEqual(expected)
  })

  it('an empty file has no profiles', () => {
    expect(parsed('')).toEqual(E.right({}))
    expect(parsed('\n; nothing\n')).toEqual(E.right({}))
  })
})

describe('Ini.parse: malformed files stop with the line and a reason, never the text', () => {
  const cases: ReadonlyArray<readonly [string, string, number, string]> = [
    ['unclosed section', `[default\ntype = access_key`, 1, 'malformed section header; write it as [profile-name]'],
    [
      'text after a section',
      `[default] access_key_id = ${SECRET}`,
      1,
      'malformed section header; write it as [profile-name]',
    ],
    ['nested brackets', '[a[b]]', 1, 'malformed section header; write it as [profile-name]'],
    ['empty section name', '[ ]\nk = v', 1, 'empty section name; write it as [profile-name]'],
    ['a repeated section', '[a]\nk = 1\n[b]\n[a]\n', 4, 'profile [a] is defined twice (first at line 1)'],
    [
      'a repeated key',
      `[default]\naccess_key_secret = ${SECRET}\naccess_key_secret = ${TOKEN}`,
      3,
      'key access_key_secret repeats in [default] (first at line 2)',
    ],
    ['a line without =', `[default]\n${SECRET}`, 2, 'expected `key = value`'],
    [
      'a key with a space',
      `[default]\naccess key = ${SECRET}`,
      2,
      'a key may only contain letters, digits, `_`, `-` and `.`',
    ],
    ['an empty key', `[default]\n = ${SECRET}`, 2, 'a key may only contain letters, digits, `_`, `-` and `.`'],
    ['a key before any section', `type = access_key\n[default]`, 1, 'key type is outside any [profile] section'],
    [
      'a NUL byte',
      `[default]\ntype = access_key\u0000${SECRET}`,
      2,
      'contains binary data (control characters); is this really a credentials file?',
    ],
    [
      'invalid UTF-8 (decoded to U+FFFD)',
      `[default]\n\uFFFD\uFFFD${SECRET}`,
      2,
      'contains binary data (control characters); is this really a credentials file?',
    ],
    [
      'an escape character',
      `\u001b[31m[default]`,
      1,
      'contains binary data (control characters); is this really a credentials file?',
    ],
  ]
  it.each(cases)('%s', (_, text, line, reason) => {
    const r = Ini.parse(text)
    expect(r).toEqual(E.left({ line, reason }))
    expect(JSON.stringify(r)).not.toContain(SECRET)
    expect(JSON.stringify(r)).not.toContain(TOKEN)
  })
})

// -------------------------------------------------------------------------------------
// properties
// -------------------------------------------------------------------------------------

const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}(\.[a-z0-9_-]{1,8}){0,2}$/)
const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/)
// values without the characters INI treats specially (quotes, comment markers, escapes) and no edge blanks
const value = fc.stringMatching(/^[A-Za-z0-9+/=:@,._-]([A-Za-z0-9+/=:@,. _-]{0,20}[A-Za-z0-9+/=:@,._-])?$/)
const doc = fc.uniqueArray(
  fc.tuple(name, fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 6 })),
  {
    selector: ([n]) => n,
    maxLength: 5,
  },
)
const eol = fc.constantFrom('\n', '\r\n', '\r')

const render = (
  sections: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, string]>]>,
  nl: string,
  comments: boolean,
) => {
  const lines: Array<string> = []
  for (const [n, entries] of sections) {
    if (comments) lines.push(`; profile ${n}`)
    lines.push(`[${n}]`)
    for (const [k, v] of entries) lines.push(comments ? `${k} = ${v} # note` : `${k}=${v}`)
  }
  return lines.join(nl)
}

describe('Ini.parse: properties', () => {
  it('reads back every profile, key and value it is given, whatever the line ends and comments', () => {
    fc.assert(
      fc.property(doc, eol, fc.boolean(), (sections, nl, comments) => {
        const r = Ini.parse(render(sections, nl, comments))
        const got = E.isRight(r)
          ? Object.fromEntries(
              [...r.right].map(([n, s]) => [n, Object.fromEntries([...s.entries].map(([k, e]) => [k, e.value]))]),
            )
          : r.left
        expect(got).toEqual(Object.fromEntries(sections.map(([n, entries]) => [n, Object.fromEntries(entries)])))
      }),
    )
  })

  it('a corrupted document is refused or read, never thrown on, and its errors never show a value', () => {
    const corrupt = fc.oneof(
      fc.constant('\u0000'),
      fc.constant('[broken'),
      fc.constant(SECRET),
      fc.constant(`dup = ${SECRET}`),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({ maxLength: 20 }),
    )
    fc.assert(
      fc.property(doc, eol, fc.array(fc.tuple(fc.nat(), corrupt), { maxLength: 4 }), (sections, nl, insertions) => {
        const lines = render(
          sections.map(([n, e]) => [n, e.map(([k]) => [k, SECRET] as const)]),
          '\n',
          false,
        ).split('\n')
        for (const [at, junk] of insertions) lines.splice(at % (lines.length + 1), 0, junk)
        const r = Ini.parse(lines.join(nl))
        if (E.isLeft(r)) {
          expect(r.left.line).toBeGreaterThan(0)
          expect(r.left.reason).not.toContain(SECRET)
        }
      }),
    )
  })

  it('a large file is parsed in one pass (no pathological backtracking)', () => {
    const big = `[default]\n${'x'.repeat(200_000)}=${'['.repeat(200_000)}\n[${'a'.repeat(100_000)}`
    const started = performance.now()
    expect(E.isLeft(Ini.parse(big)) || E.isRight(Ini.parse(big))).toBe(true)
    expect(performance.now() - started).toBeLessThan(2_000)
  })
})

// -------------------------------------------------------------------------------------
// profiles
// -------------------------------------------------------------------------------------

const section = (text: string): Ini.IniSection => {
  const r = Ini.parse(`[p]\n${text}`)
  if (E.isLeft(r)) throw new Error(r.left.reason)
  const s = r.right.get('p')
  if (s === undefined) throw new Error('no section')
  return s
}

describe('Ini.profileConfig: every type with every key it takes', () => {
  const cases: ReadonlyArray<readonly [string, string, Record<string, unknown>]> = [
    [
      'access_key',
      `type = access_key\naccess_key_id = id\naccess_key_secret = ${SECRET}`,
      { type: 'access_key', accessKeyId: 'id', accessKeySecret: SECRET },
    ],
    [
      'sts',
      `type = sts\naccess_key_id = id\naccess_key_secret = ${SECRET}\nsecurity_token = ${TOKEN}`,
      { type: 'sts', accessKeyId: 'id', accessKeySecret: SECRET, securityToken: TOKEN },
    ],
    ['bearer', `type = bearer\nbearer_token = ${TOKEN}`, { type: 'bearer', bearerToken: TOKEN }],
    [
      'ecs_ram_role',
      'type = ecs_ram_role\nrole_name = my-role\ndisable_imdsv1 = true\nconnect_timeout = 500\ntimeout = 800',
      { type: 'ecs_ram_role', roleName: 'my-role', disableIMDSv1: true, connectTimeout: 500, timeout: 800 },
    ],
    [
      'ram_role_arn',
      [
        'type = ram_role_arn',
        'access_key_id = id',
        `access_key_secret = ${SECRET}`,
        `security_token = ${TOKEN}`,
        'role_arn = acs:ram::1:role/r',
        'role_session_name = rsn',
        'policy = "{\\"Version\\":\\"1\\"}"',
        'external_id = ext',
        'duration_seconds = 1800',
        'sts_endpoint = sts.cn-beijing.aliyuncs.com',
        'sts_region_id = cn-beijing',
        'enable_vpc = true',
        'connect_timeout = 1000',
        'timeout = 2000',
      ].join('\n'),
      {
        type: 'ram_role_arn',
        accessKeyId: 'id',
        accessKeySecret: SECRET,
        securityToken: TOKEN,
        roleArn: 'acs:ram::1:role/r',
        roleSessionName: 'rsn',
        policy: '{"Version":"1"}',
        externalId: 'ext',
        durationSeconds: 1800,
        stsEndpoint: 'sts.cn-beijing.aliyuncs.com',
        stsRegionId: 'cn-beijing',
        enableVpc: true,
        connectTimeout: 1000,
        timeout: 2000,
      },
    ],
    [
      'oidc_role_arn',
      'type = oidc_role_arn\nrole_arn = arn\noidc_provider_arn = parn\noidc_token_file_path = /t\nrole_session_name = s\npolicy = p\nduration_seconds = 900\nsts_region_id = cn-hangzhou\nenable_vpc = false\nsts_endpoint = e\ntimeout = 10',
      {
        type: 'oidc_role_arn',
        roleArn: 'arn',
        oidcProviderArn: 'parn',
        oidcTokenFilePath: '/t',
        roleSessionName: 's',
        policy: 'p',
        durationSeconds: 900,
        stsRegionId: 'cn-hangzhou',
        enableVpc: false,
        stsEndpoint: 'e',
        timeout: 10,
      },
    ],
    [
      'rsa_key_pair',
      'type = rsa_key_pair\npublic_key_id = TMPSK.1\nprivate_key_file = /k.pem\nduration_seconds = 3600\nsts_endpoint = sts.ap-northeast-1.aliyuncs.com',
      {
        type: 'rsa_key_pair',
        publicKeyId: 'TMPSK.1',
        privateKeyFile: '/k.pem',
        durationSeconds: 3600,
        stsEndpoint: 'sts.ap-northeast-1.aliyuncs.com',
      },
    ],
    [
      'credentials_uri',
      'type = credentials_uri\ncredentials_uri = http://127.0.0.1:8080/c\nconnect_timeout = 1\ntimeout = 2',
      { type: 'credentials_uri', credentialsURI: 'http://127.0.0.1:8080/c', connectTimeout: 1, timeout: 2 },
    ],
  ]
  it.each(cases)('%s', (_, text, config) => {
    expect(Ini.profileConfig(section(`${text}\nenable = true\nunknown_key = ignored`))).toEqual(
      E.right({ _tag: 'Enabled', config }),
    )
  })

  it('covers exactly the documented INI types', () => {
    expect(cases.map(([t]) => t).sort()).toEqual([...Ini.types].sort())
  })
})

describe('Ini.profileConfig: enable and broken profiles', () => {
  it('honours enable = false in any case, and ignores an empty enable', () => {
    expect(Ini.profileConfig(section('type = access_key\nenable = FALSE'))).toEqual(E.right({ _tag: 'Disabled' }))
    expect(Ini.profileConfig(section('type = bearer\nbearer_token = t\nenable ='))).toEqual(
      E.right({ _tag: 'Enabled', config: { type: 'bearer', bearerToken: 't' } }),
    )
  })

  const types = 'access_key, sts, ecs_ram_role, ram_role_arn, oidc_role_arn, rsa_key_pair, credentials_uri, bearer'
  const cases: ReadonlyArray<readonly [string, string, string, string]> = [
    ['enable is not a boolean', `type = access_key\nenable = ${SECRET}`, '`enable` must be true or false', 'enable'],
    ['enable is yes', 'type = access_key\nenable = yes', '`enable` must be true or false', 'enable'],
    [
      'no type',
      `access_key_id = id\naccess_key_secret = ${SECRET}`,
      `has no \`type\`; set it to one of: ${types}`,
      'type',
    ],
    [
      'unknown type',
      'type = access-key',
      `has the unknown type 'access-key'; set \`type\` to one of: ${types}`,
      'type',
    ],
    ['a CLI-only type', 'type = oauth', `has the unknown type 'oauth'; set \`type\` to one of: ${types}`, 'type'],
    ['a secret as type', `type = ${SECRET}`, `has an unsupported type; set \`type\` to one of: ${types}`, 'type'],
    [
      'a missing required key',
      `type = ram_role_arn\naccess_key_id = id\naccess_key_secret = ${SECRET}`,
      '`role_arn` is missing or empty (type ram_role_arn needs it)',
      'role_arn',
    ],
    [
      "a ram_role_arn profile without its AccessKey (a file never borrows the environment's)",
      'type = ram_role_arn\nrole_arn = a',
      '`access_key_id` is missing or empty (type ram_role_arn needs it); `access_key_secret` is missing or empty (type ram_role_arn needs it)',
      'access_key_id',
    ],
    [
      'an empty required key',
      `type = access_key\naccess_key_id =\naccess_key_secret = ${SECRET}`,
      '`access_key_id` is missing or empty (type access_key needs it)',
      'access_key_id',
    ],
    [
      'a malformed number',
      `type = ram_role_arn\naccess_key_id = id\naccess_key_secret = ${SECRET}\nrole_arn = a\nduration_seconds = 1h`,
      '`duration_seconds` must be a whole number of seconds, at least 900',
      'duration_seconds',
    ],
    [
      'a malformed flag',
      'type = ecs_ram_role\ndisable_imdsv1 = 1',
      '`disable_imdsv1` must be true or false',
      'disable_imdsv1',
    ],
  ]
  it.each(cases)('%s', (_, text, message, key) => {
    const r = Ini.profileConfig(section(text))
    expect(r).toEqual(E.left({ message, key }))
    expect(JSON.stringify(r)).not.toContain(SECRET)
  })
})

describe('Ini.parse: names long enough to be a pasted secret are described, not shown', () => {
  it('in a repeated-section error', () => {
    const long = 'abcdefghijklmnopqrstuvwxyz0123'
    expect(Ini.parse(`[${long}]\n[${long}]`)).toEqual(
      E.left({ line: 2, reason: 'profile [<a 30-character name>] is defined twice (first at line 1)' }),
    )
  })
})
