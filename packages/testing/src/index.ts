/**
 * `@alicred/testing`: fakes for every capability of `@alicred/core`. They use web APIs only and run in every
 * runtime (Node, Deno, Bun, workers, browsers).
 *
 * The emulator of the Alibaba Cloud credential endpoints, the black-holed port and the open-handle checks need Node:
 * they are in `@alicred/testing/emulator`.
 *
 * @since 0.1.0
 */

export * from './FakeEnv.js'
export * from './FakeExec.js'
export * from './FakeFs.js'
export * from './FakeHttp.js'
export * from './FakeJwt.js'
export * from './FakeRandom.js'
export * from './FakeReporter.js'
export * from './fakeCapabilities.js'
export * from './ManualClock.js'
