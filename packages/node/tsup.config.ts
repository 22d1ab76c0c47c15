import { defineConfig } from 'tsup'
import { bundledDependencies, fpTsSubpaths, preferModuleBuilds } from '../../scripts/esbuild-fp-ts-subpaths.mjs'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: false,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  // Bundled from their ES module builds, tree-shaken: see the script. proxy-from-env too (one small module, but
  // loading it as a package of its own costs more than the rest of this package).
  noExternal: [...bundledDependencies, 'proxy-from-env'],
  esbuildOptions: preferModuleBuilds,
  // Native ESM cannot import `fp-ts/Either` (a directory): see the plugin.
  plugins: [fpTsSubpaths],
})
