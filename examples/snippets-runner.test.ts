// The snippet runner itself (_snippets.ts): what it finds in markdown and TSDoc, and that it fails a snippet that
// throws, writes to stderr, tries to leave loopback, or reads the real HOME, so a green snippets.test.ts means
// something.
import { homedir } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  compile,
  fill,
  markdownSnippets,
  run,
  type Sandbox,
  type Snippet,
  sandbox,
  tsdocExamples,
} from './_snippets.js'

const md = [
  '# Page',
  '',
  '```ts',
  'const a: number = 1',
  '```',
  '',
  '```sh',
  'npm test',
  '```',
  '',
  '<!-- snippet: env A=1 B={emulator.url} -->',
  '```js',
  'console.log(process.env.A)',
  '```',
  '',
  '```ts fragment',
  'provider()()',
  '```',
  '',
  '- in a list:',
  '',
  '  ```ts',
  '  if (a) {',
  '    b()',
  '  }',
  '  ```',
  '',
].join('\n')

describe('markdownSnippets', () => {
  it('finds ts and js blocks with their first line, flags and directive', () => {
    expect(markdownSnippets('page.md', md)).toEqual([
      {
        page: 'page.md',
        line: 4,
        code: 'const a: number = 1',
        lang: 'ts',
        fragment: false,
        env: {},
        withAssert: false,
      },
      {
        page: 'page.md',
        line: 13,
        code: 'console.log(process.env.A)',
        lang: 'js',
        fragment: false,
        env: { A: '1', B: '{emulator.url}' },
        withAssert: false,
      },
      { page: 'page.md', line: 17, code: 'provider()()', lang: 'ts', fragment: true, env: {}, withAssert: false },
      {
        page: 'page.md',
        line: 23,
        code: 'if (a) {\n  b()\n}',
        lang: 'ts',
        fragment: false,
        env: {},
        withAssert: false,
      },
    ])
  })

  it('refuses an unknown flag, a malformed directive and an unclosed block, naming the line', () => {
    expect(() => markdownSnippets('p.md', '```ts fragmnet\nx\n```\n')).toThrow(
      'p.md:1: unknown code block flag(s) fragmnet',
    )
    expect(() => markdownSnippets('p.md', '<!-- snippet: envs A=1 -->\n```ts\nx\n```\n')).toThrow(
      'p.md:1: unknown snippet directive',
    )
    expect(() => markdownSnippets('p.md', '<!-- snippet: env A -->\n```ts\nx\n```\n')).toThrow(
      'p.md:1: "A" in a snippet directive is not NAME=value',
    )
    expect(() => markdownSnippets('p.md', 'text\n```ts\nx\n')).toThrow('p.md:2: code block never closed')
  })
})

describe('tsdocExamples', () => {
  it('takes every @example up to the next tag, fenced or not, with its first line', () => {
    const src = [
      '/**',
      ' * Adds.',
      ' *',
      ' * @example',
      " * import { add } from 'x'",
      ' * assert.strictEqual(add(1, 2), 3)',
      ' *',
      ' * @example',
      ' * With a fence:',
      ' * ```ts',
      ' * add(0, 0)',
      ' * ```',
      ' * @since 0.1.0',
      ' */',
      'export const add = (a: number, b: number) => a + b',
    ].join('\n')
    const common = { page: 'x.ts', lang: 'ts', fragment: false, env: {}, withAssert: true }
    expect(tsdocExamples('x.ts', src)).toEqual([
      { ...common, line: 5, code: "import { add } from 'x'\nassert.strictEqual(add(1, 2), 3)" },
      { ...common, line: 11, code: 'add(0, 0)' },
    ])
  })

  it('refuses an @example without code, naming its line', () => {
    expect(() => tsdocExamples('x.ts', 'const a = 1\n/**\n * @example a title only\n * @since 0.1.0\n */')).toThrow(
      'x.ts:3: an @example without code',
    )
  })
})

describe('compile', () => {
  const snippet = (code: string, o: Partial<Snippet> = {}): Snippet => ({
    page: 'p.md',
    line: 1,
    code,
    lang: 'ts',
    fragment: false,
    env: {},
    withAssert: false,
    ...o,
  })

  it('erases types, keeps every import as written, and puts assert in scope for TSDoc examples', () => {
    expect(compile(snippet("import { a } from 'm'\nconst n: number = a")).js).toBe(
      "import { a } from 'm';\nconst n = a;\n",
    )
    expect(compile(snippet('assert.ok(true)', { withAssert: true })).js).toBe(
      "import assert from 'node:assert';\nassert.ok(true);\n",
    )
  })

  it('tells type-only snippets apart', () => {
    expect(compile(snippet("import type { A } from 'm'\ntype B = A")).typeOnly).toBe(true)
    expect(compile(snippet('console.log(1)')).typeOnly).toBe(false)
  })

  it('refuses a snippet that does not parse, naming it', () => {
    expect(() => compile(snippet('const = 1'))).toThrow('p.md:1: does not compile')
  })
})

describe('fill', () => {
  it('replaces placeholders, and refuses unknown ones', () => {
    expect(
      fill({ U: '{emulator.url}/x', H: '{home}' }, { 'emulator.url': 'http://127.0.0.1:1', home: '/h' }, 'p'),
    ).toEqual({ U: 'http://127.0.0.1:1/x', H: '/h' })
    expect(() => fill({ U: '{emulator.nope}' }, {}, 'p.md:3')).toThrow(
      'p.md:3: unknown placeholder {emulator.nope} in U',
    )
  })
})

describe('run', () => {
  let box: Sandbox
  beforeAll(async () => {
    box = await sandbox()
  })
  afterAll(async () => {
    await box.remove()
  })
  const go = (code: string, env: Record<string, string> = {}) =>
    run(box, { page: 'runner.md', line: 1, code, lang: 'ts', fragment: false, env, withAssert: true }, {})

  it('runs a native ES module with top-level await and assert, in a HOME and environment of its own', async () => {
    const out = await go(
      [
        "import { homedir } from 'node:os'",
        'await Promise.resolve()',
        'assert.strictEqual(1, 1)',
        'console.log(JSON.stringify({ home: homedir(), env: process.env }))',
      ].join('\n'),
      { EXTRA: '{home}/x' },
    )
    expect(out.code).toBe(0)
    const seen = JSON.parse(out.stdout) as { home: string; env: Record<string, string> }
    expect(seen.home).not.toBe(homedir())
    expect(seen.env).toEqual({
      PATH: process.env.PATH,
      HOME: seen.home,
      NO_COLOR: '1',
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      EXTRA: `${seen.home}/x`,
    })
  })

  it('reports a failed assertion, and stderr', async () => {
    const out = await go("assert.strictEqual(1, 2)\nconsole.error('never')")
    expect(out.code).toBe(1)
    expect(out.stderr).toContain('AssertionError')
  })

  it('refuses a connection that would leave loopback, before it is made', async () => {
    const out = await go(
      [
        "import net from 'node:net'",
        "const s = net.connect(80, '100.100.100.200')",
        "await new Promise((resolve) => s.on('error', resolve).on('connect', resolve))",
      ].join('\n'),
    )
    expect(out.code).toBe(1)
    expect(out.stderr).toContain('refused: 100.100.100.200:80')
  })

  it('stops a snippet that never ends', async () => {
    const out = await run(
      box,
      {
        page: 'hang.md',
        line: 1,
        code: 'setInterval(() => {}, 1000)',
        lang: 'ts',
        fragment: false,
        env: {},
        withAssert: false,
      },
      {},
      500,
    )
    expect(out.signal).toBe('SIGKILL')
  })
})
