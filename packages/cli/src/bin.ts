/**
 * The `alicred` executable: wires the live runtime to `main` and sets the exit code. Everything else lives in
 * functions of an injected `Runtime` (see `Main.ts`), tested in-process.
 *
 * @since 0.1.0
 */
import { readFileSync } from 'node:fs'
import { liveRuntime } from './Live.js'
import { main } from './Main.js'

const versionOf = (): string => {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    const v = (pkg as { version?: unknown }).version
    return typeof v === 'string' ? v : 'unknown'
  } catch {
    return 'unknown'
  }
}

// `alicred env | head -1` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw e
  })
}

const rt = liveRuntime({ version: versionOf() })
main(process.argv.slice(2), rt).then((code) => {
  rt.close()
  process.exitCode = code
})
