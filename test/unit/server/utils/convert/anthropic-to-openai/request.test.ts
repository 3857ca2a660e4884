import { describe, expect, it } from 'vitest'
import { ctx, fixture, testConverter } from './helpers'

const convert = (body: Record<string, unknown>, options: { replayReasoning?: boolean } = {}, stream = true) =>
  testConverter(options).request({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }], ...body }, { ...ctx, stream })

describe('Anthropic request → Chat request', () => {
  it('converts a Claude Code tool loop (golden)', () => {
    const body = JSON.parse(fixture('request-tool-loop.json'))
    expect(testConverter().request(body, ctx)).toEqual(JSON.parse(fixture('request-tool-loop.expected.json')))
  })

  it('uses the converter endpoint chat/completions', () => {
    expect(testConverter().endpoint).toBe('chat/completions')
  })

  it.each([
    [{ type: 'enabled', budget_tokens: 1024 }, undefined, 'low'],
    [{ type: 'enabled', budget_tokens: 4095 }, undefined, 'low'],
    [{ type: 'enabled', budget_tokens: 4096 }, undefined, 'medium'],
    [{ type: 'enabled', budget_tokens: 16383 }, undefined, 'medium'],
    [{ type: 'enabled', budget_tokens: 16384 }, undefined, 'high'],
    [{ type: 'adaptive' }, undefined, undefined],
    [{ type: 'disabled' }, undefined, undefined],
    [undefined, undefined, undefined],
    [{ type: 'adaptive' }, { effort: 'low' }, 'low'],
    [{ type: 'enabled', budget_tokens: 2000 }, { effort: 'high' }, 'high'],
    [{ type: 'disabled' }, { effort: 'max' }, 'high'],
  ])('thinking %j with output_config %j → reasoning_effort %s', (thinking, outputConfig, effort) => {
    expect(convert({ thinking, output_config: outputConfig }).reasoning_effort).toBe(effort)
  })

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
    [{ type: 'tool', name: 'Bash' }, { type: 'function', function: { name: 'Bash' } }],
  ])('tool_choice %j → %j', (choice, expected) => {
    const tools = [{ name: 'Bash', input_schema: { type: 'object', properties: {} } }]
    expect(convert({ tools, tool_choice: choice }).tool_choice).toEqual(expected)
  })

  it('maps disable_parallel_tool_use, and sends no tool fields without client tools', () => {
    const tools = [{ name: 'Bash', input_schema: { type: 'object' } }]
    const out = convert({ tools, tool_choice: { type: 'any', disable_parallel_tool_use: true } })
    expect(out).toMatchObject({ tool_choice: 'required', parallel_tool_calls: false })
    const serverOnly = convert({ tools: [{ type: 'web_search_20250305', name: 'web_search' }], tool_choice: { type: 'any', disable_parallel_tool_use: true } })
    expect(serverOnly).not.toHaveProperty('tools')
    expect(serverOnly).not.toHaveProperty('tool_choice')
    expect(serverOnly).not.toHaveProperty('parallel_tool_calls')
  })

  it('maps sampling, stop and user fields and drops unknown ones', () => {
    const out = convert({
      temperature: 0.2,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ['a', 'b', 'c', 'd', 'e'],
      metadata: { user_id: 'u-1' },
      service_tier: 'auto',
      context_management: {},
      cache_control: { type: 'ephemeral' },
    }, {}, false)
    expect(out).toEqual({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 1024,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['a', 'b', 'c', 'd'],
      user: 'u-1',
    })
  })

  it('keeps the system text (string, or blocks without a leading attribution block)', () => {
    expect(convert({ system: 'Be brief.' }).messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }])
    const blocks = [{ type: 'text', text: 'First.' }, { type: 'text', text: 'x-anthropic-billing-header: not first, kept' }]
    expect((convert({ system: blocks }).messages as unknown[])[0]).toEqual({ role: 'system', content: 'First.\n\nx-anthropic-billing-header: not first, kept' })
    expect((convert({ system: [{ type: 'text', text: 'x-anthropic-billing-header: cc_version=1' }] }).messages as unknown[])).toHaveLength(1)
  })

  it('converts images by URL and documents (PDF, text, content, URL)', () => {
    const pdf = { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }
    const content = [
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
      { type: 'document', title: 'spec', source: pdf },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain doc' } },
      { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'inner' }] } },
      { type: 'document', title: 'Paper', source: { type: 'url', url: 'https://example.com/p.pdf' } },
      { type: 'document', source: { type: 'file', file_id: 'file_1' } },
      { type: 'text', text: 'Summarise.' },
    ]
    expect(convert({ messages: [{ role: 'user', content }] }).messages).toEqual([{
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        { type: 'file', file: { filename: 'spec.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
        { type: 'text', text: 'plain doc' },
        { type: 'text', text: 'inner' },
        { type: 'text', text: 'Document: Paper <https://example.com/p.pdf>' },
        { type: 'text', text: 'Summarise.' },
      ],
    }])
  })

  it('replays thinking as reasoning_content whatever its signature, and can be switched off', () => {
    const messages = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'EsEC-real-anthropic-signature' }, { type: 'text', text: 'a' }] },
      { role: 'assistant', content: [{ type: 'thinking', thinking: '', signature: 'only-signature' }] },
      { role: 'user', content: 'next' },
    ]
    expect(convert({ messages }).messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a', reasoning_content: 'hmm' },
      { role: 'user', content: 'next' },
    ])
    expect((convert({ messages }, { replayReasoning: false }).messages as unknown[])[1]).toEqual({ role: 'assistant', content: 'a' })
  })

  it('tool results: nested text/documents, images moved after all tool messages, empty error', () => {
    const messages = [
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'A', input: {} }, { type: 'tool_use', id: 't2', name: 'B', input: { x: [1] } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'AA==' } }] },
          { type: 'tool_result', tool_use_id: 't2', is_error: true, content: [{ type: 'document', source: { type: 'text', data: 'log' } }] },
        ],
      },
    ]
    expect(convert({ messages }).messages).toEqual([
      {
        role: 'assistant',
        content: null,
        reasoning_content: '',
        tool_calls: [
          { id: 't1', type: 'function', function: { name: 'A', arguments: '{}' } },
          { id: 't2', type: 'function', function: { name: 'B', arguments: '{"x":[1]}' } },
        ],
      },
      { role: 'tool', tool_call_id: 't1', content: '[images or files from this tool result follow in the next user message]' },
      { role: 'tool', tool_call_id: 't2', content: 'Error: log' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AA==' } }] },
    ])
  })

  it('never throws on malformed input', () => {
    for (const body of [{}, { messages: null, system: 5, tools: 'x' }, { messages: [null, 1, { role: 'user', content: [null, { type: 'tool_result' }] }] }]) {
      expect(() => testConverter().request(body, ctx)).not.toThrow()
    }
  })
})
