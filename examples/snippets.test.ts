// Every snippet runs: each ts/js block of README.md, docs/** and the packages' READMEs, and each `@example` of the
// TSDoc in packages/*/src, run by plain Node as a native ES module against the built packages (see _snippets.ts).
// A snippet passes when it exits 0 with nothing on stderr, within its time, without trying to leave loopback.
import { startEmulator } from '@alicred/testing/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt } from '../packages/cli/test/_support/built.js'
import {
  allMarkdownSnippets,
  allTsdocExamples,
  compile,
  label,
  run,
  type Sandbox,
  type Snippet,
  sandbox,
} from './_snippets.js'

const markdown = allMarkdownSnippets()
const examples = allTsdocExamples()

let box: Sandbox
beforeAll(async () => {
  // `npm test` builds first; a quick `npx vitest run examples/snippets.test.ts` builds what is missing or stale (once
  // across test files: the CLI's built-binary tests share the lock).
  const built = await ensureBuilt()
  if (!built.ok) throw new Error(`the snippets run against the built packages: ${built.reason}`)
  box = await sandbox()
}, 300_000)
afterAll(async () => {
  await box?.remove()
})

const usesEmulator = (s: Snippet): boolean => Object.values(s.env).some((v) => v.includes('{emulator.'))

// The emulator is what a snippet's `{emulator.…}` placeholders point at: one per such snippet, on a random port. A
// snippet that asks for it must use it (else its directive, or the snippet, is wrong).
const runSnippet = async (s: Snippet) => {
  if (!usesEmulator(s)) return { ...(await run(box, s, {})), emulatorRequests: undefined }
  const emu = await startEmulator()
  try {
    const out = await run(box, s, {
      'emulator.url': emu.url,
      'emulator.host': emu.host,
      'emulator.stsEndpoint': emu.stsEndpoint,
      'emulator.metadataBaseUrl': emu.metadataBaseUrl,
      'emulator.credentialsUri': emu.credentialsUri,
    })
    return { ...out, emulatorRequests: emu.requests().length }
  } finally {
    await emu.stop()
  }
}

// Enough of a failure's output to see why (a stack through a bundled file can hold very long lines).
const tidy = (text: string): string =>
  text
    .split('\n')
    .slice(0, 40)
    .map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l))
    .join('\n')

const summary = (kind: string, all: ReadonlyArray<Snippet>): string => {
  const fragments = all.filter((s) => s.fragment)
  const typeOnly = all.filter((s) => !s.fragment && compile(s).typeOnly)
  return [
    `${kind}: ${all.length - fragments.length} run (${typeOnly.length} of them type-only: nothing left to run once types are erased${typeOnly.length > 0 ? `: ${typeOnly.map(label).join(', ')}` : ''}),`,
    `${fragments.length} marked as fragments and skipped${fragments.length > 0 ? `: ${fragments.map(label).join(', ')}` : ''}`,
  ].join(' ')
}

const suite = (kind: string, all: ReadonlyArray<Snippet>) =>
  describe.concurrent(kind, () => {
    it('are found', () => {
      console.log(summary(kind, all))
      expect(all.length).toBeGreaterThan(10)
    })
    for (const s of all) {
      if (s.fragment) {
        it.skip(`${label(s)} (fragment)`, () => {})
        continue
      }
      it(label(s), async () => {
        const out = await runSnippet(s)
        expect(
          {
            code: out.code,
            signal: out.signal,
            stderr: tidy(out.stderr),
            usedTheEmulator: out.emulatorRequests === undefined || out.emulatorRequests > 0,
          },
          tidy(out.stdout),
        ).toEqual({ code: 0, signal: null, stderr: '', usedTheEmulator: true })
      }, 30_000)
    }
  })

suite('markdown code blocks', markdown)
suite('TSDoc @examples', examples)
