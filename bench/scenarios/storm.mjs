// Refresh storm: a cached STS credential reaches its refresh window (10 minutes before expiry, inside the
// 15-minute stale window both libraries use) and 1,000 callers ask for it at once. Time is moved forward by
// 50 minutes on both sides: ours through the injected clock, the reference (which reads `Date.now()` directly)
// by replacing `Date.now` for the duration of its run. The emulator's clock moves with them.

// Refresh storm: a cached STS credential reaches its refresh window (10 minutes before expiry, inside the
// 15-minute stale window both libraries use) and 1,000 callers ask for it at once. Time is moved forward by
// 50 minutes on both sides: ours through the injected clock, the reference (which reads `Date.now()` directly)
// by replacing `Date.now` for the duration of its run. The emulator's clock moves with them.
import Client, { liveClock } from '@alicred/node'
import { Config, Credential, providerOf, toLoopback } from '../lib/reference.mjs'
import { AK, emulator, ROLE } from '../lib/world.mjs'

export const CALLERS = 1_000
const SHIFT_MS = 50 * 60_000

/**
 * @param {ReadonlyArray<Promise<unknown>>} calls
 */
const settle = async (calls) => {
  const results = await Promise.allSettled(calls)
  return results.filter((r) => r.status === 'rejected').length
}

/** @returns {Promise<ReadonlyArray<import('../lib/report.mjs').Row>>} */
export const refreshStorm = async () => {
  const realNow = Date.now.bind(Date)
  let shift = 0
  const emu = await emulator({ clock: { now: () => realNow() + shift }, maxSkewSeconds: 2 * 3600 })
  try {
    // ours
    /** @type {import('@alicred/core').Clock.Clock} */
    const clock = {
      now: () => realNow() + shift,
      monotonic: () => performance.now() + shift,
      sleep: liveClock.sleep,
    }
    const ours = new Client({ type: 'ram_role_arn', ...AK, roleArn: ROLE, stsEndpoint: emu.stsEndpoint }, null, {
      capabilities: { clock },
    })
    const before = await ours.getCredential()
    shift = SHIFT_MS
    emu.resetCounts()
    const oursCalls = Array.from({ length: CALLERS }, () => ours.getCredential())
    const oursFailed = await settle(oursCalls)
    const oursSts = emu.counts()['sts.AssumeRole'] ?? 0
    const after = await ours.getCredential()
    if (after.accessKeyId === before.accessKeyId) throw new Error('ours did not refresh in the storm')

    // the reference
    shift = 0
    const theirs = new Credential(new Config({ type: 'ram_role_arn', ...AK, roleArn: ROLE, stsEndpoint: emu.host }))
    toLoopback(providerOf(theirs), emu.host)
    await theirs.getCredential()
    shift = SHIFT_MS
    emu.resetCounts()
    Date.now = () => realNow() + shift
    let theirsFailed
    try {
      theirsFailed = await settle(Array.from({ length: CALLERS }, () => theirs.getCredential()))
    } finally {
      Date.now = realNow
    }
    const theirsSts = emu.counts()['sts.AssumeRole'] ?? 0
    return [
      {
        id: 'storm',
        title: `refresh storm: ${CALLERS.toLocaleString('en')} concurrent callers at refresh time (STS requests)`,
        kind: 'count',
        ours: oursSts,
        theirs: theirsSts,
        target: { exactly: 1 },
        notes: `failed callers: ours ${oursFailed}, reference ${theirsFailed}`,
      },
    ]
  } finally {
    Date.now = realNow
    await emu.stop()
  }
}
