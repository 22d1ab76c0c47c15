// Conformance with the official SDKs' own test suites (issue #12). Every case ported from aliyun/credentials-nodejs,
// aliyun/credentials-python, aliyun/credentials-go and aliyun/aliyun-cli that the public API can express runs through
// @alicloud/credentials 2.4.7 and our drop-in Client (see harness.ts for the world they run in), and must hold what it
// claims:
//
// - agree: same ok/fail, type, accessKeyId, accessKeySecret and securityToken on every call;
// - peer: the reference misses what the peer suite states, and we meet it;
// - row: we differ from the reference exactly as the docs/migration.md row of that id says: we do what the case
//   states for our side, and the reference does not.
//
// The counts of each are printed at the end.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cases as cli } from './cases/aliyun-cli.js'
import { cases as go } from './cases/credentials-go.js'
import { cases as nodejs } from './cases/credentials-nodejs.js'
import { cases as python } from './cases/credentials-python.js'
import { type Case, compared, misses, type Observed, startWorld, type World } from './harness.js'

const all: ReadonlyArray<Case> = [...nodejs, ...python, ...go, ...cli]

const migration = readFileSync(new URL('../../../../docs/migration.md', import.meta.url), 'utf8')
/** Row ids of docs/migration.md: the first cell of a table row, written `` `id` ``. */
const rowIds = new Set([...migration.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]))

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.close()
})

const tally = { agree: 0, peer: 0, documented: 0, pending: 0 }
const byRow = new Map<string, number>()

const show = (o: Observed) =>
  JSON.stringify({
    calls: o.calls,
    requests: o.requests.map((r) => `${r.method} ${r.host}${r.path}`),
  })

describe('the cases', () => {
  it('have unique ids, name their source, and at least 150 of them', () => {
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length)
    expect(all.length).toBeGreaterThanOrEqual(150)
    for (const c of all) expect([c.id, c.from.file.length > 0, c.from.test.length > 0]).toEqual([c.id, true, true])
  })

  it('name only migration.md rows that exist', () => {
    const named = [...new Set(all.flatMap((c) => ('row' in c.verdict ? [c.verdict.row] : [])))]
    expect(named.filter((id) => !rowIds.has(id))).toEqual([])
  })
})

describe.each([
  ['aliyun/credentials-nodejs', nodejs],
  ['aliyun/credentials-python', python],
  ['aliyun/credentials-go', go],
  ['aliyun/aliyun-cli', cli],
] as const)('%s', (_repo, cases) => {
  for (const c of cases) {
    const title = `${c.from.file} › ${c.from.test}: ${c.what}`
    if (c.pending !== undefined) {
      it.skip(`[pending: ${c.pending}] ${title}`, () => undefined)
      tally.pending++
      continue
    }
    it(title, async () => {
      const { reference, alicred } = await world.run(c)
      const ref = reference.calls.map(compared)
      const ours = alicred.calls.map(compared)
      const v = c.verdict
      if ('agree' in v) {
        expect(ours, `ours ${show(alicred)}\nreference ${show(reference)}`).toEqual(ref)
        if (c.expect !== undefined && c.peerDiffers === undefined) {
          expect(misses(alicred, c.expect), 'the peer suite states otherwise').toBeUndefined()
          expect(misses(reference, c.expect), 'the peer suite states otherwise').toBeUndefined()
        }
        tally.agree++
      } else if ('peer' in v) {
        const e = c.expect
        if (e === undefined) throw new Error(`${c.id}: a peer verdict needs the peer's expectation`)
        expect(misses(alicred, e), `ours ${show(alicred)}`).toBeUndefined()
        expect(misses(reference, e), `the reference meets the peer suite too: ${show(reference)}`).toBeDefined()
        tally.peer++
      } else {
        expect(misses(alicred, v.ours), `ours ${show(alicred)}\nreference ${show(reference)}`).toBeUndefined()
        expect(
          misses(reference, v.ours),
          `the reference does the same (row ${v.row}): ${show(reference)}`,
        ).toBeDefined()
        expect(rowIds.has(v.row), `docs/migration.md has no row \`${v.row}\``).toBe(true)
        tally.documented++
        byRow.set(v.row, (byRow.get(v.row) ?? 0) + 1)
      }
    })
  }
})

afterAll(() => {
  const rows = [...byRow.entries()].map(([id, n]) => `${id} ×${n}`).join(', ')
  console.log(
    [
      `conformance: ${all.length} cases ported from the official suites`,
      `  agree with @alicloud/credentials 2.4.7:                  ${tally.agree}`,
      `  meet the peer suite where the official package does not: ${tally.peer}`,
      `  differ exactly as a docs/migration.md row says:          ${tally.documented}${rows === '' ? '' : ` (${rows})`}`,
      `  pending (skipped, reason in the test name):              ${tally.pending}`,
    ].join('\n'),
  )
})
