import { spawnSync } from 'node:child_process'
import { Credential } from '@alicred/core'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EnvFormat } from '../src/index.js'

const sts = Credential.sts({
  accessKeyId: 'STS.id',
  accessKeySecret: 'se\'cr"et $HOME `x` \\',
  securityToken: 'tok/+=',
  source: 'default/env',
})
const ak = Credential.accessKey({ accessKeyId: 'LTAI5tid', accessKeySecret: 'plain', source: 'default/profile' })

// Values a shell must carry verbatim: anything but NUL (which no environment variable can hold).
const value = fc.string({ unit: 'binary', maxLength: 24 }).map((s) => s.replaceAll('\u0000', ''))

describe('assignments', () => {
  it('sets all three variables for STS, and unsets the token for an AccessKey pair', () => {
    expect(EnvFormat.assignments(sts)).toEqual({
      _tag: 'Right',
      right: [
        ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'STS.id'],
        ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'se\'cr"et $HOME `x` \\'],
        ['ALIBABA_CLOUD_SECURITY_TOKEN', 'tok/+='],
      ],
    })
    expect(EnvFormat.assignments(ak)).toEqual({
      _tag: 'Right',
      right: [
        ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'LTAI5tid'],
        ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'plain'],
        ['ALIBABA_CLOUD_SECURITY_TOKEN', undefined],
      ],
    })
  })

  it('refuses a bearer token, naming its source and never the token', () => {
    const r = EnvFormat.assignments(
      Credential.bearer({ bearerToken: 'bearer-SECRET', source: 'default/profile/bearer' }),
    )
    expect(r).toEqual({
      _tag: 'Left',
      left: 'the credential from default/profile/bearer is a bearer token, which no Alibaba Cloud SDK reads from the environment; use an AccessKey or STS source',
    })
  })
})

describe('render', () => {
  const vars = [
    ['A', "it's"],
    ['B', undefined],
  ] as const

  it('writes every format', () => {
    expect(EnvFormat.render('sh', vars, 'from x')).toBe("# from x\nexport A='it'\\''s'\nunset B\n")
    expect(EnvFormat.render('fish', vars)).toBe("set -gx A 'it\\'s'\nset -e B\n")
    expect(EnvFormat.render('powershell', vars)).toBe(
      "$Env:A = 'it''s'\nRemove-Item Env:B -ErrorAction SilentlyContinue\n",
    )
    expect(EnvFormat.render('dotenv', vars)).toBe('A="it\'s"\n')
    expect(EnvFormat.render('json', vars, 'ignored')).toBe('{\n  "A": "it\'s"\n}\n')
  })

  it('keeps a comment on one line', () => {
    expect(EnvFormat.render('dotenv', [['A', 'x']], 'one\ntwo')).toBe("# one two\nA='x'\n")
  })

  it('quotes for fish, PowerShell and dotenv by their rules', () => {
    expect(EnvFormat.quoteFish("a\\b'c")).toBe("'a\\\\b\\'c'")
    expect(EnvFormat.quotePowerShell('a\u2019b')).toBe("'a\u2019\u2019b'")
    expect(EnvFormat.quoteDotenv('a$b"c')).toBe(`'a$b"c'`)
    expect(EnvFormat.quoteDotenv("a'$\\\n")).toBe(`"a'\\$\\\\\\n"`)
  })

  it('sh: any value survives eval in a real POSIX shell', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 20 }), (values) => {
        const script = values.map((v) => `printf '%s\\000' ${EnvFormat.quoteSh(v)}`).join('\n')
        const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' })
        expect(r.stdout.split('\u0000').slice(0, -1)).toEqual(values)
      }),
      { numRuns: 25 },
    )
  })

  it('sh: the rendered script sets the variables it names', () => {
    const vars = EnvFormat.assignments(sts)
    if (vars._tag === 'Left') throw new Error('unreachable')
    const script = `${EnvFormat.render('sh', vars.right, 'c')}\nprintf '%s\\000' "$ALIBABA_CLOUD_ACCESS_KEY_ID" "$ALIBABA_CLOUD_ACCESS_KEY_SECRET" "$ALIBABA_CLOUD_SECURITY_TOKEN"`
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH } })
    expect(r.stdout.split('\u0000').slice(0, -1)).toEqual(['STS.id', 'se\'cr"et $HOME `x` \\', 'tok/+='])
  })

  it('json: any value round-trips', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(JSON.parse(EnvFormat.render('json', [['A', v]]))).toEqual({ A: v })
      }),
    )
  })
})
