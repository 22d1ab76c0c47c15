import { describe, expect, it } from 'vitest'
import { hasTarget, markdownTable, met, notes, type Row, ratio, show, textTable } from '../lib/report.mjs'

const ops = (ours: number, theirs: number | undefined, target: Row['target']): Row => ({
  id: 'x',
  title: 'a row',
  kind: 'ops',
  ours,
  theirs,
  target,
})

describe('ratio', () => {
  it('is ours / theirs for throughput and times, and undefined for counts, sizes or a missing reference', () => {
    expect([
      ratio(ops(10, 2, { ratioAtLeast: 5 })),
      ratio({ ...ops(3, 6, { ratioAtMost: 0.5 }), kind: 'ms' }),
      ratio({ ...ops(1, 1000, { exactly: 1 }), kind: 'count' }),
      ratio({ ...ops(1, 2, { belowKib: 512, exits: true }), kind: 'kib' }),
      ratio(ops(1, undefined, { ratioAtLeast: 5 })),
      ratio(ops(1, 0, { ratioAtLeast: 5 })),
    ]).toEqual([5, 0.5, undefined, undefined, undefined, undefined])
  })
})

describe('met', () => {
  it('judges each kind of target, at and around its bound', () => {
    expect([
      met(ops(10, 2, { ratioAtLeast: 5 })),
      met(ops(9.99, 2, { ratioAtLeast: 5 })),
      met({ ...ops(5, 10, { ratioAtMost: 0.5 }), kind: 'ms' }),
      met({ ...ops(5.1, 10, { ratioAtMost: 0.5 }), kind: 'ms' }),
      met({ ...ops(1, 1000, { exactly: 1 }), kind: 'count' }),
      met({ ...ops(2, 1000, { exactly: 1 }), kind: 'count' }),
      met({ ...ops(1.99, 0.2, { below: 2 }), kind: 'ms' }),
      met({ ...ops(2, 0.2, { below: 2 }), kind: 'ms' }),
      met({ ...ops(-12, 50, { belowKib: 512, exits: true }), kind: 'kib' }),
      met({ ...ops(-12, 50, { belowKib: 512, exits: false }), kind: 'kib' }),
      met(ops(100, 1, { none: true })),
    ]).toEqual([true, false, true, false, true, false, true, false, true, false, false])
  })

  it('cannot meet a ratio target without a reference figure', () => {
    expect(met(ops(10, undefined, { ratioAtLeast: 5 }))).toBe(false)
  })
})

describe('hasTarget', () => {
  it('is false only for comparison rows', () => {
    expect([hasTarget(ops(1, 1, { none: true })), hasTarget(ops(1, 1, { ratioAtLeast: 5 }))]).toEqual([false, true])
  })
})

describe('show', () => {
  it('formats each unit', () => {
    expect([
      show(38_140_000, 'ops'),
      show(512_400, 'ops'),
      show(0.4567, 'ms'),
      show(1003.3, 'ms'),
      show(1000, 'count'),
      show(0.5, 'count'),
      show(-44.6, 'kib'),
      show(Number.NaN, 'ops'),
    ]).toEqual(['38.14 M/s', '512 k/s', '0.46 ms', '1003 ms', '1,000', '0.50', '-45 KiB', 'NaN'])
  })
})

describe('tables', () => {
  const rows: ReadonlyArray<Row> = [
    { ...ops(38_000_000, 5_000_000, { ratioAtLeast: 5 }), title: 'fast', notes: 'a note' },
    { ...ops(15_000_000, 3_200_000, { ratioAtLeast: 5 }), title: 'short' },
    { ...ops(16_000_000, 8_000_000, { none: true }), title: 'for comparison' },
  ]

  it('prints the ratio, the target and whether it is met; a comparison row has neither target nor verdict', () => {
    expect(markdownTable(rows).split('\n')).toEqual([
      '| scenario | alicred | @alicloud/credentials | ours / theirs | target | met |',
      '|---|---:|---:|---:|---:|---:|',
      '| fast | 38.00 M/s | 5.00 M/s | 7.60× | ≥ 5× | yes |',
      '| short | 15.00 M/s | 3.20 M/s | 4.69× | ≥ 5× | NO |',
      '| for comparison | 16.00 M/s | 8.00 M/s | 2.00× | – | – |',
    ])
  })

  it('aligns the text table on the widest cell of each column', () => {
    const lines = textTable(rows).split('\n')
    expect({ count: lines.length, widths: new Set(lines.map((l) => l.length)).size, head: lines[0] }).toEqual({
      count: 5,
      widths: 1,
      head: 'scenario          alicred  @alicloud/credentials  ours / theirs  target  met',
    })
  })

  it('lists the notes under their rows’ titles', () => {
    expect(notes(rows)).toEqual(['- fast: a note'])
  })
})
