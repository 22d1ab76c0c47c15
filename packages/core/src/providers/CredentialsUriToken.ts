/**
 * The name of the variable that holds a credentials server's bearer token, apart from the `credential_uri` provider:
 * `alicred serve` prints the token under this name, and the CLI reads it when it loads, so the name must not bring
 * the provider and its codecs (io-ts) into every CLI start-up.
 *
 * @since 0.1.0
 */

/**
 * The variable the bearer token falls back to (an alicred extension: official SDKs do not send one).
 *
 * @category sources
 * @since 0.1.0
 */
export const CREDENTIALS_URI_TOKEN_ENV = 'ALICRED_CREDENTIALS_URI_TOKEN'
