// What a Cloudflare Worker using static keys and STS AssumeRole pays for @alicred/core: the worker above bundled by
// esbuild (as wrangler does), with code splitting so dynamic imports become chunks of their own. jose (used by
// oidc_role_arn and rsa_key_pair only) must stay in a chunk that is loaded lazily. The sizes are printed; the budget
// catches a regression, it is not the measurement (docs/runtimes/cloudflare-workers.md states the numbers).
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Metafile } from 'esbuild'
import { describe, expect, it } from 'vitest'

const entry = fileURLToPath(new URL('./worker-static-sts.ts', import.meta.url))
const core = fileURLToPath(new URL('../../src/index.ts', import.meta.url))

const bundle = async (minify: boolean) => {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    mainFields: ['module', 'main'],
    alias: { '@alicred/core': core },
    outdir: '/out',
    write: false,
    minify,
    metafile: true,
    logLevel: 'silent',
  })
  const meta: Metafile = out.metafile
  return out.outputFiles.map((f) => {
    const name = f.path.slice('/out/'.length)
    const info =
      meta.outputs[`out/${name}`] ?? meta.outputs[Object.keys(meta.outputs).find((k) => k.endsWith(name)) ?? '']
    return {
      name,
      bytes: f.contents.length,
      gzip: gzipSync(f.contents).length,
      entry: info?.entryPoint?.endsWith('worker-static-sts.ts') === true,
      jose: Object.keys(info?.inputs ?? {}).some((i) => i.includes('node_modules/jose/')),
      imports: info?.imports ?? [],
    }
  })
}

describe('the bundle of a Worker with static keys and STS', () => {
  it('keeps jose out of the entry chunk, in a chunk only imported dynamically', async () => {
    const files = await bundle(false)
    const main = files.find((f) => f.entry)
    const jose = files.filter((f) => f.jose)
    expect([main?.jose, jose.length]).toEqual([false, 1])
    const joseName = jose[0]?.name ?? ''
    const importsOfJose = files.flatMap((f) => f.imports.filter((i) => i.path.endsWith(joseName)).map((i) => i.kind))
    expect(importsOfJose.length).toBeGreaterThan(0)
    expect(importsOfJose.every((k) => k === 'dynamic-import')).toBe(true)
  })

  it('stays within its budget (sizes printed)', async () => {
    const rows = []
    for (const minify of [false, true]) {
      for (const f of await bundle(minify)) {
        rows.push({
          build: minify ? 'minified' : 'plain',
          chunk: f.entry ? 'entry (loaded)' : f.jose ? 'jose (lazy)' : 'shared',
          bytes: f.bytes,
          gzip: f.gzip,
        })
      }
    }
    console.info(rows.map((r) => `${r.build} ${r.chunk}: ${r.bytes} B, ${r.gzip} B gzip`).join('\n'))
    const entryPlain = rows.find((r) => r.build === 'plain' && r.chunk === 'entry (loaded)')
    expect(entryPlain?.bytes).toBeLessThan(256 * 1024)
  })
})
