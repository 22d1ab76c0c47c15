import { describe, expect, it } from 'vitest'
import { main } from '../../src/index.js'
import { AK, SECRET, testRuntime } from '../_support/runtime.js'

const OFF = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }
const STS = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.envKey',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "it's-secret",
  ALIBABA_CLOUD_SECURITY_TOKEN: 'token$1',
}

describe('alicred env', () => {
  it('prints sh assignments by default', async () => {
    const rt = testRuntime({ env: { ...STS, ...OFF } })
    expect(await main(['env'], rt)).toBe(0)
    expect(rt.out.text).toBe(
      [
        '# alicred: sts credentials from default/env',
        "export ALIBABA_CLOUD_ACCESS_KEY_ID='STS.envKey'",
        "export ALIBABA_CLOUD_ACCESS_KEY_SECRET='it'\\''s-secret'",
        "export ALIBABA_CLOUD_SECURITY_TOKEN='token$1'",
        '',
      ].join('\n'),
    )
    expect(rt.err.text).toBe('')
  })

  it('prints every format, and unsets the token for an AccessKey pair', async () => {
    const outputs: Record<string, string> = {}
    for (const format of ['fish', 'powershell', 'dotenv', 'json']) {
      const rt = testRuntime({ env: { ...AK, ...OFF } })
      expect(await main(['env', '--format', format], rt)).toBe(0)
      outputs[format] = rt.out.text
    }
    expect(outputs).toEqual({
      fish: `# alicred: access_key credentials from default/env\nset -gx ALIBABA_CLOUD_ACCESS_KEY_ID 'LTAI5tTestKeyId'\nset -gx ALIBABA_CLOUD_ACCESS_KEY_SECRET '${SECRET}'\nset -e ALIBABA_CLOUD_SECURITY_TOKEN\n`,
      powershell: `# alicred: access_key credentials from default/env\n$Env:ALIBABA_CLOUD_ACCESS_KEY_ID = 'LTAI5tTestKeyId'\n$Env:ALIBABA_CLOUD_ACCESS_KEY_SECRET = '${SECRET}'\nRemove-Item Env:ALIBABA_CLOUD_SECURITY_TOKEN -ErrorAction SilentlyContinue\n`,
      dotenv: `# alicred: access_key credentials from default/env\nALIBABA_CLOUD_ACCESS_KEY_ID='LTAI5tTestKeyId'\nALIBABA_CLOUD_ACCESS_KEY_SECRET='${SECRET}'\n`,
      json: `${JSON.stringify({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tTestKeyId', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET }, null, 2)}\n`,
    })
  })

  it('names the expiry in the comment', async () => {
    const uri = 'http://127.0.0.1:9/creds'
    const rt = testRuntime({ env: { ...OFF, ALIBABA_CLOUD_CREDENTIALS_URI: uri } })
    rt.capabilities.http.on('GET', uri, {
      status: 200,
      body: JSON.stringify({
        AccessKeyId: 'STS.k',
        AccessKeySecret: 's',
        SecurityToken: 't',
        Expiration: '2024-01-01T06:00:00Z',
      }),
    })
    expect(await main(['env', '--format', 'dotenv'], rt)).toBe(0)
    expect(rt.out.text.split('\n')[0]).toBe(
      '# alicred: sts credentials from default/credential_uri, expiring 2024-01-01T06:00:00Z',
    )
  })

  it('an unknown --format is a usage error (exit 2), before any credential is resolved', async () => {
    const rt = testRuntime({ env: { ...AK, ...OFF } })
    expect(await main(['env', '--format', 'xml'], rt)).toBe(2)
    expect(rt.out.text).toBe('')
    expect(rt.err.text).toBe(
      "alicred env: unknown --format 'xml'; use one of sh, fish, powershell, dotenv, json. Run 'alicred env --help' for usage.\n",
    )
  })

  it('no credentials: one paragraph pointing at explain, exit 1', async () => {
    const rt = testRuntime({ env: OFF })
    expect(await main(['env'], rt)).toBe(1)
    expect(rt.out.text).toBe('')
    expect(rt.err.text).toBe(
      "alicred env: no credentials found: every source of the default chain was skipped (env, oidc_role_arn, cli_profile, profile, credential_uri, ecs_ram_role). Run 'alicred explain' to see why each one was skipped, then set one of them up.\n",
    )
  })

  it('a broken profile: its message, no stack trace; --debug adds the details', async () => {
    const files = { '~/.alibabacloud/credentials': '[default]\ntype = nope\n' }
    const rt = testRuntime({ env: OFF, files })
    expect(await main(['env'], rt)).toBe(1)
    expect(rt.err.text).toMatch(
      /^alicred env: profile \[default\] in \/home\/user\/\.alibabacloud\/credentials: .*\(InvalidConfiguration in default\/profile\)\. Run 'alicred explain' to see the whole chain\.\n$/,
    )
    expect(rt.err.text).not.toContain('    at ')
    const debug = testRuntime({ env: OFF, files })
    expect(await main(['env', '--debug'], debug)).toBe(1)
    expect(debug.err.text.startsWith(rt.err.text.trimEnd())).toBe(true)
    expect(debug.err.text).toContain('    at ')
  })

  it('a bearer token cannot be exported: exit 1, no token printed', async () => {
    const files = { '~/.alibabacloud/credentials': '[default]\ntype = bearer\nbearer_token = bearer-SECRET\n' }
    const rt = testRuntime({ env: OFF, files })
    expect(await main(['env'], rt)).toBe(1)
    expect(rt.out.text).toBe('')
    expect(rt.err.text).toBe(
      'alicred env: the credential from default/profile/bearer is a bearer token, which no Alibaba Cloud SDK reads from the environment; use an AccessKey or STS source.\n',
    )
  })
})
