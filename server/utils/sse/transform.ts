/**
 * What a relay does with an upstream SSE body: bytes in, bytes for the client out. Passthrough
 * forwards whole events untouched; conversion parses events and writes the client protocol's.
 */
export interface StreamTransform {
  /** What to write for this upstream chunk; empty when nothing is complete yet. */
  push(chunk: Buffer): string | Buffer
  /**
   * The upstream ended. `tail` is written last; `error` is set when the stream did not reach its
   * terminal event, in which case `tail` already ends with the protocol's error event.
   */
  end(): { tail: string | Buffer, error?: string }
  /** The protocol's error event, for an upstream that fails after the first byte. */
  fail(message: string): string
  /**
   * True once the terminal event went out: the relay then ends the client's stream and drops
   * the upstream, even when the upstream keeps its connection open.
   */
  ended?(): boolean
}
