// The reference's side of soak-ours.mjs: 100,000 resolutions, then stop without any cleanup. ram_role_arn is sent to
// the emulator over plain http by stubbing the provider's doRequest field (see ../lib/reference.mjs).
const ref = require('@alicloud/credentials')
const http = require('@alicloud/credentials/dist/src/providers/http.js')

const N = 100_000
const WARM = 10_000
const [mode = 'static', host = ''] = process.argv.slice(2)
const AK = { accessKeyId: 'LTAI5tBenchUser', accessKeySecret: 'bench-secret-value' }
const client =
  mode === 'sts'
    ? new ref.default(
        new ref.Config({
          type: 'ram_role_arn',
          ...AK,
          roleArn: 'acs:ram::1234567890123456:role/bench',
          stsEndpoint: host,
        }),
      )
    : new ref.default(new ref.Config({ type: 'access_key', ...AK }))
if (mode === 'sts') {
  const provider = /** @type {any} */ (client.credential).provider
  provider.doRequest = (/** @type {any} */ req) =>
    http.doRequest(Object.assign(Object.create(Object.getPrototypeOf(req)), req, { protocol: 'http' }))
}
const gc = /** @type {() => void} */ (global.gc)
const heap = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}
const main = async () => {
  for (let i = 0; i < WARM; i++) await client.getCredential()
  const before = heap()
  const t0 = performance.now()
  for (let i = 0; i < N; i++) await client.getCredential()
  const ms = performance.now() - t0
  const after = heap()
  console.log(JSON.stringify({ before, after, growth: after - before, ms }))
}
main()
