import type { Readable } from 'node:stream'
import { completeEventsLength, parseEventAt, type ParsedEvent } from './frames'

/** How much an upstream may send before its first event (comments only) before we stop waiting. */
const MAX_PRELUDE_BYTES = 64 * 1024
/**
 * How much may come once opening events were seen: a Responses `response.created` echoes the
 * request's instructions and tools (Codex's are tens of KiB), and `response.in_progress` again.
 */
const MAX_OPENING_BYTES = 1024 * 1024
/** Opening events read past at most; the next event is then taken as the first, whatever it is. */
const MAX_OPENING_EVENTS = 3

export interface Prelude {
  /** Everything read so far; relayed first once the stream is committed to the client. */
  bytes: Buffer
  /**
   * The first complete event after the opening ones (see `readPrelude`), or undefined when the
   * upstream ended (or sent only comments and opening events) before one.
   */
  first: ParsedEvent | undefined
  /** True when the upstream body already ended (or failed) during the prelude. */
  ended: boolean
}

/**
 * Reads an upstream SSE body up to its first complete event, before anything is sent to the
 * client, and leaves the body paused for the relay. An upstream that answers 200 and then at
 * once an error event (Anthropic's overload arrives this way), or nothing at all, can then still
 * be retried or failed over instead of reaching the client. Leading comments (OpenRouter's
 * `: OPENROUTER PROCESSING`) are read past, and so are events `isOpening` names (OpenAI sends
 * `response.created` and `response.in_progress` before a quota error): a stream that ends after
 * only those never said anything either. Bounded: past the limits the stream goes through.
 */
export function readPrelude(body: Readable, isOpening?: (event: ParsedEvent) => boolean): Promise<Prelude> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    /** Bytes of complete events already parsed, and where in their text the next event starts. */
    let scanned = 0
    let offset = 0
    let openings = 0
    let opening: ParsedEvent | undefined
    const finish = (ended: boolean, first?: ParsedEvent) => {
      body.off('data', onData)
      body.off('end', onEnd)
      body.off('error', onEnd)
      resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), first, ended })
    }
    const stop = (first: ParsedEvent | undefined) => {
      body.pause()
      finish(false, first)
    }
    const onData = (chunk: Buffer) => {
      chunks.push(chunk)
      size += chunk.length
      const buf = chunks.length === 1 ? chunk : Buffer.concat(chunks, size)
      const cut = completeEventsLength(buf)
      if (cut > scanned) {
        // A prefix that ends on an event boundary decodes to a prefix of any longer one, so `offset` holds.
        const text = buf.subarray(0, cut).toString('utf8')
        scanned = cut
        const hasCR = text.includes('\r', offset)
        for (let next = parseEventAt(text, offset, hasCR); next; next = parseEventAt(text, offset, hasCR)) {
          offset = next.end
          if (openings < MAX_OPENING_EVENTS && isOpening?.(next.event)) {
            openings++
            opening = next.event
            continue
          }
          return stop(next.event)
        }
      }
      if (size > (openings ? MAX_OPENING_BYTES : MAX_PRELUDE_BYTES)) stop(opening)
    }
    const onEnd = () => finish(true)
    body.on('data', onData)
    body.once('end', onEnd)
    body.once('error', onEnd)
  })
}
