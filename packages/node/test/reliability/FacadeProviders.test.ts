// Fuzzing the facade's provider objects: `new Client(null, { getCredentials, getProviderName })` with arbitrary
// answers (any JSON value, credential-shaped objects with fields dropped, retyped or blanked, secrets inside) and
// arbitrary names. Every `getCredential()` resolves to a model whose keys are non-empty strings, or rejects with a
// typed CredentialsError that names the provider and holds no secret; the constructor accepts a name only when it
// is a non-empty string and refuses anything else with a typed error.
import { inspect } from 'node:util'
import { CredentialsError } from '@alicred/core'
import Client from '@alicred/node'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const SECRET = 'facade+SECRET=Jj3Hh2'
const TOKEN = 'facade+TOKEN=Gg1Ff0'
const RUNS = 5_000

const value = (good: unknown) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(good) },
    fc.constantFrom(undefined, null, '', ' ', 0, 7, true, [], {}, [SECRET], { v: SECRET }),
    fc.jsonValue({ maxDepth: 1 }),
  )
const answer = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        accessKeyId: value('LTAI5tFacade'),
        accessKeySecret: value(SECRET),
        securityToken: value(TOKEN),
        providerName: value('my_source'),
      },
      { requiredKeys: [] },
    ),
  },
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(undefined, null, SECRET),
)
const name = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('my_provider', 'static_ak', 'a b') },
  fc.constantFrom(undefined, null, '', ' ', 7, {}, []),
  fc.string({ maxLength: 8 }),
)

const nonEmpty = (u: unknown): boolean => typeof u === 'string' && u.trim() !== ''

describe('fuzz: provider objects given to the facade', () => {
  it('a model with usable keys, or a typed error naming the provider, never a secret', async () => {
    const seen = new Set<string>()
    await fc.assert(
      fc.asyncProperty(answer, name, async (a, n) => {
        let client: Client
        try {
          client = new Client(null, { getCredentials: async () => a as never, getProviderName: () => n as never })
        } catch (e) {
          expect(CredentialsError.isCredentialsError(e) && e._tag).toBe('InvalidConfiguration')
          expect(nonEmpty(n)).toBe(false)
          seen.add('refused name')
          return
        }
        expect(nonEmpty(n)).toBe(true)
        expect(client.getType()).toBe(n)
        const r = await client.getCredential().then(
          (m) => ({ ok: true as const, m }),
          (e: unknown) => ({ ok: false as const, e }),
        )
        if (r.ok) {
          expect(nonEmpty(r.m.accessKeyId) && nonEmpty(r.m.accessKeySecret)).toBe(true)
          expect(r.m.securityToken === undefined || nonEmpty(r.m.securityToken)).toBe(true)
          expect(r.m.providerName === undefined || typeof r.m.providerName === 'string').toBe(true)
          seen.add('model')
          return
        }
        expect(CredentialsError.isCredentialsError(r.e) && r.e._tag).toBe('SourceFailure')
        const e = r.e as Error
        for (const text of [e.message, String(e), JSON.stringify(e), inspect(e), e.stack ?? '']) {
          expect(text).not.toContain(SECRET)
          expect(text).not.toContain(TOKEN)
        }
        seen.add('typed error')
      }),
      { numRuns: RUNS },
    )
    expect([...seen].sort()).toEqual(['model', 'refused name', 'typed error'])
  }, 60_000)
})
