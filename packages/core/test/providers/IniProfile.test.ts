import { Credential, CredentialsError, Providers } from '@alicred/core'
import { json } from '@alicred/testing'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import {
  expectNoLeak,
  HOME,
  INI_PATH,
  leftOf,
  rightOf,
  SECRET,
  setup,
  shape,
  stsRoutes,
  TOKEN,
} from '../config/_support.js'

const ak = (name: string, id = 'id') =>
  `[${name}]\ntype = access_key\naccess_key_id = ${id}\naccess_key_secret = ${SECRET}\n`
const akCredential = (id = 'id') =>
  Credential.accessKey({ accessKeyId: id, accessKeySecret: SECRET, source: 'profile/static_ak' })

describe('iniProfile: finding the file and the profile', () => {
  it('reads [default] of ~/.alibabacloud/credentials', async () => {
    const caps = setup({ files: { [INI_PATH]: ak('default') } })
    expect(await Providers.iniProfile()(caps)()()).toEqual(E.right(akCredential()))
    expect(caps.fs.reads).toEqual([INI_PATH])
  })

  it('honours ALIBABA_CLOUD_CREDENTIALS_FILE (with ~ expanded) and ALIBABA_CLOUD_PROFILE, dotted names included', async () => {
    const caps = setup({
      env: { ALIBABA_CLOUD_CREDENTIALS_FILE: '~/creds.ini', ALIBABA_CLOUD_PROFILE: 'team.prod' },
      files: { [`${HOME}/creds.ini`]: `${ak('team')}${ak('team.prod', 'prod-id')}` },
    })
    expect(await Providers.iniProfile()(caps)()()).toEqual(E.right(akCredential('prod-id')))
  })

  it('options win over the environment', async () => {
    const caps = setup({
      env: { ALIBABA_CLOUD_CREDENTIALS_FILE: '/nope', ALIBABA_CLOUD_PROFILE: 'nope' },
      files: { '/etc/creds': ak('ci', 'ci-id') },
    })
    expect(await Providers.iniProfile({ file: '/etc/creds', profile: 'ci' })(caps)()()).toEqual(
      E.right(akCredential('ci-id')),
    )
  })

  it('reads CRLF files with comments and quotes', async () => {
    const text = `; team file\r\n[default]\r\ntype = "sts"\r\naccess_key_id = id\r\naccess_key_secret = '${SECRET}'\r\nsecurity_token = ${TOKEN} # inline\r\n`
    const caps = setup({ files: { [INI_PATH]: text } })
    expect(await Providers.iniProfile()(caps)()()).toEqual(
      E.right(
        Credential.sts({
          accessKeyId: 'id',
          accessKeySecret: SECRET,
          securityToken: TOKEN,
          source: 'profile/static_sts',
        }),
      ),
    )
  })
})

describe('iniProfile: skip (NotConfigured)', () => {
  const cases: ReadonlyArray<readonly [string, Parameters<typeof setup>[0], string]> = [
    [
      'no file at the default path',
      {},
      `${INI_PATH} does not exist; create it with a [default] profile or set ALIBABA_CLOUD_CREDENTIALS_FILE`,
    ],
    [
      'no home directory',
      { home: null },
      "cannot determine the home directory to find ~/.alibabacloud/credentials; set ALIBABA_CLOUD_CREDENTIALS_FILE to the file's path",
    ],
    [
      'no [default] profile',
      { files: { [INI_PATH]: `${ak('dev')}${ak('prod')}` } },
      `${INI_PATH} has no [default] profile; it has: dev, prod`,
    ],
    ['an empty file', { files: { [INI_PATH]: '' } }, `${INI_PATH} has no [default] profile; it has no profiles`],
    [
      'ALIBABA_CLOUD_PROFILE naming a profile the file lacks',
      { env: { ALIBABA_CLOUD_PROFILE: 'stage' }, files: { [INI_PATH]: ak('default') } },
      `${INI_PATH} has no [stage] profile (named by ALIBABA_CLOUD_PROFILE); it has: default`,
    ],
    [
      'enable = false',
      { files: { [INI_PATH]: `${ak('default')}enable = false\n` } },
      `profile [default] in ${INI_PATH} is switched off (enable = false)`,
    ],
  ]
  it.each(cases)('%s', async (_, o, message) => {
    const e = leftOf(await Providers.iniProfile()(setup(o))()())
    expect(shape(e)).toEqual({ _tag: 'NotConfigured', provider: 'profile', message })
    expectNoLeak(e)
  })

  it('an empty ALIBABA_CLOUD_PROFILE counts as unset', async () => {
    const caps = setup({ env: { ALIBABA_CLOUD_PROFILE: ' ' }, files: { [INI_PATH]: ak('default') } })
    expect(await Providers.iniProfile()(caps)()()).toEqual(E.right(akCredential()))
  })
})

describe('iniProfile: stop (InvalidConfiguration), naming file, profile and key', () => {
  const TEN_MB = 10 * 1024 * 1024
  const types = 'access_key, sts, ecs_ram_role, ram_role_arn, oidc_role_arn, rsa_key_pair, credentials_uri, bearer'
  const cases: ReadonlyArray<
    readonly [
      string,
      Parameters<typeof setup>[0],
      string,
      CredentialsError.Location,
      ((c: ReturnType<typeof setup>) => void)?,
    ]
  > = [
    [
      'a bad section header',
      { files: { [INI_PATH]: `[default\naccess_key_secret = ${SECRET}` } },
      `${INI_PATH} line 1: malformed section header; write it as [profile-name]`,
      { file: INI_PATH },
    ],
    [
      'a repeated key',
      { files: { [INI_PATH]: `${ak('default')}access_key_secret = ${TOKEN}\n` } },
      `${INI_PATH} line 5: key access_key_secret repeats in [default] (first at line 4)`,
      { file: INI_PATH },
    ],
    [
      'binary junk',
      { files: { [INI_PATH]: `\u0089PNG\r\n\u001a\n\u0000\u0000${SECRET}` } },
      `${INI_PATH} line 1: contains binary data (control characters); is this really a credentials file?`,
      { file: INI_PATH },
    ],
    [
      'an unknown type',
      { files: { [INI_PATH]: `[default]\ntype = saml\ntoken = ${SECRET}\n` } },
      `profile [default] in ${INI_PATH}: has the unknown type 'saml'; set \`type\` to one of: ${types}`,
      { file: INI_PATH, profile: 'default', key: 'type' },
    ],
    [
      'a known type missing a required key',
      { files: { [INI_PATH]: `[default]\ntype = ram_role_arn\naccess_key_id = id\naccess_key_secret = ${SECRET}\n` } },
      `profile [default] in ${INI_PATH}: \`role_arn\` is missing or empty (type ram_role_arn needs it)`,
      { file: INI_PATH, profile: 'default', key: 'role_arn' },
    ],
    [
      'enable that is not a boolean',
      { files: { [INI_PATH]: `${ak('default')}enable = 0\n` } },
      `profile [default] in ${INI_PATH}: \`enable\` must be true or false`,
      { file: INI_PATH, profile: 'default', key: 'enable' },
    ],
    [
      'a 10 MB file',
      { files: { [INI_PATH]: `${ak('default')}; ${'x'.repeat(TEN_MB)}` } },
      `${INI_PATH} is larger than 1048576 bytes, far more than a credentials file needs; check that it is the right file`,
      { file: INI_PATH },
    ],
    [
      'an unreadable file',
      { files: { [INI_PATH]: ak('default') } },
      `cannot read ${INI_PATH}: permission denied; make it readable by this user (for example \`chmod 600 ${INI_PATH}\`)`,
      { file: INI_PATH },
      (c) => c.fs.failOn(INI_PATH, 'EACCES'),
    ],
    [
      'a directory',
      {},
      `${INI_PATH} is a directory, not a file; point ALIBABA_CLOUD_CREDENTIALS_FILE at the file itself`,
      { file: INI_PATH },
      (c) => c.fs.failOn(INI_PATH, 'EISDIR'),
    ],
    [
      'a FIFO, socket or device at the default path',
      {},
      `${INI_PATH} is not a regular file (a FIFO, socket or device); replace it with the credentials file`,
      { file: INI_PATH },
      (c) => c.fs.failOn(INI_PATH, 'ENOTFILE'),
    ],
    [
      'ALIBABA_CLOUD_CREDENTIALS_FILE naming a FIFO, socket or device',
      { env: { ALIBABA_CLOUD_CREDENTIALS_FILE: '/run/creds' } },
      '/run/creds is not a regular file (a FIFO, socket or device); point ALIBABA_CLOUD_CREDENTIALS_FILE at the file itself',
      { file: '/run/creds', envVar: 'ALIBABA_CLOUD_CREDENTIALS_FILE' },
      (c) => c.fs.failOn('/run/creds', 'ENOTFILE'),
    ],
    [
      'ALIBABA_CLOUD_CREDENTIALS_FILE naming a missing file',
      { env: { ALIBABA_CLOUD_CREDENTIALS_FILE: '/etc/alibaba/creds' } },
      'ALIBABA_CLOUD_CREDENTIALS_FILE points to /etc/alibaba/creds, which does not exist; fix the path or unset ALIBABA_CLOUD_CREDENTIALS_FILE',
      { file: '/etc/alibaba/creds', envVar: 'ALIBABA_CLOUD_CREDENTIALS_FILE' },
    ],
  ]
  for (const [name, o, message, location, tweak] of cases) {
    it(name, async () => {
      const caps = setup(o)
      tweak?.(caps)
      const e = leftOf(await Providers.iniProfile()(caps)()())
      expect(e).toBeInstanceOf(CredentialsError.InvalidConfiguration)
      expect(shape(e)).toEqual({ _tag: 'InvalidConfiguration', provider: 'profile', message })
      expect(e._tag === 'InvalidConfiguration' && e.location).toEqual(location)
      expectNoLeak(e)
    })
  }

  it('an I/O error may pass: SourceFailure, retryable', async () => {
    const caps = setup({ files: { [INI_PATH]: ak('default') } })
    caps.fs.failOn(INI_PATH, 'EIO')
    const e = leftOf(await Providers.iniProfile()(caps)()())
    expect([shape(e), e._tag === 'SourceFailure' && e.retryable]).toEqual([
      { _tag: 'SourceFailure', provider: 'profile', message: `could not read ${INI_PATH} (EIO); try again` },
      true,
    ])
  })

  it('an explicit profile whose source is not reachable stops instead of skipping', async () => {
    const caps = setup({ files: { [INI_PATH]: '[default]\ntype = ecs_ram_role\n' } })
    const e = leftOf(await Providers.iniProfile()(caps)()())
    expect(e._tag).toBe('InvalidConfiguration')
    expect(e.provider).toBe('profile/ecs_ram_role')
    expect(e.message.startsWith(`profile [default] in ${INI_PATH}: `)).toBe(true)
    expect(e._tag === 'InvalidConfiguration' && e.location).toEqual({ file: INI_PATH, profile: 'default' })
  })
})

describe('iniProfile: remote types', () => {
  it('a ram_role_arn profile calls AssumeRole with every key of the profile', async () => {
    const text = [
      '[default]',
      'type = ram_role_arn',
      'access_key_id = id',
      `access_key_secret = ${SECRET}`,
      'role_arn = acs:ram::1:role/r',
      'role_session_name = rsn',
      'external_id = ext',
      'policy = {"Version":"1"}',
      'duration_seconds = 1800',
      'sts_region_id = cn-beijing',
      'enable_vpc = true',
      'connect_timeout = 1500',
      'timeout = 2500',
    ].join('\n')
    const viaFile = stsRoutes(setup({ files: { [INI_PATH]: text } }))
    const byHand = stsRoutes(setup())
    const c = rightOf(await Providers.iniProfile()(viaFile)()())
    const d = rightOf(
      await Providers.ramRoleArn({
        source: Providers.staticAccessKey({ accessKeyId: 'id', accessKeySecret: SECRET }),
        roleArn: 'acs:ram::1:role/r',
        roleSessionName: 'rsn',
        externalId: 'ext',
        policy: '{"Version":"1"}',
        durationSeconds: 1800,
        region: 'cn-beijing',
        vpc: true,
        connectTimeoutMs: 1500,
        readTimeoutMs: 2500,
      })(byHand)()(),
    )
    expect(c).toEqual(Credential.modify({ source: 'profile/ram_role_arn/static_ak' })(d))
    expect(viaFile.http.requests).toEqual(byHand.http.requests)
    expect(viaFile.http.requests.map((r) => r.url.split('?')[0])).toEqual(['https://sts-vpc.cn-beijing.aliyuncs.com/'])
  })
})

describe('iniProfile: file reads', () => {
  it('after the first credential the file is not read again (the hot path does no I/O)', async () => {
    const caps = setup({ files: { [INI_PATH]: ak('default') } })
    const p = Providers.iniProfile()(caps)
    await p()()
    caps.fs.put(INI_PATH, ak('default', 'edited'))
    expect([await p()(), await p()()]).toEqual([E.right(akCredential()), E.right(akCredential())])
    expect(caps.fs.reads).toEqual([INI_PATH])
  })

  it('until then, every call reads the file again, so a fixed or created file is picked up', async () => {
    const caps = setup()
    const p = Providers.iniProfile()(caps)
    expect(leftOf(await p()())._tag).toBe('NotConfigured')
    caps.fs.put(INI_PATH, '[default]\ntype = access_key\n')
    expect(leftOf(await p()())._tag).toBe('InvalidConfiguration')
    caps.fs.put(INI_PATH, ak('default'))
    expect(await p()()).toEqual(E.right(akCredential()))
    expect(caps.fs.reads).toEqual([INI_PATH, INI_PATH, INI_PATH])
  })

  it('a failure of the built source is not memoised', async () => {
    const caps = setup({
      files: {
        [INI_PATH]: '[default]\ntype = ram_role_arn\naccess_key_id = id\naccess_key_secret = s\nrole_arn = arn\n',
      },
    })
    caps.http.on('POST', /^https:\/\/sts\.aliyuncs\.com\//, json(500, { Code: 'InternalError' }))
    const p = Providers.iniProfile()(caps)
    expect(leftOf(await p()())._tag).toBe('SourceFailure')
    stsRoutes(caps)
    expect(rightOf(await p()()).source).toBe('profile/ram_role_arn/static_ak')
    await p()()
    expect(caps.fs.reads).toEqual([INI_PATH, INI_PATH])
  })

  it('a change of ALIBABA_CLOUD_PROFILE is honoured', async () => {
    const caps = setup({ files: { [INI_PATH]: `${ak('default')}${ak('other', 'other-id')}` } })
    const p = Providers.iniProfile()(caps)
    expect(await p()()).toEqual(E.right(akCredential()))
    caps.env.set('ALIBABA_CLOUD_PROFILE', 'other')
    expect(await p()()).toEqual(E.right(akCredential('other-id')))
  })
})

describe('iniProfile: properties', () => {
  const line = fc.oneof(
    fc.constantFrom(
      '[default]',
      '[team.prod]',
      '[broken',
      'type = access_key',
      'type = ram_role_arn',
      'type = bearer',
      'type = nope',
    ),
    fc.constantFrom(
      'access_key_id = id',
      `access_key_secret = ${SECRET}`,
      `bearer_token = ${TOKEN}`,
      'role_arn = arn',
      'enable = false',
      'enable = maybe',
    ),
    fc.constantFrom('duration_seconds = 12', 'timeout = x', `${SECRET}`, '\u0000', '; comment', ''),
    fc.string({ maxLength: 12 }),
  )
  it('any document gives a credential or a typed error, never a throw, a hang or a secret in a message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), async (lines, nl) => {
        const caps = setup({ files: { [INI_PATH]: lines.join(nl) } })
        const r = await Providers.iniProfile()(caps)()()
        if (E.isLeft(r)) {
          expect(CredentialsError.isCredentialsError(r.left)).toBe(true)
          expectNoLeak(r.left)
        } else {
          expect(['profile/static_ak', 'profile/bearer']).toContain(r.right.source)
        }
        expect(caps.http.requests).toEqual([])
      }),
    )
  })
})
