/**
 * Structurally valid JWTs for OIDC tests, built with web APIs only (`btoa`, `TextEncoder`), so they work in every
 * runtime.
 *
 * @since 0.1.0
 */

const base64url = (text: string): string => {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * A structurally valid JWT (`header.payload.signature`, base64url) for AssumeRoleWithOIDC tests. The emulator checks
 * structure, `iss`, `aud` and `exp`, not the signature, so the signature part is a fixed placeholder.
 *
 * @example
 * import { fakeJwt } from '@alicred/testing'
 * assert.strictEqual(fakeJwt({ sub: 'x' }).split('.').length, 3)
 * @category fakes
 * @since 0.1.0
 */
export const fakeJwt = (
  claims: Readonly<Record<string, unknown>>,
  header: Readonly<Record<string, unknown>> = { alg: 'RS256', typ: 'JWT', kid: 'emulator' },
): string =>
  `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}.${base64url('emulator-signature')}`
