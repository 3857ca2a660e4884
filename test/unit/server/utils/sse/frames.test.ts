import { describe, expect, it } from 'vitest'
import { completeEventsLength, formatEvent, parseEventAt, parseFirstEvent } from '#server/utils/sse/frames'

describe('completeEventsLength', () => {
  it('ends after the last blank line, for LF and CRLF framing', () => {
    expect(completeEventsLength(Buffer.from('event: a\ndata: 1\n\nevent: b\nda'))).toBe(18)
    expect(completeEventsLength(Buffer.from('data: 1\r\n\r\ndata: 2'))).toBe(11)
    expect(completeEventsLength(Buffer.from('data: partial'))).toBe(0)
    expect(completeEventsLength(Buffer.from('data: 1\n\n'))).toBe(9)
  })

  it('takes a bare \\r for a line end, alone or mixed with the others', () => {
    expect(completeEventsLength(Buffer.from('event: a\rdata: 1\r\revent: b\rda'))).toBe(18)
    expect(completeEventsLength(Buffer.from('data: 1\n\r\ndata: 2'))).toBe(10)
    expect(completeEventsLength(Buffer.from('data: 1\r\n\ndata: 2'))).toBe(10)
    expect(completeEventsLength(Buffer.from('data: 1\r\r\ndata: 2'))).toBe(10)
    expect(completeEventsLength(Buffer.from('data: 1\n\rdata: 2\r\r'))).toBe(18)
  })

  it('never takes \\r\\n for two line ends', () => {
    expect(completeEventsLength(Buffer.from('data: 1\r\n'))).toBe(0)
    expect(completeEventsLength(Buffer.from('data: 1\r\ndata: 2\r'))).toBe(0)
    expect(completeEventsLength(Buffer.from('data: 1\r\ndata: 2\r\n'))).toBe(0)
  })

  it('ends a cut on a last-byte \\r that closes a blank line, and reads a leading \\n as its rest', () => {
    expect(completeEventsLength(Buffer.from('data: 1\r\n\r'))).toBe(10)
    expect(completeEventsLength(Buffer.from('data: 1\r\r'))).toBe(9)
    // The next chunk after such a cut: its leading \n completes that \r\n, it is no blank line.
    expect(completeEventsLength(Buffer.from('\ndata: 2\r\n'))).toBe(0)
    expect(completeEventsLength(Buffer.from('\ndata: 2\r\n\r\n'))).toBe(12)
  })
})

describe('parseFirstEvent', () => {
  it('reads the event name and joins data lines, skipping comments', () => {
    expect(parseFirstEvent(': hi\nevent: error\ndata: {"a":\ndata: 1}\n\nevent: next\n')).toEqual({ event: 'error', data: '{"a":\n1}' })
    expect(parseFirstEvent('data:{"x":1}\r\n\r\n')).toEqual({ event: undefined, data: '{"x":1}' })
    expect(parseFirstEvent('event: a\ndata: 1')).toBeUndefined()
  })
  it('reads lines ended by a bare \\r', () => {
    expect(parseFirstEvent('event: a\rdata: 1\rdata: 2\r\rdata: 3\r\r')).toEqual({ event: 'a', data: '1\n2' })
    expect(parseFirstEvent(': hi\r\ndata:x\r\n\r')).toEqual({ event: undefined, data: 'x' })
  })
  it('reads the same events when told the text has no \\r, as when it looks for one itself', () => {
    const text = ': hi\nevent: a\ndata: {"a":\ndata: 1}\n\ndata:x\n\nevent: b\n\nevent: cut\ndata: 1'
    const all = (hasCR?: boolean) => {
      const events = []
      for (let next = parseEventAt(text, 0, hasCR); next; next = parseEventAt(text, next.end, hasCR)) events.push(next.event)
      return events
    }
    const events = [{ event: 'a', data: '{"a":\n1}' }, { event: undefined, data: 'x' }, { event: 'b', data: '' }]
    expect(all()).toEqual(events)
    expect(all(false)).toEqual(events)
    // Its last event has no blank line after it: not complete.
    expect(parseEventAt(text, text.indexOf('event: cut'), false)).toBeUndefined()
    // A \r after `from` is found when nobody says.
    expect(parseEventAt('data: 1\n\ndata: 2\r\rdata: 3\n\n', 9)).toEqual({ event: { event: undefined, data: '2' }, end: 18 })
  })
  it('round-trips formatEvent', () => {
    expect(parseFirstEvent(formatEvent('ping', '{"type":"ping"}'))).toEqual({ event: 'ping', data: '{"type":"ping"}' })
  })
})
