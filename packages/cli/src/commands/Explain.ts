/**
 * `alicred explain [--profile P] [--json]`: walks the default chain and shows every link — skipped (and why),
 * failed (the typed error) or chosen — with its time, then the winning source, type, masked key id and expiration.
 * Never a secret: links report through `Provider.traced`, whose events carry messages and the credential's public
 * view only. Exit 0 when credentials were found, 1 otherwise.
 *
 * @since 0.1.0
 */
import { Chain, Credential, type CredentialsError, EnvVars, Provider } from '@alicred/core'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import * as Args from '../Args.js'
import { describeCredentialsError, type Failure } from '../Failure.js'
import { chainOf, relative } from '../Resolve.js'
import type { Runtime } from '../Runtime.js'
import * as Style from '../Style.js'

/** The options of `alicred explain`. @category commands @since 0.1.0 */
export const SPECS: Args.Specs = { profile: { type: 'string' }, json: { type: 'boolean' } }

/** One link as `explain` shows it. @category commands @since 0.1.0 */
export type LinkReport =
  | {
      readonly link: string
      readonly outcome: 'chosen'
      readonly durationMs: number
      readonly credential: Credential.CredentialView
    }
  | {
      readonly link: string
      readonly outcome: 'skipped' | 'failed'
      readonly durationMs: number
      readonly reason: string
      readonly error: CredentialsError.CredentialsError
    }
  | { readonly link: string; readonly outcome: 'not tried' }

/** What `explain` found. @category commands @since 0.1.0 */
export interface Report {
  /** The profile asked for and where it came from, if any. */
  readonly profile: { readonly name: string; readonly from: 'option' | 'env' } | undefined
  readonly links: ReadonlyArray<LinkReport>
  readonly durationMs: number
  readonly result: E.Either<CredentialsError.CredentialsError, Credential.CredentialView>
}

const linkName = (provider: string): string =>
  provider.startsWith(`${Chain.NAME}/`) ? provider.slice(Chain.NAME.length + 1) : provider

/**
 * Walks the runtime's chain once, recording every link.
 *
 * @category commands
 * @since 0.1.0
 */
export const walk = async (rt: Runtime, profile: string | undefined): Promise<Report> => {
  const events: Array<Provider.TraceEvent> = []
  const options = { trace: (e: Provider.TraceEvent) => events.push(e), ...(profile === undefined ? {} : { profile }) }
  const clock = rt.capabilities.clock
  const start = clock.now()
  const r = await Provider.protect(Chain.NAME)(chainOf(rt, options))()()
  const durationMs = Math.max(0, clock.now() - start)
  const seen = events.map(
    (e): LinkReport =>
      e.outcome === 'success'
        ? { link: linkName(e.provider), outcome: 'chosen', durationMs: e.durationMs, credential: e.credential }
        : {
            link: linkName(e.provider),
            outcome: e.outcome,
            durationMs: e.durationMs,
            reason: e.reason,
            error: e.error,
          },
  )
  const names = new Set(seen.map((l) => l.link))
  const rest = Chain.DEFAULT_LINKS.filter((n) => !names.has(n)).map(
    (link): LinkReport => ({ link, outcome: 'not tried' }),
  )
  const chosen = Chain.chosenProfile(profile, rt.capabilities.env)
  return {
    profile:
      chosen === undefined ? undefined : { name: chosen.name, from: chosen.from === undefined ? 'option' : 'env' },
    links: [...seen, ...(rt.chain === undefined ? rest : [])],
    durationMs,
    result: E.isRight(r) ? E.right(Credential.view(r.right)) : E.left(r.left),
  }
}

const ms = (n: number): string => `${Math.round(n)} ms`

const indentRest = (text: string, pad: string): string => text.split('\n').join(`\n${pad}`)

/**
 * The report for people.
 *
 * @category commands
 * @since 0.1.0
 */
export const renderText = (report: Report, s: Style.Style, now: number): string => {
  const width = Math.max(...report.links.map((l) => l.link.length), 4)
  const pad = ' '.repeat(2 + 2 + width + 2 + 9 + 2 + 8 + 2)
  const profile =
    report.profile === undefined
      ? ''
      : ` (profile '${report.profile.name}'${report.profile.from === 'env' ? ` from ${EnvVars.PROFILE}` : ''})`
  const out: Array<string> = [`${s.bold('Default credential chain')}${profile}`]
  for (const l of report.links) {
    const name = l.link.padEnd(width)
    switch (l.outcome) {
      case 'chosen':
        out.push(
          `  ${s.green('✓')} ${s.bold(name)}  ${s.green('chosen'.padEnd(9))}  ${ms(l.durationMs).padStart(8)}  ${l.credential.source}`,
        )
        break
      case 'skipped':
        out.push(
          `  ${s.dim('–')} ${name}  ${s.yellow('skipped'.padEnd(9))}  ${ms(l.durationMs).padStart(8)}  ${indentRest(l.reason, pad)}`,
        )
        break
      case 'failed':
        out.push(
          `  ${s.red('✗')} ${s.bold(name)}  ${s.red('failed'.padEnd(9))}  ${ms(l.durationMs).padStart(8)}  ${s.red(l.error._tag)}: ${indentRest(l.reason, pad)}`,
        )
        break
      case 'not tried':
        out.push(`  ${s.dim('·')} ${s.dim(name)}  ${s.dim('not tried')}`)
        break
    }
  }
  out.push('')
  if (E.isRight(report.result)) {
    const c = report.result.right
    out.push(`${s.green(s.bold('Credentials found'))} in ${ms(report.durationMs)}`)
    out.push(`  source      ${c.source}`)
    out.push(`  type        ${c.type}`)
    if (c.accessKeyId !== undefined) out.push(`  key id      ${c.accessKeyId}`)
    out.push(
      `  expiration  ${c.expiration === undefined ? 'none (a long-lived credential)' : `${c.expiration.replace(/\.000Z$/, 'Z')} (${relative(now, Date.parse(c.expiration))})`}`,
    )
  } else {
    out.push(`${s.red(s.bold('No credentials'))}: ${describeCredentialsError(report.result.left, false)}`)
  }
  return `${out.join('\n')}\n`
}

/**
 * The report as JSON: `{ found, profile, durationMs, links: [{ link, outcome, durationMs, reason, error }],
 * credential, error }`; errors as their `toJSON()` (tag, provider, message, location or status/code).
 *
 * @category commands
 * @since 0.1.0
 */
export const renderJson = (report: Report): string => {
  const links = report.links.map((l) =>
    l.outcome === 'skipped' || l.outcome === 'failed'
      ? { link: l.link, outcome: l.outcome, durationMs: l.durationMs, reason: l.reason, error: l.error.toJSON() }
      : l,
  )
  const body = {
    found: E.isRight(report.result),
    profile: report.profile ?? null,
    durationMs: report.durationMs,
    links,
    credential: E.isRight(report.result) ? report.result.right : null,
    error: E.isLeft(report.result) ? report.result.left.toJSON() : null,
  }
  return `${JSON.stringify(body, null, 2)}\n`
}

/**
 * The `explain` command: `Right(0)` when credentials were found, `Right(1)` when not.
 *
 * @category commands
 * @since 0.1.0
 */
export const explain =
  (argv: ReadonlyArray<string>, rt: Runtime): TE.TaskEither<Failure, number> =>
  async () => {
    const parsed = Args.parse('explain', SPECS, argv)
    if (E.isLeft(parsed)) return parsed
    const report = await walk(rt, Args.text(parsed.right.values.profile))
    rt.stdout.write(
      parsed.right.values.json === true
        ? renderJson(report)
        : renderText(report, Style.forWriter(rt.stdout, rt.env), rt.capabilities.clock.now()),
    )
    return E.right(E.isRight(report.result) ? 0 : 1)
  }
