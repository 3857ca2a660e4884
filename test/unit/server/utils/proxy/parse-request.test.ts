import { describe, expect, it } from 'vitest'
import { BadRequestError, MAX_JSON_DEPTH, nestsDeeperThan, parseRequest } from '#server/utils/proxy/parse-request'

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

describe('parseRequest', () => {
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
