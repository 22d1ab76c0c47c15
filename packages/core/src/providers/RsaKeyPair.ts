/**
 * `rsa_key_pair`: STS GenerateSessionAccessKey signed SHA256withRSA with the key pair's private key.
 *
 * @since 0.1.0
 */
import type { Capabilities } from '../Capabilities.js'
import type { CachedProvider } from '../Provider.js'
import { cached } from '../Provider.js'
import { pending } from './_pending.js'

/** @since 0.1.0 */
export interface RsaKeyPairOptions {
  readonly publicKeyId: string
  /** Path of the PEM (PKCS#8) private key; or give `privateKey`. */
  readonly privateKeyFile?: string
  /** PEM text of the private key. */
  readonly privateKey?: string
  /** 900..3600; default 3600. */
  readonly durationSeconds?: number
  /** Default `sts.ap-northeast-1.aliyuncs.com`. */
  readonly endpoint?: string
  readonly connectTimeoutMs?: number
  readonly readTimeoutMs?: number
}

/** @since 0.1.0 */
export const rsaKeyPair =
  (_options: RsaKeyPairOptions) =>
  (caps: Pick<Capabilities, 'fs' | 'http' | 'clock' | 'random'>): CachedProvider =>
    cached({ clock: caps.clock, name: 'rsa_key_pair' })(pending('rsa_key_pair'))
