/**
 * `env`: an AccessKey pair (plus an STS token when one is set) from `ALIBABA_CLOUD_ACCESS_KEY_ID`,
 * `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and `ALIBABA_CLOUD_SECURITY_TOKEN`, read on every call.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import type { Capabilities } from '../Capabilities.js'
import * as C from '../Credential.js'
import { InvalidConfiguration, NotConfigured } from '../CredentialsError.js'
import * as Env from '../Env.js'
import * as EnvVars from '../EnvVars.js'
import type { Provider } from '../Provider.js'

/**
 * Every environment variable of the reference (REFERENCE §2bis): the `EnvVars` module (exported from the package as
 * `EnvVars` too), kept here so `Providers.EnvVars` goes on working.
 *
 * @since 0.1.0
 */
export { EnvVars }

const ID = EnvVars.ACCESS_KEY_ID
const SECRET = EnvVars.ACCESS_KEY_SECRET
const TOKEN = EnvVars.SECURITY_TOKEN

/**
 * Credentials from the environment (`source` = `env`), read on every call.
 *
 * - none of the three variables set (empty counts as unset) → `NotConfigured`;
 * - id and secret set → an `access_key` credential, or `sts` when `ALIBABA_CLOUD_SECURITY_TOKEN` is set too;
 * - only some set → `InvalidConfiguration` naming the missing ones (half a credential is a mistake, not a reason
 *   to silently use another source).
 *
 * @example
 * import { Env, Providers } from '@alicred/core'
 * const env = Env.fromRecord({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' })
 * const r = await Providers.environment({ env })()()
 * assert.strictEqual(r._tag === 'Right' && r.right.type, 'access_key')
 * @since 0.1.0
 */
export const environment =
  (caps: Pick<Capabilities, 'env'>): Provider =>
  () =>
  () => {
    const id = Env.nonEmpty(ID)(caps.env)
    const secret = Env.nonEmpty(SECRET)(caps.env)
    const token = Env.nonEmpty(TOKEN)(caps.env)
    if (id === undefined && secret === undefined && token === undefined) {
      return Promise.resolve(
        E.left(
          new NotConfigured(
            'env',
            `${ID} and ${SECRET} are not set; set both to use an AccessKey from the environment`,
          ),
        ),
      )
    }
    if (id === undefined || secret === undefined) {
      const names: ReadonlyArray<readonly [string, string | undefined]> = [
        [ID, id],
        [SECRET, secret],
        [TOKEN, token],
      ]
      const set = names.filter(([, v]) => v !== undefined).map(([n]) => n)
      const missing = names
        .slice(0, 2)
        .filter(([, v]) => v === undefined)
        .map(([n]) => n)
      const are = (xs: ReadonlyArray<string>) => (xs.length === 1 ? 'is' : 'are')
      return Promise.resolve(
        E.left(
          new InvalidConfiguration(
            'env',
            `${set.join(' and ')} ${are(set)} set but ${missing.join(' and ')} ${are(missing)} not; set ${missing.length === 1 ? 'it' : 'them'} too, or unset the others`,
            { envVar: missing[0] ?? ID },
          ),
        ),
      )
    }
    return Promise.resolve(
      E.right(
        token === undefined
          ? C.accessKey({ accessKeyId: id, accessKeySecret: secret, source: 'env' })
          : C.sts({ accessKeyId: id, accessKeySecret: secret, securityToken: token, source: 'env' }),
      ),
    )
  }
