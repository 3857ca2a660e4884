import { describe, expect, it } from 'vitest'
import { createResponsesToAnthropic } from '#server/utils/convert/responses-to-anthropic'
import type { ConversionWarning } from '#server/utils/convert/responses-common/types'
import { InvalidRequestError } from '#server/utils/convert/types'
import type { JsonObject } from '#server/utils/convert/types'
import { ctx, fixture, testOptions } from '../responses-common/helpers'

const codexRequest = (): JsonObject => JSON.parse(fixture('responses/codex-request.json'))

function convert(body: JsonObject, options: Parameters<typeof createResponsesToAnthropic>[0] = {}) {
  const warnings: ConversionWarning[] = []
  const out = createResponsesToAnthropic({ ...testOptions(warnings), ...options }).request(body, ctx())
  return { out, warnings }
}

describe('Responses request → Anthropic request', () => {
  it('converts a realistic Codex request (golden)', () => {
    const { out, warnings } = convert(codexRequest())
    expect(out).toEqual(JSON.parse(fixture('responses-anthropic/request-codex.expected.json')))
    expect(JSON.stringify(out)).not.toContain('gAAAA')
    expect(warnings.map(w => `${w.kind}:${w.name}`)).toEqual(['input_item:web_search_call', 'tool:web_search'])
  })

  it('thinks with the effort\'s budget when the request does not continue a tool turn', () => {
    const { out } = convert({ input: 'hi', reasoning: { effort: 'medium' }, max_output_tokens: 4000, temperature: 0.5 })
    expect(out).toEqual({
      model: 'upstream-model',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      // temperature is dropped: Anthropic refuses it with thinking.
      thinking: { type: 'enabled', budget_tokens: 8192 },
      max_tokens: 4000 + 8192,
      stream: true,
    })
  })

  it('gives thinking up for a forced tool', () => {
    const { out } = convert({ input: 'hi', reasoning: { effort: 'high' }, tools: [{ type: 'function', name: 'f' }], tool_choice: 'required' })
    expect(out).not.toHaveProperty('thinking')
    expect(out.tool_choice).toEqual({ type: 'any' })
  })

  it('asks for structured output in the system prompt, with a warning', () => {
    const { out, warnings } = convert({ input: 'x', instructions: 'Be brief.', text: { format: { type: 'json_schema', name: 'a', schema: { type: 'object' } } } })
    expect(out.system).toEqual([{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Answer with one JSON value only, no other text, matching this JSON Schema:\n{"type":"object"}' }])
    expect(warnings.map(w => w.name)).toEqual(['text.format'])
  })

  it('disables parallel tool use when parallel_tool_calls is false', () => {
    const { out } = convert({ input: 'x', tools: [{ type: 'function', name: 'f' }], parallel_tool_calls: false })
    expect(out.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
  })

  it('takes user over prompt_cache_key for metadata.user_id', () => {
    expect(convert({ input: 'x', user: 'u1', prompt_cache_key: 'thread' }).out.metadata).toEqual({ user_id: 'u1' })
  })

  it('refuses an input with no message (Anthropic needs one) with a 400', () => {
    expect(() => convert({ instructions: 'only this', input: [] })).toThrow(InvalidRequestError)
  })
})
