/**
 * OIDC (RRSA) in a Kubernetes pod: the ACK pod identity webhook mounts a service-account token and sets three
 * variables; `oidcRoleArn` reads them, re-reads the token file on every refresh (the kubelet rotates it) and calls
 * STS AssumeRoleWithOIDC. The environment is injected (`Env`), so `kubernetes-oidc.test.ts` hands it a pod-like
 * snapshot with the token in a temp directory, and points STS at the emulator.
 *
 * The default chain picks the same three variables up by itself (its `oidc_role_arn` link); it calls the STS
 * endpoint given by `ALIBABA_CLOUD_STS_REGION` / `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`. Build the provider yourself, as
 * here, to choose the endpoint explicitly.
 *
 * @since 0.1.0
 */
import { type Credential, type CredentialsError, type Env, type Provider, Providers } from '@alicred/core'
import { liveCapabilities } from '@alicred/node'
import type * as E from 'fp-ts/lib/Either.js'

/** Where the RRSA webhook mounts the token inside a pod. */
export const RRSA_TOKEN_FILE = '/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token'

/** What the webhook sets in the pod's environment. */
export const rrsaEnv = (o: {
  readonly roleArn: string
  readonly oidcProviderArn: string
  readonly tokenFile?: string
}): Readonly<Record<string, string>> => ({
  ALIBABA_CLOUD_ROLE_ARN: o.roleArn,
  ALIBABA_CLOUD_OIDC_PROVIDER_ARN: o.oidcProviderArn,
  ALIBABA_CLOUD_OIDC_TOKEN_FILE: o.tokenFile ?? RRSA_TOKEN_FILE,
})

/**
 * The pod's credentials: role, provider and token file come from `env` (the options are left out on purpose).
 * Sources read `oidc_role_arn`.
 */
export const podCredentials = (env: Env.Env, stsEndpoint: string): Provider.CachedProvider & { close: () => void } => {
  const caps = liveCapabilities({ env })
  const provider = Providers.oidcRoleArn({ endpoint: stsEndpoint })(caps)
  return Object.assign(provider, { close: caps.close })
}

/** Gets the pod's credential once. */
export const main = async (
  env: Env.Env,
  stsEndpoint: string,
): Promise<E.Either<CredentialsError.CredentialsError, Credential.Credential>> => {
  const provider = podCredentials(env, stsEndpoint)
  try {
    return await provider()()
  } finally {
    provider.close()
  }
}
