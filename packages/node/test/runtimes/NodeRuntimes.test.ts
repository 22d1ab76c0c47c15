// @alicred/node in Deno and Bun (issue 14, part 3): node-script.ts, bundled from the sources with esbuild for the
// node platform (the same bundle tsup makes of dist/index.js), run by the real `deno` and `bun` binaries against the
// emulator on 127.0.0.1. It covers defaultProvider() and the drop-in Client over every live capability: process.env,
// node:fs (an INI profile), node:http (STS and the credentials URI) and node:child_process (a CLI External
// profile). A runtime whose binary cannot start here is skipped, saying why.
import { spawn, spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Emulator, startEmulator } from '@alicred/testing/emulator'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const src = (pkg: string) => join(root, 'packages', pkg, 'src', 'index.ts')
const bin = (name: string) => join(root, 'node_modules', '.bin', name)

const ACCOUNT = '1234567890123456'
const ROLE = `acs:ram::${ACCOUNT}:role/runtime`
const AK = { accessKeyId: 'LTAI5tNodeRt', accessKeySecret: 'node-runtime-secret' }

let emu: Emulator
let dir: string
let script: string

beforeAll(async () => {
  emu = await startEmulator({
    accountId: ACCOUNT,
    accessKeys: [{ ...AK, userName: 'rt' }],
    roles: [{ roleArn: ROLE }],
  })
  dir = await mkdtemp(join(tmpdir(), 'alicred-node-runtimes-'))
  const iniHome = join(dir, 'ini-home')
  const cliHome = join(dir, 'cli-home')
  await mkdir(join(dir, 'empty-home'))
  await mkdir(join(iniHome, '.alibabacloud'), { recursive: true })
  await mkdir(join(cliHome, '.aliyun'), { recursive: true })
  await writeFile(
    join(iniHome, '.alibabacloud', 'credentials'),
    [
      '[default]',
      'type = ram_role_arn',
      `access_key_id = ${AK.accessKeyId}`,
      `access_key_secret = ${AK.accessKeySecret}`,
      `role_arn = ${ROLE}`,
      `sts_endpoint = ${emu.stsEndpoint}`,
      '',
    ].join('\n'),
  )
  const helper = join(dir, 'cred-helper.mjs')
  await writeFile(
    helper,
    `console.log(JSON.stringify({ mode: 'AK', access_key_id: 'LTAI5tExternal', access_key_secret: 'external-secret' }))\n`,
  )
  await writeFile(
    join(cliHome, '.aliyun', 'config.json'),
    JSON.stringify({
      current: 'ext',
      profiles: [{ name: 'ext', mode: 'External', process_command: `${process.execPath} ${helper}` }],
    }),
  )
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./node-script.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    mainFields: ['module', 'main'],
    alias: { '@alicred/core': src('core'), '@alicred/node': src('node') },
    define: {
      __SETUP__: JSON.stringify({
        stsEndpoint: emu.stsEndpoint,
        ...AK,
        roleArn: ROLE,
        iniHome,
        cliHome,
      }),
    },
    write: false,
    logLevel: 'silent',
  })
  script = join(dir, 'node-script.mjs')
  await writeFile(script, out.outputFiles[0]!.text)
}, 60_000)

afterAll(async () => {
  await emu?.stop()
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

interface Ran {
  readonly result: Record<string, unknown> | undefined
  readonly code: number | null
  /** Whether the process ended by itself (idle keep-alive sockets and timers must not hold it). */
  readonly exited: boolean
  readonly output: string
}

const run = (cmd: string, args: ReadonlyArray<string>): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: join(dir, 'empty-home'),
        NO_COLOR: '1',
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
        ALIBABA_CLOUD_CREDENTIALS_URI: emu.credentialsUri,
      },
    })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    let exited = true
    const timer = setTimeout(() => {
      exited = false
      child.kill('SIGKILL')
    }, 30_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      const line = output.split('\n').find((l) => l.startsWith('RESULT '))
      resolve({
        result: line === undefined ? undefined : JSON.parse(line.slice('RESULT '.length)),
        code,
        exited,
        output: output.slice(0, 4_000),
      })
    })
  })

const expected = {
  'defaultProvider(), credentials URI from process.env over node:http': {
    source: 'default/credential_uri',
    type: 'sts',
  },
  // The facade's `type` is the client's type, as in @alicloud/credentials.
  'new Client().getCredential() (the default chain)': {
    type: 'default',
    providerName: 'default/credential_uri',
    id: true,
  },
  'new Client(new Config({ type: ram_role_arn })) against the emulator': {
    type: 'ram_role_arn',
    providerName: 'ram_role_arn/static_ak',
    id: true,
  },
  'defaultProvider(): INI profile read with node:fs, AssumeRole signed': {
    source: 'default/profile/ram_role_arn/static_ak',
    type: 'sts',
  },
  'defaultProvider(): CLI External profile run with node:child_process': {
    source: 'default/cli_profile/external',
    type: 'access_key',
  },
}

const commands = {
  deno: ['run', '--quiet', '--no-prompt', '--no-config', '--allow-env', '--allow-net', '--allow-read', '--allow-run'],
  bun: ['run'],
} as const

for (const runtime of ['deno', 'bun'] as const) {
  const probe = spawnSync(bin(runtime), ['--version'], { encoding: 'utf8', timeout: 30_000 })
  const reason =
    probe.error !== undefined
      ? `${runtime} cannot start here (${probe.error.message})`
      : probe.status !== 0
        ? `${runtime} --version exited ${probe.status}`
        : undefined
  if (reason !== undefined) {
    console.warn(`SKIPPED: @alicred/node in ${runtime}: ${reason}`)
    describe.skip(`@alicred/node in ${runtime} (skipped: ${reason})`, () => {
      it('defaultProvider() and Client work against the emulator', () => undefined)
    })
    continue
  }
  describe(`@alicred/node in ${runtime} (${probe.stdout.trim().split('\n')[0]})`, () => {
    it('defaultProvider() and Client work against the emulator, and the process exits by itself', async () => {
      const ran = await run(bin(runtime), [...commands[runtime], script])
      expect({ result: ran.result, code: ran.code, exited: ran.exited }, ran.output).toEqual({
        result: expected,
        code: 0,
        exited: true,
      })
    }, 60_000)
  })
}
