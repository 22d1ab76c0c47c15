/**
 * Colour for terminal output: on only when the stream is a terminal, `NO_COLOR` is unset (or empty, per
 * no-color.org) and `TERM` is not `dumb`. Off, every style is the identity, so piped output is plain text.
 *
 * @since 0.1.0
 */
import type { Writer } from './Runtime.js'

/** Colours and weights for terminal text; the identity when colour is off. @category commands @since 0.1.0 */
export interface Style {
  readonly bold: (s: string) => string
  readonly dim: (s: string) => string
  readonly red: (s: string) => string
  readonly green: (s: string) => string
  readonly yellow: (s: string) => string
  readonly cyan: (s: string) => string
}

const sgr =
  (open: number, close: number) =>
  (s: string): string =>
    `\u001b[${open}m${s}\u001b[${close}m`

const id = (s: string): string => s

/** The style without colour: every function is the identity. @category commands @since 0.1.0 */
export const plain: Style = { bold: id, dim: id, red: id, green: id, yellow: id, cyan: id }

/** The style with ANSI colour codes. @category commands @since 0.1.0 */
export const ansi: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
}

/**
 * Whether to colour what goes to `w`.
 *
 * @category commands
 * @since 0.1.0
 */
export const colourful = (w: Writer, env: Readonly<Record<string, string | undefined>>): boolean =>
  w.isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb'

/**
 * The style for `w`.
 *
 * @example
 * import { Style } from '@alicred/cli'
 * const s = Style.forWriter({ write: () => {}, isTTY: false }, {})
 * assert.strictEqual(s.red('x'), 'x')
 * @category commands
 * @since 0.1.0
 */
export const forWriter = (w: Writer, env: Readonly<Record<string, string | undefined>>): Style =>
  colourful(w, env) ? ansi : plain
