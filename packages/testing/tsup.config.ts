import { defineConfig } from 'tsup'
import { libraryBuild } from '../../scripts/tsup.base.mjs'

// Two entry points: the fakes (index, web APIs only) and the Node-only emulator (`@alicred/testing/emulator`).
export default defineConfig(libraryBuild({ entry: { index: 'src/index.ts', emulator: 'src/emulator/index.ts' } }))
