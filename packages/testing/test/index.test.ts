// The entry points of @alicred/testing: the index (the fakes) bundles for the browser with no Node built-in and runs
// in a context that has only web globals; the emulator entry is the Node-only part.
import { fileURLToPath } from 'node:url'
import * as vm from 'node:vm'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const alias = { '@alicred/core': here('../../core/src/index.ts') }

const bundle = (entry: string) =>
  build({
    entryPoints: [here(entry)],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'testing',
    write: false,
    metafile: true,
    logLevel: 'silent',
    alias,
    mainFields: ['module', 'browser', 'main'],
  })

// What a browser or a worker has, and nothing of Node's (no process, Buffer, setImmediate, require).
const webGlobals = () => ({
  console,
  URL,
  TextEncoder,
  TextDecoder,
  AbortController,
  AbortSignal,
  btoa,
  atob,
  crypto: globalThis.crypto,
  setTimeout,
  clearTimeout,
  queueMicrotask,
})

describe('@alicred/testing (index)', () => {
  it('bundles for the browser platform with no Node built-in among its inputs', async () => {
    const out = await bundle('../src/index.ts')
    expect(out.errors).toEqual([])
    const inputs = Object.keys(out.metafile.inputs)
    expect(inputs.filter((i) => i.startsWith('node:') || !i.includes('/'))).toEqual([])
    expect(inputs.some((i) => i.includes('packages/testing/src/emulator/'))).toBe(false)
  })

  it('runs in a context with only web globals: fakes, manual clock (no setImmediate), fakeJwt', async () => {
    const out = await bundle('../src/index.ts')
    const context = vm.createContext(webGlobals())
    vm.runInContext(`${out.outputFiles[0]!.text}\nglobalThis.testing = testing`, context)
    expect(vm.runInContext('typeof setImmediate + typeof process + typeof Buffer', context)).toBe(
      'undefinedundefinedundefined',
    )
    const run = vm.runInContext(
      `(async () => {
        const { fakeCapabilities, json, fakeJwt } = globalThis.testing
        const caps = fakeCapabilities({ env: { A: 'a' }, files: { '~/f': 'text' }, now: 0 })
        caps.http.on('GET', 'http://127.0.0.1/x', { ...json(200, { ok: true }), delayMs: 500 })
        const pending = caps.http.request({ method: 'GET', url: 'http://127.0.0.1/x' })()
        await caps.clock.advance(500)
        const res = await pending
        const file = await caps.fs.readFile('/home/user/f')()
        return JSON.stringify([caps.env.get('A'), file, res._tag, res.right && res.right.body, caps.clock.now(), fakeJwt({ sub: 's' }).split('.').length])
      })()`,
      context,
    ) as Promise<string>
    expect(JSON.parse(await run)).toEqual(['a', { _tag: 'Right', right: 'text' }, 'Right', '{"ok":true}', 500, 3])
  })
})

describe('@alicred/testing/emulator', () => {
  it('is the Node-only entry: it does not bundle for the browser', async () => {
    const failed = await bundle('../src/emulator/index.ts').then(
      () => [],
      (e: { errors: ReadonlyArray<{ text: string }> }) => e.errors.map((x) => x.text),
    )
    expect(failed.some((t) => /node:(http|net|worker_threads|events|crypto)/.test(t))).toBe(true)
  })
})
