import { describe, expect, it } from 'vitest'
import { openaiToAnthropic } from '#server/utils/convert/openai-to-anthropic'
import { InvalidRequestError } from '#server/utils/convert/types'
import type { JsonObject } from '#server/utils/convert/types'
import { ctx } from './helpers'

const convert = (body: JsonObject) => openaiToAnthropic.request(body, ctx())
const user = (content: unknown) => ({ role: 'user', content })
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}

describe('request: a realistic agent conversation', () => {
  it('converts every part to the exact Anthropic request', () => {
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are a travel assistant.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in metric units.' }] },
        user([
          { type: 'text', text: 'Compare the weather in these two cities.' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'high' } },
          { type: 'image_url', image_url: { url: 'https://example.com/map.jpg' } },
        ]),
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'I need both cities.',
          tool_calls: [
            { id: 'call_paris', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_oslo', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_paris', content: '18°C, sunny' },
        { role: 'tool', tool_call_id: 'call_oslo', content: [{ type: 'text', text: '7°C, rain' }] },
        user('Which one is better for a picnic?'),
      ],
      tools: [weatherTool, { type: 'function', function: { name: 'get_time' } }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning_effort: 'high',
      temperature: 0.7,
      stop: 'END',
      user: 'user-42',
      stream: true,
      stream_options: { include_usage: true },
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } },
      seed: 7,
    }
    expect(convert(body)).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      system: [
        { type: 'text', text: 'You are a travel assistant.' },
        { type: 'text', text: 'Answer in metric units.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare the weather in these two cities.' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/map.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'call_paris', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'call_oslo', name: 'get_weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_paris', content: '18°C, sunny' },
            { type: 'tool_result', tool_use_id: 'call_oslo', content: [{ type: 'text', text: '7°C, rain' }] },
            { type: 'text', text: 'Which one is better for a picnic?' },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city',
          input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
        { name: 'get_time', input_schema: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      thinking: { type: 'enabled', budget_tokens: 16384 },
      // 8192 default ≤ 16384 budget → the budget is added so the answer keeps 8192 tokens.
      max_tokens: 24576,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      stream: true,
    })
  })
})

describe('request: messages', () => {
  it('hoists a mid-conversation system message into system, keeping order', () => {
    const out = convert({ messages: [{ role: 'system', content: 'A' }, user('hi'), { role: 'assistant', content: 'hello' }, { role: 'developer', content: 'B' }, user('bye')] })
    expect(out.system).toEqual([{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }])
    expect(out.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
      { role: 'user', content: [{ type: 'text', text: 'bye' }] },
    ])
  })

  it('merges consecutive same-role messages and skips blank texts', () => {
    const out = convert({ messages: [user('a'), user(''), user([{ type: 'text', text: '  ' }, { type: 'text', text: 'b' }]), { role: 'assistant', content: '' }, { role: 'assistant', content: 'c' }, { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] }] })
    expect(out.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'c' }, { type: 'text', text: 'no' }] },
    ])
    expect(out).not.toHaveProperty('system')
  })

  it('accepts a conversation that starts with the assistant', () => {
    expect(convert({ messages: [{ role: 'assistant', content: 'Hi!' }, user('hello')] }).messages).toHaveLength(2)
  })

  it('puts tool results before user text that a client placed between call and results', () => {
    const out = convert({
      messages: [
        user('go'),
        { role: 'assistant', content: 'Calling.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] },
        user('(note)'),
        { role: 'tool', tool_call_id: 'call_1', content: '' },
      ],
    })
    expect(out.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Calling.' }, { type: 'tool_use', id: 'call_1', name: 'f', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1' }, { type: 'text', text: '(note)' }] },
    ])
  })

  it('turns arguments that are not a JSON object into {}', () => {
    const call = (id: string, args: string) => ({ id, type: 'function', function: { name: 'f', arguments: args } })
    const out = convert({ messages: [user('x'), { role: 'assistant', content: null, tool_calls: [call('a', '{"x":'), call('b', '[1]'), call('c', '"s"')] }] })
    const blocks = (out.messages as JsonObject[])[1]!.content as JsonObject[]
    expect(blocks.map(block => block.input)).toEqual([{}, {}, {}])
  })

  it('rewrites illegal tool ids the same way on the call and on its result', () => {
    const id = 'fc+abc/def='
    const out = convert({
      messages: [
        user('x'),
        { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: id, content: 'ok' },
      ],
    })
    const [, assistant, results] = out.messages as { content: JsonObject[] }[]
    const used = assistant!.content[0]!.id as string
    expect(used).toMatch(/^fc_abc_def__[0-9a-f]{8}$/)
    expect(results!.content[0]!.tool_use_id).toBe(used)
  })

  it('maps an inline PDF file part to a document block', () => {
    const out = convert({ messages: [user([{ type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } }])] })
    expect((out.messages as JsonObject[])[0]!.content).toEqual([{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } }])
  })

  it.each([
    ['no messages', { messages: [] }, 'messages'],
    ['only a system message', { messages: [{ role: 'system', content: 'x' }] }, 'messages'],
    ['n > 1', { n: 2, messages: [user('x')] }, 'n'],
    ['audio input', { messages: [user([{ type: 'input_audio', input_audio: { data: 'AA==', format: 'wav' } }])] }, 'messages[0].content[0]'],
    ['a file id', { messages: [user([{ type: 'file', file: { file_id: 'file-1' } }])] }, 'messages[0].content[0].file'],
    ['a non-base64 data URL', { messages: [user([{ type: 'image_url', image_url: { url: 'data:image/png,abc' } }])] }, 'messages[0].content[0].image_url'],
    ['an unknown role', { messages: [{ role: 'function', name: 'f', content: 'x' }] }, 'messages[0].role'],
    ['a custom tool', { messages: [user('x')], tools: [{ type: 'custom', custom: { name: 'patch' } }] }, 'tools[0]'],
    ['a zero max_tokens', { messages: [user('x')], max_tokens: 0 }, 'max_tokens'],
    ['an allowed_tools tool_choice', { messages: [user('x')], tools: [weatherTool], tool_choice: { type: 'allowed_tools' } }, 'tool_choice'],
  ])('refuses %s with a typed 400', (_name, body, param) => {
    expect(() => convert(body)).toThrow(InvalidRequestError)
    try {
      convert(body)
    }
    catch (error) {
      expect(error).toMatchObject({ status: 400, param })
    }
  })
})

describe('request: parameters', () => {
  const base = { messages: [user('x')] }

  it('defaults max_tokens to 8192 and prefers max_completion_tokens over max_tokens', () => {
    expect(convert(base).max_tokens).toBe(8192)
    expect(convert({ ...base, max_tokens: 100 }).max_tokens).toBe(100)
    expect(convert({ ...base, max_tokens: 100, max_completion_tokens: 200 }).max_tokens).toBe(200)
  })

  it.each([
    ['minimal', 1024], ['low', 2048], ['medium', 8192], ['high', 16384], ['xhigh', 32000],
  ])('maps reasoning_effort %s to a %i-token budget below max_tokens', (effort, budget) => {
    const out = convert({ ...base, reasoning_effort: effort, max_completion_tokens: 1000 })
    expect(out.thinking).toEqual({ type: 'enabled', budget_tokens: budget })
    expect(out.max_tokens).toBe(budget + 1000)
  })

  it('keeps a max_tokens that already exceeds the budget, and omits thinking for none', () => {
    expect(convert({ ...base, reasoning_effort: 'low', max_tokens: 50000 }).max_tokens).toBe(50000)
    expect(convert({ ...base, reasoning_effort: 'none' })).not.toHaveProperty('thinking')
  })

  it('clamps temperature to 0..1 and sends top_p only without temperature', () => {
    expect(convert({ ...base, temperature: 1.6, top_p: 0.5 })).toMatchObject({ temperature: 1 })
    expect(convert({ ...base, temperature: 1.6, top_p: 0.5 })).not.toHaveProperty('top_p')
    expect(convert({ ...base, top_p: 0.5 })).toMatchObject({ top_p: 0.5 })
  })

  it('drops temperature with thinking and keeps only top_p >= 0.95', () => {
    const out = convert({ ...base, reasoning_effort: 'medium', temperature: 0.2, top_p: 0.97 })
    expect(out).not.toHaveProperty('temperature')
    expect(out.top_p).toBe(0.97)
    expect(convert({ ...base, reasoning_effort: 'medium', top_p: 0.5 })).not.toHaveProperty('top_p')
  })

  it('maps stop strings and arrays, skipping empty ones', () => {
    expect(convert({ ...base, stop: ['a', '', 'b'] }).stop_sequences).toEqual(['a', 'b'])
    expect(convert({ ...base, stop: null })).not.toHaveProperty('stop_sequences')
  })

  it.each([
    ['auto', undefined, { type: 'auto' }],
    ['required', undefined, { type: 'any' }],
    ['none', false, { type: 'none' }],
    [{ type: 'function', function: { name: 'get_weather' } }, false, { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    [undefined, true, undefined],
  ])('maps tool_choice %j with parallel_tool_calls %s', (choice, parallel, expected) => {
    expect(convert({ ...base, tools: [weatherTool], tool_choice: choice, parallel_tool_calls: parallel }).tool_choice).toEqual(expected)
  })

  it('sends no tool_choice without tools', () => {
    const out = convert({ ...base, tools: [], tool_choice: 'required', parallel_tool_calls: false })
    expect(out).not.toHaveProperty('tools')
    expect(out).not.toHaveProperty('tool_choice')
  })

  it('drops thinking when the client forces a tool (Anthropic refuses both)', () => {
    const out = convert({ ...base, tools: [weatherTool], tool_choice: 'required', reasoning_effort: 'high', temperature: 0.3 })
    expect(out).not.toHaveProperty('thinking')
    expect(out).toMatchObject({ tool_choice: { type: 'any' }, temperature: 0.3, max_tokens: 8192 })
  })

  it('forwards only fields with an Anthropic meaning', () => {
    const out = convert({ ...base, model: 'gpt-4o', seed: 1, logprobs: true, n: 1, response_format: { type: 'json_object' }, service_tier: 'flex', safety_identifier: 'sid', stream: false })
    expect(out).toEqual({ model: 'claude-sonnet-4-5-20250929', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], max_tokens: 8192, metadata: { user_id: 'sid' } })
  })
})
