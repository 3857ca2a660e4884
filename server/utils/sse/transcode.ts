import { createParser } from 'eventsource-parser'
import type { StreamConverter } from '../convert/types'
import type { StreamTransform } from './transform'

/**
 * Converts an upstream SSE body into the client's protocol: bytes are decoded as a UTF-8 stream
 * (a character split across chunks stays whole), parsed into events, and each event is handed
 * to the converter as soon as it is complete. Pure: the same frames for any chunking.
 */
export function transcodeTransform(converter: StreamConverter): StreamTransform {
  const decoder = new TextDecoder()
  let out: string[] = []
  const parser = createParser({ onEvent: e => out.push(...converter.push({ event: e.event, data: e.data })) })
  const drain = () => {
    const frames = out.join('')
    out = []
    return frames
  }
  return {
    push(chunk) {
      parser.feed(decoder.decode(chunk, { stream: true }))
      return drain()
    },
    end() {
      // An event not closed by a blank line is incomplete at EOF and is dropped, as the SSE spec says.
      parser.feed(decoder.decode())
      const finished = converter.finished
      const tail = drain() + converter.end().join('')
      return finished ? { tail } : { tail, error: 'upstream stream ended before its final event' }
    },
    fail: message => converter.fail(message).join(''),
  }
}
