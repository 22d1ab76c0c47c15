#!/usr/bin/env node
// `npm start`: a tour of alicred that needs nothing but this machine. It starts the emulator (STS, ECS metadata and a
// credentials URI on 127.0.0.1), makes a throwaway HOME with an Aliyun CLI config and an INI credentials file, walks
// the default chain with `alicred explain` as each source in turn becomes the one that answers, then makes a real
// Tea SDK call (STS GetCallerIdentity) against the emulator with alicred's drop-in `Client`.
//
// Nothing here reads the real ~/.aliyun or ~/.alibabacloud or the real environment: every capability is handed the
// temp HOME and a fixed environment. Every HTTP request goes through `onlyLoopback`, which sends the ECS metadata
// address (100.100.100.200) to the emulator and refuses any host that is not 127.0.0.1, so nothing leaves the machine.
// Runs on the built packages (`npm start` builds first). Exit 0 when every step did what it says.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as OpenApi from '@alicloud/openapi-client'
import Sts from '@alicloud/sts20150401'
import { main } from '@alicred/cli'
import { Http } from '@alicred/core'
import { Client, liveCapabilities } from '@alicred/node'
import { startEmulator } from '@alicred/testing/emulator'

const ACCOUNT = '1234567890123456'
const role = (name) => `acs:ram::${ACCOUNT}:role/${name}`
// The emulator's own keys: they work against it and nowhere else.
const DEV_KEY = { accessKeyId: 'LTAI5tDemoDeveloperKey', accessKeySecret: 'demo-secret-only-for-the-emulator' }

const tty = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
const bold = (s) => (tty ? `\u001b[1m${s}\u001b[22m` : s)
const dim = (s) => (tty ? `\u001b[2m${s}\u001b[22m` : s)
const say = (s = '') => process.stdout.write(`${s}\n`)

const METADATA = 'http://100.100.100.200'
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

// An Http that can reach the emulator only: the metadata address is rewritten to it, anything else is refused.
const onlyLoopback = (inner, emulatorUrl) => ({
  request: (req) => {
    let url
    try {
      url = new URL(req.url)
    } catch {
      return inner.request(req)
    }
    if (url.origin === METADATA) url = new URL(`${url.pathname}${url.search}`, emulatorUrl)
    if (!LOOPBACK.has(url.hostname)) {
      return async () => ({
        _tag: 'Left',
        left: Http.httpError('ConnectionRefused', req.url, `the demo only talks to 127.0.0.1, not ${url.host}`),
      })
    }
    return inner.request({ ...req, url: url.href })
  },
})

// The runtime `alicred` commands run in: these capabilities, this process's stdout (teed, to check the result).
const runtime = (capabilities, seen) => ({
  capabilities,
  env: tty ? {} : { NO_COLOR: '1' },
  stdout: {
    write: (s) => {
      seen.text += s
      process.stdout.write(s)
    },
    isTTY: tty,
  },
  stderr: { write: (s) => process.stderr.write(s), isTTY: false },
  signals: { subscribe: () => () => {} },
  spawn: () => {
    throw new Error('the demo runs no commands')
  },
  startEmulator,
  version: 'demo',
})

const failures = []
const emu = await startEmulator({
  accountId: ACCOUNT,
  accessKeys: [DEV_KEY],
  roles: ['cli-deployer', 'ini-deployer', 'uri-role', 'ecs-instance'].map((n) => ({ roleArn: role(n) })),
  imds: { roleName: 'ecs-instance' },
  credentialsUri: { roleArn: role('uri-role') },
})
const home = await mkdtemp(join(tmpdir(), 'alicred-demo-'))
const opened = []

try {
  say(bold('alicred demo'))
  say(`Everything runs on this machine: the emulator at ${emu.url} (STS, ECS metadata, credentials URI) and a`)
  say(`throwaway HOME at ${home}. Your own ~/.aliyun, ~/.alibabacloud and environment are not read.`)

  await mkdir(join(home, '.aliyun'), { recursive: true })
  await mkdir(join(home, '.alibabacloud'), { recursive: true })
  const cliConfig = join(home, '.aliyun', 'config.json')
  const iniFile = join(home, '.alibabacloud', 'credentials')
  await writeFile(
    cliConfig,
    `${JSON.stringify(
      {
        current: 'demo',
        profiles: [
          {
            name: 'demo',
            mode: 'RamRoleArn',
            access_key_id: DEV_KEY.accessKeyId,
            access_key_secret: DEV_KEY.accessKeySecret,
            ram_role_arn: role('cli-deployer'),
            ram_session_name: 'alicred-demo-cli',
            sts_endpoint: emu.url,
          },
        ],
      },
      null,
      2,
    )}\n`,
  )
  await writeFile(
    iniFile,
    [
      '[default]',
      'type = ram_role_arn',
      `access_key_id = ${DEV_KEY.accessKeyId}`,
      `access_key_secret = ${DEV_KEY.accessKeySecret}`,
      `role_arn = ${role('ini-deployer')}`,
      'role_session_name = alicred-demo-ini',
      `sts_endpoint = ${emu.url}`,
      '',
    ].join('\n'),
  )

  const capabilitiesFor = (env) => {
    const caps = liveCapabilities({ env, home })
    opened.push(caps)
    return { ...caps, http: onlyLoopback(caps.http, emu.url) }
  }

  const step = async (n, title, setup, env, expectedSource) => {
    say()
    say(bold(`━━ ${n}. ${title}`))
    if (setup !== '') say(dim(setup))
    say(dim('$ alicred explain'))
    const seen = { text: '' }
    const code = await main(['explain'], runtime(capabilitiesFor(env), seen))
    if (code !== 0 || !seen.text.includes(`  source      ${expectedSource}\n`)) {
      failures.push(`step ${n} (${title}): expected credentials from ${expectedSource}`)
    }
  }

  await step(
    1,
    'Environment variables win first',
    `ALIBABA_CLOUD_ACCESS_KEY_ID=${DEV_KEY.accessKeyId} ALIBABA_CLOUD_ACCESS_KEY_SECRET=…`,
    { ALIBABA_CLOUD_ACCESS_KEY_ID: DEV_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEV_KEY.accessKeySecret },
    'default/env',
  )
  await step(
    2,
    "The Aliyun CLI's profile: RamRoleArn, assumed through the emulator's STS",
    `(no variables; ${cliConfig} has the current profile 'demo', mode RamRoleArn)`,
    {},
    'default/cli_profile/ram_role_arn/static_ak',
  )
  const noCli = { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' }
  await step(
    3,
    'The INI profile: ram_role_arn, assumed through the emulator’s STS',
    `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true   (${iniFile}: [default] type = ram_role_arn)`,
    noCli,
    'default/profile/ram_role_arn/static_ak',
  )
  await rm(iniFile)
  await step(
    4,
    'A credentials URI (here the emulator’s; `alicred serve` makes one from any source)',
    `rm ${iniFile}; ALIBABA_CLOUD_CREDENTIALS_URI=${emu.credentialsUri}`,
    { ...noCli, ALIBABA_CLOUD_CREDENTIALS_URI: emu.credentialsUri },
    'default/credential_uri',
  )
  await step(
    5,
    'ECS instance role from the metadata service (the emulator stands in for 100.100.100.200)',
    'unset ALIBABA_CLOUD_CREDENTIALS_URI',
    noCli,
    'default/ecs_ram_role',
  )

  say()
  say(bold('━━ 6. A real Tea SDK client (@alicloud/sts20150401) signing with alicred’s Client'))
  say(
    dim(
      `new Sts(new Config({ credential: new Client(), endpoint: '${emu.host}', protocol: 'http' })).getCallerIdentity()`,
    ),
  )
  const credential = new Client(null, null, { capabilities: capabilitiesFor(noCli) })
  const StsClient = Sts.default ?? Sts
  const sts = new StsClient(
    new OpenApi.Config({ credential, endpoint: emu.host, protocol: 'http', regionId: 'cn-hangzhou' }),
  )
  try {
    const who = await sts.getCallerIdentity()
    const model = await credential.getCredential()
    say(`  Arn           ${who.body.arn}`)
    say(`  IdentityType  ${who.body.identityType}`)
    say(`  signed with   ${model.type} credentials from provider '${model.providerName}'`)
    if (!String(who.body.arn).includes(':assumed-role/ecs-instance/'))
      failures.push('step 6: unexpected caller identity')
  } catch (e) {
    failures.push(`step 6: GetCallerIdentity failed (${e instanceof Error ? e.message : String(e)})`)
  }

  const counts = Object.entries(emu.counts())
    .map(([route, n]) => `${route} ×${n}`)
    .join(', ')
  say()
  say(dim(`The emulator answered: ${counts}. Nothing else was contacted.`))
} finally {
  for (const caps of opened) caps.close()
  await emu.stop()
  await rm(home, { recursive: true, force: true })
}

if (failures.length > 0) {
  process.stderr.write(`\ndemo failed:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`)
  process.exitCode = 1
} else {
  say(bold('Done: the emulator is stopped and the throwaway HOME removed.'))
}
