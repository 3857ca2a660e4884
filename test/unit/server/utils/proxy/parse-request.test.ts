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

/** The depth of a parsed value: what `nestsDeeperThan` must agree with on valid JSON. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0
  return 1 + Math.max(0, ...Object.values(value).map(depthOf))
}

/** A random JSON value: nested objects and arrays, strings full of brackets, quotes and backslashes. */
function randomValue(next: () => number, depth: number): unknown {
  const pick = next()
  if (depth > 6 || pick < 0.35) {
    const chars = ['[', ']', '{', '}', '"', '\\', '\\"', 'a', ' ', 'é', '\n']
    return Array.from({ length: Math.floor(next() * 12) }, () => chars[Math.floor(next() * chars.length)]).join('')
  }
  if (pick < 0.4) return Math.floor(next() * 100)
  const items = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomValue(next, depth + 1))
  return pick < 0.7 ? items : Object.fromEntries(items.map((v, i) => [`k"[${i}\\`, v]))
}

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(nestsDeeperThan(nested(3), 3)).toBe(false)
    expect(nestsDeeperThan(nested(4), 3)).toBe(true)
    expect(nestsDeeperThan('{"a":{"b":[1]}}', 3)).toBe(false)
    expect(nestsDeeperThan(`{"s":"${'['.repeat(50)}"}`, 3)).toBe(false)
    expect(nestsDeeperThan(`{"s":"\\"${'{'.repeat(50)}"}`, 3)).toBe(false)
    expect(nestsDeeperThan('{"s":"\\\\","t":[[[[1]]]]}', 3)).toBe(true)
  })

  it('tells an escaped quote from one after escaped backslashes, however long the run', () => {
    // "\\\"[[[[" is one string (the quote escaped by the odd run); "\\\\" ends at its quote.
    expect(nestsDeeperThan(`["${'\\'.repeat(3)}"[[[[", 1]`, 2)).toBe(false)
    expect(nestsDeeperThan(`["${'\\'.repeat(4)}", [[[[1]]]]]`, 2)).toBe(true)
    expect(nestsDeeperThan(`["${'\\'.repeat(100_001)}"]]]]]]", [[[1]]]]`, 3)).toBe(true)
  })

  it('stops at an unterminated string, leaving the error to JSON.parse', () => {
    expect(nestsDeeperThan('{"a":"[[[[[[', 2)).toBe(false)
    expect(nestsDeeperThan('{"a":"\\"', 2)).toBe(false)
  })

  it('agrees with the depth of the parsed value on random JSON', () => {
    let seed = 7
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32
    for (let n = 0; n < 2000; n++) {
      const value = randomValue(next, 0)
      const text = JSON.stringify(value)
      const depth = depthOf(value)
      expect(nestsDeeperThan(text, depth), text).toBe(false)
      if (depth > 0) expect(nestsDeeperThan(text, depth - 1), text).toBe(true)
    }
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
