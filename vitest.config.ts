import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url))

// Tests run against the sources, not dist, so unit tests need no build.
const alias = {
  '@alicred/core': src('core'),
  '@alicred/testing': src('testing'),
  '@alicred/node': src('node'),
}

const project = (name: string, include: string) => ({
  resolve: { alias },
  test: { name, include: [include], exclude: ['**/node_modules/**', '**/dist/**'] },
})

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      ...['core', 'testing', 'node', 'cli'].map((p) => project(p, `packages/${p}/test/**/*.test.ts`)),
      project('examples', 'examples/**/*.test.ts'),
      project('bench', 'bench/**/*.test.ts'),
    ],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
