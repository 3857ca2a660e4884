import { describe, expect, it } from 'vitest'
import { completeEventsLength, formatEvent, parseFirstEvent } from '#server/utils/sse/frames'

describe('completeEventsLength', () => {
  it('ends after the last blank line, for LF and CRLF framing', () => {
    expect(completeEventsLength(Buffer.from('event: a\ndata: 1\n\nevent: b\nda'))).toBe(18)
    expect(completeEventsLength(Buffer.from('data: 1\r\n\r\ndata: 2'))).toBe(11)
    expect(completeEventsLength(Buffer.from('data: partial'))).toBe(0)
    expect(completeEventsLength(Buffer.from('data: 1\n\n'))).toBe(9)
  })
})

describe('parseFirstEvent', () => {
  it('reads the event name and joins data lines, skipping comments', () => {
    expect(parseFirstEvent(': hi\nevent: error\ndata: {"a":\ndata: 1}\n\nevent: next\n')).toEqual({ event: 'error', data: '{"a":\n1}' })
    expect(parseFirstEvent('data:{"x":1}\r\n\r\n')).toEqual({ event: undefined, data: '{"x":1}' })
    expect(parseFirstEvent('event: a\ndata: 1')).toBeUndefined()
  })
  it('round-trips formatEvent', () => {
    expect(parseFirstEvent(formatEvent('ping', '{"type":"ping"}'))).toEqual({ event: 'ping', data: '{"type":"ping"}' })
  })
})
