// The non-regular-file matrix: every source that reads a file (the INI credentials file, the Aliyun CLI's
// config.json, the OIDC token file, the RSA private key file, the default chain's default paths) is pointed at each
// kind of thing that is not a regular file — a FIFO nobody writes, a listening Unix socket, a directory, and the
// devices /dev/zero, /dev/urandom and /dev/null — over the live Fs of @alicred/node. Every call must settle quickly
// with a typed InvalidConfiguration naming the path, and unrelated fs calls must keep working while they run (a
// FIFO opened for reading without a writer would hold a libuv pool thread forever).
import * as fs from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { Chain, CredentialsError, type Provider, Providers } from '@alicred/core'
import { type LiveCapabilities, liveCapabilities } from '@alicred/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkfifo, type SpecialFile, type SpecialFiles, specialFiles, wakeFifo } from '../helpers/specialFiles.js'

const isPosix = process.platform !== 'win32'

let dir: string
let special: SpecialFiles
beforeAll(async () => {
  if (!isPosix) return
  dir = await fs.mkdtemp(path.join(tmpdir(), 'alicred-nonregular-'))
  special = await specialFiles(dir)
})
afterAll(async () => {
  if (!isPosix) return
  await special.release()
  await fs.rm(dir, { recursive: true, force: true })
})

const OIDC_ENV = {
  ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/r',
  ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1:oidc-provider/p',
}

/** A source reading `file`, with the capabilities it runs on. */
type Reader = (file: string, home: string) => { readonly caps: LiveCapabilities; readonly provider: Provider.Provider }

const live = (env: Readonly<Record<string, string>>, home: string): LiveCapabilities =>
  liveCapabilities({ env: { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ...env }, home })

const readers: ReadonlyArray<readonly [string, Reader]> = [
  [
    'INI profile (ALIBABA_CLOUD_CREDENTIALS_FILE)',
    (file, home) => {
      const caps = live({ ALIBABA_CLOUD_CREDENTIALS_FILE: file }, home)
      return { caps, provider: Providers.iniProfile()(caps) }
    },
  ],
  [
    'INI profile (option file)',
    (file, home) => {
      const caps = live({}, home)
      return { caps, provider: Providers.iniProfile({ file })(caps) }
    },
  ],
  [
    'CLI profile (ALIBABA_CLOUD_CONFIG_FILE)',
    (file, home) => {
      const caps = live({ ALIBABA_CLOUD_CONFIG_FILE: file }, home)
      return { caps, provider: Providers.cliProfile()(caps) }
    },
  ],
  [
    'oidc_role_arn (token file)',
    (file, home) => {
      const caps = live({ ...OIDC_ENV, ALIBABA_CLOUD_OIDC_TOKEN_FILE: file }, home)
      return { caps, provider: Providers.oidcRoleArn({})(caps) }
    },
  ],
  [
    'rsa_key_pair (private key file)',
    (file, home) => {
      const caps = live({}, home)
      return { caps, provider: Providers.rsaKeyPair({ publicKeyId: 'KP-1', privateKeyFile: file })(caps) }
    },
  ],
  [
    'default chain (OIDC token file from the env)',
    (file, home) => {
      const caps = live({ ...OIDC_ENV, ALIBABA_CLOUD_OIDC_TOKEN_FILE: file }, home)
      return { caps, provider: Chain.defaultChain(caps) }
    },
  ],
]

/** Settles `p`, or says it is still waiting after `ms`: a hang fails the assertion instead of the run. */
const settled = <A>(p: Promise<A>, ms = 3_000): Promise<A | 'still waiting'> =>
  Promise.race([p, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms).unref())])

describe.skipIf(!isPosix)('non-regular-file matrix', () => {
  const cases = (): ReadonlyArray<readonly [string, Reader, SpecialFile]> =>
    readers.flatMap(([name, reader]) => special.files.map((f) => [name, reader, f] as const))

  it('every file-reading source refuses every kind of non-regular file with a typed error naming the path', async () => {
    const all = cases()
    expect(all.length).toBe(readers.length * 6)
    const plain = path.join(dir, 'plain')
    await fs.writeFile(plain, 'plain')
    for (const [name, reader, file] of all) {
      const { caps, provider } = reader(file.path, dir)
      try {
        const r = await settled(provider()())
        const where = `${name} on a ${file.kind} (${file.path})`
        expect(r, where).not.toBe('still waiting')
        if (r === 'still waiting' || r._tag === 'Right') throw new Error(`${where}: ${String(r)}`)
        expect(CredentialsError.isCredentialsError(r.left), where).toBe(true)
        expect(r.left._tag, `${where}: ${r.left.message}`).toBe('InvalidConfiguration')
        expect(r.left.message, where).toContain(file.path)
        expect(r.left.message, where).toMatch(/not a regular file|is a directory/)
        // the pool is still free for everyone else
        expect(await settled(fs.readFile(plain, 'utf8')), where).toBe('plain')
      } finally {
        caps.close()
      }
    }
  })

  it('the default chain stops at a FIFO at ~/.alibabacloud/credentials and ~/.aliyun/config.json', async () => {
    for (const at of [
      ['.alibabacloud', 'credentials'],
      ['.aliyun', 'config.json'],
    ] as const) {
      const home = await fs.mkdtemp(path.join(dir, 'home-'))
      await fs.mkdir(path.join(home, at[0]))
      const fifo = path.join(home, ...at)
      mkfifo(fifo)
      const caps = live({}, home)
      try {
        const r = await settled(Chain.defaultChain(caps)()())
        expect(r).not.toBe('still waiting')
        if (r === 'still waiting' || r._tag === 'Right') throw new Error(String(r))
        expect([r.left._tag, r.left.message.includes(fifo)]).toEqual(['InvalidConfiguration', true])
      } finally {
        caps.close()
        await wakeFifo(fifo)
      }
    }
  })
})
