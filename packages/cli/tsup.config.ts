import { defineConfig } from 'tsup'
import { bundledDependencies, fpTsSubpaths, preferModuleBuilds } from '../../scripts/esbuild-fp-ts-subpaths.mjs'

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    // bin.js comes from the second build, which may finish first: keep it.
    clean: ['!bin.js'],
    sourcemap: false,
    target: 'node20',
    tsconfig: 'tsconfig.build.json',
    // Bundled from their ES module builds, tree-shaken: see the script.
    noExternal: bundledDependencies,
    esbuildOptions: preferModuleBuilds,
    // Native ESM cannot import `fp-ts/Either` (a directory): see the plugin.
    plugins: [fpTsSubpaths],
  },
  {
    entry: ['src/bin.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    sourcemap: false,
    target: 'node20',
    tsconfig: 'tsconfig.build.json',
    // Bundled from their ES module builds, tree-shaken: see the script.
    noExternal: bundledDependencies,
    esbuildOptions: preferModuleBuilds,
    // Native ESM cannot import `fp-ts/Either` (a directory): see the plugin.
    plugins: [fpTsSubpaths],
    banner: { js: '#!/usr/bin/env node' },
  },
])
