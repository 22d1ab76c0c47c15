import { CredentialsError as CE } from '@alicred/core'
import { describe, expect, it, vi } from 'vitest'

const nc = (p: string, m = `${p} is not set up`) => new CE.NotConfigured(p, m)

describe('variants', () => {
  it('are Errors with a tag, a provider and a name equal to the tag', () => {
    const errors: ReadonlyArray<CE.CredentialsError> = [
      new CE.NotConfigured('env', 'm'),
      new CE.InvalidConfiguration('profile', 'm', { file: '/f', profile: 'p', key: 'k' }),
      new CE.SourceFailure('sts', 'm', { status: 503, code: 'Busy', requestId: 'R', retryable: true }),
      new CE.ChainExhausted('chain', []),
    ]
    expect(errors.map((e) => [e instanceof Error, e._tag, e.name, e.provider])).toEqual([
      [true, 'NotConfigured', 'NotConfigured', 'env'],
      [true, 'InvalidConfiguration', 'InvalidConfiguration', 'profile'],
      [true, 'SourceFailure', 'SourceFailure', 'sts'],
      [true, 'ChainExhausted', 'ChainExhausted', 'chain'],
    ])
    expect(errors.map((e) => e.stack?.split('\n')[0])).toEqual([
      'NotConfigured: m',
      'InvalidConfiguration: m',
      'SourceFailure: m',
      'ChainExhausted: no credentials found by chain: it has no sources to try',
    ])
  })

  it('SourceFailure defaults to not retryable and keeps its details', () => {
    const e = new CE.SourceFailure('sts', 'm')
    expect([e.status, e.code, e.requestId, e.retryable]).toEqual([undefined, undefined, undefined, false])
    const d = new CE.SourceFailure('sts', 'm', { status: 429, code: 'Throttling', requestId: 'R1', retryable: true })
    expect(CE.detailsOf(d)).toStrictEqual({ status: 429, code: 'Throttling', requestId: 'R1', retryable: true })
  })

  it('keep a cause without showing it', () => {
    const cause = new Error('inner')
    expect(new CE.SourceFailure('sts', 'm', { retryable: false }, cause).cause).toBe(cause)
    expect(new CE.NotConfigured('env', 'm').cause).toBeUndefined()
  })
})

describe('skip or stop', () => {
  it('NotConfigured and ChainExhausted skip; the rest stop', () => {
    expect(
      [
        nc('env'),
        new CE.ChainExhausted('chain', []),
        new CE.InvalidConfiguration('p', 'm'),
        new CE.SourceFailure('s', 'm'),
      ].map(CE.isSkippable),
    ).toEqual([true, true, false, false])
  })

  it('isCredentialsError accepts ours (even from another module copy) and nothing else', () => {
    const foreign = Object.assign(new Error('m'), { _tag: 'SourceFailure', provider: 'x' })
    expect(
      [nc('env'), foreign, new Error('m'), { _tag: 'NotConfigured', provider: 'x' }, 'NotConfigured', undefined].map(
        CE.isCredentialsError,
      ),
    ).toEqual([true, true, false, false, false, false])
  })
})

describe('tree rendering', () => {
  it('draws every attempt in order, nested chains indented', () => {
    const inner = new CE.ChainExhausted('profile', [
      { provider: 'profile/ini', error: nc('profile/ini', 'no file at ~/.alibabacloud/credentials') },
      { provider: 'profile/cli', error: nc('profile/cli', 'no file\nat ~/.aliyun/config.json') },
    ])
    const e = new CE.ChainExhausted('default', [
      { provider: 'env', error: nc('env', 'ALIBABA_CLOUD_ACCESS_KEY_ID is not set') },
      { provider: 'profile', error: inner },
      { provider: 'ecs_ram_role', error: nc('ecs_ram_role', 'disabled') },
    ])
    expect(e.message).toBe(
      [
        'no credentials found by default: every source was skipped',
        '├─ env: NotConfigured: ALIBABA_CLOUD_ACCESS_KEY_ID is not set',
        '├─ profile: no credentials found by profile: every source was skipped',
        '│  ├─ profile/ini: NotConfigured: no file at ~/.alibabacloud/credentials',
        '│  └─ profile/cli: NotConfigured: no file',
        '│     at ~/.aliyun/config.json',
        '└─ ecs_ram_role: NotConfigured: disabled',
      ].join('\n'),
    )
    expect(CE.render(e)).toBe(`ChainExhausted: ${e.message}`)
    expect(CE.render(nc('env', 'unset'))).toBe('NotConfigured [env]: unset')
  })

  it('an empty chain says it has nothing to try', () => {
    expect(new CE.ChainExhausted('chain', []).message).toBe('no credentials found by chain: it has no sources to try')
  })
})

describe('toJSON', () => {
  it('serializes tag, provider, message and details, never the cause', () => {
    const cause = new Error('secret-ish')
    expect(
      JSON.parse(
        JSON.stringify([
          new CE.InvalidConfiguration('profile', 'bad', { file: '/f', key: 'type' }, cause),
          new CE.SourceFailure('sts', 'HTTP 503', { status: 503, retryable: true }, cause),
          new CE.ChainExhausted('chain', [{ provider: 'env', error: nc('env', 'unset') }]),
        ]),
      ),
    ).toStrictEqual([
      { _tag: 'InvalidConfiguration', provider: 'profile', message: 'bad', location: { file: '/f', key: 'type' } },
      { _tag: 'SourceFailure', provider: 'sts', message: 'HTTP 503', retryable: true, status: 503 },
      {
        _tag: 'ChainExhausted',
        provider: 'chain',
        message: 'no credentials found by chain: every source was skipped\n└─ env: NotConfigured: unset',
        attempts: [{ provider: 'env', error: { _tag: 'NotConfigured', provider: 'env', message: 'unset' } }],
      },
    ])
  })
})

describe('withProvider', () => {
  it('prefixes every variant, keeping its fields and cause', () => {
    const cause = new Error('c')
    const w = CE.withProvider('default')
    expect(w(new CE.NotConfigured('env', 'm', cause))).toEqual(new CE.NotConfigured('default/env', 'm', cause))
    expect(w(new CE.InvalidConfiguration('profile', 'm', { key: 'k' }, cause))).toEqual(
      new CE.InvalidConfiguration('default/profile', 'm', { key: 'k' }, cause),
    )
    expect(w(new CE.SourceFailure('sts', 'm', { status: 500, retryable: true }, cause))).toEqual(
      new CE.SourceFailure('default/sts', 'm', { status: 500, retryable: true }, cause),
    )
  })

  it('an anonymous chain takes the name; its attempts get the prefix', () => {
    const e = new CE.ChainExhausted(CE.CHAIN, [{ provider: 'env', error: nc('env', 'unset') }])
    expect(CE.withProvider('default')(e)).toEqual(
      new CE.ChainExhausted('default', [{ provider: 'default/env', error: nc('default/env', 'unset') }]),
    )
    const named = new CE.ChainExhausted('profile', [{ provider: 'profile/ini', error: nc('profile/ini', 'x') }])
    expect(CE.withProvider('default')(named)).toEqual(
      new CE.ChainExhausted('default/profile', [
        { provider: 'default/profile/ini', error: nc('default/profile/ini', 'x') },
      ]),
    )
  })

  it('rewrites the stack header to the new message but keeps the frames', () => {
    const e = new CE.NotConfigured('env', 'unset')
    const w = CE.withProvider('default')(e)
    expect(w.stack?.split('\n').slice(1)).toEqual(e.stack?.split('\n').slice(1))
  })
})

describe('attemptsOf', () => {
  it('an exhausted chain stands for its attempts (spliced, not nested); any other error for itself', () => {
    const env = new CE.NotConfigured('env', 'unset')
    const broken = new CE.InvalidConfiguration('profile', 'bad')
    const failed = new CE.SourceFailure('ecs_ram_role', 'down', { retryable: true })
    const chain = new CE.ChainExhausted('default', [
      { provider: 'default/env', error: env },
      { provider: 'default/uri', error: new CE.NotConfigured('uri', 'unset') },
    ])
    expect([env, broken, failed].map(CE.attemptsOf)).toEqual([
      [{ provider: 'env', error: env }],
      [{ provider: 'profile', error: broken }],
      [{ provider: 'ecs_ram_role', error: failed }],
    ])
    expect(CE.attemptsOf(chain)).toBe(chain.attempts)
  })
})

describe('fromUnknown', () => {
  it('keeps our errors and wraps anything else without copying its message', () => {
    const ours = nc('env')
    expect(CE.fromUnknown('p')(ours)).toBe(ours)
    const thrown = new TypeError('sk-LEAK-123 is not a function')
    const e = CE.fromUnknown('p')(thrown)
    expect(e).toEqual(
      new CE.SourceFailure(
        'p',
        'the provider threw a TypeError instead of returning an error; this is a bug in that provider',
        { retryable: false },
        thrown,
      ),
    )
    expect(CE.fromUnknown('p')('sk-LEAK-123').message).toBe(
      'the provider threw a non-Error value instead of returning an error; this is a bug in that provider',
    )
  })
})

// A second copy of the module, as when a bundler loads both the ES module and the CommonJS build: a distinct module
// instance with classes of its own.
describe('instanceof across copies of the module', () => {
  const load = async (): Promise<typeof CE> => {
    vi.resetModules()
    return import('../src/CredentialsError.js')
  }
  const make = (m: typeof CE) => [
    new m.NotConfigured('env', 'not set'),
    new m.InvalidConfiguration('profile', 'bad', { key: 'type' }),
    new m.SourceFailure('sts', 'down', { retryable: true }),
    new m.ChainExhausted('default', []),
  ]

  it('an error of one copy is an instance of the same class of the other, and of no other class', async () => {
    const other = await load()
    expect(other.InvalidConfiguration).not.toBe(CE.InvalidConfiguration)
    const classes = [CE.NotConfigured, CE.InvalidConfiguration, CE.SourceFailure, CE.ChainExhausted]
    const otherClasses = [other.NotConfigured, other.InvalidConfiguration, other.SourceFailure, other.ChainExhausted]
    const matrix = (errors: ReadonlyArray<unknown>, cls: ReadonlyArray<unknown>) =>
      errors.map((e) => cls.map((c) => e instanceof (c as new (...a: never) => unknown)))
    const diagonal = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => i === j))
    expect(matrix(make(other), classes)).toEqual(diagonal)
    expect(matrix(make(CE), otherClasses)).toEqual(diagonal)
    expect(make(other).every((e) => e instanceof Error && CE.isCredentialsError(e))).toBe(true)
  })

  it('a plain object or Error with a look-alike tag is not an instance', () => {
    const fake = Object.assign(new Error('x'), { _tag: 'NotConfigured', provider: 'p' })
    expect([fake instanceof CE.NotConfigured, { _tag: 'NotConfigured' } instanceof CE.NotConfigured]).toEqual([
      false,
      false,
    ])
    expect(
      [null, undefined, 'NotConfigured', 1].some((u) => (u as unknown as object) instanceof CE.NotConfigured),
    ).toBe(false)
  })

  it('a subclass of a variant is checked as instanceof normally does', () => {
    class Mine extends CE.InvalidConfiguration {}
    expect([new Mine('p', 'm') instanceof Mine, new CE.InvalidConfiguration('p', 'm') instanceof Mine]).toEqual([
      true,
      false,
    ])
    expect(new Mine('p', 'm') instanceof CE.InvalidConfiguration).toBe(true)
  })
})
