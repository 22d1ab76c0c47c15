// Fuzzing the STS answer decoders (AssumeRole, AssumeRoleWithOIDC, GenerateSessionAccessKey): each source is driven
// over fakeHttp whose answers are arbitrary (see _answers.ts). Every outcome is a credential or a typed
// CredentialsError within a deadline; no secret — of the configuration, echoed back by the server, or in the answer's
// credential fields — is ever in an error.
import { Providers, StsClient } from '@alicred/core'
import { beforeAll } from 'vitest'
import { fuzzAnswers, type Remote, T0 } from './_answers.js'
import { AK_SECRET, echoForms, SECRETS, STS_TOKEN } from './_support.js'

const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const OIDC_TOKEN = `${b64url({ alg: 'RS256', kid: 'k' })}.${b64url({ iss: 'https://oidc.example', sub: 'sa', exp: T0 / 1000 + 7200 })}.${Buffer.from('oidc-signature-secret-part').toString('base64url')}`

let privateKey: CryptoKey
let pemBody = ''
beforeAll(async () => {
  // 1024 bits: the decoder under test does not care, and signing 10,000 requests stays quick.
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )
  privateKey = pair.privateKey
  pemBody = Buffer.from(await crypto.subtle.exportKey('pkcs8', pair.privateKey)).toString('base64')
})

const remotes: ReadonlyArray<Remote> = [
  {
    name: 'ram_role_arn (AssumeRole, signed with an STS source credential)',
    run: (caps) =>
      Providers.ramRoleArn({
        source: Providers.staticSts({ accessKeyId: 'LTAI5tKey', accessKeySecret: AK_SECRET, securityToken: STS_TOKEN }),
        roleArn: 'acs:ram::1:role/r',
      })(caps)()(),
    // STS may repeat what it was sent in any encoding (percent-encoded in either case, + as a space, cut short,
    // base64): every form is echoed, and none may show.
    echo: () => [STS_TOKEN, AK_SECRET].flatMap(echoForms),
    secrets: () => [...SECRETS, ...[STS_TOKEN, AK_SECRET].flatMap(echoForms)],
  },
  {
    name: 'oidc_role_arn (AssumeRoleWithOIDC)',
    run: (caps) => {
      caps.fs.put('/var/run/token', OIDC_TOKEN)
      return Providers.oidcRoleArn({
        roleArn: 'acs:ram::1:role/r',
        oidcProviderArn: 'acs:ram::1:oidc-provider/p',
        oidcTokenFile: '/var/run/token',
      })(caps)()()
    },
    echo: () => echoForms(OIDC_TOKEN),
    secrets: () => [...SECRETS, ...echoForms(OIDC_TOKEN)],
  },
  {
    // The rsa_key_pair provider imports its PEM key on every refresh (covered by its own tests); here the key is
    // imported once and the call behind the provider is fuzzed, so each case costs a signature, not an import.
    name: 'rsa_key_pair (GenerateSessionAccessKey)',
    run: (caps) =>
      StsClient.generateSessionAccessKey(
        { publicKeyId: 'KP-1', privateKey, durationSeconds: 3600 },
        { endpoint: 'https://sts.ap-northeast-1.aliyuncs.com/', provider: 'rsa_key_pair', source: 'rsa_key_pair' },
      )(caps)(),
    echo: () => [],
    secrets: () => [...SECRETS, pemBody, pemBody.slice(100, 160)],
  },
]

fuzzAnswers('fuzz: STS answers to $name', remotes)
