/**
 * A generated Tea SDK client (`@alicloud/sts20150401` on `@alicloud/openapi-client`) with alicred's default chain as
 * its `credential`. The drop-in `Client` of `@alicred/node` has the reference's `getCredential()`, so the Tea client
 * signs each request (ACS3-HMAC-SHA256) with whatever the chain found — here a `ram_role_arn` profile of the INI
 * credentials file under `home`.
 *
 * Everything the chain reads is injected: an environment snapshot and a home directory. `tea-client.test.ts` points
 * the profile's `sts_endpoint` and the Tea client's `endpoint` at the emulator on 127.0.0.1.
 *
 * @since 0.1.0
 */
import { Config as OpenApiConfig } from '@alicloud/openapi-client'
import Sts from '@alicloud/sts20150401'
import Client, { liveCapabilities } from '@alicred/node'

// A CommonJS module with `exports.default`: Node's ESM loader hands over the exports object, bundlers the class.
type StsCtor = typeof Sts.default
const StsClient = ((Sts as unknown as { default?: StsCtor }).default ?? Sts) as StsCtor

/** What the program needs from outside. */
export interface TeaOptions {
  /** The process environment to use (a snapshot; `process.env` in a real program). */
  readonly env: Readonly<Record<string, string>>
  /** The home directory (`~/.alibabacloud/credentials`, `~/.aliyun/config.json`). */
  readonly home: string
  /** STS for the Tea client: `host:port` and protocol. */
  readonly sts: { readonly endpoint: string; readonly protocol: 'http' | 'https' }
}

/** Who the Tea client signed as, and which source of the chain gave the credential. */
export interface TeaResult {
  readonly arn: string | undefined
  readonly providerName: string | undefined
}

/** Calls STS `GetCallerIdentity` through the Tea SDK, with the default chain as credential. */
export const main = async (o: TeaOptions): Promise<TeaResult> => {
  const caps = liveCapabilities({ env: o.env, home: o.home })
  try {
    // `new Client()` with no config is the default chain, exactly as `new Credential()` of @alicloud/credentials.
    const credential = new Client(null, null, { capabilities: caps })
    const sts = new StsClient(
      new OpenApiConfig({
        credential, // no cast: the constructor takes an untyped map (only assigning `config.credential` needs one)
        endpoint: o.sts.endpoint,
        protocol: o.sts.protocol,
      }),
    )
    const identity = await sts.getCallerIdentity()
    const { providerName } = await credential.getCredential()
    return { arn: identity.body?.arn, providerName }
  } finally {
    caps.close()
  }
}
