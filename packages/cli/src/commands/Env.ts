/**
 * `alicred env [--profile P] [--format sh|fish|powershell|dotenv|json]`: prints the resolved credentials as
 * environment variable assignments, quoted for the chosen shell: `eval "$(alicred env)"`.
 *
 * @since 0.1.0
 */
import { Credential, Expiration } from '@alicred/core'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import * as Args from '../Args.js'
import * as EnvFormat from '../EnvFormat.js'
import { commandError, type Failure, usage } from '../Failure.js'
import { resolve } from '../Resolve.js'
import type { Runtime } from '../Runtime.js'

/** The options of `alicred env`. @category commands @since 0.1.0 */
export const SPECS: Args.Specs = { profile: { type: 'string' }, format: { type: 'string' } }

/**
 * `--format`'s value, `sh` when absent.
 *
 * @category commands
 * @since 0.1.0
 */
export const formatOf = (command: string, value: string | boolean | undefined): E.Either<Failure, EnvFormat.Format> => {
  const f = Args.text(value) ?? 'sh'
  return EnvFormat.isFormat(f)
    ? E.right(f)
    : E.left(usage(command, `unknown --format '${f}'; use one of ${EnvFormat.FORMATS.join(', ')}`))
}

/**
 * The comment line printed above the assignments: where they came from and when they expire. No secret.
 *
 * @category commands
 * @since 0.1.0
 */
export const comment = (c: Credential.Credential): string => {
  const v = Credential.view(c)
  return `alicred: ${v.type} credentials from ${v.source}${c.expiration === undefined ? '' : `, expiring ${Expiration.formatTimestamp(c.expiration.getTime())}`}`
}

/**
 * The `env` command.
 *
 * @category commands
 * @since 0.1.0
 */
export const env =
  (argv: ReadonlyArray<string>, rt: Runtime): TE.TaskEither<Failure, number> =>
  async () => {
    const parsed = Args.parse('env', SPECS, argv)
    if (E.isLeft(parsed)) return parsed
    const format = formatOf('env', parsed.right.values.format)
    if (E.isLeft(format)) return format
    const c = await resolve(rt, 'env', Args.text(parsed.right.values.profile))
    if (E.isLeft(c)) return c
    const vars = EnvFormat.assignments(c.right)
    if (E.isLeft(vars)) return E.left(commandError('env', vars.left))
    rt.stdout.write(EnvFormat.render(format.right, vars.right, comment(c.right)))
    return E.right(0)
  }
