import { describe, expect, it } from 'vitest'
import { createOpenAIToAnthropic } from '#server/utils/convert/openai-to-anthropic'
import { messageUsage as usageOf } from '#server/utils/convert/openai-to-anthropic/response'
import { CREATED, ctx, testConverter } from './helpers'

const usage = { input_tokens: 100, output_tokens: 40, cache_creation_input_tokens: 20, cache_read_input_tokens: 300, cache_creation: { ephemeral_5m_input_tokens: 20, ephemeral_1h_input_tokens: 0 }, service_tier: 'standard' }
const message = (content: object[], stopReason: string) => ({
  id: 'msg_01Resp', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content, stop_reason: stopReason, stop_sequence: null, usage,
})

describe('response', () => {
  it('maps text, thinking and tool_use to a chat.completion', () => {
    const body = message([
      { type: 'thinking', thinking: 'Check both.', signature: 'EqQB' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'Looking ', citations: null },
      { type: 'text', text: 'them up.' },
      { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'toolu_01B', name: 'get_time', input: {} },
    ], 'tool_use')
    expect(testConverter().response(body, ctx({ stream: false }))).toEqual({
      id: 'chatcmpl-01Resp',
      object: 'chat.completion',
      created: CREATED,
      model: 'gpt-4o',
      choices: [{
        index: 0,
        message: {
          role: 'assistant',
          content: 'Looking them up.',
          refusal: null,
          tool_calls: [
            { id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'toolu_01B', type: 'function', function: { name: 'get_time', arguments: '{}' } },
          ],
          reasoning_content: 'Check both.',
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      }],
      usage: { prompt_tokens: 420, completion_tokens: 40, total_tokens: 460, prompt_tokens_details: { cached_tokens: 300 } },
    })
  })

  it('uses null content for a tool-only turn and "" for an empty one', () => {
    const toolOnly = testConverter().response(message([{ type: 'tool_use', id: 't', name: 'f', input: {} }], 'tool_use'), ctx())
    expect((toolOnly.choices as { message: object }[])[0]!.message).toMatchObject({ content: null })
    const empty = testConverter().response(message([], 'end_turn'), ctx())
    expect((empty.choices as { message: object }[])[0]!.message).toEqual({ role: 'assistant', content: '', refusal: null })
  })

  it.each([
    ['end_turn', 'stop'], ['stop_sequence', 'stop'], ['pause_turn', 'stop'], ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'], ['tool_use', 'tool_calls'], ['refusal', 'content_filter'],
  ])('maps stop_reason %s to finish_reason %s', (stopReason, finish) => {
    const out = testConverter().response(message([{ type: 'text', text: 'x' }], stopReason), ctx())
    expect((out.choices as { finish_reason: string }[])[0]!.finish_reason).toBe(finish)
  })

  it('takes created from the injected clock, and mints the id when the upstream sent none', () => {
    const converter = createOpenAIToAnthropic({ newId: prefix => `${prefix}_minted`, now: () => 1_700_000_000_999 })
    const out = converter.response({ ...message([{ type: 'text', text: 'x' }], 'end_turn'), id: undefined }, ctx())
    expect(out).toMatchObject({ id: 'chatcmpl-minted', created: 1_700_000_000 })
    const stream = converter.stream(ctx())
    const [first] = stream.push({ data: JSON.stringify({ type: 'message_start', message: {} }) })
    expect(JSON.parse(first!.slice(6))).toMatchObject({ id: 'chatcmpl-minted', created: 1_700_000_000 })
  })

  it('usageOf reads Anthropic usage, and flags a body without usage as estimated', () => {
    expect(usageOf(message([], 'end_turn'))).toEqual({ inputTokens: 100, outputTokens: 40, cacheReadInputTokens: 300, cacheCreationInputTokens: 20, estimated: false })
    expect(usageOf({})).toEqual({ inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: true })
  })
})
