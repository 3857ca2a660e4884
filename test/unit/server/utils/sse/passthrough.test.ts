import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { passthroughTransform } from '#server/utils/sse/passthrough'
import { anthropicSse } from '#server/utils/sse/protocols'
import { textStream } from '../../../../support/anthropic-fixtures'
import { splitAt } from '../../../../support/split'

function run(parts: Buffer[]) {
  const t = passthroughTransform(anthropicSse)
  const written: Buffer[] = []
  const writes: string[] = []
  for (const p of parts) {
    const out = Buffer.from(t.push(p))
    if (out.length) {
      written.push(out)
      writes.push(out.toString('utf8'))
    }
  }
  const end = t.end()
  return { text: Buffer.concat([...written, Buffer.from(end.tail)]).toString('utf8'), writes, error: end.error }
}

describe('passthroughTransform', () => {
  const whole = Buffer.from(textStream(['héllo ', '😀 wörld', '\u4e16\u754c']).join(''))

  it('relays a complete stream byte for byte, however it is chunked (inside UTF-8 too)', () => {
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
      const r = run(splitAt(whole, cuts))
      expect(r.text).toBe(whole.toString('utf8'))
      expect(r.error).toBeUndefined()
      // Every write holds whole events only, so a ping or an error event can follow any of them.
      for (const w of r.writes) expect(w.endsWith('\n\n')).toBe(true)
    }))
  })

  it('ends a stream cut before message_stop with an error event, for any chunking', () => {
    const cut = whole.subarray(0, whole.indexOf('event: message_delta'))
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 20 }), (cuts) => {
      const r = run(splitAt(cut, cuts))
      expect(r.error).toBe('upstream stream ended before its final event')
      expect(r.text).toBe(`${cut.toString('utf8')}event: error\ndata: {"type":"error","error":{"type":"api_error","message":"upstream stream ended before its final event"}}\n\n`)
    }))
  })

  it('does not take message_stop inside text for the end of the stream', () => {
    const sneaky = Buffer.from(textStream(['event: message_stop', '\nevent: message_stop']).slice(0, -2).join(''))
    expect(run([sneaky]).error).toBeDefined()
  })

  it('frames a stream with bare \\r line ends (or \\r\\n) the same way, however it is chunked', () => {
    const cr = Buffer.from(whole.toString('utf8').replaceAll('\n', '\r'))
    const crlf = Buffer.from(whole.toString('utf8').replaceAll('\n', '\r\n'))
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
      const r = run(splitAt(cr, cuts))
      expect(r.error).toBeUndefined()
      // Every event is relayed as soon as its blank line arrives, not held to the end.
      expect(r.writes.join('')).toBe(cr.toString('utf8'))
      for (const w of r.writes) expect(w.endsWith('\r\r')).toBe(true)
      const r2 = run(splitAt(crlf, cuts))
      expect(r2.error).toBeUndefined()
      expect(r2.writes.join('')).toBe(crlf.toString('utf8'))
      expect(r2.text).toBe(crlf.toString('utf8'))
      for (const w of r2.writes) expect(w === '\n' || w.endsWith('\r\n\r\n') || w.endsWith('\r\n\r')).toBe(true)
    }))
  })

  it('reads a \\r ending one chunk and a \\n starting the next as one line end', () => {
    // Not a blank line: the event goes on with its second data line.
    expect(run([Buffer.from('data: 1\r'), Buffer.from('\ndata: 2\r\n\r\n')]).writes).toEqual(['data: 1\r\ndata: 2\r\n\r\n'])
    // A blank line already, relayed at once; the \n that follows belongs to it, not to a new blank line.
    const first = 'event: a\r\ndata: 1\r\n\r'
    const second = '\nevent: message_stop\r\ndata: {"type":"message_stop"}\r\n\r\n'
    expect(run([Buffer.from(first), Buffer.from(second)]).writes).toEqual([first, second])
    const r = run([Buffer.from(first), Buffer.from('\n'), Buffer.from(second.slice(1))])
    expect(r.writes).toEqual([first, '\n', second.slice(1)])
    expect(r.error).toBeUndefined()
  })

  it('completes a last event the upstream did not close with a blank line', () => {
    const open = whole.subarray(0, whole.length - 1)
    const r = run([open])
    expect(r.error).toBeUndefined()
    expect(r.text).toBe(`${open.toString('utf8')}\n\n`)
  })
})
