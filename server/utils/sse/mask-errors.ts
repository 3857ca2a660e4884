import type { StreamTransform } from './transform'

/** Only frames that mention an error can echo a key: everything else passes after one search. */
const ERROR_WORD = 'error'

/**
 * A transform whose output has `mask` applied to the frames that mention an error: an upstream
 * error event that arrives mid-stream (after the first byte, when the answer can no longer be
 * refused) may echo the channel key it was sent, and must not hand it to the client. Frames
 * without the word pass untouched, byte for byte.
 */
export function maskErrorFrames(inner: StreamTransform, mask: (text: string) => string): StreamTransform {
  const clean = (out: string | Buffer): string | Buffer => {
    if (!out.includes(ERROR_WORD)) return out
    const text = typeof out === 'string' ? out : out.toString('utf8')
    const masked = mask(text)
    return masked === text ? out : masked
  }
  return {
    push: chunk => clean(inner.push(chunk)),
    end() {
      const end = inner.end()
      return { ...end, tail: clean(end.tail) }
    },
    fail: inner.fail,
    ended: inner.ended && (() => inner.ended!()),
  }
}
