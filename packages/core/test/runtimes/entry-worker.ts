// workerd: the conformance checks run in the worker's `test` handler (`workerd test`), where I/O is allowed.
import { conformance, type Setup } from './conformance.js'

declare const __SETUP__: Setup

export default {
  async test(): Promise<void> {
    console.log(`RESULT ${JSON.stringify(await conformance(__SETUP__))}`)
  },
}
