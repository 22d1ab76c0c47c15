// Cold start, ours, native ESM: import + first static credential. Prints one JSON line.
const t0 = performance.now()
const { default: Client } = await import('@alicred/node')
const t1 = performance.now()
const c = await new Client({
  type: 'access_key',
  accessKeyId: 'LTAI5tCold',
  accessKeySecret: 'cold-secret',
}).getCredential()
const t2 = performance.now()
if (c.accessKeySecret !== 'cold-secret') throw new Error('wrong credential')
console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, totalMs: t2 - t0, bootMs: t0 }))
