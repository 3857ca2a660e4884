import { completeEventsLength } from './frames'
import type { SseDialect } from './protocols'
import type { StreamTransform } from './transform'

const EMPTY = Buffer.alloc(0)
const BLANK_LINE = Buffer.from('\n\n')

/**
 * Whether `marker` starts a line of `buf` (which starts at a line start): inside a JSON data
 * string it can never follow a line end (`\n`, or a bare `\r`).
 */
function hasLineStart(buf: Buffer, marker: Buffer): boolean {
  for (let i = buf.indexOf(marker); i >= 0; i = buf.indexOf(marker, i + 1)) {
    if (i === 0 || buf[i - 1] === 10 || buf[i - 1] === 13) return true
  }
  return false
}

/**
 * Relays the upstream's own events byte for byte, whole events at a time (so every frame the
 * client sees parses, and a ping or error event can always be appended), watching for the
 * protocol's terminal event so a short stream ends with an error event, not a truncation.
 */
export function passthroughTransform(dialect: SseDialect): StreamTransform {
  const terminal = dialect.terminalMarkers.map(m => Buffer.from(m))
  let pending: Buffer = EMPTY
  let sawTerminal = false
  // The last byte relayed was a bare `\r` line end: a `\n` next is the rest of that `\r\n`.
  let afterCr = false
  const push = (chunk: Buffer): Buffer => {
    const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk
    let cut = completeEventsLength(buf)
    // Relayed at once: held back, it would look like the start of an unfinished event.
    if (cut === 0 && afterCr && buf[0] === 10) cut = 1
    if (buf.length) afterCr = cut > 0 && buf[cut - 1] === 13
    pending = cut === buf.length ? EMPTY : buf.subarray(cut)
    if (cut === 0) return EMPTY
    const events = cut === buf.length ? buf : buf.subarray(0, cut)
    if (!sawTerminal) sawTerminal = terminal.some(m => hasLineStart(events, m))
    return events
  }
  return {
    push,
    end() {
      // An upstream that ends without a final blank line still sent a whole last event.
      const last = pending.length ? push(BLANK_LINE) : EMPTY
      if (sawTerminal) return { tail: last }
      const error = 'upstream stream ended before its final event'
      return { tail: Buffer.concat([last, Buffer.from(dialect.errorFrame(error))]), error }
    },
    fail: dialect.errorFrame,
    ended: () => sawTerminal,
  }
}
