/**
 * `@alicred/testing/emulator`, the Node-only part of `@alicred/testing`: the emulator of the Alibaba Cloud credential
 * endpoints (STS, ECS metadata, credentials URI, CloudSSO and OAuth on loopback, with fault injection), a black-holed
 * loopback port for connect timeouts, and open-handle checks. They need `node:http`, `node:net` and
 * `node:worker_threads`; the fakes of `@alicred/testing` itself need none of that and run in every runtime.
 *
 * ```ts
 * import { startEmulator } from '@alicred/testing/emulator'
 * ```
 *
 * @since 0.1.0
 */
export * from '../Blackhole.js'
export * from '../Handles.js'
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
export { type Emulator, type EmulatorOptions, type RequestRecord, startEmulator } from './Emulator.js'
export type { Fault, FaultSpec, RouteName, RoutePattern, Schedule } from './Faults.js'
export type { ImdsOptions } from './Metadata.js'
export type { OAuthAccessTokenSpec, OAuthOptions, OAuthRefreshTokenSpec } from './OAuth.js'
