// Keeps docs/ honest: every ts/js block of README.md, docs/ and the packages' READMEs, and every TSDoc `@example` of
// packages/*/src, typechecks against the current sources (each is a module of its own, compiled with the examples'
// compiler options; fragments included, a TSDoc example with `assert` in scope); every relative link points to a
// file that exists. snippets.test.ts runs the same snippets. The generated docs/api/ is left out.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { allMarkdownSnippets, allTsdocExamples, label, markdownPages, root, type Snippet } from './_snippets.js'

const compilerOptions = (): ts.CompilerOptions => {
  const configPath = join(root, 'examples', 'tsconfig.json')
  const config = ts.readConfigFile(configPath, ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath))
  // No project references and no emit: imports resolve to the sources through `paths`, fresh clone or not.
  const { tsBuildInfoFile: _, ...options } = parsed.options
  return {
    ...options,
    // The CLI's examples import it; the examples' own project does not depend on it.
    paths: { ...options.paths, '@alicred/cli': [join(root, 'packages', 'cli', 'src', 'index.ts')] },
    composite: false,
    incremental: false,
    declaration: false,
    emitDeclarationOnly: false,
    noEmit: true,
  }
}

/** Where the compiler sees a snippet: next to the examples, so it resolves packages as they do. */
const fileNameOf = (s: Snippet): string =>
  resolve(root, 'examples', '.docs', `${label(s).replace(/[^\w.-]+/g, '_')}.${s.lang === 'ts' ? 'ts' : 'js'}`)

/** What the compiler reads, and how many lines it has in front of the snippet's own code. */
const sourceOf = (s: Snippet): { readonly text: string; readonly prelude: number } =>
  s.withAssert ? { text: `import assert from 'node:assert'\n${s.code}`, prelude: 1 } : { text: s.code, prelude: 0 }

const typeProblems = (all: ReadonlyArray<Snippet>): ReadonlyArray<string> => {
  const options = { ...compilerOptions(), allowJs: true, checkJs: true }
  const host = ts.createCompilerHost(options)
  const virtual = new Map(all.map((s) => [fileNameOf(s), s]))
  const getSourceFile = host.getSourceFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  const readFile = host.readFile.bind(host)
  const textOf = (fileName: string): string | undefined => {
    const s = virtual.get(resolve(fileName))
    return s === undefined ? undefined : sourceOf(s).text
  }
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = textOf(fileName)
    return text === undefined
      ? getSourceFile(fileName, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(fileName, text, languageVersion, true)
  }
  host.fileExists = (fileName) => virtual.has(resolve(fileName)) || fileExists(fileName)
  host.readFile = (fileName) => textOf(fileName) ?? readFile(fileName)
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host })
  return [...virtual.entries()].flatMap(([fileName, s]) => {
    const sf = program.getSourceFile(fileName)
    if (sf === undefined) return [`${label(s)}: not compiled`]
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
      const at = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line - sourceOf(s).prelude
      return `${s.page}:${s.line + at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
    })
  })
}

describe('docs/', () => {
  const markdown = allMarkdownSnippets()
  const examples = allTsdocExamples()

  it('has snippets and examples to check', () => {
    expect(markdown.length).toBeGreaterThan(10)
    expect(examples.length).toBeGreaterThan(10)
  })

  it('every ts/js block of the docs and every TSDoc @example typechecks against the current API', () => {
    expect(typeProblems([...markdown, ...examples])).toEqual([])
  })

  it('every relative link points to a file that exists', () => {
    const broken = markdownPages().flatMap((page) => {
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
