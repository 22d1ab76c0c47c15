// fp-ts 2 has no "exports" map: `fp-ts/Either` is a directory with a package.json, which Node's ESM loader refuses
// (ERR_UNSUPPORTED_DIR_IMPORT), so an ESM build that keeps `import 'fp-ts/Either'` fails under native `import`.
// This tsup plugin rewrites each such specifier in the output to its CommonJS file (`fp-ts/lib/Either.js`), which
// both the ESM and the CommonJS builds can load (Node detects its named exports). Sources keep `fp-ts/Either`.
//
// The packages bundle fp-ts, io-ts and ini instead (see `bundledDependencies` below), so no such specifier is left
// in their output; the plugin stays as a guard for any build that keeps fp-ts external.
const SPECIFIER = /(["'])fp-ts\/([A-Za-z]+)\1/g

export const fpTsSubpaths = {
  name: 'fp-ts-subpaths',
  renderChunk(code) {
    return { code: code.replace(SPECIFIER, (_m, q, mod) => `${q}fp-ts/lib/${mod}.js${q}`) }
  },
}

// Cold start. Imported from native ESM, fp-ts and io-ts load through their CommonJS files, and Node lexes every one
// of them (fp-ts/lib/Either.js alone pulls in a dozen) to find its named exports: 40-50 ms before any of our code
// runs. Bundled from their ES module builds (`module` field first), esbuild keeps only what is used, which takes
// about 1 ms to load. They stay in `dependencies`: the .d.ts files still import their types from them, and values
// cross package boundaries only as plain data (an `Either` is a `{ _tag, left | right }` object).
export const bundledDependencies = ['fp-ts', 'io-ts', 'ini']

/** @param {{ mainFields?: Array<string> }} options */
export const preferModuleBuilds = (options) => {
  options.mainFields = ['module', 'main']
}

/**
 * The build every package shares: dual ESM + CommonJS with declarations, from `src/index.ts`, dependencies above
 * bundled. `overrides` adjusts it per package (the CLI adds its `bin` build).
 *
 * @param {import('tsup').Options} [overrides]
 * @returns {import('tsup').Options}
 */
export const libraryBuild = (overrides = {}) => ({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // Minified output (below) keeps readable stack traces for those who run with `--enable-source-maps`.
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  noExternal: bundledDependencies,
  esbuildOptions: preferModuleBuilds,
  plugins: [fpTsSubpaths],
  // Cold start: most of a `require` is V8 compiling our code, so a smaller file loads faster. Rollup's tree shaking
  // (`treeshake`) also writes plain `exports.X = X` assignments instead of esbuild's getter per export. Together they
  // took the CommonJS require + first static credential from 11.6 to 10.2 ms on the bench machine (minify alone saved
  // 0.9 ms, tree shaking alone without identifier minifying nothing measurable). Error names do not depend on
  // identifiers (`CredentialsError` variants have a `name` getter); stack traces show minified function names.
  minify: true,
  treeshake: true,
  ...overrides,
})
