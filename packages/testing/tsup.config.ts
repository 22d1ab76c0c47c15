import { defineConfig } from 'tsup'
import { fpTsSubpaths } from '../../scripts/esbuild-fp-ts-subpaths.mjs'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: false,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  // Native ESM cannot import `fp-ts/Either` (a directory): see the plugin.
  plugins: [fpTsSubpaths],
})
