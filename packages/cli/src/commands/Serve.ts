/**
 * `alicred serve [--profile P] [--port N]`: serves the resolved credentials in the credentials-URI format
 * (`{"Code":"Success","AccessKeyId","AccessKeySecret","SecurityToken","Expiration"}`) so other processes — and other
 * SDKs, through `ALIBABA_CLOUD_CREDENTIALS_URI` — share one cache and one refresh.
 *
 * - Bound to 127.0.0.1 only; the path is 128 random bits in hex, compared in constant time. Only `GET` on that exact
 *   path answers (other methods there get 405); every other path is 404, and so is a request whose `Host` is not
 *   this loopback address (a DNS-rebinding page cannot read it).
 * - With `--token`, a second secret that never travels in a URL: 256 random bits printed as
 *   `ALICRED_CREDENTIALS_URI_TOKEN=…`, required as `Authorization: Bearer <token>` (401 otherwise). alicred's
 *   credentials_uri provider sends it when that variable is set; other SDKs cannot, so it is off by default.
 * - The chain is resolved once before listening (nothing to serve is an error, not a server that always fails),
 *   then through `Provider.cached`: refreshed before expiry, single flight, stale fallback.
 * - The URI format has no place for a long-lived AccessKey pair (`SecurityToken` and `Expiration` are required by
 *   every SDK), so only STS credentials are served. STS credentials with no known expiry are served with a rolling
 *   `Expiration` one hour ahead, so clients come back for them.
 * - Runs until SIGINT, SIGTERM or SIGHUP, then closes every connection and exits 0.
 *
 * @since 0.1.0
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Credential, EnvVars, Expiration, Provider, Providers } from '@alicred/core'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import * as Args from '../Args.js'
import { commandError, describeCredentialsError, type Failure } from '../Failure.js'
import { chainOf, profileOption, resolveWith } from '../Resolve.js'
import type { Runtime } from '../Runtime.js'

/** The options of `alicred serve`. @category commands @since 0.1.0 */
export const SPECS: Args.Specs = { profile: { type: 'string' }, port: { type: 'string' }, token: { type: 'boolean' } }

/**
 * The variable `serve --token` prints the token in, which alicred's credentials_uri provider sends back as
 * `Authorization: Bearer <token>` (`CREDENTIALS_URI_TOKEN_ENV` of `@alicred/core`).
 *
 * @category commands
 * @since 0.1.0
 */
export const TOKEN_ENV = Providers.CREDENTIALS_URI_TOKEN_ENV

/** The only address `serve` listens on. @category commands @since 0.1.0 */
export const HOST = '127.0.0.1'

/** How far ahead a credential without an expiry is said to expire. @category commands @since 0.1.0 */
export const ROLLING_EXPIRATION_MS = 60 * 60_000

/** The answer to a request. @category commands @since 0.1.0 */
export interface Answer {
  readonly status: number
  readonly body: unknown
  /** A line for the log (no secret, no path). */
  readonly log: string
}

/**
 * The body served for a credential, or why it cannot be served.
 *
 * @category commands
 * @since 0.1.0
 */
export const uriBody = (c: Credential.Credential, now: number): E.Either<string, Record<string, string>> =>
  c.type === 'sts'
    ? E.right({
        Code: 'Success',
        AccessKeyId: c.accessKeyId,
        AccessKeySecret: c.accessKeySecret,
        SecurityToken: c.securityToken,
        Expiration: Expiration.formatTimestamp(c.expiration?.getTime() ?? now + ROLLING_EXPIRATION_MS),
      })
    : E.left(
        `the credential from ${c.source} is ${c.type === 'access_key' ? 'a long-lived AccessKey pair' : 'a bearer token'}, but the credentials-URI format carries only STS credentials (with SecurityToken and Expiration); serve a source that yields STS credentials, such as a ram_role_arn profile`,
      )

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Answers one request: `path` is the secret path, `port` the one listened on.
 *
 * @category commands
 * @since 0.1.0
 */
export const answer = async (
  req: {
    readonly method: string
    readonly url: string
    readonly host: string | undefined
    readonly authorization?: string | undefined
  },
  secretPath: string,
  port: number,
  provider: Provider.Provider,
  now: () => number,
  token?: string,
): Promise<Answer> => {
  const notFound: Answer = { status: 404, body: { Code: 'NotFound', Message: 'Not Found' }, log: '404 (unknown path)' }
  if (req.host !== `${HOST}:${port}` && req.host !== `localhost:${port}`) {
    return { ...notFound, log: '404 (Host is not this loopback address)' }
  }
  const path = req.url.split('?')[0] ?? ''
  if (!sameSecret(path, secretPath)) return notFound
  if (req.method !== 'GET') {
    return {
      status: 405,
      body: { Code: 'MethodNotAllowed', Message: 'only GET is served here' },
      log: `405 (${req.method})`,
    }
  }
  if (token !== undefined && !sameSecret(req.authorization ?? '', `Bearer ${token}`)) {
    return {
      status: 401,
      body: { Code: 'Unauthorized', Message: `this server needs Authorization: Bearer <the token in ${TOKEN_ENV}>` },
      log: `401 (${req.authorization === undefined ? 'no' : 'a wrong'} Authorization header)`,
    }
  }
  const r = await Provider.protect('default')(provider)()()
  if (E.isLeft(r)) {
    return {
      status: 503,
      body: { Code: 'CredentialsUnavailable', Message: describeCredentialsError(r.left, false) },
      log: `503 (${r.left._tag} in ${r.left.provider})`,
    }
  }
  const body = uriBody(r.right, now())
  if (E.isLeft(body)) {
    return { status: 503, body: { Code: 'CredentialsUnavailable', Message: body.left }, log: `503 (${r.right.type})` }
  }
  const v = Credential.view(r.right)
  return {
    status: 200,
    body: body.right,
    log: `200 ${v.accessKeyId ?? ''} from ${v.source}, expires ${body.right.Expiration}`,
  }
}

const listen = (server: Server, port: number): Promise<E.Either<NodeJS.ErrnoException, number>> =>
  new Promise((resolve) => {
    const onError = (e: NodeJS.ErrnoException) => resolve(E.left(e))
    server.once('error', onError)
    server.listen({ port, host: HOST, exclusive: true }, () => {
      server.off('error', onError)
      resolve(E.right((server.address() as AddressInfo).port))
    })
  })

const listenError = (port: number, e: NodeJS.ErrnoException): Failure =>
  e.code === 'EADDRINUSE'
    ? commandError(
        'serve',
        `port ${port} on ${HOST} is already in use; choose another with --port, or leave --port out to take a free one`,
      )
    : e.code === 'EACCES'
      ? commandError(
          'serve',
          `not allowed to listen on port ${port} of ${HOST} (ports below 1024 need privileges); choose another with --port`,
        )
      : commandError('serve', `cannot listen on ${HOST}:${port} (${e.code ?? e.message})`, 1, e)

const send = (res: ServerResponse, a: Answer): void => {
  const body = JSON.stringify(a.body)
  res.writeHead(a.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    ...(a.status === 405 ? { allow: 'GET' } : {}),
  })
  res.end(body)
}

/**
 * The `serve` command.
 *
 * @category commands
 * @since 0.1.0
 */
export const serve =
  (argv: ReadonlyArray<string>, rt: Runtime): TE.TaskEither<Failure, number> =>
  async () => {
    const parsed = Args.parse('serve', SPECS, argv)
    if (E.isLeft(parsed)) return parsed
    const port = Args.port('serve', parsed.right.values.port)
    if (E.isLeft(port)) return port
    const caps = rt.capabilities
    const log = (line: string) => rt.stderr.write(`alicred serve: ${line}\n`)
    const provider = Provider.cached(
      {
        name: 'default',
        onStale: (e) =>
          log(`serving a cached credential because refreshing it failed (${e.error._tag} in ${e.error.provider})`),
      },
      { clock: caps.clock, random: caps.random },
    )(chainOf(rt, profileOption(Args.text(parsed.right.values.profile))))
    const first = await resolveWith('serve', provider)
    if (E.isLeft(first)) return first
    const servable = uriBody(first.right, caps.clock.now())
    if (E.isLeft(servable)) return E.left(commandError('serve', servable.left))

    // Straight from the CSPRNG, not the injected `Random`: this path is the only secret guarding the credentials.
    const secretPath = `/${randomBytes(16).toString('hex')}`
    // With --token, a second secret that never travels in a URL (logs, proxies and shell history see URLs).
    const token = parsed.right.values.token === true ? randomBytes(32).toString('base64url') : undefined
    let bound = port.right
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      answer(
        {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          host: req.headers.host,
          authorization: req.headers.authorization,
        },
        secretPath,
        bound,
        provider,
        caps.clock.now,
        token,
      ).then(
        (a) => {
          log(`${req.method ?? '?'} ${a.log}`)
          send(res, a)
        },
        () => send(res, { status: 500, body: { Code: 'InternalError', Message: 'alicred serve failed' }, log: '' }),
      )
    })
    const listening = await listen(server, port.right)
    if (E.isLeft(listening)) return E.left(listenError(port.right, listening.left))
    bound = listening.right

    const view = Credential.view(first.right)
    rt.stdout.write(`${EnvVars.CREDENTIALS_URI}=http://${HOST}:${bound}${secretPath}\n`)
    if (token !== undefined) rt.stdout.write(`${TOKEN_ENV}=${token}\n`)
    log(
      `serving ${view.type} credentials from ${view.source} on ${HOST}:${bound} (loopback only${token === undefined ? '' : ', Authorization: Bearer required'}); set the ${token === undefined ? 'line' : 'lines'} above in other processes. Ctrl-C to stop.`,
    )
    await new Promise<void>((resolve) => {
      const unsubscribe = rt.signals.subscribe(() => {
        unsubscribe()
        resolve()
      })
    })
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
    log('stopped')
    return E.right(0)
  }
