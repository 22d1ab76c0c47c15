import { Chain, Env, EnvVars } from '@alicred/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chosenProfile } from '../../src/config/ConfigFile.js'

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === ''

describe('chosenProfile', () => {
  it('property: the option when not blank, else ALIBABA_CLOUD_PROFILE (named as the source), both trimmed', () => {
    const value = fc.option(fc.oneof(fc.string(), fc.constantFrom(' dev ', '\t', 'prod')), { nil: undefined })
    fc.assert(
      fc.property(value, value, (option, variable) => {
        const env = Env.fromRecord(variable === undefined ? {} : { [EnvVars.PROFILE]: variable })
        expect(chosenProfile(option, env)).toEqual(
          !blank(option)
            ? { name: option?.trim() }
            : !blank(variable)
              ? { name: variable?.trim(), from: EnvVars.PROFILE }
              : undefined,
        )
      }),
    )
  })

  it('is the rule the default chain exports', () => {
    expect(Chain.chosenProfile).toBe(chosenProfile)
  })
})
