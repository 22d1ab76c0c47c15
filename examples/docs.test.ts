// Keeps docs/ honest: every ```ts snippet of the guides typechecks against the current sources (each snippet is a
// module of its own, compiled with the examples' compiler options), and every relative link points to a file that
// exists. docs/performance.md (written from benchmarks) and the generated docs/api/ are left out.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const docs = join(root, 'docs')
const SKIPPED = new Set([join(docs, 'api'), join(docs, 'performance.md')])

const pages = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (SKIPPED.has(path)) return []
    if (statSync(path).isDirectory()) return pages(path)
    return name.endsWith('.md') ? [path] : []
  })

interface Snippet {
  readonly page: string
  /** 1-based line of the first line of code. */
  readonly line: number
  readonly code: string
  /** Where the compiler sees it: next to the examples, so it resolves packages as they do. */
  readonly fileName: string
}

const snippets = (page: string): ReadonlyArray<Snippet> => {
  const text = readFileSync(page, 'utf8')
  const found: Array<Snippet> = []
  const fence = /^```ts\n([\s\S]*?)^```$/gm
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length + 1
    const name = relative(docs, page).replace(/[/\\]/g, '_').replace(/\.md$/, '')
    found.push({
      page: relative(root, page),
      line,
      code: m[1] ?? '',
      fileName: join(root, 'examples', '.docs', `${name}.L${line}.ts`),
    })
  }
  return found
}

const compilerOptions = (): ts.CompilerOptions => {
  const configPath = join(root, 'examples', 'tsconfig.json')
  const config = ts.readConfigFile(configPath, ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath))
  // No project references and no emit: imports resolve to the sources through `paths`, fresh clone or not.
  const { tsBuildInfoFile: _, ...options } = parsed.options
  return {
    ...options,
    composite: false,
    incremental: false,
    declaration: false,
    emitDeclarationOnly: false,
    noEmit: true,
  }
}

// The project README and the packages' READMEs are what newcomers paste first: check them too.
const readmes = [
  join(root, 'README.md'),
  ...['core', 'testing', 'node', 'cli'].map((p) => join(root, 'packages', p, 'README.md')),
].filter((p) => existsSync(p))

describe('docs/', () => {
  const all = [...pages(docs), ...readmes].flatMap(snippets)

  it('has TypeScript snippets to check', () => {
    expect(all.length).toBeGreaterThan(10)
  })

  it('every ```ts snippet typechecks against the current API', () => {
    const options = compilerOptions()
    const host = ts.createCompilerHost(options)
    const virtual = new Map(all.map((s) => [resolve(s.fileName), s]))
    const getSourceFile = host.getSourceFile.bind(host)
    const fileExists = host.fileExists.bind(host)
    const readFile = host.readFile.bind(host)
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const s = virtual.get(resolve(fileName))
      return s === undefined
        ? getSourceFile(fileName, languageVersion, onError, shouldCreate)
        : ts.createSourceFile(fileName, s.code, languageVersion, true)
    }
    host.fileExists = (fileName) => virtual.has(resolve(fileName)) || fileExists(fileName)
    host.readFile = (fileName) => virtual.get(resolve(fileName))?.code ?? readFile(fileName)
    const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host })
    const problems = [...virtual.entries()].flatMap(([fileName, s]) => {
      const sf = program.getSourceFile(fileName)
      if (sf === undefined) return [`${s.page}:${s.line}: not compiled`]
      return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
        const at = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line
        return `${s.page}:${s.line + at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
      })
    })
    expect(problems).toEqual([])
    // One program over every snippet: tens of seconds on a loaded machine.
  }, 120_000)

  it('every relative link points to a file that exists', () => {
    const broken = [...pages(docs), ...readmes].flatMap((page) => {
      const text = readFileSync(page, 'utf8')
      return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1] ?? '')
        .filter((target) => !/^(https?:|mailto:|#)/.test(target))
        .map((target) => resolve(dirname(page), target.replace(/#.*$/, '')))
        .filter((target) => !existsSync(target))
        .map((target) => `${relative(root, page)}: ${relative(root, target)}`)
    })
    expect(broken).toEqual([])
  })
})
