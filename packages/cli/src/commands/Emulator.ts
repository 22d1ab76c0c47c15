/**
 * `alicred emulator [--port N]`: runs the Alibaba Cloud credential endpoints emulator (STS, ECS metadata,
 * credentials URI; from `@alicred/testing`) on 127.0.0.1 in the foreground, and prints, as a valid sh script, the
 * variable that points a shell's default chain at it plus (as comments) the endpoints, an AccessKey it accepts and
 * a role that key may assume. Runs until SIGINT, SIGTERM or SIGHUP. The AccessKey is the emulator's own, fake one.
 *
 * @since 0.1.0
 */
import { EnvVars } from '@alicred/core'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import * as Args from '../Args.js'
import { quoteSh } from '../EnvFormat.js'
import { commandError, type Failure } from '../Failure.js'
import type { Runtime } from '../Runtime.js'

/** The options of `alicred emulator`. @category commands @since 0.1.0 */
export const SPECS: Args.Specs = { port: { type: 'string' } }

/**
 * The identity the emulator starts with. Not a real key: it only works against the emulator.
 *
 * @category commands
 * @since 0.1.0
 */
export const IDENTITY = {
  accountId: '1234567890123456',
  accessKeyId: 'LTAIalicredEmulatorKey',
  accessKeySecret: 'alicred-emulator-secret-not-real',
  roleName: 'alicred-emulator',
  roleArn: 'acs:ram::1234567890123456:role/alicred-emulator',
} as const

/**
 * What `emulator` prints once it listens on `url` (`http://127.0.0.1:<port>`).
 *
 * @category commands
 * @since 0.1.0
 */
export const banner = (version: string, url: string, credentialsUri: string): string => {
  const host = url.replace(/^http:\/\//, '')
  return [
    `# alicred emulator ${version}: STS, ECS metadata and a credentials URI on ${url} (loopback only). Ctrl-C to stop.`,
    `# To point a shell's default credential chain at it:`,
    `export ${EnvVars.CREDENTIALS_URI}=${quoteSh(credentialsUri)}`,
    '#',
    `# STS endpoint        ${url}   (Tea clients: endpoint '${host}', protocol 'http')`,
    `# ECS metadata        ${url}   (in place of http://100.100.100.200)`,
    `# AccessKey           ${IDENTITY.accessKeyId} / ${IDENTITY.accessKeySecret}   (fake; the emulator's own)`,
    `# Role it may assume  ${IDENTITY.roleArn}   (also the ECS instance role '${IDENTITY.roleName}')`,
    '# As a profile in ~/.alibabacloud/credentials:',
    '#   [emulator]',
    '#   type = ram_role_arn',
    `#   access_key_id = ${IDENTITY.accessKeyId}`,
    `#   access_key_secret = ${IDENTITY.accessKeySecret}`,
    `#   role_arn = ${IDENTITY.roleArn}`,
    `#   sts_endpoint = ${url}`,
    '',
  ].join('\n')
}

/**
 * The `emulator` command.
 *
 * @category commands
 * @since 0.1.0
 */
export const emulator =
  (argv: ReadonlyArray<string>, rt: Runtime): TE.TaskEither<Failure, number> =>
  async () => {
    const parsed = Args.parse('emulator', SPECS, argv)
    if (E.isLeft(parsed)) return parsed
    const port = Args.port('emulator', parsed.right.values.port)
    if (E.isLeft(port)) return port
    let emu: Awaited<ReturnType<Runtime['startEmulator']>>
    try {
      emu = await rt.startEmulator({
        host: '127.0.0.1',
        port: port.right,
        accountId: IDENTITY.accountId,
        accessKeys: [{ accessKeyId: IDENTITY.accessKeyId, accessKeySecret: IDENTITY.accessKeySecret }],
        roles: [{ roleArn: IDENTITY.roleArn }],
        imds: { roleName: IDENTITY.roleName, roleArn: IDENTITY.roleArn },
        credentialsUri: { roleArn: IDENTITY.roleArn },
      })
    } catch (u) {
      const code = (u as { code?: unknown }).code
      return E.left(
        code === 'EADDRINUSE'
          ? commandError(
              'emulator',
              `port ${port.right} on 127.0.0.1 is already in use; choose another with --port, or leave --port out to take a free one`,
            )
          : commandError(
              'emulator',
              `cannot start the emulator (${typeof code === 'string' ? code : 'see --debug'})`,
              1,
              u,
            ),
      )
    }
    rt.stdout.write(banner(rt.version, emu.url, emu.credentialsUri))
    await new Promise<void>((resolve) => {
      const unsubscribe = rt.signals.subscribe(() => {
        unsubscribe()
        resolve()
      })
    })
    await emu.stop()
    rt.stderr.write('alicred emulator: stopped\n')
    return E.right(0)
  }
