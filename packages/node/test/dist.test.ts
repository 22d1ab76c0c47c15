// The built package, as users load it: native ESM `import Client from '@alicred/node'` and CommonJS `require`.
// beforeAll builds the packages when their dist is missing or older than the sources (`ensureBuilt`, shared with the
// other tests of built packages, so no test rebuilds a dist another one is reading).
import { execFile, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt } from '../../cli/test/_support/built.js'
import { startProxy, startServer, type TestProxy, type TestServer } from './helpers/servers.js'

const run = promisify(execFile)
const pkgDir = fileURLToPath(new URL('..', import.meta.url))
const dist = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'].map((f) => `${pkgDir}dist/${f}`)

let buildError: string | undefined
let server: TestServer
let proxy: TestProxy

beforeAll(async () => {
  const built = await ensureBuilt()
  if (!built.ok) buildError = built.reason
  server = await startServer((_req, res) => res.end('through the proxy'))
  proxy = await startProxy()
}, 300_000)

afterAll(async () => {
  await server?.close()
  await proxy?.close()
})

// A clean environment: no credentials, no proxies, no metadata service; nothing leaves loopback.
const childEnv = { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }

const node = async (args: ReadonlyArray<string>): Promise<{ readonly out: unknown; readonly stderr: string }> => {
  if (buildError !== undefined) throw new Error(`building the packages failed:\n${buildError}`)
  const missing = dist.filter((f) => !existsSync(f))
  if (missing.length > 0)
    throw new Error(`dist is missing (${missing.join(', ')}); run: npm run build -w @alicred/node`)
  const { stdout, stderr } = await run(process.execPath, [...args], { cwd: pkgDir, env: childEnv, timeout: 30_000 })
  return { out: JSON.parse(stdout), stderr }
}

const STS_CONFIG = "{ type: 'sts', accessKeyId: 'id', accessKeySecret: 'secret', securityToken: 'token' }"

describe('the built package', () => {
  it('works from native ESM: import Client, { Config } from "@alicred/node"', async () => {
    const code = `
      import Client, { Client as Named, Config, CredentialModel, defaultProvider, liveCapabilities } from '@alicred/node'
      const m = await new Client(new Config(${STS_CONFIG})).getCredential()
      console.log(JSON.stringify({
        same: Client === Named, model: m instanceof CredentialModel, fields: { ...m }, printed: JSON.stringify(m),
        fns: [typeof defaultProvider, typeof liveCapabilities],
      }))`
    const r = await node(['--input-type=module', '-e', code])
    expect(r).toEqual({
      out: {
        same: true,
        model: true,
        fields: {
          accessKeyId: 'id',
          accessKeySecret: 'secret',
          securityToken: 'token',
          type: 'sts',
          providerName: 'static_sts',
        },
        printed:
          '{"accessKeyId":"id","accessKeySecret":"<redacted>","securityToken":"<redacted>","type":"sts","providerName":"static_sts"}',
        fns: ['function', 'function'],
      },
      stderr: '',
    })
  })

  it('works from CommonJS: require("@alicred/node").default, and TypeScript’s __importDefault', async () => {
    const code = `
      const mod = require('@alicred/node')
      const Credential = mod.default
      // what tsc emits for \`import Credential from '@alicred/node'\` in a CommonJS project
      const viaTs = (mod && mod.__esModule ? mod : { default: mod }).default
      new Credential(new mod.Config(${STS_CONFIG})).getCredential().then((m) => {
        console.log(JSON.stringify({ esModule: mod.__esModule, same: Credential === mod.Client && viaTs === Credential, type: m.type, providerName: m.providerName }))
      })`
    expect(await node(['-e', code])).toEqual({
      out: { esModule: true, same: true, type: 'sts', providerName: 'static_sts' },
      stderr: '',
    })
  })

  it('throws the reference constructor errors from CommonJS', async () => {
    const code = `
      const Credential = require('@alicred/node').default
      const messages = [{}, { type: 'x' }].map((c) => { try { new Credential(c) } catch (e) { return e.message } })
      console.log(JSON.stringify(messages))`
    expect((await node(['-e', code])).out).toEqual([
      'Missing required type option',
      'Invalid type option, support: access_key, sts, ecs_ram_role, ram_role_arn, rsa_key_pair, credentials_uri, oidc_role_arn, bearer',
    ])
  })

  it('loads the proxy support from CommonJS too, without warnings', async () => {
    const code = `
      const { liveCapabilities } = require('@alicred/node')
      const caps = liveCapabilities({ env: { HTTP_PROXY: '${proxy.url}' } })
      caps.http.request({ method: 'GET', url: 'http://credentials.test:${server.port}/' })().then((r) => {
        caps.close()
        console.log(JSON.stringify(r._tag === 'Right' ? r.right.body : r.left))
      })`
    expect(await node(['-e', code])).toEqual({ out: 'through the proxy', stderr: '' })
    expect(proxy.connects).toContain(`credentials.test:${server.port}`)
  })

  // Cold start (docs/packaging.md): a static credential runs neither the codecs nor the remote sources, and a
  // dependency is required when one of its names is first read, so no package loads from node_modules: not fp-ts,
  // io-ts, ini or jose. The network and process built-ins load on first use. From ESM too, since Node runs the
  // CommonJS build. Of @alicred/core it reads only the file holding what a static credential runs (modules.cjs), not
  // modules.rest.cjs or modules.deps.cjs.
  it('loads no dependency package and no network or process built-in for a static credential', async () => {
    const lazy = '/^NativeModule (http|https|tls|net|child_process)$/'
    const report = `JSON.stringify({
      type: m.type,
      packages: Object.keys(require.cache).filter((k) => k.includes('node_modules')).map((k) => k.slice(k.lastIndexOf('node_modules/') + 13)),
      files: Object.keys(require.cache).filter((k) => k.includes('/dist/')).map((k) => k.split('/').slice(-3).filter((x) => x !== 'dist').join('/')).sort(),
      builtins: process.moduleLoadList.filter((x) => ${lazy}.test(x)),
    })`
    const cjs = `
      const { Client } = require('@alicred/node')
      new Client(${STS_CONFIG}).getCredential().then((m) => console.log(${report}))`
    const esm = `
      import { createRequire } from 'node:module'
      import Client from '@alicred/node'
      const require = createRequire(import.meta.url)
      const m = await new Client(${STS_CONFIG}).getCredential()
      console.log(${report})`
    const expected = (files: ReadonlyArray<string>) => ({
      out: { type: 'sts', packages: [], files, builtins: [] },
      stderr: '',
    })
    const core = ['core/Providers.cjs', 'core/index.cjs', 'core/modules.cjs']
    expect(await node(['-e', cjs])).toEqual(expected([...core, 'node/index.cjs', 'node/modules.cjs']))
    // Node's ES module entry reads each export from the module that holds it, without the index of getters
    expect(await node(['--input-type=module', '-e', esm])).toEqual(expected([...core, 'node/modules.cjs']))
  })
})

// Deno and Bun resolve the package through its exports map as well: Deno takes `node` → `module-sync`
// (index.node.mjs), Bun takes `node` → `default` (index.node.static.mjs, as bundlers without `module-sync` do). Both
// run the CommonJS build, so an error is an instance of core's class and its frames name dist/modules.cjs.
const RUNTIME_SCRIPT = `
  import { CredentialsError } from '@alicred/core'
  import Client, { Config } from '@alicred/node'
  const m = await new Client(new Config(${STS_CONFIG})).getCredential()
  let err
  try {
    new Client({ type: 'access_key', accessKeyId: 'LTAI5tIdOnly' })
  } catch (e) {
    err = e
  }
  const entry = import.meta.resolve('@alicred/node')
  console.log('RESULT ' + JSON.stringify({
    entry: entry.slice(entry.lastIndexOf('/dist/') + 1),
    credential: [m.type, m.providerName],
    error: [err.constructor.name, err instanceof CredentialsError.InvalidConfiguration],
    build: err.stack.includes('/dist/modules.cjs:'),
  }))
`
const root = fileURLToPath(new URL('../../../', import.meta.url))
const runtimes = {
  deno: {
    args: ['run', '--quiet', '--no-prompt', '--no-config', '--node-modules-dir=manual', '--allow-env', '--allow-read'],
    entry: 'dist/index.node.mjs',
  },
  bun: { args: ['run'], entry: 'dist/index.node.static.mjs' },
} as const
for (const [runtime, how] of Object.entries(runtimes)) {
  const bin = join(root, 'node_modules', '.bin', runtime)
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 })
  const reason =
    probe.error !== undefined ? probe.error.message : probe.status !== 0 ? `exit ${probe.status}` : undefined
  if (reason !== undefined) {
    console.warn(`SKIPPED: the built package in ${runtime}: ${runtime} cannot start here (${reason})`)
    describe.skip(`the built package in ${runtime} (skipped: ${reason})`, () => {
      it('loads through the exports map', () => undefined)
    })
    continue
  }
  describe(`the built package in ${runtime}`, () => {
    it(`loads ${how.entry} through the exports map and runs the CommonJS build`, async () => {
      if (buildError !== undefined) throw new Error(`building the packages failed:\n${buildError}`)
      // a project outside the repository whose node_modules is the repository's
      const dir = await mkdtemp(join(tmpdir(), `alicred-dist-${runtime}-`))
      try {
        await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
        await writeFile(join(dir, 'main.mjs'), RUNTIME_SCRIPT)
        const { stdout } = await run(bin, [...how.args, join(dir, 'main.mjs')], {
          cwd: dir,
          env: { ...childEnv, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
          timeout: 60_000,
        })
        const line = stdout.split('\n').find((l) => l.startsWith('RESULT ')) ?? 'RESULT null'
        expect(JSON.parse(line.slice('RESULT '.length))).toEqual({
          entry: how.entry,
          credential: ['sts', 'static_sts'],
          error: ['InvalidConfiguration', true],
          build: true,
        })
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    }, 90_000)
  })
}
