import { describe, expect, it } from 'vitest'
import { BadRequestError, parseRequest } from '#server/utils/proxy/parse-request'

const parse = (body: string, requireModel = true) => parseRequest(Buffer.from(body), { 'content-type': 'application/json' }, '?beta=true', requireModel)

describe('parseRequest', () => {
  it('parses once and keeps the raw bytes, the trimmed model, the stream flag and the query', () => {
    const raw = Buffer.from('{"model":" claude-x ","stream":true,"messages":[]}')
    const req = parseRequest(raw, { a: 'b' }, '?beta=true')
    expect(req.raw).toBe(raw)
    expect(req).toMatchObject({ model: 'claude-x', stream: true, search: '?beta=true', headers: { a: 'b' }, json: { messages: [] } })
  })

  it('treats only `stream: true` as a stream', () => {
    expect(parse('{"model":"m","stream":"yes"}').stream).toBe(false)
    expect(parse('{"model":"m"}').stream).toBe(false)
  })

  it.each([
    ['{"model":', /not valid JSON/],
    ['[1,2]', /must be a JSON object/],
    ['null', /must be a JSON object/],
    ['"text"', /must be a JSON object/],
    ['{"model":42}', /model: must be a string/],
    ['{"messages":[]}', /model: field required/],
    ['{"model":"   "}', /model: field required/],
  ])('refuses %s as the client\'s 400', (body, message) => {
    expect(() => parse(body)).toThrow(BadRequestError)
    expect(() => parse(body)).toThrow(message)
  })

  it('lets the model be omitted where the protocol allows it, but never be a non-string', () => {
    expect(parse('{"messages":[]}', false).model).toBe('')
    expect(() => parse('{"model":[]}', false)).toThrow(/must be a string/)
  })
})
