// Cold start, ours, CommonJS: require + the default chain's first answer with nothing configured (see
// cold-chain-ours.mjs). Prints one JSON line.
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true'
const t0 = performance.now()
const { Client } = require('@alicred/node')
const t1 = performance.now()
new Client().getCredential().then(
  () => {
    throw new Error('expected ChainExhausted, got a credential')
  },
  (error) => {
    const t2 = performance.now()
    if (error?._tag !== 'ChainExhausted') throw new Error(`expected ChainExhausted, got ${error?._tag}`)
    console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, totalMs: t2 - t0, bootMs: t0 }))
  },
)
