// The public API of every published package is deliberate (issue 15): what a package's entry points export is the
// whole of it, every export says which part of the library it belongs to with an `@category`, internals stay out, and
// docs/api.md lists it all by package and category. docs/api.md is rendered here from the TSDoc: after changing an
// export, refresh it with `npx vitest run test/PublicApi.test.ts --update`.
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * The categories, in the order docs/api.md (and the typedoc front page, typedoc.json's `categoryOrder`) shows them,
 * with what each holds. The first eight are core's; the others belong to the packages around it.
 */
const CATEGORIES = {
  model: 'What a credential and a provider are, and the plain functions over them.',
  constructors: 'Credentials and providers from plain values.',
  combinators: 'Providers from providers: fallback, naming, caching and refresh, timeouts, retries, tracing.',
  sources: 'Every credential source, and the default chains that compose them.',
  capabilities: 'The effects a provider may use, passed in by the caller: environment, files, HTTP, time, …',
  errors: 'How a provider fails: skip (`NotConfigured`) or stop, and the tree of attempts a chain keeps.',
  config: 'Typed configuration, the environment variables read, and the profile-name rule.',
  signing: 'Alibaba Cloud RPC request signing, for programs that call an API with a credential themselves.',
  facade: 'The drop-in replacement for `@alicloud/credentials`: its `Credential` client and `Config`.',
  adapters: 'Credentials for Alibaba Cloud SDK clients (pop-core, ali-oss) in the shapes they expect.',
  fakes: 'In-memory stand-ins for every capability, for tests: deterministic, inspectable, no I/O.',
  emulator: 'The credential endpoints on loopback, with fault injection, and checks for leaked handles.',
  commands: 'The `alicred` commands, as functions of an injected runtime, and what they share: arguments, help.',
  runtime: 'What a command runs against: streams, signals and child processes, fake or live.',
} as const
type Category = keyof typeof CATEGORIES

/** A published entry point: the import specifier users write, and the source file it is built from. */
interface Entry {
  readonly specifier: string
  readonly index: string
  /** Names of internals that must not be exported from it, however they would be reached. */
  readonly internals: ReadonlyArray<string>
  /** What a reader needs to know before the tables, under the package's heading (core's is the page's own intro). */
  readonly intro: ReadonlyArray<string>
}

const root = fileURLToPath(new URL('..', import.meta.url))

const ENTRIES: ReadonlyArray<Entry> = [
  {
    specifier: '@alicred/core',
    index: 'packages/core/src/index.ts',
    internals: [
      'Decode',
      'Failure',
      'WriteBack',
      'CliConfig',
      'Ini',
      'ProcessCommand',
      'StsClient',
      'StsEndpoint',
      'build',
      'decodeWith',
      'describeProblem',
      'roleOptions',
      'showName',
      'accessKeySource',
    ],
    intro: [],
  },
  {
    specifier: '@alicred/node',
    index: 'packages/node/src/index.ts',
    internals: ['toCore', 'preflight', 'FIELD_TYPES'],
    intro: [
      'The Node.js runtime: the live capabilities, `defaultProvider()`, the SDK adapters, and `Client`/`Config`, the',
      'drop-in replacement for `@alicloud/credentials`. Names are exported flat: `import { defaultProvider } from',
      "'@alicred/node'`; the default export is `Client`.",
    ],
  },
  {
    specifier: '@alicred/testing',
    index: 'packages/testing/src/index.ts',
    internals: [],
    intro: [
      'Fakes for every capability of `@alicred/core`. They use web APIs only and run in every runtime (Node, Deno, Bun,',
      'workers, browsers).',
    ],
  },
  {
    specifier: '@alicred/testing/emulator',
    index: 'packages/testing/src/emulator/index.ts',
    internals: [],
    intro: [
      'The Node-only part of `@alicred/testing`: the emulator of the Alibaba Cloud credential endpoints, a black-holed',
      'loopback port for connect timeouts, and open-handle checks.',
    ],
  },
  {
    specifier: '@alicred/cli',
    index: 'packages/cli/src/index.ts',
    internals: [],
    intro: [
      'The `alicred` command as a library: every command is a function of an injected `Runtime`, so it runs',
      'in-process with fakes; the `alicred` binary wires the live runtime.',
    ],
  },
]

interface Export {
  /** `Provider.alt`, or `maskId` for an export of the index itself. */
  readonly name: string
  /** The namespace it is reached through, `''` for the index itself. */
  readonly namespace: string
  readonly categories: ReadonlyArray<string>
  readonly summary: string
  /** Where it is declared, relative to the repository. */
  readonly file: string
}

interface Namespace {
  readonly name: string
  readonly categories: ReadonlyArray<string>
  readonly summary: string
  readonly file: string
}

// One program over every entry point; the packages import each other by name, resolved to their sources (as
// tsconfig.typedoc.json does) so that no build is needed.
const program = ts.createProgram(
  ENTRIES.map((e) => `${root}${e.index}`),
  {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    paths: Object.fromEntries(ENTRIES.map((e) => [e.specifier, [`${root}${e.index}`]])),
  },
)
const checker = program.getTypeChecker()

const resolve = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s)

// A `const` carries its TSDoc on the statement around it.
const docHost = (d: ts.Declaration): ts.Node =>
  ts.isVariableDeclaration(d) && ts.isVariableStatement(d.parent.parent) ? d.parent.parent : d

const jsDocsOf = (n: ts.Node): ReadonlyArray<ts.JSDoc> =>
  ((n as { jsDoc?: ReadonlyArray<ts.JSDoc> }).jsDoc ?? []).filter((d) => ts.isJSDoc(d))

const categoriesOf = (docs: ReadonlyArray<ts.JSDoc>): ReadonlyArray<string> =>
  docs.flatMap((d) =>
    (d.tags ?? [])
      .filter((t) => t.tagName.text === 'category')
      .map((t) => (ts.getTextOfJSDocComment(t.comment) ?? '').trim()),
  )

// The first sentence of the description, on one line: what a reader of the index needs. A sentence ends at a `.`
// (or a `:` that introduces more) outside parentheses and code, before a capital or the end, and not in `e.g.`.
const summaryOf = (doc: ts.JSDoc | undefined): string => {
  const text = ts.getTextOfJSDocComment(doc?.comment) ?? ''
  const paragraph = (text.split(/\n\s*\n/)[0] ?? '').replace(/\s+/g, ' ').trim()
  if (paragraph === '') return ''
  let depth = 0
  let code = false
  let end = paragraph.length
  for (let i = 0; i < paragraph.length; i++) {
    const c = paragraph[i]
    if (c === '`') code = !code
    else if (!code && c === '(') depth++
    else if (!code && c === ')') depth--
    else if (!code && depth === 0 && (c === '.' || c === ':') && /^(\s+[A-Z(`*]|$)/.test(paragraph.slice(i + 1))) {
      if (/\b(e\.g|i\.e)$/.test(paragraph.slice(0, i))) continue
      end = c === '.' ? i + 1 : i
      break
    }
  }
  const sentence = paragraph.slice(0, end)
  return (sentence.endsWith('.') ? sentence : `${sentence}.`).replace(/\|/g, '\\|')
}

const relative = (file: string): string => file.slice(root.length)

const isModule = (s: ts.Symbol): boolean => {
  const d = s.declarations?.[0]
  return (s.flags & ts.SymbolFlags.ValueModule) !== 0 && d !== undefined && ts.isSourceFile(d)
}

const exportOf = (namespace: string, s: ts.Symbol): Export => {
  const declarations = resolve(s).declarations ?? []
  const docs = declarations.flatMap((d) => jsDocsOf(docHost(d)))
  // A value and a type of one name (an io-ts codec and its type) are described once, on either; the TSDoc nearest
  // each declaration is its own (the first declaration of a file may also carry the file's header).
  const summaries = declarations.map((d) => summaryOf(jsDocsOf(docHost(d)).at(-1)))
  return {
    name: namespace === '' ? s.name : `${namespace}.${s.name}`,
    namespace,
    categories: [...new Set(categoriesOf(docs))],
    summary: summaries.find((x) => x !== '') ?? '',
    file: declarations[0] === undefined ? '?' : relative(declarations[0].getSourceFile().fileName),
  }
}

interface Api {
  readonly namespaces: ReadonlyArray<Namespace>
  readonly exports: ReadonlyArray<Export>
}

// The exports of a module; an `export * as X` is a namespace, whose own exports are listed as `X.name` (and so on,
// for a namespace inside a namespace: `Commands.Env.options`).
const exportsOf = (module: ts.Symbol, prefix: string): Api => {
  const namespaces: Array<Namespace> = []
  const exports: Array<Export> = []
  for (const s of checker.getExportsOfModule(module)) {
    const target = resolve(s)
    if (!isModule(target)) {
      exports.push(exportOf(prefix, s))
      continue
    }
    // `/** … @category x */ export * as X from './X.js'`: the TSDoc is on the export statement.
    const name = prefix === '' ? s.name : `${prefix}.${s.name}`
    const statement = s.declarations?.[0]?.parent
    const docs = statement === undefined ? [] : jsDocsOf(statement)
    const file = target.declarations?.[0]?.getSourceFile().fileName ?? '?'
    namespaces.push({ name, categories: categoriesOf(docs), summary: summaryOf(docs.at(-1)), file: relative(file) })
    const inner = exportsOf(target, name)
    namespaces.push(...inner.namespaces)
    exports.push(...inner.exports)
  }
  return { namespaces, exports }
}

const collect = (entry: Entry): Api => {
  const index = program.getSourceFile(`${root}${entry.index}`)
  if (index === undefined) throw new Error(`cannot read ${entry.index}`)
  const module = checker.getSymbolAtLocation(index)
  if (module === undefined) throw new Error(`${entry.index} is not a module`)
  return exportsOf(module, '')
}

const apis = new Map(ENTRIES.map((e) => [e.specifier, collect(e)]))
const apiOf = (entry: Entry): Api => {
  const api = apis.get(entry.specifier)
  if (api === undefined) throw new Error(`no API collected for ${entry.specifier}`)
  return api
}

const isCategory = (c: string): c is Category => Object.hasOwn(CATEGORIES, c)

const modulesTable = (namespaces: ReadonlyArray<Namespace>): ReadonlyArray<string> =>
  namespaces.length === 0
    ? []
    : [
        '',
        '## Modules',
        '',
        '| module | category | what it is for |',
        '|---|---|---|',
        ...namespaces.map((n) => `| \`${n.name}\` | ${n.categories.join(', ')} | ${n.summary} |`),
      ]

// Core lists every category, its own; the other packages list those they have exports in.
const categoryTables = (api: Api, all: boolean): ReadonlyArray<string> =>
  Object.entries(CATEGORIES).flatMap(([category, about]) => {
    const members = api.exports.filter((e) => e.categories.includes(category))
    if (!all && members.length === 0) return []
    return [
      '',
      `## ${category}`,
      '',
      about,
      '',
      '| export | what it is |',
      '|---|---|',
      ...members.map((e) => `| \`${e.name}\` | ${e.summary} |`),
    ]
  })

const render = (): string => {
  const [core, ...others] = ENTRIES
  if (core === undefined) throw new Error('no entry points')
  const coreApi = apiOf(core)
  const lines = [
    '# API reference, by category',
    '',
    '<!-- Rendered from the TSDoc of packages/*/src by test/PublicApi.test.ts; do not edit by hand. After changing',
    '     an export, refresh it with `npx vitest run test/PublicApi.test.ts --update`. -->',
    '',
    "This is the whole public API of `@alicred/core`: what `import { … } from '@alicred/core'` reaches. Modules are",
    'namespaces, fp-ts style (`Provider.alt`, `Providers.ramRoleArn`); every export belongs to one category. What is',
    'not listed here lives in `packages/core/src/internal/` and may change in any release. The full reference, with',
    'signatures and examples, is generated by `npm run docs` into `docs/api/`; its front page groups the modules by',
    'these same categories.',
    '',
    'Functions take what they are asked to do first and the capabilities they use last:',
    '`Providers.ramRoleArn(options)(caps)`, `Chain.defaultChain(options)(caps)`, `Provider.cached(options, caps)`,',
    '`Provider.withTimeout({ ms }, caps)`. Changes from earlier builds are listed in',
    '[migration.md](migration.md#upgrading-from-an-earlier-alicred-build).',
    '',
    'The other packages follow, each by category too:',
    `${others.map((e) => `[\`${e.specifier}\`](#${anchor(e.specifier)})`).join(', ')}.`,
    ...modulesTable(coreApi.namespaces),
    ...categoryTables(coreApi, true),
  ]
  for (const entry of others) {
    const api = apiOf(entry)
    lines.push('', `# \`${entry.specifier}\``, '', ...entry.intro, ...modulesTable(api.namespaces))
    lines.push(...categoryTables(api, false))
  }
  return `${lines.join('\n')}\n`
}

// GitHub's heading anchors: lower case, punctuation but `-` and `_` dropped, spaces to `-`.
const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')

for (const entry of ENTRIES) {
  describe(`the public API of ${entry.specifier}`, () => {
    const { namespaces, exports } = apiOf(entry)

    it('exports at least one name, each (and each namespace) with exactly one known @category', () => {
      expect(exports.length).toBeGreaterThan(0)
      const wrong = [
        ...namespaces.map((n) => ({ name: `${n.name} (export * as)`, categories: n.categories, file: n.file })),
        ...exports,
      ]
        .filter((e) => e.categories.length !== 1 || !e.categories.every(isCategory))
        .map((e) => `${e.name} (${e.file}): ${e.categories.length === 0 ? 'no @category' : e.categories.join(', ')}`)
      expect(wrong).toEqual([])
    })

    it('describes every export, and every namespace, in its TSDoc', () => {
      const undescribed = [...namespaces, ...exports].filter((e) => e.summary === '')
      expect(undescribed.map((e) => `${e.name} (${e.file})`)).toEqual([])
    })

    it('exports no module of an internal/ folder as a namespace, and no internal name anywhere', () => {
      expect(namespaces.filter((n) => n.file.includes('/internal/')).map((n) => n.name)).toEqual([])
      const names = [...namespaces.map((n) => n.name), ...exports.map((e) => e.name)].map((n) => n.split('.').at(-1))
      expect(names.filter((n) => n !== undefined && entry.internals.includes(n))).toEqual([])
    })
  })
}

describe('the public API of @alicred/core, in numbers', () => {
  it('is namespaces and a few names', () => {
    const core = ENTRIES[0]
    if (core === undefined) throw new Error('no entry points')
    const { namespaces, exports } = apiOf(core)
    expect(namespaces.length).toBeGreaterThan(10)
    expect(exports.length).toBeGreaterThan(100)
  })
})

describe('docs/api.md', () => {
  it('lists every package by category', async () => {
    await expect(render()).toMatchFileSnapshot('../docs/api.md')
  })
})
