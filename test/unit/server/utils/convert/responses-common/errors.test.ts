import { describe, expect, it } from 'vitest'
import { createResponsesToAnthropic } from '#server/utils/convert/responses-to-anthropic'
import { createResponsesToChat } from '#server/utils/convert/responses-to-chat'

const chatError = (status: number, body: unknown) => {
  const out = createResponsesToChat().error(status, typeof body === 'string' ? body : JSON.stringify(body))
  return { status: out.status, ...JSON.parse(out.body) }
}
const anthropicError = (status: number, type: string, message: string) => {
  const out = createResponsesToAnthropic().error(status, JSON.stringify({ type: 'error', error: { type, message } }))
  return { status: out.status, ...JSON.parse(out.body) }
}
const err = (status: number, type: string, code: string | null, message: string) => ({ status, error: { message, type, param: null, code } })

describe('upstream errors → OpenAI-shaped errors with codes Codex acts on', () => {
  it.each([
    [429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }, err(429, 'rate_limit_error', 'rate_limit_exceeded', 'Rate limit reached for requests')],
    [429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }, err(429, 'insufficient_quota', 'insufficient_quota', 'You exceeded your current quota')],
    [402, { error: { message: 'Insufficient Balance', type: 'unknown_error' } }, err(429, 'insufficient_quota', 'insufficient_quota', 'Insufficient Balance')],
    [400, { error: { message: 'This model\'s maximum context length is 131072 tokens. However, you requested 140000 tokens.', type: 'invalid_request_error' } }, err(400, 'invalid_request_error', 'context_length_exceeded', 'This model\'s maximum context length is 131072 tokens. However, you requested 140000 tokens.')],
    [401, { error: { message: 'Authentication Fails', type: 'authentication_error' } }, err(401, 'authentication_error', 'invalid_api_key', 'Authentication Fails')],
    [503, { error: { message: 'Service is too busy' } }, err(503, 'server_error', 'server_is_overloaded', 'Service is too busy')],
    [502, '<html>Bad Gateway</html>', err(502, 'server_error', null, 'upstream returned HTTP 502: <html>Bad Gateway</html>')],
  ])('Chat %i %j', (status, body, expected) => {
    expect(chatError(status, body)).toEqual(expected)
  })

  it.each([
    [429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', err(429, 'rate_limit_error', 'rate_limit_exceeded', 'Number of request tokens has exceeded your per-minute rate limit')],
    [400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum', err(400, 'invalid_request_error', 'context_length_exceeded', 'prompt is too long: 210000 tokens > 200000 maximum')],
    // An overloaded Anthropic (529) answers 503: a status the OpenAI SDK and Codex retry.
    [529, 'overloaded_error', 'Overloaded', err(503, 'server_error', 'server_is_overloaded', 'Overloaded')],
    [400, 'invalid_request_error', 'Your credit balance is too low', err(400, 'invalid_request_error', null, 'Your credit balance is too low')],
  ])('Anthropic %i %s', (status, type, message, expected) => {
    expect(anthropicError(status, type, message)).toEqual(expected)
  })
})
