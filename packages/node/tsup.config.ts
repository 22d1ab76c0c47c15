import { defineConfig } from 'tsup'
import { bundledDependencies, libraryBuild } from '../../scripts/tsup.base.mjs'

// proxy-from-env is bundled too: one small module, but loading it as a package of its own costs more at start-up
// than the rest of this package.
export default defineConfig(libraryBuild({ noExternal: [...bundledDependencies, 'proxy-from-env'] }))
