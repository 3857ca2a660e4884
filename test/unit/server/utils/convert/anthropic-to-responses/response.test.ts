import { describe, expect, it } from 'vitest'
import { ctx, testConverter } from './helpers'

const response = (output: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'resp_abc',
  object: 'response',
  created_at: 1764576000,
  status: 'completed',
  error: null,
  incomplete_details: null,
  model: 'gpt-5.1-codex',
  output,
  usage: { input_tokens: 9120, input_tokens_details: { cached_tokens: 8064 }, output_tokens: 96, output_tokens_details: { reasoning_tokens: 48 }, total_tokens: 9216 },
  ...extra,
})

const reasoning = { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'First.' }, { type: 'summary_text', text: 'Second.' }], encrypted_content: 'gAAAAABstate' }
const message = (text: string) => ({ id: 'msg_u', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] })

describe('non-streaming Responses response → Anthropic message', () => {
  it('converts reasoning, text and calls with cached and reasoning usage', () => {
    const body = response([
      reasoning,
      message('Checking.'),
      { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_1', name: 'Bash', arguments: '{"command":"ls"}' },
      // Cut-off arguments become {} so the client reports a tool input error instead of crashing.
      { id: 'fc_2', type: 'function_call', status: 'completed', call_id: 'call_2', name: 'Read', arguments: '{"file_path":' },
      { id: 'ctc_1', type: 'custom_tool_call', call_id: 'call_3', name: 'apply_patch', input: '*** Begin Patch' },
      { id: 'ws_1', type: 'web_search_call', status: 'completed' },
    ])
    const converter = testConverter()
    expect(converter.response(body, ctx)).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [
        { type: 'thinking', thinking: 'First.\n\nSecond.', signature: 'ccbridge.responses.v1:rs_1:gAAAAABstate' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'Bash', input: { command: 'ls' } },
        { type: 'tool_use', id: 'call_2', name: 'Read', input: {} },
        { type: 'tool_use', id: 'call_3', name: 'apply_patch', input: { input: '*** Begin Patch' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 1056, cache_creation_input_tokens: 0, cache_read_input_tokens: 8064, output_tokens: 96 },
    })
    expect(converter.usage(body)).toEqual({ inputTokens: 1056, outputTokens: 96, cacheReadInputTokens: 8064, cacheCreationInputTokens: 0, reasoningTokens: 48, estimated: false })
  })

  it.each([
    [{ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }, 'max_tokens'],
    [{ status: 'incomplete', incomplete_details: { reason: 'content_filter' } }, 'refusal'],
    [{}, 'end_turn'],
  ])('%j → stop_reason %s', (extra, stop) => {
    expect(testConverter().response(response([message('x')], extra), ctx).stop_reason).toBe(stop)
  })

  it('reads a refusal as text, raw reasoning text as thinking, and skips empty items', () => {
    const out = testConverter().response(response([
      { type: 'reasoning', id: 'rs_2', summary: [], content: [{ type: 'reasoning_text', text: 'raw' }] },
      { type: 'reasoning', id: 'rs_3', summary: [] },
      { type: 'message', content: [{ type: 'refusal', refusal: 'I can\'t help with that.' }] },
      message(''),
      { type: 'function_call', call_id: 'call_x', arguments: '{}' },
    ]), ctx)
    expect(out.content).toEqual([
      { type: 'thinking', thinking: 'raw', signature: '' },
      { type: 'text', text: 'I can\'t help with that.' },
    ])
  })

  it('moves reported cache writes out of input and estimates usage when none is reported', () => {
    const converter = testConverter()
    const written = response([message('x')], { usage: { input_tokens: 100, input_tokens_details: { cached_tokens: 10, cache_write_tokens: 60 }, output_tokens: 5 } })
    expect(converter.usage(written)).toEqual({ inputTokens: 30, outputTokens: 5, cacheReadInputTokens: 10, cacheCreationInputTokens: 60, estimated: false })
    const none = response([message('abcdefg'), { type: 'function_call', call_id: 'c', name: 'X', arguments: '{"a":1}' }], { usage: null })
    expect(converter.usage(none)).toEqual({ inputTokens: 0, outputTokens: 4, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: true })
  })
})
