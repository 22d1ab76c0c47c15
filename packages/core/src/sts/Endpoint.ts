/**
 * STS endpoint selection: explicit endpoint (with optional scheme), else `sts[-vpc].<region>.aliyuncs.com`, else
 * `sts.aliyuncs.com`; region and VPC fall back to `ALIBABA_CLOUD_STS_REGION` / `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
 * The chosen endpoint becomes the base URL every STS call is sent to.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as Env from '../Env.js'
import * as EnvVars from '../EnvVars.js'

/** @since 0.1.0 */
export interface StsEndpointOptions {
  /** Host or URL (`sts.cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:8080`). Wins over region and VPC. */
  readonly endpoint?: string
  /**
   * Region id, e.g. `cn-hangzhou`: letters, digits, `-` and `_`, one host-name label. Falls back to
   * `ALIBABA_CLOUD_STS_REGION`.
   */
  readonly region?: string
  /**
   * Use the VPC endpoint (`sts-vpc.<region>`). Has no effect without a region. When not given, read from
   * `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` (`true` in any case).
   */
  readonly vpc?: boolean
  /**
   * Allow `http://` to hosts other than loopback. STS answers with credentials, so plain HTTP is refused by default
   * everywhere except `localhost`/`127.0.0.0/8`/`[::1]` (emulators and tests).
   */
  readonly allowInsecureHttp?: boolean
}

/** The public STS endpoint used when nothing else is configured. @since 0.1.0 */
export const DEFAULT_HOST = 'sts.aliyuncs.com'

/** @since 0.1.0 */
export const REGION_ENV = EnvVars.STS_REGION

/** @since 0.1.0 */
export const VPC_ENV = EnvVars.VPC_ENDPOINT_ENABLED

// A region id becomes one label of a host name (`sts.<region>.aliyuncs.com`), so it must be shaped like one: letters,
// digits, `-` and `_` (the official SDKs' own suites use ids such as `test_sts_region`), at most 63 of them. A dot,
// slash, `@`, `:` or anything else would change which host the request goes to.
const REGION = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/

/** Why an endpoint setting was refused, and which setting it was. @since 0.1.0 */
export interface EndpointError {
  readonly key: 'endpoint' | 'region'
  /** Set when the value came from the environment. */
  readonly envVar?: string
  readonly message: string
}

/**
 * The endpoint to use, as configured: the explicit `endpoint` as given, else the regional (or VPC) host, else
 * `sts.aliyuncs.com`. The host form is what the §6.7 vectors name; use `baseUrl` to get a URL.
 *
 * @example
 * import { Env, StsEndpoint } from '@alicred/core'
 * const env = Env.fromRecord({ ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'TRUE' })
 * assert.deepStrictEqual(StsEndpoint.select({ region: 'cn-beijing' }, env), { _tag: 'Right', right: 'sts-vpc.cn-beijing.aliyuncs.com' })
 * @since 0.1.0
 */
export const select = (options: StsEndpointOptions, env: Env.Env): E.Either<EndpointError, string> => {
  const explicit = options.endpoint?.trim()
  if (explicit !== undefined && explicit !== '') return E.right(explicit)
  const trimmed = options.region?.trim()
  const given = trimmed === '' ? undefined : trimmed
  const fromEnv = given === undefined ? Env.nonEmpty(REGION_ENV)(env) : undefined
  const region = given ?? fromEnv
  if (region === undefined) return E.right(DEFAULT_HOST)
  if (!REGION.test(region)) {
    return E.left({
      key: 'region',
      ...(fromEnv === undefined ? {} : { envVar: REGION_ENV }),
      message: `the STS region is not a region id (like cn-hangzhou)${fromEnv === undefined ? '' : `; check ${REGION_ENV}`}`,
    })
  }
  const vpc = options.vpc ?? Env.isTrue(VPC_ENV)(env)
  return E.right(`${vpc ? 'sts-vpc' : 'sts'}.${region}.aliyuncs.com`)
}

const isLoopback = (hostname: string): boolean =>
  hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

/**
 * The base URL for an endpoint: a bare host (optionally with port) gets `https://` and path `/`; a URL keeps its
 * scheme and path. Query strings, fragments, user info, schemes other than `http`/`https`, and plain HTTP to a
 * non-loopback host (unless `allowInsecureHttp`) are refused.
 *
 * @example
 * import { StsEndpoint } from '@alicred/core'
 * assert.deepStrictEqual(StsEndpoint.baseUrl('sts.aliyuncs.com'), { _tag: 'Right', right: 'https://sts.aliyuncs.com/' })
 * assert.deepStrictEqual(StsEndpoint.baseUrl('http://127.0.0.1:8080'), { _tag: 'Right', right: 'http://127.0.0.1:8080/' })
 * @since 0.1.0
 */
export const baseUrl = (endpoint: string, allowInsecureHttp = false): E.Either<EndpointError, string> => {
  const bad = (why: string): E.Either<EndpointError, string> =>
    E.left({ key: 'endpoint', message: `the STS endpoint ${why}` })
  const trimmed = endpoint.trim()
  const hasScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(trimmed)
  let u: URL
  try {
    u = new URL(hasScheme ? trimmed : `https://${trimmed}`)
  } catch {
    return bad('is not a host name or URL (like sts.cn-hangzhou.aliyuncs.com or https://sts.aliyuncs.com)')
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return bad('must use https:// (or http:// for loopback)')
  if (u.hostname === '') return bad('has no host')
  if (u.username !== '' || u.password !== '') return bad('must not contain user info')
  if (u.search !== '' || u.hash !== '' || trimmed.includes('?') || trimmed.includes('#')) {
    return bad('must not contain a query string or fragment')
  }
  if (u.protocol === 'http:' && !allowInsecureHttp && !isLoopback(u.hostname)) {
    return bad(
      `uses plain http:// to ${u.hostname}, which would carry credentials unencrypted; use https:// (plain http is allowed only for loopback hosts, or with allowInsecureHttp)`,
    )
  }
  return E.right(`${u.protocol}//${u.host}${u.pathname}`)
}

/**
 * `select` then `baseUrl`: the URL STS calls go to.
 *
 * @example
 * import { Env, StsEndpoint } from '@alicred/core'
 * const r = StsEndpoint.resolve({ region: 'cn-hangzhou' }, Env.empty)
 * assert.deepStrictEqual(r, { _tag: 'Right', right: 'https://sts.cn-hangzhou.aliyuncs.com/' })
 * @since 0.1.0
 */
export const resolve = (options: StsEndpointOptions, env: Env.Env): E.Either<EndpointError, string> =>
  pipe(
    select(options, env),
    E.chain((endpoint) => baseUrl(endpoint, options.allowInsecureHttp ?? false)),
  )
