// @alicred/node as a program uses it, run by Deno and Bun through their Node compatibility (node:fs, node:http,
// node:child_process, process.env). The host (NodeRuntimes.test.ts) bakes in where the emulator and the three home
// directories are, and sets the process environment. Prints one RESULT line.
import Client, { Config, defaultProvider, liveFs } from '@alicred/node'

declare const __SETUP__: {
  readonly stsEndpoint: string
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly roleArn: string
  /** Holds ~/.alibabacloud/credentials with a ram_role_arn profile. */
  readonly iniHome: string
  /** Holds ~/.aliyun/config.json with an External profile that runs a command. */
  readonly cliHome: string
}
const S = __SETUP__

const attempt = async (run: () => Promise<unknown>): Promise<unknown> => {
  try {
    return await run()
  } catch (e) {
    return { threw: e instanceof Error ? `${(e as { _tag?: string })._tag ?? e.name}: ${e.message}` : String(e) }
  }
}

const view = (r: {
  _tag: string
  right?: { source: string; type: string }
  left?: { _tag: string; message: string }
}) =>
  r._tag === 'Right'
    ? { source: r.right?.source, type: r.right?.type }
    : { error: r.left?._tag, message: r.left?.message }

const out: Record<string, unknown> = {
  // process.env: ALIBABA_CLOUD_CREDENTIALS_URI set, ECS metadata off, HOME empty.
  'defaultProvider(), credentials URI from process.env over node:http': await attempt(async () =>
    view(await defaultProvider()()()),
  ),
  'new Client().getCredential() (the default chain)': await attempt(async () => {
    const m = await new Client().getCredential()
    return { type: m.type, providerName: m.providerName, id: m.accessKeyId?.startsWith('STS.') }
  }),
  'new Client(new Config({ type: ram_role_arn })) against the emulator': await attempt(async () => {
    const client = new Client(
      new Config({
        type: 'ram_role_arn',
        accessKeyId: S.accessKeyId,
        accessKeySecret: S.accessKeySecret,
        roleArn: S.roleArn,
        roleSessionName: 'in-runtime',
        stsEndpoint: S.stsEndpoint,
      }),
    )
    const m = await client.getCredential()
    return { type: m.type, providerName: m.providerName, id: m.accessKeyId?.startsWith('STS.') }
  }),
  'defaultProvider(): INI profile read with node:fs, AssumeRole signed': await attempt(async () =>
    view(await defaultProvider({ capabilities: { fs: liveFs({ home: S.iniHome }) } })()()),
  ),
  'defaultProvider(): CLI External profile run with node:child_process': await attempt(async () =>
    view(await defaultProvider({ capabilities: { fs: liveFs({ home: S.cliHome }) } })()()),
  ),
}
console.log(`RESULT ${JSON.stringify(out)}`)
