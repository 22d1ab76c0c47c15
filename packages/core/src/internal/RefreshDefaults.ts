/**
 * The refresh engine's default policy, apart from the engine (`internal/Refresh.ts`): `Provider` exports these
 * values, so they are needed when `Provider` loads, while the engine is needed only when a cache first runs. A static
 * credential never runs one, and its cold start then compiles none of the engine (docs/packaging.md).
 *
 * @internal
 */

/** The reference's stale window. */
export const DEFAULT_STALE_MS = 15 * 60_000
/** How long a credential is trusted before it is re-checked, whatever its expiration. */
export const DEFAULT_MAX_AGE_MS = 24 * 60 * 60_000
/** How long a cache waits after failed refreshes before the next: from 1 s, growing up to 5 minutes. */
export const DEFAULT_BACKOFF = { baseMs: 1_000, maxMs: 5 * 60_000 } as const
