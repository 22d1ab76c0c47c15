// The public API of @alicred/core is deliberate (issue 15): what `src/index.ts` exports is the whole of it, every
// export says which part of the library it belongs to with an `@category`, internals stay out, and docs/api.md lists
// it all by category. docs/api.md is rendered here from the TSDoc: after changing an export, refresh it with
// `npx vitest run test/PublicApi.test.ts --update`.
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/** The categories, in the order docs/api.md shows them, with what each holds. */
const CATEGORIES = {
  model: 'What a credential and a provider are, and the plain functions over them.',
  constructors: 'Credentials and providers from plain values.',
  combinators: 'Providers from providers: fallback, naming, caching and refresh, timeouts, retries, tracing.',
  sources: 'Every credential source, and the default chains that compose them.',
  capabilities: 'The effects a provider may use, passed in by the caller: environment, files, HTTP, time, …',
  errors: 'How a provider fails: skip (`NotConfigured`) or stop, and the tree of attempts a chain keeps.',
  config: 'Typed configuration, the environment variables read, and the profile-name rule.',
  signing: 'Alibaba Cloud RPC request signing, for programs that call an API with a credential themselves.',
} as const
type Category = keyof typeof CATEGORIES

/** Names that are internals of the library, however they would be reached. */
const INTERNAL_NAMES = [
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
]

const root = fileURLToPath(new URL('..', import.meta.url))
const INDEX = `${root}packages/core/src/index.ts`

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

const program = ts.createProgram([INDEX], {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
})
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

const collect = (): { readonly namespaces: ReadonlyArray<Namespace>; readonly exports: ReadonlyArray<Export> } => {
  const index = program.getSourceFile(INDEX)
  if (index === undefined) throw new Error(`cannot read ${INDEX}`)
  const module = checker.getSymbolAtLocation(index)
  if (module === undefined) throw new Error(`${INDEX} is not a module`)
  const namespaces: Array<Namespace> = []
  const exports: Array<Export> = []
  for (const s of checker.getExportsOfModule(module)) {
    const target = resolve(s)
    if (!isModule(target)) {
      exports.push(exportOf('', s))
      continue
    }
    // `/** … @category x */ export * as X from './X.js'`: the TSDoc is on the export statement.
    const statement = s.declarations?.[0]?.parent
    const docs = statement === undefined ? [] : jsDocsOf(statement)
    const file = target.declarations?.[0]?.getSourceFile().fileName ?? '?'
    const summary = summaryOf(docs.at(-1))
    namespaces.push({ name: s.name, categories: categoriesOf(docs), summary, file: relative(file) })
    for (const m of checker.getExportsOfModule(target)) exports.push(exportOf(s.name, m))
  }
  return { namespaces, exports }
}

const { namespaces, exports } = collect()

const isCategory = (c: string): c is Category => Object.hasOwn(CATEGORIES, c)

const render = (): string => {
  const lines = [
    '# API reference, by category',
    '',
    '<!-- Rendered from the TSDoc of packages/core/src by test/PublicApi.test.ts; do not edit by hand. After changing',
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
    '## Modules',
    '',
    '| module | category | what it is for |',
    '|---|---|---|',
    ...namespaces.map((n) => `| \`${n.name}\` | ${n.categories.join(', ')} | ${n.summary} |`),
  ]
  for (const [category, about] of Object.entries(CATEGORIES)) {
    const members = exports.filter((e) => e.categories.includes(category))
    lines.push('', `## ${category}`, '', about, '', '| export | what it is |', '|---|---|')
    for (const e of members) lines.push(`| \`${e.name}\` | ${e.summary} |`)
  }
  return `${lines.join('\n')}\n`
}

describe('the public API of @alicred/core', () => {
  it('exports namespaces and a few names, each with exactly one known @category', () => {
    expect(namespaces.length).toBeGreaterThan(10)
    expect(exports.length).toBeGreaterThan(100)
    const wrong = [
      ...namespaces.map((n) => ({ name: `${n.name} (export * as)`, categories: n.categories, file: 'index.ts' })),
      ...exports,
    ]
      .filter((e) => e.categories.length !== 1 || !e.categories.every(isCategory))
      .map((e) => `${e.name} (${e.file}): ${e.categories.length === 0 ? 'no @category' : e.categories.join(', ')}`)
    expect(wrong).toEqual([])
  })

  it('describes every export in its TSDoc', () => {
    expect(exports.filter((e) => e.summary === '').map((e) => `${e.name} (${e.file})`)).toEqual([])
  })

  it('exports no module of src/internal/ as a namespace, and no internal name anywhere', () => {
    expect(namespaces.filter((n) => n.file.includes('/internal/')).map((n) => n.name)).toEqual([])
    const names = [...namespaces.map((n) => n.name), ...exports.map((e) => e.name.split('.').at(-1))]
    expect(names.filter((n) => n !== undefined && INTERNAL_NAMES.includes(n))).toEqual([])
  })

  it('is listed by category in docs/api.md', async () => {
    await expect(render()).toMatchFileSnapshot('../docs/api.md')
  })
})
