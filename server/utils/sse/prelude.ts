import type { Readable } from 'node:stream'
import { completeEventsLength, parseFirstEvent, type ParsedEvent } from './frames'

/** How much an upstream may send before its first event (comments only) before we stop waiting. */
const MAX_PRELUDE_BYTES = 64 * 1024

export interface Prelude {
  /** Everything read so far; relayed first once the stream is committed to the client. */
  bytes: Buffer
  /** The first complete event, or undefined when the upstream ended (or sent only comments) before one. */
  first: ParsedEvent | undefined
  /** True when the upstream body already ended (or failed) during the prelude. */
  ended: boolean
}

/**
 * Reads an upstream SSE body up to its first complete event, before anything is sent to the
 * client, and leaves the body paused for the relay. An upstream that answers 200 and then at
 * once an error event (Anthropic's overload arrives this way), or nothing at all, can then still
 * be retried or failed over instead of reaching the client. Leading comments (OpenRouter's
 * `: OPENROUTER PROCESSING`) are read past.
 */
export function readPrelude(body: Readable): Promise<Prelude> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = (ended: boolean, first?: ParsedEvent) => {
      body.off('data', onData)
      body.off('end', onEnd)
      body.off('error', onEnd)
      resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), first, ended })
    }
    const onData = (chunk: Buffer) => {
      chunks.push(chunk)
      size += chunk.length
      const buf = chunks.length === 1 ? chunk : Buffer.concat(chunks, size)
      const cut = completeEventsLength(buf)
      if (cut === 0 && size <= MAX_PRELUDE_BYTES) return
      const first = cut ? parseFirstEvent(buf.subarray(0, cut).toString('utf8')) : undefined
      if (!first && size <= MAX_PRELUDE_BYTES) return
      body.pause()
      finish(false, first)
    }
    const onEnd = () => finish(true)
    body.on('data', onData)
    body.once('end', onEnd)
    body.once('error', onEnd)
  })
}
