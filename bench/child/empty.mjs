// A process that does nothing: the cost of starting Node itself.
console.log(JSON.stringify({ bootMs: performance.now() }))
