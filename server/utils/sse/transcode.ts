import { createParser } from 'eventsource-parser'
import type { StreamConverter } from '../convert/types'
import type { StreamTransform } from './transform'

/**
 * Converts an upstream SSE body into the client's protocol: bytes are decoded as a UTF-8 stream
 * (a character split across chunks stays whole), parsed into events, and each event is handed
 * to the converter as soon as it is complete. Pure: the same frames for any chunking.
 */
export function transcodeTransform(converter: StreamConverter): StreamTransform {
  // Created only once a chunk ends inside a character (or opens with a byte order mark): until
  // then every chunk ends on a whole character and decodes alone, at a fraction of the cost of
  // a TextDecoder per stream.
  let decoder: TextDecoder | undefined
  let atStart = true
  const decode = (chunk: Buffer): string => {
    if (chunk.length === 0) return ''
    const last = chunk[chunk.length - 1]!
    if (!decoder && last < 0x80 && !(atStart && chunk[0] === 0xEF)) {
      atStart = false
      return chunk.toString('utf8')
    }
    // A decoder made mid-stream must keep a U+FEFF as text: only the stream's first one is a BOM.
    decoder ??= new TextDecoder('utf-8', { ignoreBOM: !atStart })
    atStart = false
    return decoder.decode(chunk, { stream: true })
  }
  let out: string[] = []
  const parser = createParser({ onEvent: e => out.push(...converter.push({ event: e.event, data: e.data })) })
  const drain = () => {
    if (out.length === 0) return ''
    const frames = out.length === 1 ? out[0]! : out.join('')
    out = []
    return frames
  }
  return {
    push(chunk) {
      parser.feed(decode(chunk))
      return drain()
    },
    end() {
      // An event not closed by a blank line is incomplete at EOF and is dropped, as the SSE spec says.
      if (decoder) parser.feed(decoder.decode())
      const finished = converter.finished
      const tail = drain() + converter.end().join('')
      return finished ? { tail } : { tail, error: 'upstream stream ended before its final event' }
    },
    fail: message => converter.fail(message).join(''),
  }
}
