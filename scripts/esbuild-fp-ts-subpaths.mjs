// fp-ts 2 has no "exports" map: `fp-ts/Either` is a directory with a package.json, which Node's ESM loader refuses
// (ERR_UNSUPPORTED_DIR_IMPORT), so an ESM build that keeps `import 'fp-ts/Either'` fails under native `import`.
// This tsup plugin rewrites each such specifier in the output to its CommonJS file (`fp-ts/lib/Either.js`), which
// both the ESM and the CommonJS builds can load (Node detects its named exports). Sources keep `fp-ts/Either`.
const SPECIFIER = /(["'])fp-ts\/([A-Za-z]+)\1/g

export const fpTsSubpaths = {
  name: 'fp-ts-subpaths',
  renderChunk(code) {
    return { code: code.replace(SPECIFIER, (_m, q, mod) => `${q}fp-ts/lib/${mod}.js${q}`) }
  },
}
