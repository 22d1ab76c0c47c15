// 100,000 resolutions through the facade (argv[2]: `static` or `sts`; argv[3]: the STS endpoint), then stop
// without calling close(): the parent checks that the process exits by itself. Run with --expose-gc.
// Prints one JSON line: heap used after a warm-up and after the run, both after a full GC.
import Client from '@alicred/node'

const N = 100_000
const WARM = 10_000
const [mode = 'static', endpoint = ''] = process.argv.slice(2)
const AK = { accessKeyId: 'LTAI5tBenchUser', accessKeySecret: 'bench-secret-value' }
const client =
  mode === 'sts'
    ? new Client({
        type: 'ram_role_arn',
        ...AK,
        roleArn: 'acs:ram::1234567890123456:role/bench',
        stsEndpoint: endpoint,
      })
    : new Client({ type: 'access_key', ...AK })
const gc = /** @type {() => void} */ (globalThis.gc)
const heap = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}
for (let i = 0; i < WARM; i++) await client.getCredential()
const before = heap()
const t0 = performance.now()
for (let i = 0; i < N; i++) await client.getCredential()
const ms = performance.now() - t0
const after = heap()
console.log(JSON.stringify({ before, after, growth: after - before, ms }))
