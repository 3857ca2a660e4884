import { describe, expect, it } from 'vitest'
import { ctx, fixture, testConverter } from './helpers'

const convert = (body: Record<string, unknown>, stream = true) =>
  testConverter().request({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }], ...body }, { ...ctx, stream })

const SIGNED = 'ccbridge.responses.v1:rs_1:gAAAAABstate'

describe('Anthropic request → Responses request', () => {
  it('converts a Claude Code tool loop with thinking (golden)', () => {
    const body = JSON.parse(fixture('request-claude-code.json'))
    expect(testConverter().request(body, ctx)).toEqual(JSON.parse(fixture('request-claude-code.expected.json')))
  })

  it('uses the converter endpoint responses, never stores, streams only when asked', () => {
    expect(testConverter().endpoint).toBe('responses')
    expect(convert({}, false)).toEqual({
      model: 'gpt-5.1-codex',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
      max_output_tokens: 1024,
      store: false,
    })
    expect(convert({})).toMatchObject({ stream: true, store: false })
  })

  it.each([
    [{ type: 'enabled', budget_tokens: 1024 }, undefined, { effort: 'low', summary: 'auto' }],
    [{ type: 'enabled', budget_tokens: 4096 }, undefined, { effort: 'medium', summary: 'auto' }],
    [{ type: 'enabled', budget_tokens: 16384 }, undefined, { effort: 'high', summary: 'auto' }],
    [{ type: 'adaptive' }, undefined, { summary: 'auto' }],
    [{ type: 'adaptive' }, { effort: 'low' }, { effort: 'low', summary: 'auto' }],
    [undefined, { effort: 'max' }, { effort: 'high', summary: 'auto' }],
    [{ type: 'disabled' }, undefined, undefined],
    [undefined, undefined, undefined],
  ])('thinking %j with output_config %j → reasoning %j', (thinking, outputConfig, reasoning) => {
    const out = convert({ thinking, output_config: outputConfig })
    expect(out.reasoning).toEqual(reasoning)
    expect(out.include).toEqual(reasoning ? ['reasoning.encrypted_content'] : undefined)
  })

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
    [{ type: 'tool', name: 'Bash' }, { type: 'function', name: 'Bash' }],
  ])('tool_choice %j → %j', (choice, expected) => {
    const tools = [{ name: 'Bash', input_schema: { type: 'object', properties: {} } }]
    expect(convert({ tools, tool_choice: choice }).tool_choice).toEqual(expected)
  })

  it('maps disable_parallel_tool_use, and sends no tool fields without client tools', () => {
    const tools = [{ name: 'Bash', input_schema: { type: 'object' } }]
    expect(convert({ tools, tool_choice: { type: 'any', disable_parallel_tool_use: true } })).toMatchObject({
      tools: [{ type: 'function', name: 'Bash', parameters: { type: 'object' }, strict: false }],
      tool_choice: 'required',
      parallel_tool_calls: false,
    })
    const serverOnly = convert({ tools: [{ type: 'web_search_20250305', name: 'web_search' }], tool_choice: { type: 'any', disable_parallel_tool_use: true } })
    expect(serverOnly).not.toHaveProperty('tools')
    expect(serverOnly).not.toHaveProperty('tool_choice')
    expect(serverOnly).not.toHaveProperty('parallel_tool_calls')
  })

  it('drops stop_sequences, top_k and Anthropic-only fields; keeps sampling; raises tiny output limits to 16', () => {
    const out = convert({ max_tokens: 1, temperature: 0.2, top_p: 0.9, top_k: 5, stop_sequences: ['END'], service_tier: 'auto', context_management: {} })
    expect(out).toMatchObject({ max_output_tokens: 16, temperature: 0.2, top_p: 0.9 })
    for (const key of ['stop', 'stop_sequences', 'top_k', 'service_tier', 'context_management']) expect(out).not.toHaveProperty(key)
  })

  it.each([
    ['user_3f9a1c0e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f_account__session_9b2f6c1e', 'user_3f9a1c0e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3'],
    ['{"device_id":"dev-1","account_uuid":"acc-1","session_id":"s-1"}', 'acc-1'],
    ['{"device_id":"dev-1","account_uuid":"","session_id":"s-1"}', 'dev-1'],
    ['u-1', 'u-1'],
  ])('metadata.user_id %s → user and prompt_cache_key %s', (userId, key) => {
    expect(convert({ metadata: { user_id: userId } })).toMatchObject({ user: key, prompt_cache_key: key })
  })

  it('maps structured output to text.format', () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } }
    expect(convert({ output_config: { format: { type: 'json_schema', schema } } }).text).toEqual({
      format: { type: 'json_schema', name: 'output', schema, strict: false },
    })
  })

  it('turns a mid-conversation system message into a developer message and a plain assistant string into output_text', () => {
    const out = convert({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: 'again' },
      ],
    })
    expect(out.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello.' }] },
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'again' }] },
    ])
  })

  it('converts images and documents to input parts', () => {
    const out = convert({
      messages: [{
        role: 'user',
        content: [
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
          { type: 'document', title: 'spec', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
          { type: 'document', title: 'notes', source: { type: 'text', media_type: 'text/plain', data: 'n1' } },
        ],
      }],
    })
    expect(out.input).toEqual([{
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'auto' },
        { type: 'input_file', filename: 'spec.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
        { type: 'input_text', text: 'notes\n\nn1' },
      ],
    }])
  })

  it('replays only thinking that carries a Responses reasoning item, with or without its summary', () => {
    const out = convert({
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: '', signature: SIGNED },
            { type: 'thinking', thinking: 'Anthropic-signed', signature: 'EqQBCkYIBxgC' },
            { type: 'thinking', thinking: 'unsigned', signature: '' },
            { type: 'thinking', thinking: 'no id', signature: 'ccbridge.responses.v1::gAAAAABx' },
            { type: 'thinking', thinking: 'broken', signature: 'ccbridge.responses.v1:rs_2' },
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      ],
    })
    expect((out.input as unknown[]).slice(1)).toEqual([
      { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAAABstate' },
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'no id' }], encrypted_content: 'gAAAAABx' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a' }, { type: 'output_text', text: 'b' }] },
    ])
  })

  it('keeps tool results where they stood and marks errors', () => {
    const out = convert({
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: {} }, { type: 'tool_use', id: 't2', name: 'Read' }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] },
            { type: 'tool_result', tool_use_id: 't2', is_error: true, content: 'nope' },
            { type: 'text', text: 'next' },
          ],
        },
      ],
    })
    expect((out.input as unknown[]).slice(1)).toEqual([
      { type: 'function_call', call_id: 't1', name: 'Read', arguments: '{}' },
      { type: 'function_call', call_id: 't2', name: 'Read', arguments: '{}' },
      { type: 'function_call_output', call_id: 't1', output: 'one\n\ntwo' },
      { type: 'function_call_output', call_id: 't2', output: 'Error: nope' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'next' }] },
    ])
  })
})
