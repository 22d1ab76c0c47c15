// Deno and Bun: run the conformance checks with the setup the host baked in, print them on one line.
import { conformance, type Setup } from './conformance.js'

declare const __SETUP__: Setup

console.log(`RESULT ${JSON.stringify(await conformance(__SETUP__))}`)
