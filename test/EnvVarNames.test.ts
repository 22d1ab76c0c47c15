// The rule "one place for each piece of knowledge" (issue 15) for environment variable names: every
// `ALIBABA_CLOUD_*` name is a string literal in packages/core/src/EnvVars.ts only; everything else in a package's
// src/ refers to those constants (`EnvVars.PROFILE`). The check is on string and template literals (comments and
// TSDoc may name variables freely). `ALIBABA_CLOUD_*`, the family written as a pattern, names no variable.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const HOME = 'packages/core/src/EnvVars.ts'

// Files still spelling names. Empty since the node facade takes its environment fallbacks from core's `Config`
// (issue 15); the second test fails once a file here no longer spells a name, so this list can only shrink.
const ALLOWED: ReadonlyArray<string> = []

const NAME = /ALIBABA_CLOUD_(?!\*)/

interface Found {
  readonly file: string
  /** 1-based line the literal starts on. */
  readonly line: number
  readonly text: string
}

const literalsNaming = (file: string, text: string): ReadonlyArray<Found> => {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const out: Array<Found> = []
  const visit = (n: ts.Node): void => {
    if (
      (ts.isStringLiteralLike(n) ||
        ts.isTemplateHead(n) ||
        ts.isTemplateMiddle(n) ||
        ts.isTemplateTail(n) ||
        ts.isRegularExpressionLiteral(n)) &&
      NAME.test(n.getText(sf))
    ) {
      out.push({ file, line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, text: n.getText(sf) })
    }
    ts.forEachChild(n, visit)
  }
  visit(sf)
  return out
}

const root = fileURLToPath(new URL('..', import.meta.url))

const sourceFiles = (): ReadonlyArray<string> =>
  readdirSync(`${root}packages`, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(`${root}packages/${d.name}/src`, { recursive: true, encoding: 'utf8' }).map(
        (f) => `packages/${d.name}/src/${f.split('\\').join('/')}`,
      ),
    )
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()

const show = (f: Found): string => `${f.file}:${f.line} ${f.text.slice(0, 80)}`

describe(`ALIBABA_CLOUD_* names are string literals in ${HOME} only`, () => {
  const files = sourceFiles()
  const found = files.flatMap((f) => literalsNaming(f, readFileSync(`${root}${f}`, 'utf8')))

  it('holds, apart from the allowed files (use the EnvVars constant instead)', () => {
    expect(found.filter((f) => f.file !== HOME && !ALLOWED.includes(f.file)).map(show)).toEqual([])
  })

  it('every allowed file still spells a name (remove the entries that do not)', () => {
    expect(ALLOWED.filter((a) => !found.some((f) => f.file === a))).toEqual([])
  })

  it('reads the sources of every package, and finds the names where they live', () => {
    const packages = new Set(files.map((f) => f.split('/')[1]))
    expect([...packages].sort()).toEqual(['cli', 'core', 'node', 'testing'])
    expect(found.filter((f) => f.file === HOME).length).toBeGreaterThanOrEqual(17)
  })
})

describe('literalsNaming', () => {
  it('finds names in string, template and regular expression literals, not in comments or identifiers', () => {
    const src = [
      '// ALIBABA_CLOUD_PROFILE in a comment',
      '/** `ALIBABA_CLOUD_PROFILE` in TSDoc */',
      "const a = 'ALIBABA_CLOUD_PROFILE'",
      'const b = "x ALIBABA_CLOUD_ROLE_ARN y"',
      'const c = `no substitution ALIBABA_CLOUD_X`',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text holding a template literal
      'const d = `${a} then ALIBABA_CLOUD_Y ${b} and ALIBABA_CLOUD_Z`',
      'const e = /^ALIBABA_CLOUD_/',
      "const f = 'the ALIBABA_CLOUD_* variables'",
      'const ALIBABA_CLOUD_G = EnvVars.PROFILE',
    ].join('\n')
    expect(literalsNaming('x.ts', src).map((f) => [f.line, f.text])).toEqual([
      [3, "'ALIBABA_CLOUD_PROFILE'"],
      [4, '"x ALIBABA_CLOUD_ROLE_ARN y"'],
      [5, '`no substitution ALIBABA_CLOUD_X`'],
      [6, '} then ALIBABA_CLOUD_Y ${'],
      [6, '} and ALIBABA_CLOUD_Z`'],
      [7, '/^ALIBABA_CLOUD_/'],
    ])
  })
})
