// What every scenario shares: the libraries under test, the emulator, and fixed test identities.
import net from 'node:net'
import { startEmulator } from '@alicred/testing/emulator'

export const ACCOUNT = '1234567890123456'
export const ROLE = `acs:ram::${ACCOUNT}:role/bench`
export const AK = Object.freeze({ accessKeyId: 'LTAI5tBenchUser', accessKeySecret: 'bench-secret-value' })

/**
 * An emulator on 127.0.0.1 that knows `AK` and `ROLE`.
 * @param {import('@alicred/testing/emulator').EmulatorOptions} [options]
 */
export const emulator = (options = {}) => startEmulator({ accessKeys: [AK], roles: [{ roleArn: ROLE }], ...options })

/**
 * A loopback port with nothing listening on it (bound, then released).
 * @returns {Promise<number>}
 */
export const closedPort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
