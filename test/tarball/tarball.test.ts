// The four packages as users get them: packed with `npm pack`, installed into projects outside the workspace from
// npm's cache (no network; see consumer.ts), one with the fp-ts and io-ts this repository develops with and one with
// the lowest versions the peer ranges allow. Then each is loaded from ES modules and CommonJS, compiled against by
// TypeScript (module nodenext, moduleResolution bundler), and run. docs/packaging.md describes what is checked here.
import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import semver from 'semver'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt } from '../../packages/cli/test/_support/built.js'
import { install, type Packed, pack } from './consumer.js'

const exec = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url))
const PACKAGES = ['core', 'testing', 'node', 'cli'] as const
const NAMES = PACKAGES.map((p) => `@alicred/${p}`)

const rootManifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
  readonly devDependencies: Readonly<Record<string, string>>
}
const installed = (name: string): string => {
  const spec = rootManifest.devDependencies[name]
  if (spec === undefined) throw new Error(`the root package.json has no devDependency ${name}`)
  return spec
}
// The lowest supported fp-ts and io-ts are devDependencies of the repository under another name, so `npm ci` puts
// them in npm's cache: `"fp-ts-lowest": "npm:fp-ts@2.10.0"`.
const lowest = (alias: string): string => {
  const m = /^npm:[^@]+@(\d+\.\d+\.\d+)$/.exec(installed(alias))
  if (m?.[1] === undefined) throw new Error(`${alias} must be an exact npm: alias, e.g. npm:fp-ts@2.10.0`)
  return m[1]
}
const lockVersion = async (name: string): Promise<string> => {
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
    readonly packages: Readonly<Record<string, { readonly version: string }>>
  }
  const v = lock.packages[`node_modules/${name}`]?.version
  if (v === undefined) throw new Error(`package-lock.json has no node_modules/${name}`)
  return v
}

const PROJECTS = ['current', 'lowest'] as const
type Project = (typeof PROJECTS)[number]

let tmp = ''
let packed: ReadonlyArray<Packed> = []
const dirOf = (p: Project) => join(tmp, p)
const versions: Record<Project, Record<'fp-ts' | 'io-ts', string>> = {
  current: { 'fp-ts': '', 'io-ts': '' },
  lowest: { 'fp-ts': lowest('fp-ts-lowest'), 'io-ts': lowest('io-ts-lowest') },
}

// A clean environment for the projects' processes: no credentials, no proxy, no metadata service, a HOME of nothing.
const childEnv = {
  PATH: process.env.PATH ?? '',
  HOME: '/nonexistent',
  ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  NODE_OPTIONS: '',
}

const node = async (project: Project, script: string): Promise<unknown> => {
  const { stdout } = await exec(process.execPath, [script], { cwd: dirOf(project), env: childEnv, timeout: 60_000 })
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '')
}

const tsc = async (project: Project, config: string): Promise<string> => {
  try {
    await exec(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', config], {
      cwd: dirOf(project),
      env: childEnv,
      timeout: 120_000,
    })
    return ''
  } catch (e) {
    const out = e as { stdout?: string; stderr?: string }
    return `${out.stdout ?? ''}${out.stderr ?? ''}`
  }
}

const filesUnder = async (dir: string): Promise<ReadonlyArray<string>> =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))

const installedDir = (project: Project, name: string) => join(dirOf(project), 'node_modules', name)

beforeAll(async () => {
  const built = await ensureBuilt()
  if (!built.ok) throw new Error(`the packages could not be built: ${built.reason}`)
  versions.current = { 'fp-ts': await lockVersion('fp-ts'), 'io-ts': await lockVersion('io-ts') }
  tmp = await mkdtemp(join(tmpdir(), 'alicred-tarball-'))
  packed = await pack(
    ROOT,
    PACKAGES.map((p) => `packages/${p}`),
    join(tmp, 'tarballs'),
  )
  for (const project of PROJECTS) {
    await install(ROOT, dirOf(project), packed, {
      ...versions[project],
      '@types/node': await lockVersion('@types/node'),
    })
    for (const f of await readdir(FIXTURES)) await copyFile(join(FIXTURES, f), join(dirOf(project), f))
  }
}, 600_000)

afterAll(async () => {
  if (tmp !== '') await rm(tmp, { recursive: true, force: true })
})

describe('the packed packages', () => {
  it('each holds the LICENSE, its README, readable code and the sources its maps point to', async () => {
    const license = await readFile(join(ROOT, 'LICENSE'), 'utf8')
    for (const name of NAMES) {
      const dir = installedDir('current', name)
      const files = await filesUnder(dir)
      const rel = new Set(files.map((f) => relative(dir, f)))
      expect(await readFile(join(dir, 'LICENSE'), 'utf8'), `${name}/LICENSE`).toBe(license)
      expect(rel.has('README.md'), `${name}/README.md`).toBe(true)
      const code = files.filter((f) => /\.(c|m)?js$/.test(f))
      expect(code.length, `${name}: code files`).toBeGreaterThan(0)
      for (const f of code) {
        const text = await readFile(f, 'utf8')
        const long = text.split('\n').filter((l) => l.length > 200)
        expect(long, `${relative(dir, f)}: lines over 200 characters`).toEqual([])
        // nothing inlined from a dependency: esbuild names every file it bundles in a comment
        expect(text.includes('node_modules/'), `${relative(dir, f)} holds code from node_modules`).toBe(false)
      }
      for (const f of files) {
        const text = await readFile(f, 'utf8')
        expect(text.includes(ROOT), `${relative(dir, f)} names the build machine's ${ROOT}`).toBe(false)
      }
      for (const f of files.filter((f) => f.endsWith('.map'))) {
        const map = JSON.parse(await readFile(f, 'utf8')) as {
          sources: ReadonlyArray<string>
          sourcesContent?: ReadonlyArray<string | null>
        }
        map.sources.forEach((s, i) => {
          const found = rel.has(relative(dir, resolve(dirname(f), s))) || typeof map.sourcesContent?.[i] === 'string'
          expect(found, `${relative(dir, f)} points at ${s}`).toBe(true)
        })
      }
    }
  })

  it('each package.json says what it is, under which licence, for which Node, and ships only what it lists', async () => {
    for (const name of NAMES) {
      const m = JSON.parse(await readFile(join(installedDir('current', name), 'package.json'), 'utf8'))
      expect(typeof m.description === 'string' && m.description.length > 20, `${name} description`).toBe(true)
      expect(Array.isArray(m.keywords) && m.keywords.length > 0, `${name} keywords`).toBe(true)
      expect([m.license, m.engines?.node], name).toEqual(['Apache-2.0', '>=20.19'])
      // dist, src, LICENSE and README, and what some need besides (the CLI's bin/, the stub that resolves
      // @alicred/testing/emulator for TypeScript's node10 resolution); every entry is in the tarball
      expect(m.files, `${name} files`).toEqual(expect.arrayContaining(['dist', 'src', 'LICENSE', 'README.md']))
      for (const entry of m.files as ReadonlyArray<string>) {
        expect(
          (await filesUnder(installedDir('current', name))).some((f) =>
            relative(installedDir('current', name), f).startsWith(entry),
          ),
          `${name} ships ${entry}`,
        ).toBe(true)
      }
      for (const target of Object.values<string>(m.bin ?? {})) {
        expect(
          (await filesUnder(installedDir('current', name))).includes(join(installedDir('current', name), target)),
          `${name} bin ${target}`,
        ).toBe(true)
      }
      // fp-ts (and io-ts) are the user's: peer dependencies whose ranges start at the lowest version tested here
      for (const peer of Object.keys(m.peerDependencies ?? {})) {
        expect(['fp-ts', 'io-ts'], `${name} peer ${peer}`).toContain(peer)
        expect(semver.minVersion(m.peerDependencies[peer])?.version, `${name} peer ${peer}`).toBe(
          versions.lowest[peer as 'fp-ts' | 'io-ts'],
        )
        expect(m.dependencies?.[peer], `${name}: ${peer} both a dependency and a peer`).toBeUndefined()
      }
    }
  })

  it('every declared dependency is imported by what ships, and every imported package is declared', async () => {
    for (const name of NAMES) {
      const dir = installedDir('current', name)
      const m = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))
      const declared = [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})].sort()
      const imported = new Set<string>()
      for (const f of (await filesUnder(join(dir, 'dist'))).filter((f) => /\.(c|m)?js$|\.d\.c?ts$/.test(f))) {
        for (const i of ts.preProcessFile(await readFile(f, 'utf8'), true, true).importedFiles) {
          const spec = i.fileName
          if (spec.startsWith('.') || spec.startsWith('node:')) continue
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec)
          if (pkg !== name) imported.add(pkg)
        }
      }
      expect([...imported].sort(), `${name}: what dist imports`).toEqual(declared)
    }
  })

  for (const project of PROJECTS) {
    describe(`in a project with ${project === 'current' ? 'the fp-ts and io-ts we develop with' : 'the lowest fp-ts and io-ts supported'}`, () => {
      it('ESM import and CommonJS require of each package give the same exports', async () => {
        const out = (await node(project, 'exports.mjs')) as Record<string, Record<string, unknown>>
        for (const name of NAMES) {
          expect(out[name], name).toEqual({
            names: expect.any(Number),
            onlyEsm: [],
            onlyCjs: [],
            differentValues: [],
            esModuleFlag: true,
          })
          expect(out[name]?.names, name).toBeGreaterThan(0)
        }
      })

      it('classes keep their names, and an error is an instance of its class from either module system', async () => {
        const out = (await node(project, 'identity.mjs')) as Record<string, unknown>
        expect(out).toEqual({
          client: ['Client', 'Client', true],
          classNames: ['NotConfigured', 'InvalidConfiguration', 'SourceFailure', 'ChainExhausted'],
          error: ['InvalidConfiguration', 'InvalidConfiguration', 'InvalidConfiguration'],
          esmInstance: true,
          errorInstance: true,
          secondIsACopy: true,
          secondInstance: true,
          secondOtherClass: false,
          fromSecond: [true, false],
          frames: expect.arrayContaining([
            expect.stringMatching(/^at new Client \(@alicred\/node\/dist\/modules\.cjs:\d+:\d+\)$/),
          ]),
        })
      })

      it('the alicred command npm linked from the CLI tarball runs', async () => {
        const bin = join(dirOf(project), 'node_modules/.bin/alicred')
        const { stdout } = await exec(bin, ['--version'], { cwd: dirOf(project), env: childEnv, timeout: 60_000 })
        expect(stdout.trim()).toBe(`alicred ${packed.find((p) => p.name === '@alicred/cli')?.manifest.version}`)
      })

      it('a TypeScript project compiles against them with its own fp-ts, under nodenext and bundler resolution', async () => {
        const [nodenext, bundler] = await Promise.all([
          tsc(project, 'tsconfig.nodenext.json'),
          tsc(project, 'tsconfig.bundler.json'),
        ])
        expect({ nodenext, bundler }).toEqual({ nodenext: '', bundler: '' })
      }, 300_000)

      // Bundlers take the `module` condition (the ES module build); a tool that takes `node` but not `module` or
      // `module-sync` (esbuild given conditions of its own, Bun's bundler) gets index.node.static.mjs and the
      // CommonJS build, which it must be able to follow too. Either way the bundle runs without node_modules.
      const bundles = [
        { how: 'esbuild with its default conditions', conditions: undefined, build: /\/dist\/[\w/]+\.js$/ },
        {
          how: 'esbuild given only the node condition',
          conditions: [],
          build: /\/dist\/[\w/.]+\.(cjs|node\.static\.mjs)$/,
        },
      ] as const
      for (const b of bundles) {
        it(`an application bundled for Node (${b.how}) runs without node_modules`, async () => {
          const out = join(tmp, `bundled-${project}-${b.conditions === undefined ? 'module' : 'node'}`, 'app.mjs')
          const r = await build({
            entryPoints: [join(dirOf(project), 'bundled.mjs')],
            absWorkingDir: dirOf(project),
            bundle: true,
            platform: 'node',
            format: 'esm',
            outfile: out,
            metafile: true,
            ...(b.conditions === undefined ? {} : { conditions: [...b.conditions] }),
            // without it esbuild renames a class whose name another module of the bundle also uses (`_Client`)
            keepNames: true,
            logLevel: 'silent',
          })
          // which of our builds the bundle holds, and nothing of the other
          const ours = Object.keys(r.metafile.inputs).filter((f) => f.includes('node_modules/@alicred/'))
          expect(ours.filter((f) => !b.build.test(f))).toEqual([])
          expect(ours.length).toBeGreaterThan(3)
          const { stdout } = await exec(process.execPath, [out], { cwd: dirname(out), env: childEnv, timeout: 60_000 })
          expect(JSON.parse(stdout)).toEqual({
            credential: ['sts', 'static_sts', 'id'],
            names: ['Client', 'InvalidConfiguration'],
            instance: true,
          })
        }, 120_000)
      }

      it('Node takes index.node.mjs; index.node.static.mjs, for tools without module-sync, gives the same objects', async () => {
        expect(await node(project, 'entries.mjs')).toEqual({
          resolved: ['dist/index.node.mjs', 'dist/index.cjs'],
          same: { core: true, node: true, testing: true, emulator: true, cli: true },
        })
      })

      it('the codecs, the INI reader and the STS client run on the project’s fp-ts and io-ts', async () => {
        expect(await node(project, 'sources.mjs')).toEqual({
          ini: ['default/profile', 'LTAI5tIni'],
          sts: ['ram_role_arn/static_ak', 'ram_role_arn', 'string'],
          versions: versions[project],
          loaded: ['fp-ts', 'ini', 'io-ts'],
        })
      }, 120_000)
    })
  }
})
