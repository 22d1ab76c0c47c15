import { defineConfig } from 'tsup'
import { libraryBuild } from '../../scripts/tsup.base.mjs'

export default defineConfig([
  // bin.js comes from the second build, which may finish first: keep it.
  libraryBuild({ clean: ['!bin.js'] }),
  libraryBuild({
    entry: ['src/bin.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
  }),
])
