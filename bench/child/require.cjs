// Cold require of one module (argv[2]), for the breakdown of a cold start. Prints one JSON line.
const t0 = performance.now()
require(process.argv[2] ?? '')
console.log(JSON.stringify({ importMs: performance.now() - t0 }))
