import { describe, expect, it } from 'vitest'
import { createResponsesToAnthropic } from '#server/utils/convert/responses-to-anthropic'
import type { JsonObject } from '#server/utils/convert/types'
import { CODEX_TOOLS_REQUEST, CREATED, ctx, testOptions } from '../responses-common/helpers'

function convert(body: JsonObject) {
  const converter = createResponsesToAnthropic(testOptions())
  const context = ctx({ stream: false })
  converter.request({ ...CODEX_TOOLS_REQUEST, stream: false }, context)
  return { out: converter.response(body, context), usage: converter.usage(body) }
}

const message = (content: JsonObject[], stop: string, usage: JsonObject): JsonObject =>
  ({ id: 'msg_01X', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content, stop_reason: stop, stop_sequence: null, usage })

describe('Anthropic message → Responses response object', () => {
  it('turns thinking, text, tool_use and a custom tool call into output items, with cache usage', () => {
    const body = message([
      { type: 'thinking', thinking: 'Edit the file.', signature: 'sig' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'Patching now.' },
      { type: 'tool_use', id: 'toolu_a', name: 'exec_command', input: { cmd: 'ls' } },
      { type: 'tool_use', id: 'toolu_b', name: 'apply_patch', input: { input: '*** Begin Patch\n*** End Patch' } },
    ], 'tool_use', { input_tokens: 100, cache_read_input_tokens: 2000, cache_creation_input_tokens: 300, output_tokens: 50 })
    const { out, usage } = convert(body)
    expect(out).toEqual({
      id: 'resp_5',
      object: 'response',
      created_at: CREATED,
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'gpt-5-codex',
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Edit the file.' }] },
        { id: 'msg_2', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Patching now.', annotations: [], logprobs: [] }] },
        { id: 'fc_3', type: 'function_call', status: 'completed', call_id: 'toolu_a', name: 'exec_command', arguments: '{"cmd":"ls"}' },
        { id: 'ctc_4', type: 'custom_tool_call', status: 'completed', call_id: 'toolu_b', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
      ],
      usage: { input_tokens: 2400, input_tokens_details: { cached_tokens: 2000 }, output_tokens: 50, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2450 },
    })
    expect(usage).toEqual({ inputTokens: 100, outputTokens: 50, cacheReadInputTokens: 2000, cacheCreationInputTokens: 300, estimated: false })
  })

  it.each([['max_tokens', 'max_output_tokens'], ['model_context_window_exceeded', 'max_output_tokens'], ['refusal', 'content_filter']])('is incomplete after stop_reason %s', (stop, reason) => {
    const { out } = convert(message([{ type: 'text', text: 'cut' }], stop, { input_tokens: 1, output_tokens: 1 }))
    expect(out).toMatchObject({ status: 'incomplete', incomplete_details: { reason } })
  })
})
