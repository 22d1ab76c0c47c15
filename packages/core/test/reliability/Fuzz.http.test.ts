// Fuzzing the decoders of the other remote answers — ECS metadata (token, role name, credentials), credentials URI,
// CloudSSO, OAuth (token refresh and exchange) over fakeHttp, and External's command output over fakeExec — with
// arbitrary answers (see _answers.ts). Every outcome is a credential or a typed CredentialsError within a deadline;
// no secret — of the configuration, echoed back by the server, or in the answer's credential fields — is ever in an
// error.
import { Providers } from '@alicred/core'
import { fakeCapabilities } from '@alicred/testing'
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { answers, fuzzAnswers, type Remote, T0 } from './_answers.js'
import { AK_SECRET, checkOutcome, OAUTH_ACCESS, OAUTH_REFRESH, RUNS, run, SECRETS, SSO_ACCESS } from './_support.js'

// ---------------------------------------------------------------------------------------------------------------
// sources
// ---------------------------------------------------------------------------------------------------------------

const remotes: ReadonlyArray<Remote> = [
  {
    name: 'ecs_ram_role (metadata: token, role name, credentials)',
    run: (caps) => Providers.ecsRamRole({})(caps)()(),
    echo: () => [],
    secrets: () => SECRETS,
  },
  {
    name: 'ecs_ram_role with a role name, IMDSv2 only',
    run: (caps) => Providers.ecsRamRole({ roleName: 'my-role', disableIMDSv1: true })(caps)()(),
    echo: () => [],
    secrets: () => SECRETS,
  },
  {
    name: 'credentials_uri',
    run: (caps) => Providers.credentialsUri({ uri: 'http://127.0.0.1:8080/creds' })(caps)()(),
    echo: () => [],
    secrets: () => SECRETS,
  },
  {
    name: 'cloud_sso',
    run: (caps) =>
      Providers.cloudSso({
        signInUrl: 'http://127.0.0.1:9000/login',
        accountId: '1234567890',
        accessConfig: 'ac-1',
        accessToken: SSO_ACCESS,
        accessTokenExpire: T0 / 1000 + 8 * 3600,
      })(caps)()(),
    echo: () => [SSO_ACCESS],
    secrets: () => SECRETS,
  },
  {
    name: 'oauth (token refresh, then exchange)',
    run: (caps) =>
      Providers.oauth({
        signInUrl: 'http://127.0.0.1:9100',
        clientId: 'client-1',
        refreshToken: OAUTH_REFRESH,
        accessToken: OAUTH_ACCESS,
        accessTokenExpire: T0 / 1000 - 1,
        onUpdate: async () => {},
      })(caps)()(),
    echo: () => [OAUTH_REFRESH, OAUTH_ACCESS],
    secrets: () => SECRETS,
  },
  {
    name: 'oauth (valid access token: exchange only)',
    run: (caps) =>
      Providers.oauth({
        signInUrl: 'http://127.0.0.1:9100',
        clientId: 'client-1',
        refreshToken: OAUTH_REFRESH,
        accessToken: OAUTH_ACCESS,
        accessTokenExpire: T0 / 1000 + 7200,
      })(caps)()(),
    echo: () => [OAUTH_ACCESS],
    secrets: () => SECRETS,
  },
]

fuzzAnswers('fuzz: answers to $name', remotes)

// External: the answer is a command's output rather than an HTTP body.
const { body: output, echoed: echoedArgs } = answers([AK_SECRET])
const execReply = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      exitCode: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, fc.integer({ min: -1, max: 255 })),
      stdout: output,
      stderr: fc.oneof(fc.string({ maxLength: 8 }), echoedArgs),
    }),
  },
  fc.constantFrom(
    { error: 'Timeout' as const },
    { error: 'NotFound' as const },
    { error: 'TooLarge' as const },
    { error: 'Failed' as const },
  ),
)

describe('fuzz: output of an External process_command', () => {
  it(`${RUNS.toLocaleString('en')} arbitrary outputs: a credential or a typed error, never a secret in the error`, async () => {
    await fc.assert(
      fc.asyncProperty(execReply, async (r) => {
        const caps = fakeCapabilities({ now: T0 })
        caps.exec.on('/usr/bin/helper', r)
        const p = Providers.external({
          processCommand: `/usr/bin/helper --key ${AK_SECRET}`,
          onUpdate: async () => {},
        })(caps)
        checkOutcome((await run(() => p()())) as never)
      }),
      { numRuns: RUNS },
    )
  }, 60_000)
})
