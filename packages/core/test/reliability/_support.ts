// Shared by the reliability suite: known secrets to hunt for, the check every fuzzed outcome must pass (a credential
// or a typed CredentialsError, never a throw, never a secret in any rendering of an error), and a deadline that
// turns a hang into a failure.
import { inspect } from 'node:util'
import { Credential, CredentialsError, type Http } from '@alicred/core'
import type * as E from 'fp-ts/Either'

// Secrets carry `+` and `=` (as base64 secrets do), so they can never pass for an identifier such as a server's
// error `Code` or `RequestId`, which messages are allowed to repeat.
export const AK_SECRET = 'ak+SECRET=Q1w2E3r4T5y6'
export const STS_TOKEN = 'sts+TOKEN=CAIS9aBcDeFgHiJ'
export const BEARER = 'bearer+TOKEN=Zz9Yy8Xx7'
export const RESPONSE_SECRET = 'resp+SECRET=Ww5Vv4Uu3'
export const RESPONSE_TOKEN = 'resp+TOKEN=Tt2Ss1Rr0'
export const OAUTH_REFRESH = 'oauth+REFRESH=Pp9Oo8'
export const OAUTH_ACCESS = 'oauth+ACCESS=Nn7Mm6'
export const SSO_ACCESS = 'sso+ACCESS=Ll5Kk4'

export const SECRETS: ReadonlyArray<string> = [
  AK_SECRET,
  STS_TOKEN,
  BEARER,
  RESPONSE_SECRET,
  RESPONSE_TOKEN,
  OAUTH_REFRESH,
  OAUTH_ACCESS,
  SSO_ACCESS,
]

/**
 * Every way an error can be shown: message, String, JSON and util.inspect, and the same for its cause chain. With
 * `stack`, the stack too (formatting a stack is slow, so the fuzzers leave it to the leak scan: its first line is
 * the message and the rest are code locations).
 */
export const renderings = (e: unknown, stack = false): ReadonlyArray<string> => {
  if (!(e instanceof Error)) {
    try {
      return [String(e), JSON.stringify(e) ?? '', inspect(e, { depth: 5 })]
    } catch {
      return [inspect(e, { depth: 5 })]
    }
  }
  // A CredentialsError's inspect is its rendered message; other errors get the full inspection.
  const shown = CredentialsError.isCredentialsError(e) ? CredentialsError.render(e) : inspect(e, { depth: 5 })
  const own = [e.message, String(e), JSON.stringify(e), shown, ...(stack ? [e.stack ?? ''] : [])]
  return e.cause === undefined ? own : [...own, ...renderings(e.cause, stack)]
}

const pctLower = (s: string): string => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())

/**
 * A secret the client sent, in every form a server may repeat it in: raw, percent-encoded (upper- and lower-case
 * hex, once or twice), with `+` read as a space, cut to a prefix of 8 or 12 characters, base64 and base64url (whole,
 * and at another alignment inside a longer value).
 */
export const echoForms = (s: string): ReadonlyArray<string> => {
  const b64 = (x: string) => Buffer.from(x).toString('base64')
  const b64url = (x: string) => Buffer.from(x).toString('base64url')
  return [
    s,
    encodeURIComponent(s),
    pctLower(s),
    encodeURIComponent(encodeURIComponent(s)),
    pctLower(pctLower(s)),
    s.replaceAll('+', ' '),
    s.slice(0, 8),
    pctLower(s.slice(0, 12)),
    b64(s),
    b64url(s),
    b64url(`x${s}`).slice(2),
  ]
}

/** Everything the client sent, as a careless server would repeat it. */
export const reflect = (req: Http.HttpRequest): string =>
  `${req.method} ${req.url} ${JSON.stringify(req.headers ?? {})} ${req.body ?? ''}`

/** The first secret found in `texts`, if any. */
export const leakIn = (
  texts: ReadonlyArray<string>,
  secrets: ReadonlyArray<string> = SECRETS,
): { readonly secret: string; readonly text: string } | undefined => {
  for (const text of texts) for (const secret of secrets) if (text.includes(secret)) return { secret, text }
  return undefined
}

const TAGS = ['NotConfigured', 'InvalidConfiguration', 'SourceFailure', 'ChainExhausted']

/**
 * Throws (so fast-check shrinks and reports the input) unless `r` is a valid credential that prints redacted, or a
 * typed CredentialsError none of whose renderings holds a secret. Returns the outcome's tag.
 */
export const checkOutcome = (
  r: E.Either<unknown, unknown>,
  secrets: ReadonlyArray<string> = SECRETS,
): 'Right' | CredentialsError.CredentialsError['_tag'] => {
  if (r._tag === 'Right') {
    const c = r.right
    if (!Credential.isCredential(c)) throw new Error('a Right that is not a Credential')
    const leak = leakIn([String(c), JSON.stringify(c), inspect(c)], secrets)
    if (leak !== undefined) throw new Error(`a credential prints a secret: ${leak.text}`)
    return 'Right'
  }
  const e = r.left
  if (!CredentialsError.isCredentialsError(e) || !(e instanceof Error))
    throw new Error('a Left that is not a typed CredentialsError')
  if (!TAGS.includes(e._tag)) throw new Error(`unknown tag ${String(e._tag)}`)
  if (e.message.trim() === '') throw new Error('an error with an empty message')
  const leak = leakIn(renderings(e), secrets)
  if (leak !== undefined) throw new Error(`secret in an error (${e._tag}): ${leak.text}`)
  return e._tag
}

/** Resolves with `p`, or rejects if it takes longer than `ms` of real time: a hang is a failure, not a stuck run. */
export const withDeadline = <A>(p: Promise<A>, ms = 2_000): Promise<A> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (a hang)`)), ms)
  })
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer))
}

/** A call that must not throw synchronously either: any throw becomes a rejection the property reports. */
export const run = <A>(f: () => Promise<A>): Promise<A> => withDeadline(Promise.resolve().then(f))

/** Runs per property: the issue asks for at least 10,000. */
export const RUNS = 10_000
