import { describe, expect, it } from 'vitest'
import { BadRequestError, MAX_JSON_DEPTH, nestsDeeperThan, parseRequest } from '#server/utils/proxy/parse-request'

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

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(nestsDeeperThan(Buffer.from(nested(3)), 3)).toBe(false)
    expect(nestsDeeperThan(Buffer.from(nested(4)), 3)).toBe(true)
    expect(nestsDeeperThan(Buffer.from('{"a":{"b":[1]}}'), 3)).toBe(false)
    expect(nestsDeeperThan(Buffer.from(`{"s":"${'['.repeat(50)}"}`), 3)).toBe(false)
    expect(nestsDeeperThan(Buffer.from(`{"s":"\\"${'{'.repeat(50)}"}`), 3)).toBe(false)
    expect(nestsDeeperThan(Buffer.from('{"s":"\\\\","t":[[[[1]]]]}'), 3)).toBe(true)
  })
})

describe('parseRequest, depth and copies', () => {
  const parse = (text: string) => parseRequest(Buffer.from(text), {}, '')

  it('refuses a body nested deeper than MAX_JSON_DEPTH before parsing it', () => {
    expect(() => parse(`{"model":"m","x":${nested(5000, '{"a":', '}').replace(/}+$/, '1$&')}}`)).toThrow(BadRequestError)
    expect(() => parse(`{"model":"m","x":${nested(MAX_JSON_DEPTH)}}`)).toThrow(`more than ${MAX_JSON_DEPTH} levels`)
    expect(parse(`{"model":"m","x":${nested(MAX_JSON_DEPTH - 1)}}`).model).toBe('m')
  })

  it('keeps the raw bytes and the parsed body, not a decoded copy of the text', () => {
    const req = parse('{"model":" m ","stream":true}')
    expect(Object.keys(req).sort()).toEqual(['headers', 'json', 'model', 'raw', 'search', 'stream'])
    expect(req).toMatchObject({ model: 'm', stream: true })
  })
})
