// The reference library, `@alicloud/credentials` 2.4.7, pointed at loopback.
//
// It builds every STS URL as `https://<stsEndpoint>/` (the protocol is hard-coded) and every metadata URL as
// `http://100.100.100.200/…`. Neither can be configured, so, exactly as its own unit tests do, we replace the
// provider's `doRequest` field. The replacement forwards to the reference's own `doRequest` (its real HTTP client,
// httpx) with the protocol switched to plain http and, for metadata, the host switched to a loopback address: the
// reference still signs, serialises, sends and parses every request itself; only the scheme and host differ.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** @type {any} */
export const ref = require('@alicloud/credentials')
/** @type {{ doRequest: (req: any) => Promise<any> }} */
const http = require('@alicloud/credentials/dist/src/providers/http.js')

/** The reference's default export (`Credential`) and `Config`. */
export const Credential = ref.default
export const Config = ref.Config

/**
 * A copy of a reference `Request` with some fields replaced (it is a class with readonly fields and a
 * `toRequestURL` method on its prototype).
 * @param {any} req
 * @param {Record<string, unknown>} patch
 */
const rewrite = (req, patch) => Object.assign(Object.create(Object.getPrototypeOf(req)), req, patch)

/**
 * Makes a reference provider send its requests over plain http to `host` (`127.0.0.1:<port>`); `onRequest` is told
 * about each one. Throws if the provider has no `doRequest` field (the stub would silently not apply).
 * @param {any} provider
 * @param {string} host
 * @param {() => void} [onRequest]
 */
export const toLoopback = (provider, host, onRequest) => {
  if (typeof provider?.doRequest !== 'function') throw new Error('reference provider has no doRequest field to stub')
  /** @param {any} req */
  provider.doRequest = (req) => {
    onRequest?.()
    return http.doRequest(rewrite(req, { protocol: 'http', host }))
  }
  return provider
}

/**
 * The provider behind a reference `Credential` (`credential.credential.provider`).
 * @param {any} credential
 */
export const providerOf = (credential) => {
  const p = credential?.credential?.provider
  if (p === undefined) throw new Error('reference Credential has no provider')
  return p
}

/**
 * The reference's default chain, kept on loopback:
 *
 * - its ECS metadata provider (built unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`) is sent to `metadataHost`
 *   instead of 100.100.100.200;
 * - its credentials-URI provider is built even when `ALIBABA_CLOUD_CREDENTIALS_URI` is unset and then requests
 *   `https://undefined/` on every call (a DNS lookup of the name `undefined`, off this machine). That request is
 *   answered here, without any I/O, with the error an unresolvable name gives, and counted.
 *
 * @param {{ readonly metadataHost?: string, readonly onMetadataRequest?: () => void, readonly onUndefinedUri?: () => void }} options
 */
export const defaultChainOnLoopback = (options) => {
  const credential = new Credential()
  /** @type {ReadonlyArray<any>} */
  const providers = providerOf(credential).providers
  const ecs = providers.filter((p) => p instanceof ref.ECSRAMRoleCredentialsProvider)
  if (ecs.length > 0 && options.metadataHost === undefined) throw new Error('the reference built an ECS provider')
  for (const p of ecs) toLoopback(p, /** @type {string} */ (options.metadataHost), options.onMetadataRequest)
  for (const p of providers.filter((p) => p instanceof ref.URICredentialsProvider)) {
    if (p.credentialsURI !== undefined) throw new Error('a credentials URI is configured')
    p.doRequest = async () => {
      options.onUndefinedUri?.()
      throw Object.assign(new Error('getaddrinfo ENOTFOUND undefined'), { code: 'ENOTFOUND' })
    }
  }
  return { credential, ecs: ecs.length }
}
