// Rows of the result table, whether each meets its target, and the table itself (plain text and Markdown).

/**
 * What a row must reach; `none` marks a row that is there for comparison only and has no target of its own.
 * @typedef {{ readonly ratioAtLeast: number } | { readonly ratioAtMost: number } | { readonly exactly: number }
 *   | { readonly below: number } | { readonly belowKib: number, readonly exits: boolean }
 *   | { readonly none: true }} Target
 */

/**
 * One measured scenario. `ours` and `theirs` are in the unit `kind` names: ops/s, milliseconds, a count or KiB.
 * @typedef {{ readonly id: string, readonly title: string, readonly kind: 'ops' | 'ms' | 'count' | 'kib',
 *   readonly ours: number, readonly theirs: number | undefined, readonly target: Target, readonly notes?: string }} Row
 */

/** @param {Row} row */
export const ratio = (row) =>
  row.theirs === undefined || row.theirs === 0 || (row.kind !== 'ops' && row.kind !== 'ms')
    ? undefined
    : row.ours / row.theirs

/** Whether the row has a target. @param {Row} row */
export const hasTarget = (row) => !('none' in row.target)

/** Whether the row meets its target (`false` for a row without one). @param {Row} row */
export const met = (row) => {
  const t = row.target
  const r = ratio(row)
  if ('none' in t) return false
  if ('ratioAtLeast' in t) return r !== undefined && r >= t.ratioAtLeast
  if ('ratioAtMost' in t) return r !== undefined && r <= t.ratioAtMost
  if ('exactly' in t) return row.ours === t.exactly
  if ('below' in t) return row.ours < t.below
  return row.ours < t.belowKib && t.exits
}

/** @param {Target} t */
const describeTarget = (t) =>
  'none' in t
    ? '–'
    : 'ratioAtLeast' in t
      ? `≥ ${t.ratioAtLeast}×`
      : 'ratioAtMost' in t
        ? `≤ ${t.ratioAtMost}×`
        : 'exactly' in t
          ? `= ${t.exactly}`
          : 'below' in t
            ? `< ${t.below} ms`
            : `< ${t.belowKib} KiB, exits`

/** @param {number} x @param {Row['kind']} kind */
export const show = (x, kind) => {
  if (!Number.isFinite(x)) return String(x)
  switch (kind) {
    case 'ops':
      return x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : `${(x / 1e3).toFixed(0)} k/s`
    case 'ms':
      return x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(0)} ms`
    case 'count':
      return Number.isInteger(x) ? x.toLocaleString('en') : x.toFixed(2)
    case 'kib':
      return `${x.toFixed(0)} KiB`
  }
}

/** @param {Row} row */
const cells = (row) => {
  const r = ratio(row)
  return [
    row.title,
    show(row.ours, row.kind),
    row.theirs === undefined ? 'n/a' : show(row.theirs, row.kind),
    r === undefined ? '–' : `${r.toFixed(2)}×`,
    describeTarget(row.target),
    hasTarget(row) ? (met(row) ? 'yes' : 'NO') : '–',
  ]
}

const HEADER = ['scenario', 'alicred', '@alicloud/credentials', 'ours / theirs', 'target', 'met']

/** @param {ReadonlyArray<Row>} rows */
export const textTable = (rows) => {
  const body = rows.map(cells)
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((c) => (c[i] ?? '').length)))
  const line = (/** @type {ReadonlyArray<string>} */ c) =>
    c.map((x, i) => (i === 0 ? x.padEnd(widths[i] ?? 0) : x.padStart(widths[i] ?? 0))).join('  ')
  return [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}

/** @param {ReadonlyArray<Row>} rows */
export const markdownTable = (rows) =>
  [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
  ].join('\n')

/** @param {ReadonlyArray<Row>} rows */
export const notes = (rows) => rows.filter((r) => r.notes !== undefined).map((r) => `- ${r.title}: ${r.notes}`)
