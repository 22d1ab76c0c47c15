/**
 * The Alibaba Cloud credential endpoints emulator (Node only): STS, ECS metadata, credentials URI, CloudSSO and
 * OAuth on loopback, with fault injection.
 *
 * @since 0.1.0
 */
export type { CloudSsoAccessSpec, CloudSsoTokenSpec } from './CloudSso.js'
export type { CredentialsUriOptions } from './CredentialsUri.js'
export type {
  AccessKeySpec,
  Identity,
  KeyPairSpec,
  OidcProviderSpec,
  Role,
  RoleSpec,
  StsCredentialsSpec,
} from './Directory.js'
export { type Emulator, type EmulatorOptions, fakeJwt, type RequestRecord, startEmulator } from './Emulator.js'
export type { Fault, FaultSpec, RouteName, RoutePattern, Schedule } from './Faults.js'
export type { ImdsOptions } from './Metadata.js'
export type { OAuthAccessTokenSpec, OAuthOptions, OAuthRefreshTokenSpec } from './OAuth.js'
