import { describe, expect, it } from 'vitest'
import { chatCompletionUsage as usageOf } from '#server/utils/convert/anthropic-to-openai/response'
import { ctx, testConverter } from './helpers'

const completion = (message: Record<string, unknown>, finish: string | null, usage?: unknown) => ({
  id: 'chatcmpl-abc',
  object: 'chat.completion',
  created: 1770933892,
  model: 'deepseek-v4-flash',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
  ...(usage === undefined ? {} : { usage }),
})

describe('non-streaming Chat completion → Anthropic message', () => {
  it('converts reasoning, text and tool calls with DeepSeek cache usage', () => {
    const body = completion({
      content: 'Listing files.',
      reasoning_content: 'Need ls.',
      tool_calls: [
        { id: 'call_0', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } },
        { id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{"file_path":' } },
      ],
    }, 'tool_calls', { prompt_tokens: 374, completion_tokens: 61, total_tokens: 435, prompt_cache_hit_tokens: 256, prompt_cache_miss_tokens: 118 })
    expect(testConverter().response(body, ctx)).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [
        { type: 'thinking', thinking: 'Need ls.', signature: '' },
        { type: 'text', text: 'Listing files.' },
        { type: 'tool_use', id: 'call_0', name: 'Bash', input: { command: 'ls' } },
        // Cut-off arguments become {} so the client reports a tool input error instead of crashing.
        { type: 'tool_use', id: 'call_1', name: 'Read', input: {} },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 118, cache_creation_input_tokens: 0, cache_read_input_tokens: 256, output_tokens: 61 },
    })
  })

  it.each([
    ['stop', false, 'end_turn'],
    ['length', false, 'max_tokens'],
    ['length', true, 'max_tokens'],
    ['tool_calls', true, 'tool_use'],
    ['stop', true, 'tool_use'],
    ['tool_calls', false, 'end_turn'],
    ['content_filter', false, 'refusal'],
    [null, false, 'end_turn'],
  ])('finish_reason %s (tool calls: %s) → %s', (finish, tools, stop) => {
    const calls = tools ? { tool_calls: [{ id: 'c', type: 'function', function: { name: 'T', arguments: '{}' } }] } : {}
    expect(testConverter().response(completion({ content: 'x', ...calls }, finish), ctx).stop_reason).toBe(stop)
  })

  it('reads OpenRouter `reasoning`, array content, object arguments, refusals and mints missing ids', () => {
    const body = completion({
      content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }],
      reasoning: 'why',
      tool_calls: [{ type: 'function', function: { name: 'T', arguments: { k: 1 } } }, { function: { arguments: '{}' } }],
    }, 'tool_calls', { prompt_tokens: 10, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } })
    const message = testConverter().response(body, ctx)
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'why', signature: '' },
      { type: 'text', text: 'ab' },
      { type: 'tool_use', id: 'toolu_1', name: 'T', input: { k: 1 } },
    ])
    expect(message.usage).toEqual({ input_tokens: 6, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 3 })
    const refusal = testConverter().response(completion({ content: null, refusal: 'No.' }, 'stop'), ctx)
    expect(refusal.content).toEqual([{ type: 'text', text: 'No.' }])
  })

  it('reports the stop sequence a vLLM or SGLang upstream says it matched', () => {
    const vllm = { ...completion({ content: 'one two' }, 'stop'), choices: [{ index: 0, message: { role: 'assistant', content: 'one two' }, finish_reason: 'stop', stop_reason: 'END' }] }
    expect(testConverter().response(vllm, ctx)).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'END' })
    const sglang = { ...vllm, choices: [{ ...vllm.choices[0], stop_reason: undefined, matched_stop: '###' }] }
    expect(testConverter().response(sglang, ctx)).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: '###' })
    // A stop token id is not a stop sequence, and OpenAI says nothing at all.
    const token = { ...vllm, choices: [{ ...vllm.choices[0], stop_reason: 128009 }] }
    expect(testConverter().response(token, ctx)).toMatchObject({ stop_reason: 'end_turn', stop_sequence: null })
    expect(testConverter().response(completion({ content: 'x' }, 'stop'), ctx)).toMatchObject({ stop_reason: 'end_turn', stop_sequence: null })
  })

  it('never throws on a malformed body', () => {
    for (const body of [{}, { choices: null }, { choices: [null] }, { choices: [{ message: 'x' }] }]) {
      expect(testConverter().response(body, ctx)).toMatchObject({ type: 'message', content: [], stop_reason: 'end_turn' })
    }
  })
})

describe('usageOf', () => {
  it('maps reported usage (cached tokens move out of input)', () => {
    expect(usageOf(completion({ content: 'x' }, 'stop', { prompt_tokens: 100, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 64 } })))
      .toEqual({ inputTokens: 36, outputTokens: 7, cacheReadInputTokens: 64, cacheCreationInputTokens: 0, estimated: false })
  })

  it('estimates output at 3.5 characters per token when usage is missing', () => {
    const body = completion({ content: 'seven c', reasoning_content: 'abc', tool_calls: [{ function: { name: 'Bash', arguments: '{"a":1}' } }] }, 'stop')
    // 7 + 3 + 4 + 7 = 21 characters → 6 tokens.
    expect(usageOf(body)).toEqual({ inputTokens: 0, outputTokens: 6, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: true })
    expect(testConverter().response(body, ctx).usage).toEqual({ input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 6 })
  })
})
