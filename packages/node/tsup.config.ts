import { defineConfig } from 'tsup'
import { libraryBuild } from '../../scripts/tsup.base.mjs'

export default defineConfig(libraryBuild())
