// The default chain with nothing configured (an empty HOME, no ALIBABA_CLOUD_* variables): once with the metadata
// service switched off, once off-cloud with it switched on. Off-cloud is played on loopback: the metadata address
// is rewritten to a port on 127.0.0.1 (ours: by wrapping the HTTP capability; the reference: by stubbing the
// `doRequest` field of its ECS provider). First a closed port, which refuses at once, then a black-holed one
// (`startBlackhole` of @alicred/testing/emulator), where the probe waits for its connect timeout as it would on a real
// network off-cloud.
import Client, { liveCapabilities } from '@alicred/node'
import { startBlackhole } from '@alicred/testing/emulator'
import { connectCount } from '../lib/guard.mjs'
import { median, timed } from '../lib/measure.mjs'
import { defaultChainOnLoopback } from '../lib/reference.mjs'
import { closedPort } from '../lib/world.mjs'

const FRESH = 20
const LATER = 500
/** Fresh clients against the black-holed address: each first call waits for a connect timeout (1 s or more). */
const FRESH_BLACKHOLE = 3
/** What a first call may add to the probe's timeout: the rest of the chain, and timer lateness. */
const PROBE_SLACK_MS = 100
const METADATA = 'http://100.100.100.200'
/** Our ECS provider's default connect timeout: the length of the off-cloud probe. */
export const PROBE_TIMEOUT_MS = 1_000

/**
 * An HTTP capability that counts requests and sends metadata requests to `metadataHost` instead.
 * @param {import('@alicred/core').Http.Http} http
 * @param {string | undefined} metadataHost
 */
const observed = (http, metadataHost) => {
  const counter = { requests: 0 }
  /** @type {import('@alicred/core').Http.Http} */
  const wrapped = {
    request: (req) => {
      counter.requests++
      const url =
        metadataHost !== undefined && req.url.startsWith(METADATA)
          ? `http://${metadataHost}${req.url.slice(METADATA.length)}`
          : req.url
      return http.request({ ...req, url })
    },
  }
  return { http: wrapped, counter }
}

/**
 * First calls on `fresh` clients, then `later` calls on one client; every call must fail (nothing is configured).
 * @param {() => { readonly call: () => Promise<unknown>, readonly requests: () => number }} make
 */
const measure = async (make, fresh = FRESH, later = LATER) => {
  const first = []
  let firstRequests = 0
  let firstConnects = 0
  for (let i = 0; i < fresh; i++) {
    const client = make()
    const c0 = connectCount()
    const r = await timed(client.call)
    if (r.error === undefined) throw new Error('a credential was found although nothing is configured')
    first.push(r.ms)
    firstRequests += client.requests()
    firstConnects += connectCount() - c0
  }
  const client = make()
  await client.call().catch(() => {})
  const r0 = client.requests()
  const c0 = connectCount()
  const laterMs = []
  for (let i = 0; i < later; i++) laterMs.push((await timed(client.call)).ms)
  return {
    firstMs: median(first),
    firstMaxMs: Math.max(...first),
    laterMs: median(laterMs),
    firstRequests: firstRequests / fresh,
    laterRequests: (client.requests() - r0) / later,
    firstConnects: firstConnects / fresh,
    laterConnects: (connectCount() - c0) / later,
    /** Network requests (HTTP requests and TCP connection attempts) per call, over every measured call. */
    networkPerCall: (firstRequests + firstConnects + client.requests() - r0 + connectCount() - c0) / (fresh + later),
  }
}

/**
 * The default chain off-cloud with the metadata service enabled, its address sent to `host` on loopback.
 * @param {ReturnType<typeof liveCapabilities>} caps @param {string} host @param {number} fresh @param {number} later
 */
const offCloud = async (caps, host, fresh, later) => {
  const ours = await measure(
    () => {
      const { http, counter } = observed(caps.http, host)
      const client = new Client(null, null, { capabilities: { http } })
      return { call: () => client.getCredential(), requests: () => counter.requests }
    },
    fresh,
    later,
  )
  let stubbed = true
  let undefinedUri = 0
  const theirs = await measure(
    () => {
      const counter = { requests: 0 }
      const { credential, ecs } = defaultChainOnLoopback({
        metadataHost: host,
        onMetadataRequest: () => counter.requests++,
        onUndefinedUri: () => undefinedUri++,
      })
      if (ecs === 0) stubbed = false
      return { call: () => credential.getCredential(), requests: () => counter.requests }
    },
    fresh,
    later,
  )
  if (!stubbed) throw new Error('the reference built no ECS provider to point at loopback')
  return { ours, theirs, theirsUndefinedUriPerCall: undefinedUri / (fresh + 1 + later) }
}

/**
 * @param {{ readonly quick?: boolean }} [options] `quick`: one fresh client against the black hole instead of
 *   three (each of its first calls waits a whole connect timeout)
 * @returns {Promise<ReadonlyArray<import('../lib/report.mjs').Row>>}
 */
export const defaultChain = async (options = {}) => {
  const caps = liveCapabilities()
  const saved = process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED
  try {
    // metadata disabled
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true'
    const oursOff = await measure(() => {
      const { http, counter } = observed(caps.http, undefined)
      const client = new Client(null, null, { capabilities: { http } })
      return { call: () => client.getCredential(), requests: () => counter.requests }
    })
    const theirsOff = await measure(() => {
      const counter = { requests: 0 }
      const { credential } = defaultChainOnLoopback({ onUndefinedUri: () => counter.requests++ })
      return { call: () => credential.getCredential(), requests: () => counter.requests }
    })

    // off-cloud, metadata enabled: the metadata address refused on loopback, then black-holed there
    delete process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED
    const refused = await offCloud(caps, `127.0.0.1:${await closedPort()}`, FRESH, LATER)
    const freshHoled = options.quick ? 1 : FRESH_BLACKHOLE
    const hole = await startBlackhole()
    const holed = await offCloud(caps, `127.0.0.1:${hole.port}`, freshHoled, LATER).finally(hole.close)

    const net = (/** @type {{ firstRequests: number, laterRequests: number }} */ m) =>
      `${fmt(m.firstRequests)} then ${fmt(m.laterRequests)} per call`
    return [
      {
        id: 'chain-off',
        title: 'default chain, nothing configured, metadata disabled: first call (ms)',
        kind: 'ms',
        ours: oursOff.firstMs,
        theirs: theirsOff.firstMs,
        target: { below: 2 },
        notes: `later calls: ours ${fmt(oursOff.laterMs)} ms, reference ${fmt(theirsOff.laterMs)} ms`,
      },
      {
        id: 'chain-off-net',
        title: 'default chain, nothing configured, metadata disabled: network requests per call',
        kind: 'count',
        ours: oursOff.networkPerCall,
        theirs: theirsOff.networkPerCall,
        target: { exactly: 0 },
        notes:
          'HTTP requests plus TCP connection attempts. The reference requests https://undefined/ on every call (its URI provider is built without a URI): on a real network a DNS lookup of "undefined" leaves the machine each time; here it is answered in-process with ENOTFOUND, so its timings exclude that lookup',
      },
      {
        id: 'chain-imds-first',
        title: 'default chain off-cloud, metadata enabled (refused on loopback): first call (ms)',
        kind: 'ms',
        ours: refused.ours.firstMs,
        theirs: refused.theirs.firstMs,
        target: { below: PROBE_TIMEOUT_MS },
        notes: `metadata requests: ours ${net(refused.ours)}, reference ${net(refused.theirs)}`,
      },
      {
        id: 'chain-imds-later',
        title: 'default chain off-cloud, metadata enabled (refused): later calls (ms)',
        kind: 'ms',
        ours: refused.ours.laterMs,
        theirs: refused.theirs.laterMs,
        target: { below: 2 },
        notes: `TCP connects per later call: ours ${fmt(refused.ours.laterConnects)}, reference ${fmt(refused.theirs.laterConnects)}; the reference then sticks to its last provider (credentials URI) and asks https://undefined/ instead (${fmt(refused.theirsUndefinedUriPerCall)} per call)`,
      },
      {
        id: 'chain-blackhole-first',
        title: 'default chain off-cloud, metadata enabled (black-holed on loopback): first call (ms)',
        kind: 'ms',
        ours: holed.ours.firstMs,
        theirs: holed.theirs.firstMs,
        target: { below: PROBE_TIMEOUT_MS + PROBE_SLACK_MS },
        notes: `the probe ends on its ${PROBE_TIMEOUT_MS} ms connect timeout (median of ${freshHoled} fresh clients; slowest: ours ${fmt(holed.ours.firstMaxMs)} ms, reference ${fmt(holed.theirs.firstMaxMs)} ms); metadata requests: ours ${net(holed.ours)}, reference ${net(holed.theirs)}`,
      },
      {
        id: 'chain-blackhole-later',
        title: 'default chain off-cloud, metadata enabled (black-holed): later calls (ms)',
        kind: 'ms',
        ours: holed.ours.laterMs,
        theirs: holed.theirs.laterMs,
        target: { below: 2 },
        notes: `TCP connects per later call: ours ${fmt(holed.ours.laterConnects)}, reference ${fmt(holed.theirs.laterConnects)}`,
      },
    ]
  } finally {
    if (saved === undefined) delete process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED
    else process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = saved
    caps.close()
  }
}

/** @param {number} x */
const fmt = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(x < 10 ? 2 : 1))
