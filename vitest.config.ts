import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (pkg: string, entry = 'index.ts') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}`, import.meta.url))

// Tests run against the sources, not dist, so unit tests need no build. A subpath comes before its package: vite
// matches `@alicred/testing` as a prefix of `@alicred/testing/emulator` too, and takes the first match.
const alias = {
  '@alicred/core': src('core'),
  '@alicred/testing/emulator': src('testing', 'emulator/index.ts'),
  '@alicred/testing': src('testing'),
  '@alicred/node': src('node'),
  '@alicred/cli': src('cli'),
}

const setup = fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))

const project = (name: string, include: string) => ({
  resolve: { alias },
  // Projects do not inherit the root's timeouts, so each sets them.
  test: {
    name,
    include: [include],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    setupFiles: [setup],
  },
})

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      ...['core', 'testing', 'node', 'cli'].map((p) => project(p, `packages/${p}/test/**/*.test.ts`)),
      project('examples', 'examples/**/*.test.ts'),
      project('bench', 'bench/**/*.test.ts'),
      // The repository as a whole: rules for every package's src/ (function length), and the packed tarballs.
      project('repo', 'test/**/*.test.ts'),
    ],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
