import { completeEventsLength, parseFirstEvent, type ParsedEvent } from './frames'

export interface Prelude {
  /** Everything read so far; relayed first once the stream is committed to the client. */
  bytes: Buffer
  /** The first complete event, or undefined when the upstream ended before one. */
  first: ParsedEvent | undefined
}

/**
 * Reads an upstream SSE body up to its first complete event, before anything is sent to the
 * client. An upstream that answers 200 and then at once an error event (Anthropic's overload
 * arrives this way) can then still be retried or failed over instead of reaching the client.
 */
export async function readPrelude(it: AsyncIterator<Buffer>): Promise<Prelude> {
  const chunks: Buffer[] = []
  let size = 0
  for (;;) {
    const r = await it.next()
    if (r.done) break
    const chunk = r.value
    chunks.push(chunk)
    size += chunk.length
    const buf = chunks.length === 1 ? chunk : Buffer.concat(chunks, size)
    const cut = completeEventsLength(buf)
    if (cut > 0) return { bytes: buf, first: parseFirstEvent(buf.subarray(0, cut).toString('utf8')) }
  }
  return { bytes: Buffer.concat(chunks, size), first: undefined }
}
