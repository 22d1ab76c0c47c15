import { CredentialsError, Http } from '@alicred/core'
import { describe, expect, it } from 'vitest'
import * as Failure from '../../src/internal/Failure.js'

describe('fromHttpError', () => {
  it('names the call, the kind and the URL without its query; transient kinds are retryable', () => {
    const e = Failure.fromHttpError(
      'ram_role_arn',
      'STS AssumeRole',
    )(
      Http.httpError(
        'ReadTimeout',
        'https://sts.example.com/?AccessKeyId=LTAI&Signature=x',
        'no response within 10 ms',
      ),
    )
    expect(e).toEqual(
      new CredentialsError.SourceFailure(
        'ram_role_arn',
        'STS AssumeRole failed: no response within 10 ms (ReadTimeout on https://sts.example.com/)',
        { retryable: true },
      ),
    )
  })

  it('re-redacts a hand-made HttpError whose URL still has a query', () => {
    const e = Failure.fromHttpError(
      'x',
      'call',
    )({
      _tag: 'HttpError',
      kind: 'InvalidUrl',
      url: 'https://u:p@h.example/p?SecurityToken=tok',
      message: 'bad',
    })
    expect([e.message, e.retryable]).toEqual(['call failed: bad (InvalidUrl on https://h.example/p)', false])
  })
})

describe('fromStatus', () => {
  it('429 and 5xx are retryable, other statuses are not', () => {
    expect([200, 400, 403, 404, 429, 500, 503].map(Failure.isRetryableStatus)).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ])
  })

  it('keeps status, code and request id, and a sanitized server message', () => {
    const e = Failure.fromStatus('ram_role_arn', 'STS AssumeRole', 403, {
      code: 'NoPermission',
      message: 'You are not authorized\n  to do this action.',
      requestId: 'R1',
    })
    expect(e).toEqual(
      new CredentialsError.SourceFailure(
        'ram_role_arn',
        'STS AssumeRole answered HTTP 403: code NoPermission: You are not authorized to do this action.: request id R1',
        { status: 403, code: 'NoPermission', requestId: 'R1', retryable: false },
      ),
    )
  })

  it('leaves out a blank server message', () => {
    expect(Failure.fromStatus('p', 'call', 500, { message: '  ' }).message).toBe('call answered HTTP 500')
  })
})

describe('sanitizeServerMessage', () => {
  it('cuts the string to sign and caps the length', () => {
    expect(Failure.sanitizeServerMessage('Bad signature. Server StringToSign is: POST&%2F&SecurityToken%3Dt')).toBe(
      'Bad signature. Server (string to sign omitted)',
    )
    const long = Failure.sanitizeServerMessage('x'.repeat(1_000))
    expect(long).toBe(`${'x'.repeat(300)}…`)
  })
})

describe('malformed', () => {
  it('says the body was unexpected and why, without the body', () => {
    expect(
      Failure.malformed('ecs_ram_role', 'IMDS credentials', 'AccessKeyId: expected string, got missing', 200),
    ).toEqual(
      new CredentialsError.SourceFailure(
        'ecs_ram_role',
        'IMDS credentials answered with an unexpected body (AccessKeyId: expected string, got missing)',
        { status: 200, retryable: false },
      ),
    )
  })
})
