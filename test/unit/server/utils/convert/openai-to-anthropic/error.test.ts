import { describe, expect, it } from 'vitest'
import { openaiToAnthropic } from '#server/utils/convert/openai-to-anthropic'

const anthropic = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011' })
const converted = (status: number, body: string) => {
  const out = openaiToAnthropic.error(status, body)
  return { status: out.status, ...JSON.parse(out.body) }
}
const openai = (status: number, message: string, type: string, code: string | null) => ({ status, error: { message, type, param: null, code } })

describe('error', () => {
  it.each([
    [400, 'invalid_request_error', 'max_tokens: Field required', openai(400, 'max_tokens: Field required', 'invalid_request_error', null)],
    [400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum', openai(400, 'prompt is too long: 210000 tokens > 200000 maximum', 'invalid_request_error', 'context_length_exceeded')],
    [401, 'authentication_error', 'invalid x-api-key', openai(401, 'invalid x-api-key', 'authentication_error', 'invalid_api_key')],
    [402, 'billing_error', 'Your credit balance is too low', openai(429, 'Your credit balance is too low', 'insufficient_quota', 'insufficient_quota')],
    [403, 'permission_error', 'Not allowed', openai(403, 'Not allowed', 'permission_error', null)],
    [404, 'not_found_error', 'model: claude-x', openai(404, 'model: claude-x', 'not_found_error', 'model_not_found')],
    [404, 'not_found_error', 'Not found', openai(404, 'Not found', 'not_found_error', null)],
    [413, 'request_too_large', 'Request exceeds the maximum size', openai(413, 'Request exceeds the maximum size', 'invalid_request_error', null)],
    [429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', openai(429, 'Number of request tokens has exceeded your per-minute rate limit', 'rate_limit_error', 'rate_limit_exceeded')],
    [429, 'rate_limit_error', 'You have exceeded your monthly usage quota', openai(429, 'You have exceeded your monthly usage quota', 'insufficient_quota', 'insufficient_quota')],
    [500, 'api_error', 'Internal server error', openai(500, 'Internal server error', 'server_error', null)],
    [529, 'overloaded_error', 'Overloaded', openai(503, 'Overloaded', 'server_error', 'server_is_overloaded')],
    [504, 'timeout_error', 'Request timed out', openai(504, 'Request timed out', 'server_error', null)],
  ])('maps %i %s', (status, type, message, expected) => {
    expect(converted(status, anthropic(type, message))).toEqual(expected)
  })

  it('handles non-JSON and empty bodies', () => {
    expect(converted(502, '<html>\n<h1>Bad gateway</h1>\n</html>\n')).toEqual(openai(502, 'upstream returned HTTP 502: <html> <h1>Bad gateway</h1> </html>', 'server_error', null))
    expect(converted(503, '')).toEqual(openai(503, 'upstream returned HTTP 503', 'server_error', 'server_is_overloaded'))
    expect(converted(400, '{"unexpected":true}')).toEqual(openai(400, 'upstream returned HTTP 400: {"unexpected":true}', 'invalid_request_error', null))
    expect(converted(418, 'x'.repeat(2000)).error.message).toBe(`upstream returned HTTP 418: ${'x'.repeat(500)}`)
  })
})
