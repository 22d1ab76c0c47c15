#!/usr/bin/env node
// Builds the packages as they are published. docs/packaging.md says why each piece is there; in short:
//
//   dist/X.js, X.d.ts       ES module build, one readable file per module of src/ (bundlers, workers, browsers)
//   dist/modules.cjs        CommonJS build: the modules of src/ that load none of the DEFERRED dependencies (fp-ts
//                           beyond fp-ts/function, io-ts, ini, jose), in one readable file, each run on first use;
//                           for a package with STARTUP modules, only those and what they import
//   dist/modules.rest.cjs   the other modules that load none of the DEFERRED dependencies, the same way
//   dist/modules.deps.cjs   the modules that do; Node reads each of these two files only when one of its modules is
//                           needed
//   dist/B.cjs              for each module B made only of re-exports (an index, `Providers`): its exports as getters
//                           that run their module on first use, so `require('@alicred/core').Provider` runs
//                           Provider and what it imports, not the codecs or the remote sources
//   dist/X.d.cts            declarations for CommonJS consumers
//   dist/E.node.mjs         Node's entry for `import` of each entry point E: the CommonJS build behind an ES module,
//                           so Node runs one copy of each package whether it is imported or required; and
//   dist/E.node.static.mjs  the same for tools that take the `node` condition but not `module-sync` (NODE_ENTRY)
//   dist/bin.js             the executable (from src/bin.ts, when there is one), run from the CommonJS build
//   *.map                   source maps into src/, which ships in the tarball
//
// Quiet when all is well: it prints nothing. When a step fails (an esbuild error or warning, a tsc error, a file the
// package.json names but the build did not write) it prints everything that step said and exits with 1.
//
// Usage: node scripts/build.mjs [package directory ...]   (default: the current directory when it is one of the
// packages, as in `npm run build -w @alicred/core`; else all four, in dependency order)
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import ts from 'typescript'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const PACKAGES = ['core', 'testing', 'node', 'cli'].map((p) => join(root, 'packages', p))

const posix = (/** @type {string} */ p) => p.split(sep).join('/')

/** Relative specifier from one file's directory to another file, `./`-prefixed. */
const specifier = (/** @type {string} */ fromFile, /** @type {string} */ toFile) => {
  const r = posix(relative(dirname(fromFile), toFile))
  return r.startsWith('.') ? r : `./${r}`
}

// fp-ts 2 has no "exports" map: `fp-ts/Either` is a directory holding a package.json, which Node's ES module loader
// refuses (ERR_UNSUPPORTED_DIR_IMPORT). Sources say `fp-ts/Either`; the output names the file, `fp-ts/lib/Either.js`,
// which every loader and bundler resolves.
const FP_TS = /(["'])fp-ts\/([A-Za-z]+)\1/g
const fpTsFiles = (/** @type {string} */ code) => code.replace(FP_TS, (_m, q, mod) => `${q}fp-ts/lib/${mod}.js${q}`)

/** @param {string} file */
const parse = (file) =>
  ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)

/**
 * @typedef {{ readonly name?: string, readonly spec: string, readonly prop?: string }} ReExport `name` alone: a
 *   namespace (`export * as name from spec`); `name` and `prop`: one binding; neither: `export * from spec`
 */

/**
 * The re-exports of a module made of nothing else (type-only exports, and `import { X } … export default X`,
 * allowed), or `undefined` when it has any other statement.
 *
 * @param {string} file
 * @returns {Array<ReExport> | undefined}
 */
const reExportsOf = (file) => {
  /** @type {Map<string, { spec: string, prop: string }>} */
  const imported = new Map()
  /** @type {Array<ReExport>} */
  const out = []
  for (const st of parse(file).statements) {
    if (ts.isExportDeclaration(st)) {
      if (st.isTypeOnly) continue
      if (st.moduleSpecifier === undefined || !ts.isStringLiteral(st.moduleSpecifier)) return undefined
      const spec = st.moduleSpecifier.text
      if (st.exportClause === undefined) out.push({ spec })
      else if (ts.isNamespaceExport(st.exportClause)) out.push({ name: st.exportClause.name.text, spec })
      else
        for (const el of st.exportClause.elements)
          if (!el.isTypeOnly) out.push({ name: el.name.text, spec, prop: (el.propertyName ?? el.name).text })
    } else if (ts.isImportDeclaration(st)) {
      const clause = st.importClause
      if (clause === undefined) return undefined
      if (clause.isTypeOnly) continue
      if (clause.name !== undefined || clause.namedBindings === undefined || !ts.isNamedImports(clause.namedBindings))
        return undefined
      if (!ts.isStringLiteral(st.moduleSpecifier)) return undefined
      for (const el of clause.namedBindings.elements)
        if (!el.isTypeOnly)
          imported.set(el.name.text, { spec: st.moduleSpecifier.text, prop: (el.propertyName ?? el.name).text })
    } else if (ts.isExportAssignment(st) && !st.isExportEquals && ts.isIdentifier(st.expression)) {
      const from = imported.get(st.expression.text)
      if (from === undefined) return undefined
      out.push({ name: 'default', ...from })
    } else if (!ts.isInterfaceDeclaration(st) && !ts.isTypeAliasDeclaration(st)) {
      return undefined
    }
  }
  return out
}

// `import * as E from 'fp-ts/Either'` becomes `E = __toESM(require("fp-ts/lib/Either.js"), 1)` in each module
// that says it: a copy of the module object with a getter per export (plus `default`), made anew by every module.
// With forty modules importing fp-ts/Either, io-ts and each other, those copies took longer than the rest of the
// default chain's start-up. A namespace import whose `default` is never read gets the module object itself.
const NAMESPACE = /(\b[\w$]+) = __toESM\((require\("[^"./][^"]*"\)|require_[\w$]+\(\)), 1\)/g
const plainNamespaces = (/** @type {string} */ code) =>
  code.replace(NAMESPACE, (m, name, req) => (code.includes(`${name}.default`) ? m : `${name} = ${req}`))

// `import { a } from 'pkg'` becomes `import_pkg = require("pkg")` in the module's init, and `import_pkg.a` where `a`
// is used. Requiring the package when its first name is read instead keeps a dependency that only some calls need
// (@alicred/core, from @alicred/node's modules) out of a start-up
// that makes no such call. Reads go through a Proxy; none of these names is read on a hot path. The `require` keeps
// its literal name, so a bundler given this build sees which package it loads.
const NAMED_IMPORT = /(\bimport_[\w$]+) = require\(("[^"./][^"]*")\);/g
const LAZY_REQUIRE = `var __lazyRequire = (load) => {
  let m;
  return new Proxy({}, { get: (_, name) => (m ??= load())[name] });
};
`
const lazyNamedImports = (/** @type {string} */ code) => {
  if (!NAMED_IMPORT.test(code)) return code
  const body = code.replace(NAMED_IMPORT, (_m, name, id) => `${name} = __lazyRequire(() => require(${id}));`)
  // after esbuild's helpers, which end where the first module's comment starts
  const at = body.indexOf('\n// src/')
  return at === -1 ? `${LAZY_REQUIRE}${body}` : `${body.slice(0, at + 1)}${LAZY_REQUIRE}${body.slice(at + 1)}`
}

/**
 * How one CommonJS file takes a module of another (modules.deps.cjs one of modules.cjs, say): `path` is
 * `<file>#<module>`, as in `modules.cjs#Provider.js`, and `<file>#<module>#on first use` for an ON_FIRST_USE module.
 *
 * @param {string} path
 */
const sharedModule = (path) => {
  const [file, module, when] = path.split('#')
  const load = `require(${JSON.stringify(`./${file}`)}).load(${JSON.stringify(module)})`
  return when === undefined
    ? `module.exports = ${load}`
    : ['let loaded', `module.exports = new Proxy({}, { get: (_, name) => (loaded ??= ${load})[name] })`].join('\n')
}

// What esbuild compiled but src/ does not hold (the generated entry, the modules taken from modules.cjs): the map
// carries the text itself, under a name saying it was generated.
const withEntrySource = (/** @type {string} */ mapText, /** @type {string} */ entry) => {
  const map = JSON.parse(mapText)
  /** @type {Array<string | null>} */
  const content = map.sources.map(() => null)
  map.sources = map.sources.map((/** @type {string} */ s, /** @type {number} */ i) => {
    if (/^\.\.\/src\/modules(\.deps|\.rest)?\.cjs$/.test(s)) {
      content[i] = entry
      return `generated:${s.slice('../src/'.length)}`
    }
    if (s.startsWith('shared:')) {
      content[i] = sharedModule(s.slice('shared:'.length))
      return `generated:${s}`
    }
    return s
  })
  if (content.some((c) => c !== null)) map.sourcesContent = content
  return JSON.stringify(map)
}

// What went wrong: esbuild's and tsc's messages say it; a stack trace only when the error is this script's own.
/** @param {unknown} e */
const describe = (e) =>
  e instanceof TypeError || e instanceof ReferenceError || e instanceof SyntaxError
    ? (e.stack ?? e.message)
    : e instanceof Error
      ? e.message
      : String(e)

/** @param {string} path @param {string} text */
const writeFile = (path, text) => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}

/** @param {ReadonlyArray<import('esbuild').Message>} warnings @param {string} what */
const failOnWarnings = async (warnings, what) => {
  const text = await esbuild.formatMessages(warnings, { kind: 'warning', color: false })
  if (text.length > 0) throw new Error(`esbuild warnings (${what}):\n${text.join('\n')}`)
}

// The dependencies worth loading only when used: each costs several milliseconds from CommonJS and more from an ES
// module, a large share of a static credential's whole cold start (docs/performance.md). `fp-ts/function` is one
// small file and stays.
const DEFERRED = /^(fp-ts\/(?!function$|lib\/function(\.js)?$)|io-ts(\/|$)|ini$|jose$)/

// What a static credential runs (`new Client({ type: 'access_key', … }).getCredential()`), per package: these modules
// and what they import stay in modules.cjs, and the package's other modules without a DEFERRED dependency go to
// modules.rest.cjs. Node compiles all of a file it requires (core's modules.cjs was 73 KB, a tenth of a static
// credential's cold start from an ES module), so what the first credential does not run stays out of the file it
// reads. A package not named here keeps them all in modules.cjs: `import` of @alicred/node runs every module of it.
// packages/node/test/dist.test.ts checks that a static credential reads no other file.
/** @type {Record<string, ReadonlyArray<string>>} */
const STARTUP = {
  // the static sources (Client's access_key, sts and bearer), and the field table @alicred/node's Config reads
  '@alicred/core': ['providers/Static.ts', 'ConfigFields.ts'],
  // every public module: `import` of @alicred/node runs them all (an ES module binds its names when it loads)
  '@alicred/node': ['index.ts'],
}

// Modules that others import (as a namespace) but use only inside functions that a start-up does not call: a module
// of another file takes each as an object that loads it when one of its names is first read (only reading a name is
// supported: no `in`, no `Object.keys`), and an import of one does not put the importer in modules.deps.cjs. If a
// module read one when it runs, that would load its file at start-up, which dist.test.ts would report.
/** @type {Record<string, ReadonlyArray<string>>} */
const ON_FIRST_USE = {
  '@alicred/core': [
    // the refresh engine: Provider.cached runs it, a static credential does not (its defaults, which Provider
    // exports, are in internal/RefreshDefaults.ts)
    'internal/Refresh.ts',
    // the default chain's links, and its profile rule: Chain builds them when a chain is made, so Chain (and
    // `import` of @alicred/core, which reads `defaultChain`) loads no codec, fp-ts or io-ts
    'internal/ConfigFile.ts',
    'providers/CliProfile.ts',
    'providers/CredentialsUri.ts',
    'providers/EcsRamRole.ts',
    'providers/Environment.ts',
    'providers/IniProfile.ts',
    'providers/OidcRoleArn.ts',
  ],
  // the live capabilities' workings: their public modules are small and run at import; these run when the first
  // liveFs() or nodeHttp() is made, or the first command runs
  '@alicred/node': ['internal/LiveExec.ts', 'internal/LiveFs.ts', 'internal/LiveHttp.ts'],
}

const COMMON = /** @type {const} */ ({
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // The maps point into src/, which ships in the tarball next to dist/.
  sourcesContent: false,
  charset: 'utf8',
  // Long expressions are broken across lines, as a formatter would (esbuild otherwise writes each on one line).
  lineLimit: 120,
  write: false,
  logLevel: 'silent',
})

/**
 * One package being built: where things are, and its modules that are only re-exports.
 *
 * @typedef {{
 *   readonly dir: string, readonly src: string, readonly dist: string, readonly pkg: any,
 *   readonly files: ReadonlyArray<string>, readonly barrels: ReadonlyMap<string, ReadonlyArray<ReExport>>
 * }} Package
 */

/** @param {string} dir @returns {Package} */
const packageAt = (dir) => {
  const src = join(dir, 'src')
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(src, f))
    .sort()
  /** @type {Map<string, ReadonlyArray<ReExport>>} */
  const barrels = new Map()
  for (const f of files) {
    const r = reExportsOf(f)
    if (r !== undefined) barrels.set(f, r)
  }
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  return { dir, src, dist: join(dir, 'dist'), pkg, files, barrels }
}

/**
 * Where a module of src/ goes in dist/, with another extension.
 *
 * @param {Package} p
 * @param {string} file
 * @param {string} ext
 */
const outOf = (p, file, ext) => join(p.dist, relative(p.src, file)).replace(/\.ts$/, ext)

/** How `load` names a module: its path in src/, as `.js`. @param {Package} p @param {string} file */
const keyOf = (p, file) => posix(relative(p.src, file)).replace(/\.ts$/, '.js')

/** The module a relative specifier of `from` names. @param {Package} p @param {string} from @param {string} spec */
const targetOf = (p, from, spec) => {
  if (!spec.startsWith('.'))
    throw new Error(`${relative(p.dir, from)}: re-exports only from relative modules, not ${spec}`)
  return resolve(dirname(from), spec.replace(/\.js$/, '.ts'))
}

/**
 * The ES module build, one file per module; returns each module's export names (esbuild lists those a module
 * declares or names, `export * from` adds its target's).
 *
 * @param {Package} p
 * @returns {Promise<(file: string) => Array<string>>}
 */
const buildEsModules = async (p) => {
  const esm = await esbuild.build({
    ...COMMON,
    entryPoints: [...p.files],
    outbase: p.src,
    outdir: p.dist,
    bundle: false,
    format: 'esm',
    metafile: true,
    absWorkingDir: p.dir,
  })
  await failOnWarnings(esm.warnings, 'ES modules')
  for (const f of esm.outputFiles) writeFile(f.path, f.path.endsWith('.js') ? fpTsFiles(f.text) : f.text)
  /** @type {(file: string) => Array<string>} */
  const exportsOf = (file) => {
    const out = esm.metafile.outputs[posix(relative(p.dir, outOf(p, file, '.js')))]
    if (out === undefined) throw new Error(`no ES module output for ${relative(p.dir, file)}`)
    const names = new Set(out.exports)
    for (const r of p.barrels.get(file) ?? [])
      if (r.name === undefined) for (const n of exportsOf(targetOf(p, file, r.spec))) if (n !== 'default') names.add(n)
    return [...names]
  }
  return exportsOf
}

/**
 * Which CommonJS file each module goes to: modules.deps.cjs for the modules that import one of the DEFERRED packages,
 * directly or through other modules; for a package with STARTUP modules, modules.cjs for those and the modules they
 * import, modules.rest.cjs for the others; else modules.cjs.
 *
 * @param {Package} p
 * @returns {Promise<(file: string) => string>}
 */
const groupModules = async (p) => {
  const graph = await esbuild.build({
    ...COMMON,
    entryPoints: [...p.files],
    outdir: join(p.dist, '.graph'),
    bundle: true,
    packages: 'external',
    format: 'esm',
    metafile: true,
    absWorkingDir: p.dir,
    tsconfig: join(p.dir, 'tsconfig.build.json'),
  })
  const importsOf = (/** @type {string} */ f) =>
    (graph.metafile.inputs[posix(relative(p.dir, f))]?.imports ?? []).filter((i) => i.kind === 'import-statement')
  const later = new Set((ON_FIRST_USE[p.pkg.name] ?? []).map((s) => join(p.src, s)))
  /** @type {Set<string>} */
  const deferred = new Set()
  // an import of an ON_FIRST_USE module loads nothing when the importer runs
  const loadsDeferred = (/** @type {import('esbuild').Metafile['inputs'][string]['imports'][number]} */ i) =>
    i.external ? DEFERRED.test(i.path) : deferred.has(join(p.dir, i.path)) && !later.has(join(p.dir, i.path))
  for (let changed = true; changed; ) {
    changed = false
    for (const f of p.files) {
      if (deferred.has(f)) continue
      if (importsOf(f).some(loadsDeferred)) {
        deferred.add(f)
        changed = true
      }
    }
  }
  const startup = STARTUP[p.pkg.name]
  /** @type {Set<string> | undefined} */
  let first
  if (startup !== undefined) {
    first = new Set()
    const todo = startup.map((s) => join(p.src, s))
    for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
      if (first.has(f) || later.has(f)) continue
      if (!p.files.includes(f)) throw new Error(`STARTUP names ${relative(p.dir, f)}, which is not a module of src/`)
      if (deferred.has(f)) throw new Error(`STARTUP names ${relative(p.dir, f)}, which loads a DEFERRED dependency`)
      first.add(f)
      for (const i of importsOf(f)) if (!i.external) todo.push(join(p.dir, i.path))
    }
  }
  return (f) =>
    join(
      p.dist,
      deferred.has(f) ? 'modules.deps.cjs' : first === undefined || first.has(f) ? 'modules.cjs' : 'modules.rest.cjs',
    )
}

/**
 * The entry of a CommonJS file: `load(path)` runs a module once and keeps its exports.
 *
 * @param {Package} p
 * @param {ReadonlyArray<string>} group
 */
const loaderOf = (p, group) =>
  [
    `'use strict'`,
    `const modules = {`,
    ...group.map(
      (f) => `  ${JSON.stringify(keyOf(p, f))}: () => require(${JSON.stringify(specifier(join(p.src, 'x'), f))}),`,
    ),
    `}`,
    `const loaded = new Map()`,
    `exports.load = (path) => {`,
    `  let m = loaded.get(path)`,
    `  if (m === undefined) {`,
    `    m = modules[path]()`,
    `    loaded.set(path, m)`,
    `  }`,
    `  return m`,
    `}`,
  ].join('\n')

/**
 * The CommonJS build: the modules that are not only re-exports, in up to three files (`groupModules` says which
 * module goes where), each module run on first `load`. esbuild wraps each module of a bundle in an init function (it
 * does for modules reached through `require`); the loader keeps one CommonJS view of each, so a namespace is the
 * same object however often it is asked for.
 *   modules.cjs       what a static credential runs (every module without a DEFERRED dependency, for most packages)
 *   modules.rest.cjs  the other modules without a DEFERRED dependency
 *   modules.deps.cjs  the modules that import one of the DEFERRED packages, even indirectly
 * A module imported from another file is taken from there, never a copy. Node compiles a whole file when it is
 * required, so the code a static credential never runs stays in a file it never reads.
 *
 * @param {Package} p
 * @param {(file: string) => string} fileOf the file each module goes to
 */
const buildCommonJs = async (p, fileOf) => {
  const modules = p.files.filter((f) => !p.barrels.has(f))
  for (const outfile of ['modules.cjs', 'modules.rest.cjs', 'modules.deps.cjs'].map((n) => join(p.dist, n))) {
    const group = modules.filter((f) => fileOf(f) === outfile)
    if (group.length === 0) continue
    const r = await esbuild.build({
      ...COMMON,
      stdin: {
        contents: loaderOf(p, group),
        resolveDir: p.src,
        sourcefile: outfile.slice(outfile.lastIndexOf(sep) + 1),
        loader: 'js',
      },
      outfile,
      bundle: true,
      packages: 'external',
      format: 'cjs',
      absWorkingDir: p.dir,
      // No paths mapping to the other packages' sources: they are dependencies, loaded from node_modules.
      tsconfig: join(p.dir, 'tsconfig.build.json'),
      // One scope for all modules: esbuild renames clashing names (`check` → `check2`); `.name` keeps the original.
      keepNames: true,
      // `import.meta.url` of a module is its file's URL; here the modules are in dist/, one level below the package
      // root like src/.
      ...(group.some((f) => /\bimport\.meta\.url\b/.test(readFileSync(f, 'utf8')))
        ? {
            define: { 'import.meta.url': '__import_meta_url' },
            banner: { js: `const __import_meta_url = require('node:url').pathToFileURL(__filename).href;` },
          }
        : {}),
      plugins: [sharedFromOtherFiles(p, fileOf, outfile)],
    })
    await failOnWarnings(r.warnings, `CommonJS, ${outfile.slice(outfile.lastIndexOf(sep) + 1)}`)
    for (const f of r.outputFiles) {
      writeFile(
        f.path,
        f.path.endsWith('.cjs')
          ? lazyNamedImports(plainNamespaces(fpTsFiles(f.text)))
          : withEntrySource(f.text, loaderOf(p, group)),
      )
    }
  }
}

/**
 * A module of another of the CommonJS files (one of modules.cjs, imported from modules.deps.cjs, say), imported
 * from `outfile`, is taken from there.
 *
 * @param {Package} p
 * @param {(file: string) => string} fileOf
 * @param {string} outfile
 * @returns {import('esbuild').Plugin}
 */
const sharedFromOtherFiles = (p, fileOf, outfile) => ({
  name: 'shared',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (a) => {
      if (a.namespace === 'shared') return { path: a.path, external: true }
      const t = resolve(a.resolveDir, a.path.replace(/\.js$/, '.ts'))
      if (!p.files.includes(t) || p.barrels.has(t) || fileOf(t) === outfile) return undefined
      const onFirstUse = ON_FIRST_USE[p.pkg.name]?.includes(posix(relative(p.src, t)))
      return {
        path: `${relative(p.dist, fileOf(t))}#${keyOf(p, t)}${onFirstUse ? '#on first use' : ''}`,
        namespace: 'shared',
      }
    })
    b.onLoad({ filter: /.*/, namespace: 'shared' }, (a) => ({ contents: sharedModule(a.path), loader: 'js' }))
  },
})

/**
 * Where one export of a module made only of re-exports comes from: `from` (an expression: another such module's
 * CommonJS file, or a module of the CommonJS build), and the name read from it (`prop`) unless the export is `from`
 * itself (a namespace). `lazy` lists a namespace's names when it is an object that loads its module on first read.
 *
 * @typedef {{ readonly from: string, readonly prop?: string, readonly lazy?: ReadonlyArray<string> }} Source
 */

/**
 * The exports of a module made only of re-exports, in order, and where each comes from.
 *
 * @param {Package} p
 * @param {string} file
 * @param {(file: string) => Array<string>} exportsOf
 * @param {(file: string) => string} fileOf
 * @returns {Map<string, Source>}
 */
const sourcesOf = (p, file, exportsOf, fileOf) => {
  const out = outOf(p, file, '.cjs')
  const from = (/** @type {string} */ spec) => {
    const t = targetOf(p, file, spec)
    return p.barrels.has(t)
      ? `require(${JSON.stringify(specifier(out, outOf(p, t, '.cjs')))})`
      : `require(${JSON.stringify(specifier(out, fileOf(t)))}).load(${JSON.stringify(keyOf(p, t))})`
  }
  // A namespace whose module is in modules.deps.cjs is an object whose names load the module when first read:
  // `import` of the package reads every namespace, and must not load fp-ts and io-ts for one that goes unused.
  const namespace = (/** @type {string} */ spec) => {
    const t = targetOf(p, file, spec)
    if (p.barrels.has(t) || !fileOf(t).endsWith(`${sep}modules.deps.cjs`)) return { from: from(spec) }
    return { from: from(spec), lazy: exportsOf(t).filter((n) => n !== 'default') }
  }
  /** @type {Map<string, Source>} */
  const sources = new Map()
  for (const r of p.barrels.get(file) ?? []) {
    if (r.name !== undefined && r.prop === undefined) sources.set(r.name, namespace(r.spec))
    else if (r.name !== undefined && r.prop !== undefined) sources.set(r.name, { from: from(r.spec), prop: r.prop })
    else
      for (const n of exportsOf(targetOf(p, file, r.spec)))
        if (n !== 'default' && !sources.has(n)) sources.set(n, { from: from(r.spec), prop: n })
  }
  return sources
}

/** The expression a getter of a CommonJS file of getters evaluates. @param {Source} s */
const getterOf = (s) =>
  s.lazy !== undefined
    ? [`lazyNamespace(() => ${s.from}, [`, ...s.lazy.map((n) => `    ${JSON.stringify(n)},`), '  ])'].join('\n')
    : s.prop === undefined
      ? s.from
      : `${s.from}.${s.prop}`

/**
 * The modules made only of re-exports, as CommonJS files of getters.
 *
 * @param {Package} p
 * @param {(file: string) => Array<string>} exportsOf
 * @param {(file: string) => string} fileOf
 */
const writeLazyModules = (p, exportsOf, fileOf) => {
  for (const file of p.barrels.keys()) {
    const getters = new Map([...sourcesOf(p, file, exportsOf, fileOf)].map(([n, s]) => [n, getterOf(s)]))
    writeFile(outOf(p, file, '.cjs'), lazyModule(relative(p.dir, file), getters))
  }
}

/** The declarations (tsc), and their CommonJS copies. @param {Package} p */
const writeDeclarations = (p) => {
  const tsc = spawnSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--emitDeclarationOnly',
      '--declaration',
      '--declarationMap',
      '--outDir',
      'dist',
    ],
    { cwd: p.dir, encoding: 'utf8' },
  )
  if (tsc.status !== 0) throw new Error(`tsc (declarations) failed:\n${tsc.stdout}${tsc.stderr}`)
  for (const file of p.files) {
    const dts = outOf(p, file, '.d.ts')
    if (!existsSync(dts)) throw new Error(`tsc wrote no declarations for ${relative(p.dir, file)}`)
    const name = dts.slice(dts.lastIndexOf(sep) + 1)
    const ctsName = name.replace(/\.d\.ts$/, '.d.cts')
    const text = readFileSync(dts, 'utf8')
      .replace(/((?:from |import\()["'])(\.\.?\/[^"']*?)\.js(["'])/g, '$1$2.cjs$3')
      .replace(`sourceMappingURL=${name}.map`, `sourceMappingURL=${ctsName}.map`)
    writeFile(outOf(p, file, '.d.cts'), text)
    const map = JSON.parse(readFileSync(`${dts}.map`, 'utf8'))
    writeFile(`${outOf(p, file, '.d.cts')}.map`, JSON.stringify({ ...map, file: ctsName }))
  }
}

/**
 * Node's entries for `import`: every `*.node.mjs` the exports map names.
 *
 * @param {Package} p
 * @param {(file: string) => Array<string>} exportsOf
 * @param {(file: string) => string} fileOf
 */
const writeNodeEntries = (p, exportsOf, fileOf) => {
  for (const t of nodeEntries(p.pkg.exports)) {
    const kind = t.endsWith('.node.static.mjs') ? '.node.static.mjs' : '.node.mjs'
    const cjsFile = join(p.dir, `${t.slice(0, -kind.length)}.cjs`)
    const srcFile = join(p.src, relative(p.dist, cjsFile)).replace(/\.cjs$/, '.ts')
    if (!existsSync(srcFile)) throw new Error(`${t}: no module ${relative(p.dir, srcFile)} it would be the entry of`)
    if (!p.barrels.has(srcFile)) {
      // an entry that is not only re-exports: its CommonJS file runs it from the CommonJS build
      const load = `require('${specifier(cjsFile, fileOf(srcFile))}').load('${keyOf(p, srcFile)}')`
      writeFile(cjsFile, `'use strict'\nconst m = ${load}\nmodule.exports = m\n`)
    }
    const cjs = `./${cjsFile.slice(cjsFile.lastIndexOf(sep) + 1)}`
    writeFile(
      join(p.dir, t),
      kind === '.node.mjs' && p.barrels.has(srcFile)
        ? nodeEntryOfSources(cjs, sourcesOf(p, srcFile, exportsOf, fileOf))
        : nodeEntry(cjs, exportsOf(srcFile), kind),
    )
  }
}

/**
 * The executable, src/bin.ts, as dist/bin.js: it runs from the CommonJS build too (Node then loads fp-ts and io-ts
 * through its CommonJS loader, several times faster than through its ES module loader). package.json's `bin` names
 * it, or a committed file that loads it (the CLI's bin/alicred.js, which npm can link before the first build).
 *
 * @param {Package} p
 * @param {(file: string) => string} fileOf
 */
const writeExecutable = (p, fileOf) => {
  const binSource = join(p.src, 'bin.ts')
  if (!existsSync(binSource)) return
  const file = join(p.dist, 'bin.js')
  writeFile(
    file,
    [
      '#!/usr/bin/env node',
      '// Runs src/bin.ts from the CommonJS build, like every module of this package in Node (see docs/packaging.md).',
      '// Generated by scripts/build.mjs.',
      `import { createRequire } from 'node:module'`,
      '',
      `createRequire(import.meta.url)('${specifier(file, fileOf(binSource))}').load('bin.js')`,
      '',
    ].join('\n'),
  )
  chmodSync(file, 0o755)
  rmSync(`${file}.map`, { force: true })
}

/**
 * Builds one package; throws with what went wrong.
 *
 * @param {string} dir
 */
const buildPackage = async (dir) => {
  const p = packageAt(dir)
  rmSync(p.dist, { recursive: true, force: true })
  const exportsOf = await buildEsModules(p)
  const fileOf = await groupModules(p)
  await buildCommonJs(p, fileOf)
  writeLazyModules(p, exportsOf, fileOf)
  writeDeclarations(p)
  writeNodeEntries(p, exportsOf, fileOf)
  writeExecutable(p, fileOf)
  for (const t of targetsOf(p.pkg)) {
    if (!existsSync(join(dir, t))) throw new Error(`package.json names ${t}, which the build did not write`)
  }
}

/**
 * A CommonJS module whose exports are getters: each runs its module on first use, then stays a plain property.
 *
 * @param {string} source
 * @param {ReadonlyMap<string, string>} getters
 */
const lazyModule = (source, getters) =>
  [
    `'use strict'`,
    `// The exports of ${posix(source)}. Each is a getter that runs its module on first use and then stays a plain`,
    '// property, so requiring this file runs nothing else (see docs/packaging.md). Generated by scripts/build.mjs.',
    'const once = (name, load) => () => {',
    '  const value = load()',
    '  Object.defineProperty(exports, name, { enumerable: true, value })',
    '  return value',
    '}',
    ...([...getters.values()].some((g) => g.startsWith('lazyNamespace('))
      ? [
          '// A namespace whose module loads fp-ts or io-ts: each name loads the module when first read.',
          'const lazyNamespace = (load, names) => {',
          '  let m',
          '  const ns = {}',
          `  Object.defineProperty(ns, '__esModule', { value: true })`,
          '  for (const name of names) Object.defineProperty(ns, name, { enumerable: true, get: () => (m ??= load())[name] })',
          '  return ns',
          '}',
        ]
      : []),
    `Object.defineProperty(exports, '__esModule', { value: true })`,
    ...[...getters].flatMap(([n, expr]) => [
      `Object.defineProperty(exports, ${JSON.stringify(n)}, {`,
      '  enumerable: true,',
      '  configurable: true,',
      `  get: once(${JSON.stringify(n)}, () => ${expr}),`,
      '})',
    ]),
    '',
  ].join('\n')

// Node's two entries for `import`. Node (20.19 and later, 22.10 and later) takes `index.node.mjs` through the
// `module-sync` condition: it `require`s the CommonJS build, so Node loads that build with its CommonJS loader alone;
// an `import` of it went through Node's ES module loader instead, which parsed the file for its export names and
// made a static credential's cold start about 2.5 ms longer. A bundler cannot follow that `require` (the bundle would
// look for the file next to itself at run time). Bundlers take the `module` condition, which comes first in the
// exports map; a tool that takes `node` but neither `module` nor `module-sync` (Bun and its bundler, esbuild given
// conditions of its own, Node 22.0 to 22.9) gets `index.node.static.mjs`, which imports the CommonJS build, and
// can follow that.
const REQUIRE_HEADER = [
  '// Node runs this package from its CommonJS build whether it is imported or required: one copy of each class and',
  '// cache per process. `require`, not `import`, of that build: Node then loads it with its CommonJS loader alone',
  '// (see docs/packaging.md). Generated by scripts/build.mjs.',
  `import { createRequire } from 'node:module'`,
  '',
  'const require = createRequire(import.meta.url)',
]
const NODE_ENTRY = {
  '.node.mjs': (/** @type {string} */ cjs) => [...REQUIRE_HEADER, `const cjs = require('${cjs}')`],
  '.node.static.mjs': (/** @type {string} */ cjs) => [
    '// The same exports as index.node.mjs, for tools that take the `node` condition but not `module-sync` (a bundler',
    '// follows this `import`; it cannot follow a `require` made with createRequire). See docs/packaging.md.',
    '// Generated by scripts/build.mjs.',
    `import cjs from '${cjs}'`,
  ],
}

/** @param {string} cjs @param {ReadonlyArray<string>} names @param {keyof typeof NODE_ENTRY} kind */
const nodeEntry = (cjs, names, kind) => {
  const named = names.filter((n) => n !== 'default')
  return [
    ...NODE_ENTRY[kind](cjs),
    '',
    'export const {',
    ...named.map((n) => `  ${n},`),
    '} = cjs',
    ...(names.includes('default') ? ['export default cjs.default'] : []),
    '',
  ].join('\n')
}

/**
 * Node's entry for an entry point made only of re-exports: each export read from the module that holds it, as the
 * getters of the CommonJS index do, so the same values and the same namespace objects; not through those getters,
 * which would run 30-odd of them and load the index itself (about 1 ms of a static credential's cold start). A
 * namespace that is an object loading its module on first read is made by the index, and read from there.
 *
 * @param {string} cjs the CommonJS index, relative to the entry
 * @param {ReadonlyMap<string, Source>} sources
 */
const nodeEntryOfSources = (cjs, sources) => {
  /** @type {Map<string, Array<readonly [string, string]>>} names read from each expression, in order */
  const reads = new Map()
  /** @type {Array<string>} */
  const whole = []
  /** @type {Array<string>} */
  const lazy = []
  let fallback = ''
  for (const [name, s] of sources) {
    if (name === 'default') fallback = `export default ${getterOf(s)}`
    else if (s.lazy !== undefined) lazy.push(name)
    else if (s.prop === undefined) whole.push(`export const ${name} = ${s.from}`)
    else reads.set(s.from, [...(reads.get(s.from) ?? []), [name, s.prop]])
  }
  // one line when it fits in 120 characters, else one name per line
  const exportFrom = (/** @type {ReadonlyArray<readonly [string, string]>} */ names, /** @type {string} */ from) => {
    const each = names.map(([n, prop]) => (n === prop ? n : `${prop}: ${n}`))
    const line = `export const { ${each.join(', ')} } = ${from}`
    return line.length <= 120 ? line : ['export const {', ...each.map((e) => `  ${e},`), `} = ${from}`].join('\n')
  }
  return [
    ...REQUIRE_HEADER,
    '',
    ...[...reads].map(([from, names]) => exportFrom(names, from)),
    ...whole,
    ...(lazy.length === 0
      ? []
      : [
          exportFrom(
            lazy.map((n) => [n, n]),
            `require(${JSON.stringify(cjs)})`,
          ),
        ]),
    ...(fallback === '' ? [] : [fallback]),
    '',
  ].join('\n')
}

/**
 * Every `*.node.mjs` and `*.node.static.mjs` file under a `node` condition of an exports map.
 *
 * @param {unknown} exportsMap
 */
const nodeEntries = (exportsMap) => {
  /** @type {Set<string>} */
  const out = new Set()
  const walk = (/** @type {unknown} */ v, /** @type {boolean} */ underNode) => {
    if (typeof v === 'string') {
      if (underNode && /\.node(\.static)?\.mjs$/.test(v)) out.add(v)
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, w] of Object.entries(v)) walk(w, underNode || k === 'node')
    }
  }
  walk(exportsMap, false)
  return [...out]
}

/** Every file in dist/ that package.json names (main, module, types, bin, exports). @param {any} pkg */
const targetsOf = (pkg) => {
  /** @type {Set<string>} */
  const out = new Set()
  const walk = (/** @type {unknown} */ v) => {
    if (typeof v === 'string') {
      if (v.startsWith('./dist/') && !v.includes('*')) out.add(v)
    } else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk)
  }
  walk([pkg.main, pkg.module, pkg.types, pkg.exports])
  return [...out]
}

const args = process.argv.slice(2)
const here = process.cwd()
const dirs = args.length > 0 ? args.map((a) => resolve(a)) : PACKAGES.includes(here) ? [here] : PACKAGES
for (const dir of dirs) {
  try {
    await buildPackage(dir)
  } catch (e) {
    process.stderr.write(`building ${posix(relative(root, dir)) || dir} failed:\n${describe(e)}\n`)
    process.exit(1)
  }
}
