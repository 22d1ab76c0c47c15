/**
 * The `--help` texts: what each command does, its options, and an example or two.
 *
 * @since 0.1.0
 */
import { EnvVars } from '@alicred/core'
import type { Style } from './Style.js'

/** The name of an `alicred` command. @category commands @since 0.1.0 */
export type CommandName = 'explain' | 'env' | 'exec' | 'serve' | 'emulator'

/** Every `alicred` command, in the order help lists them. @category commands @since 0.1.0 */
export const COMMANDS: ReadonlyArray<CommandName> = ['explain', 'env', 'exec', 'serve', 'emulator']

/** Whether a string names an `alicred` command. @category commands @since 0.1.0 */
export const isCommand = (s: string): s is CommandName => (COMMANDS as ReadonlyArray<string>).includes(s)

const SUMMARY: Readonly<Record<CommandName, string>> = {
  explain: 'Walk the default credential chain and show what each source says',
  env: 'Print the resolved credentials as environment variable assignments',
  exec: 'Run a command with the resolved credentials in its environment',
  serve: 'Serve the resolved credentials to other processes, on 127.0.0.1',
  emulator: 'Run the credential endpoints emulator (STS, ECS metadata, URI) locally',
}

const COMMON = `  -h, --help          Show this help
      --debug         Show stack traces and error details`

const PROFILE = `      --profile NAME  Use this profile of ~/.aliyun/config.json or ~/.alibabacloud/credentials
                      (default: ${EnvVars.PROFILE}, then the file's current/default profile)`

const TEXT: Readonly<Record<CommandName, (s: Style) => string>> = {
  explain: (s) => `${s.bold('Usage:')} alicred explain [--profile NAME] [--json]

${SUMMARY.explain}: env, OIDC, the Aliyun CLI profile, the INI
profile, the credentials URI and ECS metadata, in that order. Each link is shown as skipped (and why,
naming the variable or file), failed (the error) or chosen, with its time; then the credential's
source, type, masked key id and expiration. Secrets are never shown.

${s.bold('Options:')}
${PROFILE}
      --json          Print the report as JSON
${COMMON}

Exit status: 0 when credentials were found, 1 when not.
`,
  env: (s) => `${s.bold('Usage:')} alicred env [--profile NAME] [--format sh|fish|powershell|dotenv|json]

${SUMMARY.env}
(${EnvVars.ACCESS_KEY_ID}, ${EnvVars.ACCESS_KEY_SECRET}, ${EnvVars.SECURITY_TOKEN}), quoted for
the chosen shell. An AccessKey pair also unsets ${EnvVars.SECURITY_TOKEN}.

${s.bold('Options:')}
${PROFILE}
      --format FORMAT sh (default), fish, powershell, dotenv or json
${COMMON}

${s.bold('Examples:')}
  eval "$(alicred env)"
  alicred env --format fish | source
  alicred env --format powershell | Invoke-Expression
  alicred env --profile prod --format dotenv > .env
`,
  exec: (s) => `${s.bold('Usage:')} alicred exec [--profile NAME] [--] COMMAND [ARGS...]

${SUMMARY.exec}. The command runs without a
shell; SIGINT, SIGTERM and SIGHUP are passed on to it (on a terminal, Ctrl-C reaches it directly, once);
its exit code is returned (128 + the signal number if a signal ended it; 127 if it does not exist).

${s.bold('Options:')}
${PROFILE}
${COMMON}

${s.bold('Examples:')}
  alicred exec -- aliyun sts GetCallerIdentity
  alicred exec --profile prod -- node deploy.js --dry-run
`,
  serve: (s) => `${s.bold('Usage:')} alicred serve [--profile NAME] [--port N] [--token]

${SUMMARY.serve}, in the credentials-URI format
that every Alibaba Cloud SDK reads. Prints ${EnvVars.CREDENTIALS_URI}=http://127.0.0.1:PORT/<random>;
set it in other processes and they share this one cache and refresh. Only GET on that exact path is
answered. Serves STS credentials (a ram_role_arn profile, ECS role, OIDC, ...), refreshed before they
expire. Runs until Ctrl-C.

${s.bold('Options:')}
${PROFILE}
      --port N        Port on 127.0.0.1 (default: any free port)
      --token         Also require Authorization: Bearer <token>, and print the token as
                      ALICRED_CREDENTIALS_URI_TOKEN=... (alicred clients send it; other SDKs cannot)
${COMMON}

${s.bold('Example:')}
  alicred serve --profile dev > uri.env &   # then: export $(cat uri.env)
`,
  emulator: (s) => `${s.bold('Usage:')} alicred emulator [--port N]

${SUMMARY.emulator}, on 127.0.0.1, in the foreground.
Prints the variable that points a shell's default chain at it, its endpoints, and an AccessKey and role
it accepts (fake ones, valid only against the emulator). Runs until Ctrl-C.

${s.bold('Options:')}
      --port N        Port on 127.0.0.1 (default: any free port)
${COMMON}
`,
}

/**
 * The top-level help.
 *
 * @category commands
 * @since 0.1.0
 */
export const main = (s: Style): string => `${s.bold('alicred')}: Alibaba Cloud credentials, explained and shared

${s.bold('Usage:')} alicred <command> [options]

${s.bold('Commands:')}
${COMMANDS.map((c) => `  ${c.padEnd(10)}${SUMMARY[c]}`).join('\n')}

${s.bold('Options:')}
  -h, --help          Show help (also: alicred <command> --help)
  -v, --version       Show the version
      --debug         Show stack traces and error details

Credentials come from the default chain: ALIBABA_CLOUD_* variables, ~/.aliyun/config.json,
~/.alibabacloud/credentials, ${EnvVars.CREDENTIALS_URI}, then ECS metadata (unless
${EnvVars.ECS_METADATA_DISABLED}=true). Colour only on a terminal; NO_COLOR turns it off.
`

/**
 * A command's help.
 *
 * @category commands
 * @since 0.1.0
 */
export const command = (name: CommandName, s: Style): string => TEXT[name](s)
