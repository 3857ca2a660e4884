import { BACKSLASH } from './char-codes'

/**
 * The index after the closing quote of the JSON string opening at `i`, or -1 when it never
 * closes. The string is jumped over with a native `indexOf` rather than stepped through; a quote
 * after an odd run of backslashes is escaped, and each run is read once, by the quote it precedes.
 */
export function stringEnd(text: string, i: number): number {
  let at = i
  for (;;) {
    at = text.indexOf('"', at + 1)
    if (at < 0) return -1
    let slashes = 0
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++
    if (slashes % 2 === 0) return at + 1
  }
}
