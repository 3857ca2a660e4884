import { describe, expect, it } from 'vitest'
import { parseFirstEvent } from '#server/utils/sse/frames'
import { responsesSse } from '#server/utils/sse/responses'

const first = (text: string) => responsesSse.statusOfFirstEvent(parseFirstEvent(text)!)

describe('responsesSse', () => {
  it('reads an error as the first event in both shapes, and a failed response', () => {
    expect(first('event: error\ndata: {"type":"error","sequence_number":2,"error":{"type":"insufficient_quota","code":"insufficient_quota","message":"no"}}\n\n')).toBe(429)
    expect(first('event: error\ndata: {"type":"error","code":"context_length_exceeded","message":"long"}\n\n')).toBe(400)
    expect(first('data: {"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":"server_error","message":"x"}}}\n\n')).toBe(500)
    expect(first('event: error\ndata: {"type":"error","code":"weird","message":"?"}\n\n')).toBe(502)
    expect(first('event: response.created\ndata: {"type":"response.created","response":{"id":"r"}}\n\n')).toBeUndefined()
  })

  it('fails a stream with an error event and a response.failed Codex reads', () => {
    const frames = responsesSse.errorFrame('upstream went away').split('\n\n').filter(Boolean).map(f => parseFirstEvent(`${f}\n\n`)!)
    expect(frames.map(f => f.event)).toEqual(['error', 'response.failed'])
    expect(JSON.parse(frames[1]!.data)).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'server_error', message: 'upstream went away' } } })
  })
})
