// A project outside the workspace that installs the packed packages the way a user would, without network: the
// four tarballs from `npm pack`, their dependencies and the fp-ts / io-ts / @types/node the project asks for, all at
// the versions and from the tarball URLs this repository's package-lock.json holds, so `npm ci --offline` takes every
// one of them from npm's cache (which `npm ci` of this repository filled). A lockfile of the project's own, written
// here, is what lets npm skip the registry: without one it would ask for each package's metadata first.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import semver from 'semver'

const run = promisify(execFile)

interface LockEntry {
  /** The real name, for an alias (`"fp-ts-lowest": "npm:fp-ts@2.10.0"`). */
  readonly name?: string
  readonly version: string
  readonly resolved?: string
  readonly integrity?: string
  readonly license?: string
  readonly dependencies?: Readonly<Record<string, string>>
  readonly peerDependencies?: Readonly<Record<string, string>>
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>
  readonly optionalDependencies?: Readonly<Record<string, string>>
  readonly engines?: unknown
  readonly bin?: unknown
  readonly link?: boolean
}

export interface Packed {
  readonly name: string
  readonly file: string
  readonly manifest: Readonly<Record<string, unknown>> & {
    readonly version: string
    readonly dependencies?: Readonly<Record<string, string>>
    readonly peerDependencies?: Readonly<Record<string, string>>
    readonly bin?: Readonly<Record<string, string>>
  }
}

/** `npm pack` of each package directory into `dest`. */
export const pack = async (root: string, dirs: ReadonlyArray<string>, dest: string): Promise<ReadonlyArray<Packed>> => {
  await mkdir(dest, { recursive: true })
  const out: Array<Packed> = []
  for (const dir of dirs) {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dest], {
      cwd: join(root, dir),
      maxBuffer: 64 * 1024 * 1024,
    })
    const [info] = JSON.parse(stdout) as ReadonlyArray<{ readonly name: string; readonly filename: string }>
    if (info === undefined) throw new Error(`npm pack in ${dir} reported nothing`)
    const manifest = JSON.parse(await readFile(join(root, dir, 'package.json'), 'utf8')) as Packed['manifest']
    out.push({ name: info.name, file: join(dest, info.filename), manifest })
  }
  return out
}

const sri = async (file: string): Promise<string> =>
  `sha512-${createHash('sha512')
    .update(await readFile(file))
    .digest('base64')}`

/**
 * Writes `dir/package.json` and `dir/package-lock.json` for a project depending on `packed` and on `extra` (name →
 * exact version), then runs `npm ci --offline` there. Every other package comes from the repository's lockfile: the
 * version that satisfies each range, wherever it sits in the repository's tree.
 */
export const install = async (
  root: string,
  dir: string,
  packed: ReadonlyArray<Packed>,
  extra: Readonly<Record<string, string>>,
): Promise<void> => {
  const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as {
    readonly packages: Readonly<Record<string, LockEntry>>
  }
  // every version of every package the repository's lockfile holds, aliases under their real name
  const known = new Map<string, Array<LockEntry>>()
  for (const [path, entry] of Object.entries(lock.packages)) {
    const at = path.lastIndexOf('node_modules/')
    if (at === -1 || entry.link === true || entry.integrity === undefined) continue
    const name = entry.name ?? path.slice(at + 'node_modules/'.length)
    known.set(name, [...(known.get(name) ?? []), entry])
  }
  const pick = (name: string, range: string): LockEntry => {
    const found = (known.get(name) ?? []).find((e) => semver.satisfies(e.version, range))
    if (found === undefined)
      throw new Error(`package-lock.json has no ${name}@${range} (needed by the consumer project)`)
    return found
  }

  const packages: Record<string, Record<string, unknown>> = {}
  const needs: Array<readonly [string, string]> = []
  for (const p of packed) {
    packages[`node_modules/${p.name}`] = {
      version: p.manifest.version,
      resolved: `file:${p.file}`,
      integrity: await sri(p.file),
      ...(p.manifest.dependencies === undefined ? {} : { dependencies: p.manifest.dependencies }),
      ...(p.manifest.peerDependencies === undefined ? {} : { peerDependencies: p.manifest.peerDependencies }),
      ...(p.manifest.bin === undefined ? {} : { bin: p.manifest.bin }),
    }
    for (const [n, r] of Object.entries(p.manifest.dependencies ?? {})) needs.push([n, r])
  }
  for (const [n, v] of Object.entries(extra)) needs.push([n, v])
  while (needs.length > 0) {
    const [name, range] = needs.shift() as readonly [string, string]
    const key = `node_modules/${name}`
    if (packages[key] !== undefined) {
      const have = String(packages[key].version)
      if (!semver.satisfies(have, range)) throw new Error(`the consumer needs ${name}@${range} and ${have} both`)
      continue
    }
    const e = pick(name, range)
    // no `resolved` needed: npm takes a registry package by its name, version and integrity (this repository's
    // lockfile leaves `resolved` out too, with omit-lockfile-registry-resolved)
    packages[key] = {
      version: e.version,
      ...(e.resolved === undefined ? {} : { resolved: e.resolved }),
      integrity: e.integrity,
      ...(e.license === undefined ? {} : { license: e.license }),
      ...(e.dependencies === undefined ? {} : { dependencies: e.dependencies }),
      ...(e.peerDependencies === undefined ? {} : { peerDependencies: e.peerDependencies }),
      ...(e.peerDependenciesMeta === undefined ? {} : { peerDependenciesMeta: e.peerDependenciesMeta }),
      ...(e.engines === undefined ? {} : { engines: e.engines }),
      ...(e.bin === undefined ? {} : { bin: e.bin }),
    }
    for (const [n, r] of Object.entries(e.dependencies ?? {})) needs.push([n, r])
  }

  const dependencies = {
    ...Object.fromEntries(packed.map((p) => [p.name, `file:${p.file}`])),
    ...extra,
  }
  const manifest = { name: 'alicred-consumer', version: '0.0.0', private: true, dependencies }
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  await writeFile(
    join(dir, 'package-lock.json'),
    `${JSON.stringify({ name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages: { '': manifest, ...packages } }, null, 2)}\n`,
  )
  await run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel', 'error'], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  })
}
