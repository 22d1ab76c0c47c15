import { createServer, type Server } from 'node:net'
import { Providers } from '@alicred/core'
import { nodeHttp } from '@alicred/node'
import { describe, expect, it } from 'vitest'
import { Commands, main } from '../../src/index.js'
import { testRuntime, until } from '../_support/runtime.js'

const URI_LINE = /^export ALIBABA_CLOUD_CREDENTIALS_URI='(http:\/\/127\.0\.0\.1:(\d+)\/credentials)'$/m
const { IDENTITY } = Commands.Emulator

describe('alicred emulator', () => {
  it('runs in the foreground, prints a valid sh script pointing at it, and stops on a signal', async () => {
    const rt = testRuntime()
    const done = main(['emulator'], rt)
    await Promise.race([until(() => URI_LINE.test(rt.out.text)), done])
    const [, uri = '', port] = URI_LINE.exec(rt.out.text)!
    const url = `http://127.0.0.1:${port}`
    expect(rt.out.text).toBe(Commands.Emulator.banner('9.9.9-test', url, uri))
    expect(rt.out.text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))).toEqual([
      `export ALIBABA_CLOUD_CREDENTIALS_URI='${uri}'`,
    ])

    const http = nodeHttp({})
    try {
      const caps = {
        ...testRuntime().capabilities,
        http,
        clock: { now: () => Date.now(), sleep: () => () => Promise.resolve() },
      }
      // the printed URI answers…
      const viaUri = await Providers.credentialsUri({ uri })(caps)()()
      expect(viaUri._tag === 'Right' && viaUri.right.type).toBe('sts')
      // …and so does its STS, with the printed key and role
      const viaSts = await Providers.ramRoleArn({
        source: Providers.staticAccessKey({
          accessKeyId: IDENTITY.accessKeyId,
          accessKeySecret: IDENTITY.accessKeySecret,
        }),
        roleArn: IDENTITY.roleArn,
        endpoint: url,
      })(caps)()()
      expect(viaSts._tag === 'Right' && [viaSts.right.type, viaSts.right.source]).toEqual([
        'sts',
        'ram_role_arn/static_ak',
      ])
    } finally {
      http.close()
    }

    expect(rt.raise('SIGINT')).toBe(1)
    expect(await done).toBe(0)
    expect(rt.err.text).toBe('alicred emulator: stopped\n')
    await expect(fetch(uri)).rejects.toThrow()
  })

  it('a busy port: one line, exit 1', async () => {
    const busy: Server = createServer()
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
    const port = (busy.address() as { port: number }).port
    try {
      const rt = testRuntime()
      expect(await main(['emulator', '--port', String(port)], rt)).toBe(1)
      expect(rt.err.text).toBe(
        `alicred emulator: port ${port} on 127.0.0.1 is already in use; choose another with --port, or leave --port out to take a free one.\n`,
      )
    } finally {
      await new Promise((r) => busy.close(r))
    }
  })
})
