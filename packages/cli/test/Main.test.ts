import { Chain, type Provider } from '@alicred/core'
import { describe, expect, it } from 'vitest'
import { Help, main, Style, suggest } from '../src/index.js'
import { AK, testRuntime } from './_support/runtime.js'

describe('main', () => {
  it('--version and -v print the version', async () => {
    for (const flag of ['--version', '-v']) {
      const rt = testRuntime()
      expect(await main([flag], rt)).toBe(0)
      expect(rt.out.text).toBe('alicred 9.9.9-test\n')
    }
  })

  it('--help, -h and `help` print the top-level help on stdout; no command prints it on stderr with exit 2', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const rt = testRuntime()
      expect(await main(argv, rt)).toBe(0)
      expect(rt.out.text).toBe(Help.main(Style.plain))
    }
    const rt = testRuntime()
    expect(await main([], rt)).toBe(2)
    expect(rt.err.text).toBe(Help.main(Style.plain))
  })

  it('each command has its help, before or after the command, and `help <command>`', async () => {
    for (const name of Help.COMMANDS) {
      for (const argv of [
        [name, '--help'],
        ['--help', name],
        ['help', name],
        [name, '-h', '--nonsense'],
      ]) {
        const rt = testRuntime()
        expect(await main(argv, rt)).toBe(0)
        expect(rt.out.text).toBe(Help.command(name, Style.plain))
      }
    }
  })

  it('exec: --help after the command belongs to the command', async () => {
    const rt = testRuntime({ env: AK })
    const run = main(['exec', 'tool', '--help'], rt)
    await new Promise((r) => setTimeout(r, 0))
    expect(rt.spawned.map((c) => [c.file, c.args])).toEqual([['tool', ['--help']]])
    rt.spawned[0]!.end({ _tag: 'Exited', code: 0 })
    expect(await run).toBe(0)
  })

  it('an unknown command: exit 2, a suggestion when it looks like a typo', async () => {
    const typo = testRuntime()
    expect(await main(['explian'], typo)).toBe(2)
    expect(typo.err.text).toBe(
      "alicred: unknown command 'explian'; did you mean 'explain'? Run 'alicred --help' for usage.\n",
    )
    const other = testRuntime()
    expect(await main(['deploy'], other)).toBe(2)
    expect(other.err.text).toBe(
      "alicred: unknown command 'deploy'; commands are explain, env, exec, serve, emulator. Run 'alicred --help' for usage.\n",
    )
  })

  it('an unknown option, before or after the command: exit 2, one line', async () => {
    const before = testRuntime()
    expect(await main(['--frobnicate', 'env'], before)).toBe(2)
    expect(before.err.text).toBe("alicred: unknown option --frobnicate. Run 'alicred --help' for usage.\n")
    const after = testRuntime()
    expect(await main(['serve', '--frobnicate'], after)).toBe(2)
    expect(after.err.text).toBe("alicred serve: unknown option --frobnicate. Run 'alicred serve --help' for usage.\n")
  })

  it('a bug (a chain that throws) is one paragraph without --debug, with the stack with it, and never throws', async () => {
    const chain = () => {
      throw new TypeError('boom')
    }
    const rt = testRuntime({ overrides: { chain } })
    expect(await main(['env'], rt)).toBe(1)
    expect(rt.err.text).toBe(
      'alicred: unexpected error (TypeError: boom). This is a bug in alicred; please report it. Run the same command with --debug for details.\n',
    )
    const debug = testRuntime({ overrides: { chain } })
    expect(await main(['--debug', 'env'], debug)).toBe(1)
    expect(debug.err.text).toMatch(
      /^alicred: unexpected error \(TypeError: boom\)\. This is a bug in alicred; please report it\.\nTypeError: boom\n\s+at /,
    )
  })

  it('a provider that throws inside the chain is contained as a typed error', async () => {
    const throwing: Provider.Provider = () => () => {
      throw new Error('inner')
    }
    const rt = testRuntime({ overrides: { chain: () => () => throwing } })
    expect(await main(['env'], rt)).toBe(1)
    expect(rt.err.text).toMatch(
      /^alicred env: the provider threw a Error .*\(SourceFailure in default\)\. Run 'alicred explain' to see the whole chain\.\n$/,
    )
  })

  it('uses the runtime chain when given', async () => {
    const rt = testRuntime({
      env: AK,
      overrides: { chain: (o) => Chain.defaultChain({ ...o, name: 'mine' }) },
    })
    expect(await main(['explain'], rt)).toBe(0)
    expect(rt.out.text).toContain('  source      mine/env\n')
  })

  it('suggests only close commands', () => {
    expect([suggest('serv'), suggest('emulater'), suggest('ENV'), suggest('x'), suggest('status')]).toEqual([
      'serve',
      'emulator',
      'env',
      undefined,
      undefined,
    ])
  })
})
