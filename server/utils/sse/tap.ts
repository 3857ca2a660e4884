import type { StreamTransform } from './transform'

/**
 * A transform that also hands every piece it writes to `tap`: whole client-protocol events as
 * they leave (the passthrough and converting transforms only ever emit whole events), the tail
 * included. The tap sees what the client sees, without delaying or copying a byte of it.
 */
export function tapTransform(inner: StreamTransform, tap: (frames: string | Buffer) => void): StreamTransform {
  return {
    push(chunk) {
      const out = inner.push(chunk)
      if (out.length) tap(out)
      return out
    },
    end() {
      const end = inner.end()
      if (end.tail.length) tap(end.tail)
      return end
    },
    fail: inner.fail,
    ended: inner.ended && (() => inner.ended!()),
  }
}
