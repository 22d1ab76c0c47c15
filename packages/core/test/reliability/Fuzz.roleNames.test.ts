// Fuzzing ECS role names: any configured name (option or ALIBABA_CLOUD_ECS_METADATA) and any name the metadata
// service answers with must never make the client request a path outside the three it uses — the token path, the
// role list, and exactly one segment below the role list, as a server parses the URL (dot segments resolved,
// percent-escapes kept). `.` and `..` are the names that would escape; the fuzzer mixes them with every character.
import { Providers } from '@alicred/core'
import { fakeCapabilities, json, text } from '@alicred/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkOutcome, run } from './_support.js'

const T0 = Date.UTC(2024, 0, 1)
const BASE = 'http://100.100.100.200'
const TOKEN_PATH = '/latest/api/token'
const ROLES_PATH = '/latest/meta-data/ram/security-credentials/'
const RUNS_HERE = 3_000

const roleName = fc.oneof(
  fc.constantFrom('.', '..', ' .. ', '...', '..a', 'a/..', '../x', '%2e%2e', '.%2e', 'a b', 'role', '', ' ', '\t..'),
  fc.stringMatching(/^[./%a-zA-Z0-9 \\?#@_-]{0,8}$/),
  fc.string({ maxLength: 10 }),
)

const answer = json(200, {
  Code: 'Success',
  AccessKeyId: 'STS.id',
  AccessKeySecret: 'resp-secret',
  SecurityToken: 'resp-token',
  Expiration: '2024-01-01T06:00:00Z',
})

/** Whether a path a server would see is one the ECS source may request. */
const allowed = (url: string): boolean => {
  const path = new URL(url).pathname
  if (path === TOKEN_PATH || path === ROLES_PATH) return true
  if (!path.startsWith(ROLES_PATH)) return false
  const segment = path.slice(ROLES_PATH.length)
  return segment !== '' && !segment.includes('/') && segment !== '.' && segment !== '..'
}

describe('fuzz: ECS role names', () => {
  it('configured or discovered, a role name never leads to a request outside the security-credentials path', async () => {
    const seen = new Set<string>()
    await fc.assert(
      fc.asyncProperty(roleName, fc.constantFrom('option', 'env', 'discovered'), async (name, from) => {
        const caps = fakeCapabilities({
          now: T0,
          env: from === 'env' ? { ALIBABA_CLOUD_ECS_METADATA: name } : {},
        })
        caps.http.on('PUT', `${BASE}${TOKEN_PATH}`, text(200, 'imds-token'))
        caps.http.on('GET', `${BASE}${ROLES_PATH}`, text(200, name))
        caps.http.on('*', /.*/, answer)
        const p = Providers.ecsRamRole({ disableIMDSv1: true, ...(from === 'option' ? { roleName: name } : {}) })(caps)
        seen.add(checkOutcome(await run(() => p()())))
        for (const r of caps.http.requests) {
          if (!allowed(r.url))
            throw new Error(`requested ${new URL(r.url).pathname} for a role name ${JSON.stringify(name)}`)
        }
      }),
      { numRuns: RUNS_HERE },
    )
    expect([...seen]).toEqual(expect.arrayContaining(['Right', 'InvalidConfiguration', 'SourceFailure']))
  }, 60_000)
})
