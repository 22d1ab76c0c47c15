/**
 * `rsa_key_pair`: STS GenerateSessionAccessKey signed SHA256withRSA with the key pair's private key.
 *
 * The reference's Node implementation cannot work (REFERENCE §2.14, §9.6); this follows the Go SDK's wire format
 * (GET, `SignatureType=PRIVATEKEY`, `SignatureMethod=SHA256withRSA`, RSASSA-PKCS1-v1_5 over SHA-256) with the Python
 * SDK's default endpoint (key pairs exist on the Japan site only). The result is a plain session AccessKey that
 * expires.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { Capabilities } from '../Capabilities.js'
import * as CE from '../CredentialsError.js'
import * as Env from '../Env.js'
import type { CachedProvider, Provider } from '../Provider.js'
import { cachedSource, fail } from '../Provider.js'
import * as StsEndpoint from '../sts/Endpoint.js'
import * as RS from '../sts/RoleSession.js'
import * as StsClient from '../sts/StsClient.js'

/** @since 0.1.0 */
export interface RsaKeyPairOptions {
  readonly publicKeyId: string
  /** Path of the PEM (PKCS#8) private key; or give `privateKey`. */
  readonly privateKeyFile?: string
  /** PEM text of the private key (or its bare base64 DER body). */
  readonly privateKey?: string
  /** 900..3600; default 3600. */
  readonly durationSeconds?: number
  /** Default `sts.ap-northeast-1.aliyuncs.com`. Host or URL, scheme included. */
  readonly endpoint?: string
  /** Allow `http://` to a non-loopback endpoint. Default false. */
  readonly allowInsecureHttp?: boolean
  readonly connectTimeoutMs?: number
  readonly readTimeoutMs?: number
  /** Refresh window; default 15 min. */
  readonly staleMs?: number
  /** Default `alicred/0.1.0`. */
  readonly userAgent?: string
}

/** Key pairs exist on the Japan site only (the Python SDK's default). @since 0.1.0 */
export const RSA_KEY_PAIR_DEFAULT_ENDPOINT = 'sts.ap-northeast-1.aliyuncs.com'

const NAME = 'rsa_key_pair'
const MAX_DURATION_SECONDS = 3600

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * The PKCS#8 PEM block in `text`: a `PRIVATE KEY` block as is, or a bare base64 DER body wrapped in one. Other PEM
 * blocks are refused with the conversion to run. The reason never quotes the text.
 */
const pkcs8Pem = (text: string): E.Either<string, string> => {
  const block = PEM_BLOCK.exec(text)
  if (block !== null) {
    switch (block[1]) {
      case 'PRIVATE KEY':
        return E.right(block[0])
      case 'RSA PRIVATE KEY':
        return E.left(
          'is a PKCS#1 key (BEGIN RSA PRIVATE KEY); convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem`',
        )
      case 'ENCRYPTED PRIVATE KEY':
        return E.left(
          'is encrypted; decrypt it with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem` (keep the result private)',
        )
      default:
        return E.left('holds a PEM block that is not a private key (expected BEGIN PRIVATE KEY)')
    }
  }
  const body = text.replace(/\s+/g, '')
  if (body.length > 0 && body.length % 4 === 0 && BASE64.test(body)) {
    const lines = body.match(/.{1,64}/g) ?? []
    return E.right(`-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----`)
  }
  return E.left('is not a PEM private key (expected BEGIN PRIVATE KEY, PKCS#8)')
}

// jose takes longer to import than the rest of the library, and only this source and oidc_role_arn use it: it is
// loaded on first use, not when the library is imported.
let jose: Promise<typeof import('jose')> | undefined
const loadJose = (): Promise<typeof import('jose')> => {
  jose ??= import('jose')
  return jose
}

/**
 * Imports an RSA private key for `SHA256withRSA` signing from PKCS#8 PEM text (or its bare base64 DER body) with
 * `jose`. The `Left` explains what is wrong with the key without quoting it.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * const r = await Providers.importRsaPrivateKey('not a key')
 * assert.strictEqual(r._tag, 'Left')
 * @since 0.1.0
 */
export const importRsaPrivateKey = async (text: string): Promise<E.Either<string, CryptoKey>> => {
  const pem = pkcs8Pem(text)
  if (E.isLeft(pem)) return pem
  let importPKCS8: typeof import('jose').importPKCS8
  try {
    ;({ importPKCS8 } = await loadJose())
  } catch {
    return E.left('cannot be imported: the jose package, a dependency of @alicred/core, failed to load; reinstall it')
  }
  try {
    return E.right(await importPKCS8(pem.right, 'RS256'))
  } catch {
    return E.left('could not be imported as an RSA private key (PKCS#8 DER inside the PEM block is damaged or not RSA)')
  }
}

type KeySource = { readonly file: string } | { readonly text: string }

const resolve = (o: RsaKeyPairOptions) =>
  pipe(
    E.Do,
    E.apS(
      'publicKeyId',
      pipe(
        Env.nonBlank(o.publicKeyId),
        E.fromNullable(
          new CE.InvalidConfiguration(
            NAME,
            'publicKeyId is not set: give the id of the key pair (from the Security Settings of the Japan site console)',
            { key: 'publicKeyId' },
          ),
        ),
      ),
    ),
    E.apS('key', keySource(o)),
    E.apS('durationSeconds', RS.duration(NAME, MAX_DURATION_SECONDS)(o.durationSeconds)),
    E.apS(
      'endpoint',
      pipe(
        StsEndpoint.baseUrl(Env.nonBlank(o.endpoint) ?? RSA_KEY_PAIR_DEFAULT_ENDPOINT, o.allowInsecureHttp ?? false),
        E.mapLeft((e) => new CE.InvalidConfiguration(NAME, e.message, { key: 'endpoint' })),
      ),
    ),
  )

const keySource = (o: RsaKeyPairOptions): E.Either<CE.InvalidConfiguration, KeySource> => {
  const file = Env.nonBlank(o.privateKeyFile)
  const text = Env.nonBlank(o.privateKey)
  if (file !== undefined && text !== undefined) {
    return E.left(
      new CE.InvalidConfiguration(NAME, 'give either privateKeyFile or privateKey, not both', {
        key: 'privateKeyFile',
      }),
    )
  }
  if (file !== undefined) return E.right({ file })
  if (text !== undefined) return E.right({ text })
  return E.left(
    new CE.InvalidConfiguration(NAME, 'privateKeyFile is not set: give the path of the PEM (PKCS#8) private key', {
      key: 'privateKeyFile',
    }),
  )
}

/**
 * A session AccessKey from an RSA key pair (`source` `rsa_key_pair`), refreshed 15 minutes before it expires. The
 * key file is read on every refresh, so a rotated key is picked up.
 *
 * @example
 * import { Providers } from '@alicred/core'
 * import { fakeCapabilities } from '@alicred/testing'
 * const caps = fakeCapabilities()
 * const r = await Providers.rsaKeyPair({ publicKeyId: 'KP-1', privateKeyFile: '/keys/missing.pem' })(caps)()()
 * assert.strictEqual(r._tag === 'Left' && r.left._tag, 'InvalidConfiguration')
 * @since 0.1.0
 */
export const rsaKeyPair =
  (options: RsaKeyPairOptions) =>
  (caps: Pick<Capabilities, 'fs' | 'http' | 'clock' | 'random' | 'reporter'>): CachedProvider => {
    const resolved = resolve(options)
    const refresh: Provider = E.isLeft(resolved)
      ? fail(resolved.left)
      : () => async () => {
          const { key, publicKeyId, durationSeconds, endpoint } = resolved.right
          const where = 'file' in key ? `the private key file ${key.file}` : 'the privateKey option'
          const location = 'file' in key ? { file: key.file, key: 'privateKeyFile' } : { key: 'privateKey' }
          let text: string
          if ('file' in key) {
            const read = await caps.fs.readFile(key.file)()
            if (E.isLeft(read)) {
              if (read.left.code === 'ENOSYS') {
                return E.left(
                  new CE.NotConfigured(
                    NAME,
                    `${where} cannot be read: ${read.left.message}; give the key itself (privateKey)`,
                  ),
                )
              }
              return E.left(
                read.left.code === 'EIO'
                  ? new CE.SourceFailure(NAME, `${where} could not be read (EIO)`, { retryable: true })
                  : new CE.InvalidConfiguration(
                      NAME,
                      read.left.code === 'ENOENT'
                        ? `${where} does not exist; check privateKeyFile`
                        : read.left.code === 'ENOTFILE' || read.left.code === 'EISDIR'
                          ? `${where} is not a regular file (a directory, FIFO, socket or device); point privateKeyFile at the PEM file itself`
                          : `${where} cannot be read (${read.left.code})`,
                      location,
                    ),
              )
            }
            text = read.right
          } else {
            text = key.text
          }
          const imported = await importRsaPrivateKey(text)
          if (E.isLeft(imported))
            return E.left(new CE.InvalidConfiguration(NAME, `${where} ${imported.left}`, location))
          return StsClient.generateSessionAccessKey(
            { publicKeyId, privateKey: imported.right, durationSeconds },
            { endpoint, provider: NAME, source: NAME, ...RS.transportOf(options) },
          )(caps)()
        }
    return cachedSource(NAME, caps, options)(refresh)
  }
