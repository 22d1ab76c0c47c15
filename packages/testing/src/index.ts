/**
 * `@alicred/testing`: fakes for every capability of `@alicred/core`, and an emulator of the Alibaba Cloud
 * credential endpoints on loopback.
 *
 * @since 0.1.0
 */

export * from './Blackhole.js'
export * from './emulator/index.js'
export * from './FakeEnv.js'
export * from './FakeExec.js'
export * from './FakeFs.js'
export * from './FakeHttp.js'
export * from './FakeRandom.js'
export * from './FakeReporter.js'
export * from './fakeCapabilities.js'
export * from './Handles.js'
export * from './ManualClock.js'
