// The conformance script (conformance.ts) in every runtime: here in Node, then bundled (esbuild, sources of
// @alicred/core and @alicred/testing, web platform) and run by the real Deno, Bun and workerd binaries of the npm
// packages `deno`, `bun` and `workerd`. The emulator and a helper server run here, on 127.0.0.1. A runtime whose
// binary cannot start in this sandbox is skipped, and the test's name and a warning say why.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Emulator, startEmulator } from '@alicred/testing/emulator'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Check, conformance, type Setup } from './conformance.js'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const src = (pkg: string) => join(root, 'packages', pkg, 'src', 'index.ts')
const bin = (name: string) => join(root, 'node_modules', '.bin', name)

type Runtime = 'deno' | 'bun' | 'workerd'

// Whether each binary starts here (it may not in a sandbox), and its version.
const probe = (name: Runtime): { readonly version: string } | { readonly skip: string } => {
  const r = spawnSync(bin(name), ['--version'], { encoding: 'utf8', timeout: 30_000 })
  if (r.error !== undefined) return { skip: `${name} cannot start here (${r.error.message})` }
  if (r.status !== 0) return { skip: `${name} --version exited ${r.status}: ${(r.stderr ?? '').trim().slice(0, 200)}` }
  return { version: r.stdout.trim().split('\n')[0] ?? '' }
}

const ACCOUNT = '1234567890123456'
const ROLE = `acs:ram::${ACCOUNT}:role/runtime`
const OIDC_PROVIDER = `acs:ram::${ACCOUNT}:oidc-provider/runtime`
const ISSUER = 'https://oidc.runtime.test'

let emu: Emulator
let helper: http.Server
let setup: Setup
let dir: string

beforeAll(async () => {
  emu = await startEmulator({
    accountId: ACCOUNT,
    accessKeys: [{ accessKeyId: 'LTAI5tRuntime', accessKeySecret: 'runtime-secret', userName: 'runtime' }],
    roles: [{ roleArn: ROLE }],
    oidcProviders: [{ arn: OIDC_PROVIDER, issuer: ISSUER, audiences: ['sts.aliyuncs.com'] }],
  })
  helper = http.createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: `${origin(helper)}/elsewhere` })
      return res.end()
    }
    if (req.url === '/big') {
      const chunk = 'x'.repeat(4096)
      const pump = () => {
        while (res.write(chunk)) {}
      }
      res.on('drain', pump)
      res.on('error', () => undefined)
      return pump()
    }
    if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      return res.write('partial')
    }
    res.writeHead(404).end()
  })
  helper.listen(0, '127.0.0.1')
  await once(helper, 'listening')
  const closed = http.createServer().listen(0, '127.0.0.1')
  await once(closed, 'listening')
  const closedPort = (closed.address() as AddressInfo).port
  await new Promise((r) => closed.close(r))
  setup = {
    stsEndpoint: emu.stsEndpoint,
    credentialsUri: emu.credentialsUri,
    accessKeyId: 'LTAI5tRuntime',
    accessKeySecret: 'runtime-secret',
    roleArn: ROLE,
    oidcProviderArn: OIDC_PROVIDER,
    oidcIssuer: ISSUER,
    helper: origin(helper),
    closedPort,
  }
  dir = await mkdtemp(join(tmpdir(), 'alicred-runtimes-'))
})

afterAll(async () => {
  helper?.closeAllConnections()
  await new Promise((r) => helper?.close(r))
  await emu?.stop()
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

const origin = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`

// What every runtime must observe. `refused` differs in workerd, which reports a refused connection exactly as a
// lost one ("Network connection lost."), so Http.fromFetch can only call it ConnectionReset (transient either way).
const expected = (s: Setup, refused: 'ConnectionRefused' | 'ConnectionReset'): ReadonlyArray<Check> => [
  { name: 'static AccessKey, and its redaction', observed: { ok: ['LTAI5tStatic', 'static_ak', false, false] } },
  { name: 'environment from an injected record', observed: { ok: ['LTAI5tEnv', 'env'] } },
  { name: 'credentials URI over Http.fromFetch (loopback)', observed: { ok: ['sts', true, 'credential_uri'] } },
  {
    name: 'web chain: credentials URI from the env, traced',
    observed: {
      ok: [
        'default/credential_uri',
        ['default/env skipped', 'default/oidc_role_arn skipped', 'default/credential_uri success'],
      ],
    },
  },
  {
    name: 'AssumeRole against the emulator (signed with WebCrypto HMAC)',
    observed: { ok: ['sts', true, 'ram_role_arn/static_ak', true] },
  },
  {
    name: 'oidc_role_arn with the token in ALIBABA_CLOUD_OIDC_TOKEN (emulator)',
    observed: { ok: ['sts', 'oidc_role_arn'] },
  },
  {
    name: 'Http.fromFetch: a redirect is returned, not followed',
    observed: { status: 302, location: `${s.helper}/elsewhere` },
  },
  { name: 'Http.fromFetch: the size cap stops an endless body', observed: { kind: 'TooLarge', url: `${s.helper}/…` } },
  {
    name: 'Http.fromFetch: the read deadline ends a stalled body',
    observed: { kind: 'ReadTimeout', url: `${s.helper}/…` },
  },
  {
    name: 'Http.fromFetch: a refused connection, its URL path never shown',
    observed: { kind: refused, url: `http://127.0.0.1:${s.closedPort}/…`, leaks: false },
  },
  { name: 'redactUrl', observed: ['http://127.0.0.1:1/…', 'https://sts.aliyuncs.com/'] },
  {
    name: 'Provider.cached under a manual clock: refresh in the stale window, single flight',
    observed: [['STS.1', 'STS.1', 'STS.1'], 'STS.1', 'STS.2', 2],
  },
  {
    name: 'the fakes: fakeCapabilities, fakeHttp delays on the manual clock, fakeFs, fakeJwt',
    observed: [['STS.fake', 'default/credential_uri'], ['LTAI5tIni', 'profile/static_ak'], 1, 250, 3],
  },
]

const bundle = async (entry: string): Promise<string> => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    alias: { '@alicred/core': src('core'), '@alicred/testing': src('testing') },
    define: { __SETUP__: JSON.stringify(setup) },
    write: false,
    logLevel: 'silent',
  })
  return out.outputFiles[0]!.text
}

const run = (
  cmd: string,
  args: ReadonlyArray<string>,
  cwd: string,
): Promise<{ out: string; err: string; code: number | null }> =>
  new Promise((resolve, reject) => {
    // Only what the runtime needs: no credentials or proxies of this machine.
    const child = spawn(cmd, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1' } })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      err += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ out, err, code })
    })
  })

const resultOf = (r: { out: string; err: string; code: number | null }): ReadonlyArray<Check> => {
  const line = r.out.split('\n').find((l) => l.startsWith('RESULT '))
  if (line === undefined) throw new Error(`no result (exit ${r.code}):\n${r.out}\n${r.err}`.slice(0, 4_000))
  return JSON.parse(line.slice('RESULT '.length)) as ReadonlyArray<Check>
}

const runners: Record<Runtime, () => Promise<ReadonlyArray<Check>>> = {
  deno: async () => {
    const file = join(dir, 'deno.mjs')
    await writeFile(file, await bundle('./entry-script.ts'))
    return resultOf(
      await run(bin('deno'), ['run', '--quiet', '--no-prompt', '--no-config', '--allow-net=127.0.0.1', file], dir),
    )
  },
  bun: async () => {
    const file = join(dir, 'bun.mjs')
    await writeFile(file, await bundle('./entry-script.ts'))
    return resultOf(await run(bin('bun'), ['run', file], dir))
  },
  workerd: async () => {
    await writeFile(join(dir, 'worker.mjs'), await bundle('./entry-worker.ts'))
    // Outbound requests may go to loopback ("local"); the worker has no other binding.
    await writeFile(
      join(dir, 'config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.mjs", esModule = embed "worker.mjs") ],
  compatibilityDate = "2025-01-01",
  globalOutbound = "loopback",
);
`,
    )
    return resultOf(await run(bin('workerd'), ['test', 'config.capnp'], dir))
  },
}

describe('conformance in Node (this process)', () => {
  it('observes what every runtime must', async () => {
    expect(await conformance(setup)).toEqual(expected(setup, 'ConnectionRefused'))
  })
})

for (const runtime of ['deno', 'bun', 'workerd'] as const) {
  const p = probe(runtime)
  if ('skip' in p) {
    console.warn(`SKIPPED: the ${runtime} conformance run: ${p.skip}`)
    describe.skip(`conformance in ${runtime} (skipped: ${p.skip})`, () => {
      it('observes what every runtime must', () => undefined)
    })
    continue
  }
  describe(`conformance in ${runtime} (${p.version})`, () => {
    it('observes what every runtime must', async () => {
      const observed = await runners[runtime]()
      expect(observed).toEqual(expected(setup, runtime === 'workerd' ? 'ConnectionReset' : 'ConnectionRefused'))
    }, 90_000)
  })
}
