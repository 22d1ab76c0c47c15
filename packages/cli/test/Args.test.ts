import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Args } from '../src/index.js'

const specs: Args.Specs = { profile: { type: 'string' }, json: { type: 'boolean' } }

describe('parse', () => {
  it('reads string and boolean options, inline or separate', () => {
    expect(Args.parse('explain', specs, ['--profile', 'dev', '--json'])).toEqual({
      _tag: 'Right',
      right: { values: { profile: 'dev', json: true }, positionals: [] },
    })
    expect(Args.parse('explain', specs, ['--profile=-odd', '-h', '--debug'])).toEqual({
      _tag: 'Right',
      right: { values: { profile: '-odd', help: true, debug: true }, positionals: [] },
    })
  })

  it('refuses an unknown option, naming it and the command', () => {
    expect(Args.parse('env', specs, ['--nope'])).toEqual({
      _tag: 'Left',
      left: { _tag: 'UsageError', command: 'env', message: 'unknown option --nope' },
    })
    expect(Args.parse('env', specs, ['-x'])).toEqual({
      _tag: 'Left',
      left: { _tag: 'UsageError', command: 'env', message: 'unknown option -x' },
    })
  })

  it('refuses a string option without a value, and a value for a boolean one', () => {
    expect(Args.parse('env', specs, ['--profile'])).toEqual({
      _tag: 'Left',
      left: { _tag: 'UsageError', command: 'env', message: 'option --profile needs a value' },
    })
    expect(Args.parse('env', specs, ['--profile', '--json'])).toEqual({
      _tag: 'Left',
      left: { _tag: 'UsageError', command: 'env', message: 'option --profile needs a value' },
    })
    expect(Args.parse('env', specs, ['--json=yes'])).toEqual({
      _tag: 'Left',
      left: { _tag: 'UsageError', command: 'env', message: 'option --json takes no value' },
    })
  })

  it('refuses positionals unless asked to keep them', () => {
    expect(Args.parse('env', specs, ['stray'])).toEqual({
      _tag: 'Left',
      left: { _tag: 'UsageError', command: 'env', message: "unexpected argument 'stray'" },
    })
    expect(Args.parse('x', specs, ['a', '--json', 'b'], true)).toEqual({
      _tag: 'Right',
      right: { values: { json: true }, positionals: ['a', 'b'] },
    })
  })
})

describe('splitCommand', () => {
  it('splits at --, or at the first argument that is not an option or its value', () => {
    expect(Args.splitCommand(specs, ['--profile', 'dev', '--', 'ls', '-l'])).toEqual({
      options: ['--profile', 'dev'],
      command: ['ls', '-l'],
    })
    expect(Args.splitCommand(specs, ['--profile', 'dev', 'aws', '--profile', 'x'])).toEqual({
      options: ['--profile', 'dev'],
      command: ['aws', '--profile', 'x'],
    })
    expect(Args.splitCommand(specs, ['--profile=dev', '--json', 'cmd', '--', 'y'])).toEqual({
      options: ['--profile=dev', '--json'],
      command: ['cmd', '--', 'y'],
    })
    expect(Args.splitCommand(specs, ['--json'])).toEqual({ options: ['--json'], command: [] })
  })

  it('loses or reorders nothing: options then command give back argv (without the first --)', () => {
    const arg = fc.oneof(fc.constantFrom('--profile', '--json', '-h', '--', 'cmd', '-x'), fc.string({ maxLength: 6 }))
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 8 }), (argv) => {
        const { options, command } = Args.splitCommand(specs, argv)
        const sep = options.length < argv.length && argv[options.length] === '--' ? ['--'] : []
        expect([...options, ...sep, ...command]).toEqual(argv)
      }),
    )
  })
})

describe('port', () => {
  it('takes 0-65535 and defaults when absent', () => {
    expect(Args.port('serve', undefined)).toEqual({ _tag: 'Right', right: 0 })
    expect(Args.port('serve', '8080')).toEqual({ _tag: 'Right', right: 8080 })
    expect(Args.port('serve', '65535')).toEqual({ _tag: 'Right', right: 65535 })
  })

  it('refuses anything else with one message', () => {
    for (const bad of ['65536', '-1', '80x', '', '1e3', '0x50']) {
      expect(Args.port('serve', bad)).toEqual({
        _tag: 'Left',
        left: {
          _tag: 'UsageError',
          command: 'serve',
          message: `--port must be a whole number from 0 to 65535 (0 takes any free port), not '${bad}'`,
        },
      })
    }
  })
})
