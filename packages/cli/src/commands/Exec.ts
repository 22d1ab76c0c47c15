/**
 * `alicred exec [--profile P] -- cmd args…`: runs a command (no shell) with the resolved credentials in its
 * environment. SIGINT, SIGTERM and SIGHUP are passed on to it while it runs (SIGINT not when stdin is a terminal: the
 * terminal has sent the child its own), and its exit code comes back: the
 * child's own code, or 128 + the signal number when a signal ended it (as shells report it); 127 when the command
 * does not exist, 126 when it cannot be run.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import * as Args from '../Args.js'
import * as EnvFormat from '../EnvFormat.js'
import { commandError, type Failure, usage } from '../Failure.js'
import { resolve } from '../Resolve.js'
import type { ChildExit, Runtime } from '../Runtime.js'

/** The options of `alicred exec`. @category commands @since 0.1.0 */
export const SPECS: Args.Specs = { profile: { type: 'string' } }

/**
 * The child's environment: this process's, with the credential's variables set (and the token removed for an
 * AccessKey pair).
 *
 * @category commands
 * @since 0.1.0
 */
export const childEnv = (
  base: Readonly<Record<string, string | undefined>>,
  vars: EnvFormat.Assignments,
): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(base)) if (v !== undefined) out[k] = v
  for (const [k, v] of vars) {
    if (v === undefined) delete out[k]
    else out[k] = v
  }
  return out
}

/**
 * The exit code that reports how the child ended, or the failure to start it.
 *
 * @category commands
 * @since 0.1.0
 */
export const exitCodeOf = (file: string, exit: ChildExit): E.Either<Failure, number> => {
  switch (exit._tag) {
    case 'Exited':
      return E.right(exit.code)
    case 'Signaled':
      return E.right(128 + exit.number)
    case 'SpawnFailed':
      return E.left(
        exit.code === 'ENOENT'
          ? commandError('exec', `command not found: ${file}; check the name or your PATH`, 127)
          : exit.code === 'EACCES'
            ? commandError('exec', `cannot run ${file}: permission denied (is it executable?)`, 126)
            : commandError('exec', `cannot run ${file} (${exit.code})`, 126),
      )
  }
}

/**
 * The `exec` command.
 *
 * @category commands
 * @since 0.1.0
 */
export const exec =
  (argv: ReadonlyArray<string>, rt: Runtime): TE.TaskEither<Failure, number> =>
  async () => {
    const split = Args.splitCommand(SPECS, argv)
    const parsed = Args.parse('exec', SPECS, split.options)
    if (E.isLeft(parsed)) return parsed
    const [file, ...args] = split.command
    if (file === undefined || file === '') {
      return E.left(
        usage('exec', 'no command to run; put it after the options, e.g. alicred exec -- aliyun sts GetCallerIdentity'),
      )
    }
    const c = await resolve(rt, 'exec', Args.text(parsed.right.values.profile))
    if (E.isLeft(c)) return c
    const vars = EnvFormat.assignments(c.right)
    if (E.isLeft(vars)) return E.left(commandError('exec', vars.left))
    const child = rt.spawn(file, args, childEnv(rt.env, vars.right))
    // Subscribed until the child has ended: a signal meant for the child must not kill us first and orphan it.
    // On a terminal, Ctrl-C has already reached the child; a second SIGINT would make many programs (docker compose,
    // build tools) skip their graceful shutdown.
    const unsubscribe = rt.signals.subscribe((signal) => {
      if (!(signal === 'SIGINT' && rt.interactive === true)) child.kill(signal)
    })
    try {
      return exitCodeOf(file, await child.exit)
    } finally {
      unsubscribe()
    }
  }
