import { describe, expect, it } from 'vitest'
import { convertFixture, ctx, fixture, testConverter } from './helpers'

const event = (data: object) => ({ event: (data as { type: string }).type, data: JSON.stringify(data) })
const messageStart = event({ type: 'message_start', message: { id: 'msg_01abc', usage: { input_tokens: 10, output_tokens: 1 } } })
const payloads = (frames: string[]) => frames.map(frame => frame === 'data: [DONE]\n\n' ? '[DONE]' : JSON.parse(frame.slice(6)))

describe('stream: golden fixtures', () => {
  it.each([
    ['text', true, { inputTokens: 472, outputTokens: 12, cacheReadInputTokens: 2048, cacheCreationInputTokens: 1024, estimated: false }],
    ['thinking-text', true, { inputTokens: 58, outputTokens: 61, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: false }],
    ['tool-use-split', true, { inputTokens: 472, outputTokens: 89, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: false }],
    ['two-tools', true, { inputTokens: 913, outputTokens: 104, cacheReadInputTokens: 4096, cacheCreationInputTokens: 0, estimated: false }],
    ['utf8', true, { inputTokens: 21, outputTokens: 16, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: false }],
    ['error-mid-stream', false, { inputTokens: 120, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: false }],
    ['truncated', false, { inputTokens: 35, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: false }],
  ])('%s', (name, finished, usage) => {
    const { frames, converter } = convertFixture(`${name}.txt`)
    expect(frames.join('')).toBe(fixture(`${name}.expected.txt`))
    expect(converter.finished).toBe(finished)
    expect(converter.usage()).toEqual(usage)
  })

  it('text with include_usage: usage null on chunks, then a choices:[] usage chunk before [DONE]', () => {
    const { frames } = convertFixture('text.txt', ctx({ includeUsage: true }))
    expect(frames.join('')).toBe(fixture('text.include-usage.expected.txt'))
  })
})

describe('stream: behaviour', () => {
  it('sends nothing before message_start and forwards each argument fragment at once', () => {
    const converter = testConverter().stream(ctx())
    expect(converter.start()).toEqual([])
    expect(converter.push(messageStart)).toHaveLength(1)
    expect(converter.push(event({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } }))).toHaveLength(1)
    for (const fragment of ['{"a"', ':1', '}']) {
      expect(payloads(converter.push(event({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: fragment } }))))
        .toEqual([expect.objectContaining({ choices: [expect.objectContaining({ delta: { tool_calls: [{ index: 0, function: { arguments: fragment } }] } })] })])
    }
    expect(converter.push(event({ type: 'content_block_stop', index: 0 }))).toEqual([])
  })

  it('streams a tool input given whole in the block start (compatible upstreams) at block stop', () => {
    const converter = testConverter().stream(ctx())
    converter.push(messageStart)
    converter.push(event({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: { q: 'x' } } }))
    expect(payloads(converter.push(event({ type: 'content_block_stop', index: 0 })))[0].choices[0].delta).toEqual({ tool_calls: [{ index: 0, function: { arguments: '{"q":"x"}' } }] })
  })

  it('takes the last cumulative usage, ignores a duplicate message_start and extra message_delta', () => {
    const converter = testConverter().stream(ctx())
    converter.push(messageStart)
    expect(converter.push(messageStart)).toEqual([])
    expect(payloads(converter.push(event({ type: 'message_delta', delta: { stop_reason: 'refusal' }, usage: { output_tokens: 5 } }))))
      .toEqual([expect.objectContaining({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'content_filter' }] })])
    expect(converter.push(event({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } }))).toEqual([])
    expect(converter.usage()).toMatchObject({ inputTokens: 10, outputTokens: 7 })
    expect(converter.push(event({ type: 'message_stop' }))).toEqual(['data: [DONE]\n\n'])
    expect(converter.finished).toBe(true)
    expect(converter.end()).toEqual([])
    expect(converter.fail('late')).toEqual([])
  })

  it('closes with a stop chunk when message_stop comes without a stop reason', () => {
    const converter = testConverter().stream(ctx())
    converter.push(messageStart)
    expect(payloads(converter.push(event({ type: 'message_stop' })))).toEqual([expect.objectContaining({ choices: [expect.objectContaining({ finish_reason: 'stop' })] }), '[DONE]'])
  })

  it('opens with a role chunk even when message_start is missing', () => {
    const converter = testConverter().stream(ctx())
    const [role, text] = payloads(converter.push(event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: 'Hi' } })))
    expect(role.id).toBe('chatcmpl-1')
    expect(role.choices[0].delta).toEqual({ role: 'assistant', content: '' })
    expect(text.choices[0].delta).toEqual({ content: 'Hi' })
  })

  it('ends with an error frame, once, on fail(), malformed JSON or an error event', () => {
    const failed = testConverter().stream(ctx())
    failed.push(messageStart)
    expect(failed.fail('client went away')).toEqual(['data: {"error":{"message":"client went away","type":"server_error","param":null,"code":null}}\n\n'])
    expect(failed.push(event({ type: 'message_stop' }))).toEqual([])
    expect(failed.end()).toEqual([])

    const malformed = testConverter().stream(ctx())
    expect(malformed.push({ event: 'content_block_delta', data: '{"type":' })).toEqual(['data: {"error":{"message":"Upstream sent a malformed stream event","type":"server_error","param":null,"code":null}}\n\n'])

    const rejected = testConverter().stream(ctx())
    expect(rejected.push(event({ type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } })))
      .toEqual(['data: {"error":{"message":"prompt is too long: 210000 tokens > 200000 maximum","type":"invalid_request_error","param":null,"code":"context_length_exceeded"}}\n\n'])
    expect(rejected.finished).toBe(false)
  })

  it('ignores pings, signatures, redacted thinking, citations and server-tool blocks', () => {
    const converter = testConverter().stream(ctx())
    converter.push(messageStart)
    const ignored = [
      event({ type: 'ping' }),
      event({ type: 'content_block_start', index: 0, content_block: { type: 'redacted_thinking', data: 'xyz' } }),
      event({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } }),
      event({ type: 'content_block_start', index: 1, content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} } }),
      event({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"query":"x"}' } }),
      event({ type: 'content_block_delta', index: 2, delta: { type: 'citations_delta', citation: {} } }),
      event({ type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: '' } }),
      event({ type: 'some_future_event' }),
    ]
    for (const e of ignored) expect(converter.push(e)).toEqual([])
  })
})
