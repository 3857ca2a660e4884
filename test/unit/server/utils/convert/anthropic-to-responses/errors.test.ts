import { describe, expect, it } from 'vitest'
import { anthropicToResponses } from '#server/utils/convert/anthropic-to-responses'

const openaiError = (message: string, type: string, code: string | null = null) => JSON.stringify({ error: { message, type, param: null, code } })

function convert(status: number, body: string) {
  const out = anthropicToResponses.error(status, body)
  return { status: out.status, body: JSON.parse(out.body) }
}

const anthropic = (status: number, type: string, message: string) => ({ status, body: { type: 'error', error: { type, message } } })

describe('Responses upstream error → Anthropic error', () => {
  it.each([
    [429, openaiError('Rate limit reached for gpt-5.1-codex', 'requests', 'rate_limit_exceeded'), anthropic(429, 'rate_limit_error', 'Rate limit reached for gpt-5.1-codex')],
    [500, openaiError('The server had an error while processing your request.', 'server_error'), anthropic(500, 'api_error', 'The server had an error while processing your request.')],
    [503, openaiError('The engine is currently overloaded, please try again later', 'server_error', 'server_is_overloaded'), anthropic(529, 'overloaded_error', 'The engine is currently overloaded, please try again later')],
    [
      400,
      openaiError('Your input exceeds the context window of this model. Please adjust your input and try again.', 'invalid_request_error', 'context_length_exceeded'),
      anthropic(400, 'invalid_request_error', 'prompt is too long: Your input exceeds the context window of this model. Please adjust your input and try again.'),
    ],
    [400, openaiError('Unsupported parameter: \'temperature\' is not supported with this model.', 'invalid_request_error', 'unsupported_parameter'), anthropic(400, 'invalid_request_error', 'Unsupported parameter: \'temperature\' is not supported with this model.')],
    [401, openaiError('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'), anthropic(401, 'authentication_error', 'Incorrect API key provided')],
  ])('HTTP %i %s', (status, body, expected) => {
    expect(convert(status, body)).toEqual(expected)
  })
})
