// Hot paths: a credential that is already at hand (a static AccessKey, or a cached STS credential from
// ram_role_arn), fetched again and again, through the drop-in facade and through a raw provider.
import { Provider, Providers } from '@alicred/core'
import Client, { liveCapabilities } from '@alicred/node'
import { median, opsPerSecond } from '../lib/measure.mjs'
import { Config, Credential, providerOf, ref, toLoopback } from '../lib/reference.mjs'
import { AK, emulator, ROLE } from '../lib/world.mjs'

/** ops/s of awaiting an already-resolved promise in the same loop: no awaited call can go faster. */
/** @type {number | undefined} */
export let floor

/**
 * ops/s of the least a cache can do per call in the same loop: read the injected wall clock once, compare it with
 * a deadline and with the previous reading, and return an already-resolved promise. No cache that checks expiry on
 * every call can go faster.
 * @type {number | undefined}
 */
export let clockCeiling

/**
 * Each task's ops/s is the median over `rounds` runs of the whole task list, so that drift during the run affects
 * both libraries alike.
 * @param {{ readonly timeMs: number, readonly rounds: number }} options
 * @returns {Promise<ReadonlyArray<import('../lib/report.mjs').Row>>}
 */
export const hotPaths = async ({ timeMs, rounds }) => {
  floor = undefined
  clockCeiling = undefined
  const emu = await emulator()
  const caps = liveCapabilities({ env: {} })
  try {
    // static AccessKey
    const oursFacade = new Client({ type: 'access_key', ...AK })
    const theirsFacade = new Credential(new Config({ type: 'access_key', ...AK }))
    const oursRaw = Providers.staticAccessKey(AK)
    const oursCached = Provider.cached({}, caps)(oursRaw)
    const theirsRaw = ref.StaticAKCredentialsProvider.builder()
      .withAccessKeyId(AK.accessKeyId)
      .withAccessKeySecret(AK.accessKeySecret)
      .build()

    // ram_role_arn against the emulator's STS; one AssumeRole each, then every call is served from cache
    const oursSts = new Client({ type: 'ram_role_arn', ...AK, roleArn: ROLE, stsEndpoint: emu.stsEndpoint })
    const oursStsRaw = Providers.ramRoleArn({
      source: Providers.staticAccessKey(AK),
      roleArn: ROLE,
      endpoint: emu.stsEndpoint,
    })(caps)
    const theirsSts = new Credential(new Config({ type: 'ram_role_arn', ...AK, roleArn: ROLE, stsEndpoint: emu.host }))
    const theirsStsRaw = toLoopback(providerOf(theirsSts), emu.host)
    for (const warm of [oursSts.getCredential(), theirsSts.getCredential()]) {
      const c = await warm
      if (c.type !== 'ram_role_arn' || c.securityToken === undefined) throw new Error('ram_role_arn warm-up failed')
    }
    const warmRaw = await oursStsRaw()()
    if (warmRaw._tag !== 'Right') throw new Error(`ram_role_arn (raw) warm-up failed: ${warmRaw.left.message}`)

    const resolved = Promise.resolve(AK)
    const clock = caps.clock
    const deadline = clock.now() + 3_600_000
    let previous = 0
    const cacheCheck = () => {
      const now = clock.now()
      if (now < deadline && now >= previous) previous = now
      return resolved
    }
    /** @type {Record<string, Array<number>>} */
    const runs = {}
    for (let round = 0; round < rounds; round++) {
      const once = await opsPerSecond(tasks(), { timeMs })
      for (const [k, v] of Object.entries(once)) runs[k] = [...(runs[k] ?? []), v]
    }
    /** @type {Record<string, number>} */
    const r = Object.fromEntries(Object.entries(runs).map(([k, vs]) => [k, median(vs)]))
    /** @param {string} a @param {string} b */
    const perRound = (a, b) =>
      rounds < 2
        ? undefined
        : `per round: ${(runs[a] ?? []).map((x, i) => `${(x / (runs[b]?.[i] ?? Number.NaN)).toFixed(2)}×`).join(', ')}`
    /** @returns {ReadonlyArray<readonly [string, () => Promise<unknown>]>} */
    function tasks() {
      return [
        // the harness's ceiling: awaiting a promise that is already resolved
        ['floor', () => resolved],
        ['clock ceiling', cacheCheck],
        ['ak facade ours', () => oursFacade.getCredential()],
        ['ak facade theirs', () => theirsFacade.getCredential()],
        ['ak raw ours', () => oursRaw()()],
        ['ak cached ours', () => oursCached()()],
        ['ak raw theirs', () => theirsRaw.getCredentials()],
        ['sts facade ours', () => oursSts.getCredential()],
        ['sts facade theirs', () => theirsSts.getCredential()],
        ['sts raw ours', () => oursStsRaw()()],
        ['sts raw theirs', () => theirsStsRaw.getCredentials()],
      ]
    }
    const sts = emu.counts()['sts.AssumeRole'] ?? 0
    if (sts !== 3) throw new Error(`expected 3 AssumeRole calls (one warm-up each), saw ${sts}`)
    /**
     * The issue's targets hold each of our ways (facade, raw Provider) to the reference's ops/s for the scenario:
     * its `getCredential()`, the API its users call.
     * @param {string} id @param {string} title @param {string} a @param {string} b
     */
    const row = (id, title, a, b) => {
      const rounds = perRound(a, b)
      // a cache hit can be no faster than the clock ceiling: how far that is from the reference, measured alike
      const ceiling = id.startsWith('sts')
        ? `the clock ceiling is ${((r['clock ceiling'] ?? Number.NaN) / (r[b] ?? Number.NaN)).toFixed(2)}× theirs`
        : undefined
      const notes = [rounds, ceiling].filter((x) => x !== undefined).join('; ') || undefined
      return /** @type {import('../lib/report.mjs').Row} */ ({
        id,
        title,
        kind: 'ops',
        ours: /** @type {number} */ (r[a]),
        theirs: /** @type {number} */ (r[b]),
        target: { ratioAtLeast: 5 },
        ...(notes === undefined ? {} : { notes }),
      })
    }
    /**
     * For comparison only: our raw Provider against the reference's provider class one level down
     * (`getCredentials()`), which its `getCredential()` wraps. These rows have no target; see docs/performance.md.
     * @param {string} id @param {string} title @param {string} a @param {string} b @param {string} [notes]
     */
    const compare = (id, title, a, b, notes) =>
      /** @type {import('../lib/report.mjs').Row} */ ({
        ...row(id, title, a, b),
        target: /** @type {const} */ ({ none: true }),
        ...(notes === undefined ? {} : { notes }),
      })
    floor = /** @type {number} */ (r.floor)
    clockCeiling = /** @type {number} */ (r['clock ceiling'])
    return [
      row('ak-facade', 'static AccessKey, getCredential() via facade', 'ak facade ours', 'ak facade theirs'),
      row(
        'ak-raw',
        'static AccessKey, raw Provider (Providers.staticAccessKey) vs their getCredential()',
        'ak raw ours',
        'ak facade theirs',
      ),
      row(
        'sts-facade',
        'cached STS (ram_role_arn), getCredential() via facade',
        'sts facade ours',
        'sts facade theirs',
      ),
      row(
        'sts-raw',
        'cached STS (ram_role_arn), raw Provider vs their getCredential()',
        'sts raw ours',
        'sts facade theirs',
      ),
      compare(
        'ak-raw-class',
        'static AccessKey, raw Provider vs their StaticAKCredentialsProvider.getCredentials()',
        'ak raw ours',
        'ak raw theirs',
      ),
      compare(
        'ak-cached-class',
        'static AccessKey in Provider.cached vs their StaticAKCredentialsProvider.getCredentials()',
        'ak cached ours',
        'ak raw theirs',
        'a cache reads the clock on every call, a static getter does not: this row shows the price of that read',
      ),
      compare(
        'sts-raw-class',
        'cached STS, raw Provider vs their RAMRoleARNCredentialsProvider.getCredentials()',
        'sts raw ours',
        'sts raw theirs',
      ),
    ]
  } finally {
    caps.close()
    await emu.stop()
  }
}
