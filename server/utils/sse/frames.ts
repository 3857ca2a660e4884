const LF = 10
const CR = 13

/**
 * Length of the prefix of `buf` that holds only complete SSE events (ends on a blank line).
 * Relaying whole events keeps every frame the client sees parseable, lets a keep-alive ping be
 * written between any two chunks, and lets a late failure append a clean error event.
 *
 * Lines end in `\n`, `\r\n` or a bare `\r` (the SSE spec allows all three, mixed). `buf` must
 * start at a line start: a leading `\n` there is taken for the rest of a `\r\n` whose `\r` ended
 * the previous cut, not for a blank line. A cut may end on that `\r` when it is the last byte;
 * it already ends the line, whatever comes next.
 */
export function completeEventsLength(buf: Buffer): number {
  const n = buf.length
  // The usual chunk: whole events framed with `\n`.
  if (n > 1 && buf[n - 1] === LF && buf[n - 2] === LF) return n
  let lf = buf.lastIndexOf(LF)
  // Most streams have no `\r` at all: one native scan settles that for the whole buffer.
  let cr = buf.lastIndexOf(CR)
  // Walk the line ends backwards for the last one that starts right after another line end:
  // the second line end of a blank line. `\n` after `\r` is never one (it completes `\r\n`).
  while (lf > 0 || cr > 0) {
    const i = lf > cr ? lf : cr
    const prev = buf[i - 1]
    if (i === lf) {
      if (prev === LF) return i + 1
      lf = buf.lastIndexOf(LF, i - 1)
    }
    else {
      if (prev === LF || prev === CR) return buf[i + 1] === LF ? i + 2 : i + 1
      cr = i > 1 ? buf.lastIndexOf(CR, i - 1) : -1
    }
  }
  return 0
}

/** One SSE event as text: `event:` line (when named) and `data:` line. */
export function formatEvent(name: string | undefined, data: string): string {
  return name ? `event: ${name}\ndata: ${data}\n\n` : `data: ${data}\n\n`
}

export interface ParsedEvent {
  event?: string
  data: string
}

/**
 * Parses the first complete event of an SSE text (field rules of the SSE spec, comments skipped).
 * Reads line by line up to that event only: the prelude may hold a whole short stream. `hasCR`:
 * whether the text may hold a `\r` (see {@link parseEventAt}).
 */
export function parseFirstEvent(text: string, hasCR?: boolean): ParsedEvent | undefined {
  return parseEventAt(text, 0, hasCR)?.event
}

/** Where the line starting at `at` ends: its `\n`, or with `hasCR` its `\r` if that comes first, or the text's end. */
function lineEnd(text: string, at: number, hasCR: boolean): number {
  if (!hasCR) {
    // Found natively: a character loop took twice the time of the whole event's JSON.parse.
    const lf = text.indexOf('\n', at)
    return lf < 0 ? text.length : lf
  }
  let end = at
  while (end < text.length) {
    const c = text.charCodeAt(end)
    if (c === LF || c === CR) break
    end++
  }
  return end
}

/**
 * Parses the first complete event of `text` at or after offset `from` (a line start), with the
 * offset just past it: where the next one starts. Undefined when no complete event follows.
 * `hasCR` false says the text holds no `\r` (most streams end lines with `\n` alone; a caller
 * that parses several events of one text, or has searched it already, knows): lines are then
 * found natively. Unsaid, the rest of the text is searched for one.
 */
export function parseEventAt(text: string, from: number, hasCR = text.indexOf('\r', from) >= 0): { event: ParsedEvent, end: number } | undefined {
  const data: string[] = []
  let event: string | undefined
  for (let at = from; at <= text.length;) {
    const end = lineEnd(text, at, hasCR)
    const line = text.slice(at, end)
    at = text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1
    if (line === '') {
      if (data.length || event) return { event: { event, data: data.join('\n') }, end: Math.min(at, text.length) }
      continue
    }
    if (line.charCodeAt(0) === 58 /* : */) continue
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1)
    if (field === 'event') event = value
    else if (field === 'data') data.push(value)
  }
  return undefined
}
