const LF2 = Buffer.from('\n\n')
const CRLF2 = Buffer.from('\r\n\r\n')

/**
 * Length of the prefix of `buf` that holds only complete SSE events (ends on a blank line).
 * Relaying whole events keeps every frame the client sees parseable, lets a keep-alive ping be
 * written between any two chunks, and lets a late failure append a clean error event.
 */
export function completeEventsLength(buf: Buffer): number {
  const lf = buf.lastIndexOf(LF2)
  const crlf = buf.lastIndexOf(CRLF2)
  return Math.max(lf < 0 ? 0 : lf + 2, crlf < 0 ? 0 : crlf + 4)
}

/** One SSE event as text: `event:` line (when named) and `data:` line. */
export function formatEvent(name: string | undefined, data: string): string {
  return name ? `event: ${name}\ndata: ${data}\n\n` : `data: ${data}\n\n`
}

export interface ParsedEvent {
  event?: string
  data: string
}

/** Parses the first complete event of an SSE text (field rules of the SSE spec, comments skipped). */
export function parseFirstEvent(text: string): ParsedEvent | undefined {
  const data: string[] = []
  let event: string | undefined
  for (const line of text.split(/\r?\n/)) {
    if (line === '') {
      if (data.length || event) return { event, data: data.join('\n') }
      continue
    }
    if (line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'event') event = value
    else if (field === 'data') data.push(value)
  }
  return undefined
}
