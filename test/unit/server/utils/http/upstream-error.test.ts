import { describe, expect, it } from 'vitest'
import { errorEnvelope, errorMessageOf, readUpstreamError, upstreamErrorMessage } from '#server/utils/http/upstream-error'

describe('readUpstreamError', () => {
  it('reads the error object and message of both protocols\' envelopes', () => {
    const anthropic = { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }
    expect(readUpstreamError(JSON.stringify(anthropic))).toEqual({ error: anthropic.error, message: 'slow down', text: JSON.stringify(anthropic) })
    const openai = { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } }
    expect(readUpstreamError(JSON.stringify(openai))).toMatchObject({ error: openai.error, message: 'Rate limit reached' })
  })
  it('reads compatible servers\' bare shapes: {message}, {detail}, {error:"…"}, {code}', () => {
    expect(readUpstreamError('{"message":"busy"}')).toMatchObject({ error: { message: 'busy' }, message: 'busy' })
    expect(readUpstreamError('{"detail":"messages: field required"}')).toMatchObject({ message: 'messages: field required' })
    expect(readUpstreamError('{"error":"model is required","code":7}')).toMatchObject({ error: { error: 'model is required', code: 7 }, message: 'model is required' })
    expect(readUpstreamError('{"code":"model_cooldown","reset_seconds":3}')).toEqual({ error: { code: 'model_cooldown', reset_seconds: 3 }, message: undefined, text: '{"code":"model_cooldown","reset_seconds":3}' })
  })
  it('keeps bodies that are not a JSON object as one line of at most 500 characters', () => {
    expect(readUpstreamError('<html>\n  <h1>502 Bad Gateway</h1>\n</html>\n')).toEqual({ text: '<html> <h1>502 Bad Gateway</h1> </html>' })
    expect(readUpstreamError('x'.repeat(2000)).text).toBe('x'.repeat(500))
    expect(readUpstreamError('["a"]')).toEqual({ text: '["a"]' })
    expect(readUpstreamError('null')).toEqual({ text: 'null' })
    expect(readUpstreamError('')).toEqual({ text: '' })
  })
})

describe('upstreamErrorMessage', () => {
  it('prefers the provider\'s message, then the status with the body\'s text', () => {
    expect(upstreamErrorMessage(429, readUpstreamError('{"error":{"message":"slow down"}}'))).toBe('slow down')
    expect(upstreamErrorMessage(502, readUpstreamError('<h1>Bad Gateway</h1>'))).toBe('upstream returned HTTP 502: <h1>Bad Gateway</h1>')
    expect(upstreamErrorMessage(400, readUpstreamError('{"unexpected":true}'))).toBe('upstream returned HTTP 400: {"unexpected":true}')
    expect(upstreamErrorMessage(504, readUpstreamError('  '))).toBe('upstream returned HTTP 504')
  })
})

describe('errorMessageOf', () => {
  it('reads message, detail or a bare string, never an empty one', () => {
    expect(errorMessageOf({ message: 'a', detail: 'b' })).toBe('a')
    expect(errorMessageOf({ message: '', detail: 'b' })).toBe('b')
    expect(errorMessageOf('plain')).toBe('plain')
    expect(errorMessageOf('')).toBeUndefined()
    expect(errorMessageOf({ message: 3 })).toBeUndefined()
    expect(errorMessageOf(undefined)).toBeUndefined()
  })
})

describe('errorEnvelope', () => {
  it('reads only {"error":{…}}, so ordinary stream events are not errors', () => {
    expect(errorEnvelope('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}')).toEqual({ type: 'overloaded_error', message: 'Overloaded' })
    expect(errorEnvelope('{"error":{"code":429}}')).toEqual({ code: 429 })
    expect(errorEnvelope('{"choices":[{"delta":{"content":"hi"}}]}')).toBeUndefined()
    expect(errorEnvelope('{"error":"text only"}')).toBeUndefined()
    expect(errorEnvelope('[DONE]')).toBeUndefined()
  })
})
