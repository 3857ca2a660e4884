import { describe, expect, it } from 'vitest'
import { anthropicToOpenAI } from '#server/utils/convert/anthropic-to-openai'

const openaiError = (message: string, type: string, code: string | null = null) => JSON.stringify({ error: { message, type, param: null, code } })

function convert(status: number, body: string) {
  const out = anthropicToOpenAI.error(status, body)
  return { status: out.status, body: JSON.parse(out.body) }
}

const anthropic = (status: number, type: string, message: string) => ({ status, body: { type: 'error', error: { type, message } } })

describe('upstream error → Anthropic error', () => {
  it.each([
    [429, openaiError('Rate limit reached for gpt-4.1', 'requests', 'rate_limit_exceeded'), anthropic(429, 'rate_limit_error', 'Rate limit reached for gpt-4.1')],
    [429, openaiError('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota'), anthropic(429, 'rate_limit_error', 'You exceeded your current quota')],
    [401, openaiError('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'), anthropic(401, 'authentication_error', 'Incorrect API key provided')],
    [403, openaiError('Country not supported', 'invalid_request_error', 'unsupported_country_region_territory'), anthropic(403, 'permission_error', 'Country not supported')],
    [404, openaiError('The model `gpt-9` does not exist', 'invalid_request_error', 'model_not_found'), anthropic(404, 'not_found_error', 'The model `gpt-9` does not exist')],
    [400, openaiError('Invalid value for tool_choice', 'invalid_request_error'), anthropic(400, 'invalid_request_error', 'Invalid value for tool_choice')],
    [422, JSON.stringify({ detail: 'messages: field required' }), anthropic(400, 'invalid_request_error', 'messages: field required')],
    [503, openaiError('Service unavailable', 'server_error'), anthropic(529, 'overloaded_error', 'Service unavailable')],
    [500, openaiError('The engine is currently overloaded, please try again later', 'server_error'), anthropic(529, 'overloaded_error', 'The engine is currently overloaded, please try again later')],
    [502, openaiError('Bad gateway', 'server_error'), anthropic(502, 'api_error', 'Bad gateway')],
    [504, '', anthropic(504, 'timeout_error', 'upstream returned HTTP 504')],
    [502, '<html><body>\n<h1>502 Bad Gateway</h1>\n</body></html>', anthropic(502, 'api_error', 'upstream returned HTTP 502: <html><body> <h1>502 Bad Gateway</h1> </body></html>')],
    [400, JSON.stringify({ error: 'model is required' }), anthropic(400, 'invalid_request_error', 'model is required')],
    [409, JSON.stringify({ message: 'busy' }), anthropic(409, 'conflict_error', 'busy')],
  ])('HTTP %i %s', (status, body, expected) => {
    expect(convert(status, body)).toEqual(expected)
  })

  it('rewords context overflows the way Claude Code recognises them', () => {
    const openai = openaiError('This model\'s maximum context length is 128000 tokens. However, your messages resulted in 204308 tokens. Please reduce the length of the messages.', 'invalid_request_error', 'context_length_exceeded')
    expect(convert(400, openai)).toEqual(anthropic(400, 'invalid_request_error', 'prompt is too long: 204308 tokens > 128000 maximum'))
    const deepseek = openaiError('This model\'s maximum context length is 131072 tokens. However, you requested 139162 tokens (130970 in the messages, 8192 in the completion).', 'invalid_request_error')
    expect(convert(400, deepseek).body.error.message).toBe('prompt is too long: 139162 tokens > 131072 maximum')
    const other = openaiError('Input exceeds the context window', 'invalid_request_error', 'context_length_exceeded')
    expect(convert(413, other)).toEqual(anthropic(400, 'invalid_request_error', 'prompt is too long: Input exceeds the context window'))
  })
})
