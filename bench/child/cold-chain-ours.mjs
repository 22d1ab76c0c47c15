// Cold start, ours, native ESM: import + the default chain's first answer with nothing configured (an empty HOME, no
// variables, metadata switched off, so nothing is sent anywhere). It loads what a static credential does not: the
// codecs, io-ts and fp-ts, the INI and CLI-config readers. Prints one JSON line.
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true'
const t0 = performance.now()
const { default: Client } = await import('@alicred/node')
const t1 = performance.now()
const error = await new Client().getCredential().then(
  () => undefined,
  (e) => e,
)
const t2 = performance.now()
if (error?._tag !== 'ChainExhausted') throw new Error(`expected ChainExhausted, got ${error?._tag ?? 'a credential'}`)
console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, totalMs: t2 - t0, bootMs: t0 }))
