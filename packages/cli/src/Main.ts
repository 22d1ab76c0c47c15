/**
 * The `alicred` entry point as a function: argv and a `Runtime` in, an exit code out. Global options
 * (`--help`, `--version`, `--debug`), dispatch to the commands, and the one place failures are rendered — one
 * paragraph on stderr, exit 2 for usage errors, no stack trace unless `--debug`.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import * as Args from './Args.js'
import { emulator } from './commands/Emulator.js'
import { env } from './commands/Env.js'
import { SPECS as EXEC_SPECS, exec } from './commands/Exec.js'
import { explain } from './commands/Explain.js'
import { serve } from './commands/Serve.js'
import { exitCodeOf, type Failure, render, renderBug, USAGE, usage } from './Failure.js'
import * as Help from './Help.js'
import type { Runtime } from './Runtime.js'
import * as Style from './Style.js'

type Command = (argv: ReadonlyArray<string>, rt: Runtime) => TE.TaskEither<Failure, number>

const COMMANDS: Readonly<Record<Help.CommandName, Command>> = { explain, env, exec, serve, emulator }

// Levenshtein distance, for "did you mean".
const distance = (a: string, b: string): number => {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]!
}

/**
 * The closest command name, if `s` looks like a typo of one.
 *
 * @category commands
 * @since 0.1.0
 */
export const suggest = (s: string): Help.CommandName | undefined => {
  const best = Help.COMMANDS.map((c) => [c, distance(s.toLowerCase(), c)] as const).sort((x, y) => x[1] - y[1])[0]
  return best !== undefined && best[1] <= Math.max(1, Math.floor(best[0].length / 3)) ? best[0] : undefined
}

// The arguments that belong to the command itself (not to the program `exec` runs).
const ownArgs = (command: Help.CommandName, rest: ReadonlyArray<string>): ReadonlyArray<string> => {
  if (command === 'exec') return Args.splitCommand(EXEC_SPECS, rest).options
  const end = rest.indexOf('--')
  return end === -1 ? rest : rest.slice(0, end)
}

/**
 * Runs `alicred` with `argv` (without the node and script paths) and returns the exit code. Never throws.
 *
 * @example
 * import { main } from '@alicred/cli'
 * import { fakeCapabilities } from '@alicred/testing'
 * let out = ''
 * const writer = { write: (s: string) => { out += s }, isTTY: false }
 * const rt = {
 *   capabilities: fakeCapabilities({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tExample', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' } }),
 *   env: {}, stdout: writer, stderr: writer, version: '0.1.0',
 *   signals: { subscribe: () => () => {} },
 *   spawn: () => { throw new Error('not used') },
 *   startEmulator: () => Promise.reject(new Error('not used')),
 * }
 * assert.strictEqual(await main(['explain'], rt), 0)
 * assert.ok(out.includes('LTAI****') && !out.includes('secret'))
 * @category commands
 * @since 0.1.0
 */
export const main = async (argv: ReadonlyArray<string>, rt: Runtime): Promise<number> => {
  const err = Style.forWriter(rt.stderr, rt.env)
  let debug = false
  try {
    let i = 0
    let help = false
    let version = false
    for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
      const a = argv[i]!
      if (a === '--help' || a === '-h') help = true
      else if (a === '--version' || a === '-v') version = true
      else if (a === '--debug') debug = true
      else {
        rt.stderr.write(render(usage(undefined, `unknown option ${a}`), err, debug))
        return USAGE
      }
    }
    if (version) {
      rt.stdout.write(`alicred ${rt.version}\n`)
      return 0
    }
    const name = argv[i]
    if (name === undefined || name === 'help') {
      const topic = name === 'help' ? argv[i + 1] : undefined
      if (topic !== undefined && Help.isCommand(topic)) {
        rt.stdout.write(Help.command(topic, Style.forWriter(rt.stdout, rt.env)))
        return 0
      }
      if (help || name === 'help') {
        rt.stdout.write(Help.main(Style.forWriter(rt.stdout, rt.env)))
        return 0
      }
      rt.stderr.write(Help.main(err))
      return USAGE
    }
    if (!Help.isCommand(name)) {
      const guess = suggest(name)
      const hint = guess === undefined ? `; commands are ${Help.COMMANDS.join(', ')}` : `; did you mean '${guess}'?`
      rt.stderr.write(render(usage(undefined, `unknown command '${name}'${hint}`), err, debug))
      return USAGE
    }
    const rest = argv.slice(i + 1)
    const own = ownArgs(name, rest)
    if (help || own.includes('--help') || own.includes('-h')) {
      rt.stdout.write(Help.command(name, Style.forWriter(rt.stdout, rt.env)))
      return 0
    }
    debug ||= own.includes('--debug')
    const r = await COMMANDS[name](rest, rt)()
    if (E.isRight(r)) return r.right
    rt.stderr.write(render(r.left, err, debug))
    return exitCodeOf(r.left)
  } catch (u) {
    rt.stderr.write(renderBug(u, err, debug))
    return 1
  }
}
