import { CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, isJsonSpace, OPEN_BRACE, OPEN_BRACKET, QUOTE } from '#server/utils/json/char-codes'
import { stringEnd } from '#server/utils/json/string-end'

/**
 * The values of a few top-level keys of a JSON object text, each parsed on its own: the rest of
 * the text is stepped over, never turned into objects. A non-streaming answer is read for its
 * `model` and `usage` only, and its content (most of its bytes: text, tool input, reasoning) is
 * what a whole `JSON.parse` spent its time and memory on.
 *
 * Returns undefined when the text is not one JSON object at its top level, or a wanted value does
 * not parse (the caller learns nothing from it, as from a body `JSON.parse` refuses). Damage
 * inside a value the scan steps over goes unnoticed: the client received that body as it is anyway.
 */
export function topLevelFields(text: string, names: readonly string[]): Record<string, unknown> | undefined {
  const slices = topLevelSlices(text, names)
  if (!slices) return undefined
  const found: Record<string, unknown> = {}
  try {
    // By the names, not `for…in` over the slices: enumerating an object's keys costs more than
    // the scan itself on a small answer.
    for (const name of names) {
      const raw = slices[name]
      if (raw !== undefined) found[name] = JSON.parse(raw)
    }
  }
  catch {
    return undefined
  }
  return found
}

/**
 * The raw texts of a few top-level keys' values (not parsed), by the scan of {@link topLevelFields}:
 * for a value that is itself an object read the same way (a Responses event's `response`, whose
 * output is most of its bytes). Strings are skipped with `indexOf` to their closing quote, and
 * nested values from one quote or bracket to the next, so the scan costs little more than a search
 * through the text. The last of duplicate keys wins, as in `JSON.parse`.
 */
export function topLevelSlices(text: string, names: readonly string[]): Record<string, string> | undefined {
  const found: Record<string, string> = {}
  let i = skipSpace(text, 0)
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined
  i = skipSpace(text, i + 1)
  if (text.charCodeAt(i) === CLOSE_BRACE) return skipSpace(text, i + 1) === text.length ? found : undefined
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined
    const keyEnd = stringEnd(text, i)
    if (keyEnd < 0) return undefined
    const key = wantedKey(text, i, keyEnd, names)
    if (key === null) return undefined
    i = skipSpace(text, keyEnd)
    if (text.charCodeAt(i) !== COLON) return undefined
    const start = skipSpace(text, i + 1)
    const end = valueEnd(text, start)
    if (end < 0) return undefined
    if (key !== undefined) found[key] = text.slice(start, end)
    i = skipSpace(text, end)
    const c = text.charCodeAt(i)
    if (c === CLOSE_BRACE) return skipSpace(text, i + 1) === text.length ? found : undefined
    if (c !== COMMA) return undefined
    i = skipSpace(text, i + 1)
  }
}

function skipSpace(text: string, i: number): number {
  while (isJsonSpace(text.charCodeAt(i))) i++
  return i
}

/**
 * Which of `names` the key from `start` to `end` (its quotes included) is: compared in place, no
 * string made; undefined for another key, null for a key whose escapes do not parse.
 */
function wantedKey(text: string, start: number, end: number, names: readonly string[]): string | undefined | null {
  const length = end - start - 2
  for (const name of names) {
    if (name.length === length && text.startsWith(name, start + 1)) return name
  }
  const slash = text.indexOf('\\', start + 1)
  if (slash < 0 || slash >= end) return undefined
  try {
    const key = JSON.parse(text.slice(start, end)) as string
    return names.includes(key) ? key : undefined
  }
  catch {
    return null
  }
}

/** Open brackets of the value being stepped over, reused from call to call (the scan is synchronous). */
const open: number[] = []

/** The index just after the value starting at `i` (-1 when it is cut off or unbalanced). */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i)
  if (c === QUOTE) return stringEnd(text, i)
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
    // A number or a literal runs to the next separator; JSON.parse judges it if it is wanted.
    let at = i
    while (at < text.length) {
      const d = text.charCodeAt(at)
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isJsonSpace(d)) break
      at++
    }
    return at > i ? at : -1
  }
  // Outside strings a nested value is short tokens; strings, where the bytes are, are jumped over.
  // Brackets are matched by kind: a `]` closing a `{` makes the text unbalanced.
  open.length = 0
  open.push(c)
  for (let at = i + 1; at < text.length; at++) {
    const d = text.charCodeAt(at)
    if (d === QUOTE) {
      const end = stringEnd(text, at)
      if (end < 0) return -1
      at = end - 1
    }
    else if (d === OPEN_BRACE || d === OPEN_BRACKET) open.push(d)
    else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
      if (open.pop() !== (d === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) return -1
      if (!open.length) return at + 1
    }
  }
  return -1
}
