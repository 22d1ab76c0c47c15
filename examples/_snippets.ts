// The docs' code, found and run (not an example): every ```ts / ```js block of README.md, docs/** and the packages'
// READMEs, and every `@example` of the TSDoc comments in packages/*/src, each run as a native ES module by a plain
// `node` (no bundler, no loader), against the built packages, offline: the process gets a throwaway HOME, an
// environment of its own and a loopback guard (a connection to anywhere but loopback is refused, and fails the run).
//
// What a markdown block may say about itself:
// - ```` ```ts fragment ````: not a whole program (skipped, and counted as skipped);
// - `<!-- snippet: env NAME=value … -->` on the line above the fence: variables for its environment, where
//   `{emulator.<field>}` stands for a field of the emulator the runner starts for the block (`credentialsUri`,
//   `stsEndpoint`, `metadataBaseUrl`, `url`, `host`) and `{home}` for its HOME.
// A TSDoc example is run with `assert` (node:assert) in scope, as docs-ts runs fp-ts' examples.
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export const root = fileURLToPath(new URL('..', import.meta.url))

/** One piece of code from the docs. */
export interface Snippet {
  /** Where it is, relative to the repository root, with the 1-based line of its first line of code. */
  readonly page: string
  readonly line: number
  readonly code: string
  readonly lang: 'ts' | 'js'
  /** Marked as not a whole program: not run. */
  readonly fragment: boolean
  /** Environment variables its directive asks for (values still with their `{…}` placeholders). */
  readonly env: Readonly<Record<string, string>>
  /** `assert` must be in scope (TSDoc examples). */
  readonly withAssert: boolean
}

export const label = (s: Snippet): string => `${s.page}:${s.line}`

const RUNNABLE: Readonly<Record<string, Snippet['lang']>> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
}

const DIRECTIVE = /^<!--\s*snippet:\s*(.*?)\s*-->$/

/** `env A=1 B=2` → `{ A: '1', B: '2' }`; anything else is a mistake worth failing on. */
const parseDirective = (text: string, where: string): Readonly<Record<string, string>> => {
  const [verb, ...pairs] = text.split(/\s+/)
  if (verb !== 'env' || pairs.length === 0) {
    throw new Error(`${where}: unknown snippet directive "${text}"; write <!-- snippet: env NAME=value … -->`)
  }
  return Object.fromEntries(
    pairs.map((p) => {
      const eq = p.indexOf('=')
      if (eq <= 0) throw new Error(`${where}: "${p}" in a snippet directive is not NAME=value`)
      return [p.slice(0, eq), p.slice(eq + 1)]
    }),
  )
}

/** The ts/js blocks of one markdown text (`page` names it in labels and errors). */
export const markdownSnippets = (page: string, text: string): ReadonlyArray<Snippet> => {
  const lines = text.split('\n')
  const found: Array<Snippet> = []
  for (let i = 0; i < lines.length; i++) {
    // A fence may be indented (inside a list item): its code is, by as much.
    const open = /^( *)```(\S*)(.*)$/.exec(lines[i] ?? '')
    if (open === null) continue
    const indent = open[1] ?? ''
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === `${indent}\`\`\``)
    if (end < 0) throw new Error(`${page}:${i + 1}: code block never closed`)
    const lang = RUNNABLE[open[2] ?? '']
    if (lang !== undefined) {
      const flags = (open[3] ?? '').trim().split(/\s+/).filter(Boolean)
      const unknown = flags.filter((f) => f !== 'fragment')
      if (unknown.length > 0) throw new Error(`${page}:${i + 1}: unknown code block flag(s) ${unknown.join(' ')}`)
      let above = i - 1
      while (above >= 0 && (lines[above] ?? '').trim() === '') above--
      const directive = DIRECTIVE.exec((lines[above] ?? '').trim())
      found.push({
        page,
        line: i + 2,
        code: lines
          .slice(i + 1, end)
          .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
          .join('\n'),
        lang,
        fragment: flags.includes('fragment'),
        env: directive === null ? {} : parseDirective(directive[1] ?? '', `${page}:${above + 1}`),
        withAssert: false,
      })
    }
    i = end
  }
  return found
}

/** The `@example`s of the TSDoc comments of one TypeScript source text. */
export const tsdocExamples = (page: string, text: string): ReadonlyArray<Snippet> => {
  const found: Array<Snippet> = []
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const first = text.slice(0, m.index).split('\n').length
    const lines = m[0].split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''))
    let start = -1
    const flush = (endIndex: number): void => {
      if (start < 0) return
      let body = lines.slice(start, endIndex)
      let offset = start
      // An example may fence its code (```ts … ```), with prose around it: the code is what is inside.
      const fence = body.findIndex((l) => l.startsWith('```'))
      if (fence >= 0) {
        const close = body.findIndex((l, j) => j > fence && l.startsWith('```'))
        offset += fence + 1
        body = body.slice(fence + 1, close < 0 ? undefined : close)
      }
      while (body.length > 0 && (body[body.length - 1] ?? '').trim() === '') body = body.slice(0, -1)
      // Text on the `@example` line itself is a title (TSDoc), not code.
      if (body.length === 0) throw new Error(`${page}:${first + start - 1}: an @example without code`)
      found.push({
        page,
        line: first + offset,
        code: body.join('\n'),
        lang: 'ts',
        fragment: false,
        env: {},
        withAssert: true,
      })
      start = -1
    }
    lines.forEach((l, i) => {
      if (/^@\w/.test(l)) {
        flush(i)
        if (l.startsWith('@example')) start = i + 1
      }
    })
    flush(lines.length)
  }
  return found
}

const walk = (dir: string, keep: (path: string) => boolean): ReadonlyArray<string> =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name)
      if (name === 'node_modules' || name === 'dist') return []
      if (statSync(path).isDirectory()) return walk(path, keep)
      return keep(path) ? [path] : []
    })

const PACKAGES = ['core', 'testing', 'node', 'cli']

/** README.md, every page under docs/ (but the generated API reference) and the packages' READMEs. */
export const markdownPages = (): ReadonlyArray<string> => [
  join(root, 'README.md'),
  ...walk(join(root, 'docs'), (p) => p.endsWith('.md') && !p.startsWith(join(root, 'docs', 'api'))),
  ...PACKAGES.map((p) => join(root, 'packages', p, 'README.md')).filter((p) => existsSync(p)),
]

export const allMarkdownSnippets = (): ReadonlyArray<Snippet> =>
  markdownPages().flatMap((p) => markdownSnippets(relative(root, p), readFileSync(p, 'utf8')))

export const allTsdocExamples = (): ReadonlyArray<Snippet> =>
  PACKAGES.flatMap((p) =>
    walk(join(root, 'packages', p, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
  ).flatMap((f) => tsdocExamples(relative(root, f), readFileSync(f, 'utf8')))

/** The snippet as the JavaScript module Node runs, or the syntax errors that stop it. */
export const compile = (s: Snippet): { readonly js: string; readonly typeOnly: boolean } => {
  const source = s.withAssert ? `import assert from 'node:assert'\n${s.code}` : s.code
  const out = ts.transpileModule(source, {
    fileName: `snippet.${s.lang === 'ts' ? 'mts' : 'mjs'}`,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      // Keep every import as written: an import the snippet does not use must still resolve.
      verbatimModuleSyntax: true,
    },
  })
  const errors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  if (errors.length > 0) throw new Error(`${label(s)}: does not compile: ${errors.join('; ')}`)
  const js = out.outputText
  const body = js
    .replace(/\/\/.*$/gm, '')
    .replace(/^export \{\};?$/m, '')
    .replace(/^import assert from 'node:assert';?$/m, '')
    .trim()
  return { js, typeOnly: body === '' }
}

// ---------------------------------------------------------------------------------------------------------------
// running
// ---------------------------------------------------------------------------------------------------------------

/** The loopback guard the bench uses, preloaded into every snippet: it refuses and reports non-loopback connects. */
const GUARD = join(root, 'bench', 'lib', 'guard-child.mjs')

/** Where snippets run: a temp directory that resolves packages as the repository does (its node_modules). */
export interface Sandbox {
  readonly dir: string
  readonly remove: () => Promise<void>
}

export const sandbox = async (): Promise<Sandbox> => {
  const dir = await mkdtemp(join(tmpdir(), 'alicred-snippets-'))
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

export interface Outcome {
  readonly code: number | null
  readonly signal: string | null
  readonly stdout: string
  readonly stderr: string
}

/** Fills `{emulator.x}` and `{home}` in a directive's values. */
export const fill = (
  env: Readonly<Record<string, string>>,
  values: Readonly<Record<string, string>>,
  where: string,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      k,
      v.replace(/\{([\w.]+)\}/g, (_m, key: string) => {
        const value = values[key]
        if (value === undefined) throw new Error(`${where}: unknown placeholder {${key}} in ${k}`)
        return value
      }),
    ]),
  )

/**
 * Runs one snippet as `node --import <guard> <file>.mjs` in the sandbox, with a HOME of its own and only these
 * variables: PATH, HOME, `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`, NO_COLOR, and what the snippet asks for.
 */
export const run = async (
  box: Sandbox,
  s: Snippet,
  values: Readonly<Record<string, string>>,
  timeoutMs = 15_000,
): Promise<Outcome> => {
  const { js } = compile(s)
  const name = label(s).replace(/[^\w.-]+/g, '_')
  const home = join(box.dir, `home-${name}`)
  await mkdir(home, { recursive: true })
  const file = join(box.dir, `${name}.mjs`)
  await writeFile(file, js)
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    NO_COLOR: '1',
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ...fill(s.env, { ...values, home }, label(s)),
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', GUARD, file],
      { cwd: home, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null
        resolve({
          code: e === null ? 0 : typeof e.code === 'number' ? e.code : null,
          signal: e?.signal ?? null,
          stdout,
          stderr,
        })
      },
    )
  })
}
