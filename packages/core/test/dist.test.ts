// The built package as an ES module program imports it: `import` binds every export of `@alicred/core` when it loads,
// so every namespace and `defaultChain` is read. That must not load the codecs, the remote sources, fp-ts or io-ts
// (docs/packaging.md): a namespace whose module needs them is an object that loads it when one of its names is first
// read, and the chain builds its links from their modules when a chain is made.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt } from '../../cli/test/_support/built.js'

const run = promisify(execFile)
const pkgDir = fileURLToPath(new URL('..', import.meta.url))

let buildError: string | undefined

beforeAll(async () => {
  const built = await ensureBuilt()
  if (!built.ok) buildError = built.reason
}, 300_000)

const childEnv = { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }

const esm = async (code: string): Promise<unknown> => {
  if (buildError !== undefined) throw new Error(`building the packages failed:\n${buildError}`)
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', code], {
    cwd: pkgDir,
    env: childEnv,
    timeout: 30_000,
  })
  return { out: JSON.parse(stdout), stderr }
}

// What the process has loaded: packages from node_modules, and our dist files.
const LOADED = `(() => {
  const keys = Object.keys(createRequire(import.meta.url).cache)
  return {
    packages: [...new Set(keys.filter((k) => k.includes('/node_modules/')).map((k) => k.split('/node_modules/').at(-1).split('/')[0]))],
    files: keys.filter((k) => k.includes('/dist/')).map((k) => k.slice(k.lastIndexOf('/dist/') + 6)).sort(),
  }
})()`

describe('import of the built @alicred/core', () => {
  it('loads no dependency and none of the codecs for a static credential, and loads them when a name needs them', async () => {
    const code = `
      import { createRequire } from 'node:module'
      import { Expiration, Providers, defaultChain } from '@alicred/core'
      const r = await Providers.staticAccessKey({ accessKeyId: 'id', accessKeySecret: 'secret' })()()
      const atImport = ${LOADED}
      const formatted = Expiration.formatTimestamp(0)
      const afterExpiration = ${LOADED}
      console.log(JSON.stringify({ source: r._tag === 'Right' && r.right.source, chain: typeof defaultChain, atImport, formatted, afterExpiration }))`
    expect(await esm(code)).toEqual({
      out: {
        source: 'static_ak',
        chain: 'function',
        atImport: {
          packages: [],
          files: ['Config.cjs', 'Exec.cjs', 'Providers.cjs', 'index.cjs', 'modules.cjs', 'modules.rest.cjs'],
        },
        formatted: '1970-01-01T00:00:00Z',
        afterExpiration: {
          packages: expect.arrayContaining(['fp-ts', 'io-ts']),
          files: expect.arrayContaining(['modules.deps.cjs']),
        },
      },
      stderr: '',
    })
  })

  it('builds the default chain from its links when a chain is made, and it answers', async () => {
    const code = `
      import { Chain } from '@alicred/core'
      const caps = {
        env: { get: (k) => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' })[k] },
      }
      const r = await Chain.defaultChain({ links: ['env'] })(caps)()()
      console.log(JSON.stringify(r._tag === 'Right' ? [r.right.source, r.right.accessKeyId] : r.left.message))`
    expect(await esm(code)).toEqual({ out: ['default/env', 'id'], stderr: '' })
  })
})
