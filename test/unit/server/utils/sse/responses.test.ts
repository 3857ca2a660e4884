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

  it('names the opening events by event name or by the data\'s leading type', () => {
    const opening = (text: string) => responsesSse.isOpeningEvent!(parseFirstEvent(text)!)
    expect(opening('event: response.created\ndata: {}\n\n')).toBe(true)
    expect(opening('data: {"type":"response.in_progress","response":{}}\n\n')).toBe(true)
    expect(opening('data: {"type":"response.queued"}\n\n')).toBe(true)
    expect(opening('event: response.output_item.added\ndata: {}\n\n')).toBe(false)
    expect(opening('data: {"response":{"type":"response.created"}}\n\n')).toBe(false)
  })

  it('reshapes a first-event error into OpenAI\'s error body', () => {
    const body = (text: string) => JSON.parse(responsesSse.errorBodyOfFirstEvent!(parseFirstEvent(text)!)) as unknown
    expect(body('event: error\ndata: {"type":"error","sequence_number":2,"error":{"type":"insufficient_quota","code":"insufficient_quota","message":"You exceeded your quota","param":null}}\n\n'))
      .toEqual({ error: { message: 'You exceeded your quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } })
    expect(body('data: {"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":"rate_limit_exceeded","message":"slow down"}}}\n\n'))
      .toEqual({ error: { message: 'slow down', type: 'rate_limit_exceeded', param: null, code: 'rate_limit_exceeded' } })
    expect(body('data: {"type":"response.failed","response":{"id":"r","status":"failed"}}\n\n'))
      .toEqual({ error: { message: 'upstream stream failed (server_error)', type: 'server_error', param: null, code: null } })
  })
})
