/**
 * Role chaining: an ECS instance uses its own RAM role (instance metadata) to assume a second role with STS
 * AssumeRole — e.g. a build machine that deploys with a narrower `deployer` role. `ramRoleArn` takes any provider as
 * its `source`, so chains of any depth compose; the source is asked again on each refresh, and both links cache.
 *
 * Both endpoints are injected: `role-chaining.test.ts` points them at the emulator on 127.0.0.1 (in production leave
 * them out: `http://100.100.100.200` and `sts.aliyuncs.com`, or `sts[-vpc].<region>.aliyuncs.com` from `region`).
 *
 * @since 0.1.0
 */
import { type Capabilities, type Credential, type CredentialsError, type Provider, Providers } from '@alicred/core'
import type * as E from 'fp-ts/lib/Either.js'

/** Where the metadata service and STS are. */
export interface Endpoints {
  readonly metadataBaseUrl: string
  readonly stsEndpoint: string
}

/** The `deployer` role, assumed with the instance's role credentials. Sources read `ram_role_arn/ecs_ram_role`. */
export const deployer = (caps: Capabilities, endpoints: Endpoints, roleArn: string): Provider.CachedProvider =>
  Providers.ramRoleArn({
    source: Providers.ecsRamRole({ metadataBaseUrl: endpoints.metadataBaseUrl })(caps),
    roleArn,
    roleSessionName: 'deploy',
    durationSeconds: 3600,
    endpoint: endpoints.stsEndpoint,
  })(caps)

/** Gets the chained credential once. */
export const main = (
  caps: Capabilities,
  endpoints: Endpoints,
  roleArn: string,
): Promise<E.Either<CredentialsError.CredentialsError, Credential.Credential>> => deployer(caps, endpoints, roleArn)()()
