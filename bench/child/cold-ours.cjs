// Cold start, ours, CommonJS: require + first static credential. Prints one JSON line.
const t0 = performance.now()
const { Client } = require('@alicred/node')
const t1 = performance.now()
new Client({ type: 'access_key', accessKeyId: 'LTAI5tCold', accessKeySecret: 'cold-secret' })
  .getCredential()
  .then((c) => {
    const t2 = performance.now()
    if (c.accessKeySecret !== 'cold-secret') throw new Error('wrong credential')
    console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, totalMs: t2 - t0, bootMs: t0 }))
  })
