/**
 * Credentials as environment variable assignments, quoted for each shell so that any value (quotes, `$`,
 * backslashes, spaces) arrives verbatim: `eval "$(alicred env)"`, `alicred env --format fish | source`,
 * `alicred env --format powershell | Invoke-Expression`, a `.env` file, or JSON.
 *
 * @since 0.1.0
 */
import { type Credential, EnvVars } from '@alicred/core'
import * as E from 'fp-ts/Either'

/** An output format of `alicred env`. @category commands @since 0.1.0 */
export type Format = 'sh' | 'fish' | 'powershell' | 'dotenv' | 'json'

/** Every output format of `alicred env`. @category commands @since 0.1.0 */
export const FORMATS: ReadonlyArray<Format> = ['sh', 'fish', 'powershell', 'dotenv', 'json']

/** Whether a string names an output format. @category commands @since 0.1.0 */
export const isFormat = (s: string): s is Format => (FORMATS as ReadonlyArray<string>).includes(s)

/** The variables the default chain's `env` link reads. @category commands @since 0.1.0 */
export const VARS = {
  id: EnvVars.ACCESS_KEY_ID,
  secret: EnvVars.ACCESS_KEY_SECRET,
  token: EnvVars.SECURITY_TOKEN,
} as const

/** Name → value, in print order; `undefined` means "unset it". @category commands @since 0.1.0 */
export type Assignments = ReadonlyArray<readonly [string, string | undefined]>

/**
 * The assignments for a credential. An `access_key` credential unsets `ALIBABA_CLOUD_SECURITY_TOKEN`, so a token
 * left in the shell from an earlier session cannot turn the pair into a broken STS credential. A bearer token has no
 * environment variable in any Alibaba Cloud SDK: `Left` with the reason.
 *
 * @example
 * import { Credential } from '@alicred/core'
 * import { EnvFormat } from '@alicred/cli'
 * const c = Credential.accessKey({ accessKeyId: 'id', accessKeySecret: 's', source: 'env' })
 * assert.deepStrictEqual(EnvFormat.assignments(c), { _tag: 'Right', right: [
 *   ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'id'], ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 's'], ['ALIBABA_CLOUD_SECURITY_TOKEN', undefined],
 * ] })
 * @category commands
 * @since 0.1.0
 */
export const assignments = (c: Credential.Credential): E.Either<string, Assignments> =>
  c.type === 'bearer'
    ? E.left(
        `the credential from ${c.source} is a bearer token, which no Alibaba Cloud SDK reads from the environment; use an AccessKey or STS source`,
      )
    : E.right([
        [VARS.id, c.accessKeyId],
        [VARS.secret, c.accessKeySecret],
        [VARS.token, c.type === 'sts' ? c.securityToken : undefined],
      ])

/**
 * POSIX sh single quotes: nothing inside is special; a `'` is closed, escaped and reopened.
 *
 * @category commands
 * @since 0.1.0
 */
export const quoteSh = (v: string): string => `'${v.replaceAll("'", `'\\''`)}'`

/** fish single quotes: only `\` and `'` are special, each escaped with a backslash. @category commands @since 0.1.0 */
export const quoteFish = (v: string): string => `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`

/**
 * PowerShell single quotes (a verbatim string): a quote, straight or typographic, is doubled.
 *
 * @category commands
 * @since 0.1.0
 */
export const quotePowerShell = (v: string): string => `'${v.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`

/**
 * dotenv: single quotes (taken literally by dotenv, docker compose and python-dotenv) when the value has no `'` or
 * line break; otherwise double quotes with `\`, `"`, `$` and line breaks escaped.
 *
 * @category commands
 * @since 0.1.0
 */
export const quoteDotenv = (v: string): string =>
  /['\r\n]/.test(v)
    ? `"${v
        .replaceAll('\\', '\\\\')
        .replaceAll('"', '\\"')
        .replaceAll('$', '\\$')
        .replaceAll('\r', '\\r')
        .replaceAll('\n', '\\n')}"`
    : `'${v}'`

const line = (format: Exclude<Format, 'json'>, name: string, value: string | undefined): string | undefined => {
  switch (format) {
    case 'sh':
      return value === undefined ? `unset ${name}` : `export ${name}=${quoteSh(value)}`
    case 'fish':
      return value === undefined ? `set -e ${name}` : `set -gx ${name} ${quoteFish(value)}`
    case 'powershell':
      return value === undefined
        ? `Remove-Item Env:${name} -ErrorAction SilentlyContinue`
        : `$Env:${name} = ${quotePowerShell(value)}`
    case 'dotenv':
      return value === undefined ? undefined : `${name}=${quoteDotenv(value)}`
  }
}

/**
 * Renders assignments in `format` (ending in a newline). `comment` (one line, no secret) is put first as a `#`
 * comment in every format but JSON.
 *
 * @example
 * import { EnvFormat } from '@alicred/cli'
 * assert.strictEqual(EnvFormat.render('sh', [['A', "it's"], ['B', undefined]]), "export A='it'\\''s'\nunset B\n")
 * @category commands
 * @since 0.1.0
 */
export const render = (format: Format, vars: Assignments, comment?: string): string => {
  if (format === 'json') {
    const o: Record<string, string> = {}
    for (const [k, v] of vars) if (v !== undefined) o[k] = v
    return `${JSON.stringify(o, null, 2)}\n`
  }
  const lines = vars.map(([k, v]) => line(format, k, v)).filter((l): l is string => l !== undefined)
  const head = comment === undefined ? [] : [`# ${comment.replace(/[\r\n]+/g, ' ')}`]
  return `${[...head, ...lines].join('\n')}\n`
}
