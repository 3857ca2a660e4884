import { describe, expect, it } from 'vitest'
import type { SseEvent, Usage } from '#server/utils/convert/types'
import { anthropicFrames, assembledBlocks, expectWellFormedAnthropicStream } from '../anthropic-stream'
import { ctx, fixture, runStream, testConverter } from './helpers'

const reported = (inputTokens: number, cacheReadInputTokens: number, outputTokens: number, reasoningTokens: number): Usage =>
  ({ inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens: 0, reasoningTokens, estimated: false })
const estimated = (outputTokens: number): Usage =>
  ({ inputTokens: 0, outputTokens, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: true })

/** Every upstream transcript, the usage it must report and whether it ends cleanly. */
const GOLDEN: Array<[name: string, usage: Usage, finished: boolean]> = [
  ['text', reported(1843, 0, 58, 40), true],
  ['reasoning-summary', reported(2310, 0, 212, 160), true],
  ['parallel-function-calls', reported(1056, 8064, 96, 48), true],
  ['cached-reasoning-usage', reported(1621, 46592, 871, 832), true],
  ['incomplete-max-output-tokens', reported(512, 0, 16, 0), true],
  ['arguments-without-deltas', reported(700, 0, 30, 0), true],
  ['utf8', reported(20, 0, 14, 0), true],
  ['failed-mid-stream', estimated(4), false],
  ['error-event-quota', estimated(0), false],
  ['truncated', estimated(4), false],
]

const frames = anthropicFrames

describe('OpenAI Responses stream → Anthropic SSE (golden transcripts)', () => {
  it.each(GOLDEN)('%s', (name, usage, finished) => {
    const converter = testConverter().stream(ctx)
    expect(runStream(fixture(`${name}.txt`), converter)).toBe(fixture(`${name}.expected.txt`))
    expect(converter.usage()).toEqual(usage)
    expect(converter.finished).toBe(finished)
  })

  it.each(GOLDEN)('%s: frames are named after their type, blocks never interleave, the end is explicit', (name) => {
    expectWellFormedAnthropicStream(fixture(`${name}.expected.txt`))
  })
})

let seq = 0
const ev = (type: string, fields: Record<string, unknown> = {}): SseEvent =>
  ({ event: type, data: JSON.stringify({ type, sequence_number: seq++, ...fields }) })
const added = (output_index: number, item: Record<string, unknown>) => ev('response.output_item.added', { output_index, item })
const done = (output_index: number, item: Record<string, unknown>) => ev('response.output_item.done', { output_index, item })
const textDelta = (output_index: number, delta: string) => ev('response.output_text.delta', { output_index, content_index: 0, delta })
const argsDelta = (output_index: number, delta: string) => ev('response.function_call_arguments.delta', { output_index, delta })
const completed = (response: Record<string, unknown> = {}) =>
  ev('response.completed', { response: { status: 'completed', usage: { input_tokens: 10, output_tokens: 5 }, ...response } })

function run(events: SseEvent[]) {
  const s = testConverter().stream(ctx)
  const text = [...s.start(), ...events.flatMap(e => s.push(e)), ...s.end()].join('')
  return { s, text, data: frames(text).map(([, d]) => d) }
}

describe('stream edge cases', () => {
  it('emits message_start once, also when push comes without start', () => {
    const s = testConverter().stream(ctx)
    const out = s.push(ev('response.created', { response: { status: 'in_progress' } }))
    expect(out).toHaveLength(1)
    expect(out[0]).toMatch(/^event: message_start\n/)
    expect(s.start()).toEqual([])
  })

  it('fail() closes the open block and sends an api_error event; nothing after a finished turn', () => {
    const s = testConverter().stream(ctx)
    s.start()
    s.push(added(0, { type: 'message', content: [] }))
    s.push(textDelta(0, 'x'))
    expect(s.fail('upstream reset')).toEqual([
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"upstream reset"}}\n\n',
    ])
    expect(s.push(textDelta(0, 'late'))).toEqual([])
    const finished = testConverter().stream(ctx)
    finished.push(completed())
    expect(finished.finished).toBe(true)
    expect(finished.fail('late')).toEqual([])
    expect(finished.end()).toEqual([])
  })

  it('ignores keep-alive data that is not JSON and event types it does not know', () => {
    const s = testConverter().stream(ctx)
    s.start()
    expect(s.push({ data: '' })).toEqual([])
    expect(s.push({ data: 'PROCESSING' })).toEqual([])
    expect(s.push(ev('response.future_event', { output_index: 0 }))).toEqual([])
  })

  it.each([
    [{ code: 'rate_limit_exceeded', message: 'Rate limit reached for gpt-5' }, 'rate_limit_error', 'Rate limit reached for gpt-5'],
    [{ code: 'server_is_overloaded', message: 'The server is overloaded' }, 'overloaded_error', 'The server is overloaded'],
    [{ code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model.' }, 'invalid_request_error', 'prompt is too long: Your input exceeds the context window of this model.'],
    [{ code: 'server_error', message: 'boom' }, 'api_error', 'boom'],
  ])('maps a top-level error event %j and a response.failed alike', (error, type, message) => {
    const expected = `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`
    const top = testConverter().stream(ctx)
    top.start()
    expect(top.push({ event: 'error', data: JSON.stringify({ type: 'error', ...error, param: null }) }).join('')).toBe(expected)
    const failed = testConverter().stream(ctx)
    failed.start()
    expect(failed.push(ev('response.failed', { response: { status: 'failed', error } })).join('')).toBe(expected)
    expect(failed.finished).toBe(false)
  })

  it('maps an incomplete response: content_filter → refusal, max_output_tokens with a call → max_tokens', () => {
    const filtered = run([textDelta(0, 'I can'), ev('response.incomplete', { response: { status: 'incomplete', incomplete_details: { reason: 'content_filter' } } })])
    expect(filtered.data.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'refusal' } })
    const cut = run([
      added(0, { type: 'function_call', call_id: 'call_1', name: 'Write', arguments: '' }),
      argsDelta(0, '{"content":"abc'),
      ev('response.incomplete', { response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } }),
    ])
    expect(cut.data.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'max_tokens' } })
    expect(cut.s.finished).toBe(true)
  })

  it('holds an interleaved item until the earlier block closes, then streams it live', () => {
    const s = testConverter().stream(ctx)
    s.start()
    s.push(added(0, { type: 'function_call', call_id: 'call_a', name: 'Read', arguments: '' }))
    s.push(added(1, { type: 'function_call', call_id: 'call_b', name: 'Glob', arguments: '' }))
    expect(s.push(argsDelta(1, '{"pattern":'))).toEqual([])
    s.push(argsDelta(0, '{"file_path":"a"}'))
    const handover = frames(s.push(done(0, { type: 'function_call', call_id: 'call_a', name: 'Read', arguments: '{"file_path":"a"}' })).join('')).map(([, d]) => d)
    expect(handover.map(d => d.type)).toEqual(['content_block_stop', 'content_block_start', 'content_block_delta'])
    expect(handover[2]).toMatchObject({ index: 1, delta: { partial_json: '{"pattern":' } })
    expect(frames(s.push(argsDelta(1, '"*"}')).join(''))[0]![1]).toMatchObject({ index: 1, delta: { partial_json: '"*"}' } })
  })

  it('creates items from deltas when a provider skips output_item.added', () => {
    const { data } = run([textDelta(0, 'hi'), ev('response.reasoning_text.delta', { output_index: 1, delta: 'raw thought' }), completed()])
    expect(data.filter(d => d.type === 'content_block_delta').map(d => d.delta)).toEqual([
      { type: 'text_delta', text: 'hi' },
      { type: 'thinking_delta', thinking: 'raw thought' },
    ])
  })

  it('completes items from response.completed when their final events never came', () => {
    const reasoning = { type: 'reasoning', id: 'rs_9', summary: [{ type: 'summary_text', text: 'Plan.' }], encrypted_content: 'enc' }
    const output = [reasoning, { type: 'message', content: [{ type: 'output_text', text: 'All of it.' }] }, { type: 'function_call', call_id: 'call_9', name: 'Bash', arguments: '{"command":"ls"}' }]
    const { text } = run([
      added(0, { type: 'reasoning', id: 'rs_9', summary: [] }),
      ev('response.reasoning_summary_text.delta', { output_index: 0, summary_index: 0, delta: 'Pl' }),
      completed({ output }),
    ])
    expect(assembledBlocks(text)).toEqual([
      { type: 'thinking', thinking: 'Plan.', signature: 'ccbridge.responses.v1:rs_9:enc' },
      { type: 'text', text: 'All of it.' },
      { type: 'tool_use', id: 'call_9', name: 'Bash', input: { command: 'ls' } },
    ])
  })

  it('streams a freeform custom tool call as valid JSON {input}', () => {
    const raw = '*** Begin Patch\n*** Update File: "a.ts"\n*** End Patch'
    const { data } = run([
      added(0, { type: 'custom_tool_call', call_id: 'call_p', name: 'apply_patch', input: '' }),
      ev('response.custom_tool_call_input.delta', { output_index: 0, delta: raw.slice(0, 20) }),
      ev('response.custom_tool_call_input.delta', { output_index: 0, delta: raw.slice(20) }),
      done(0, { type: 'custom_tool_call', call_id: 'call_p', name: 'apply_patch', input: raw }),
      completed(),
    ])
    const json = data.filter(d => d.type === 'content_block_delta').map(d => (d.delta as { partial_json: string }).partial_json).join('')
    expect(JSON.parse(json)).toEqual({ input: raw })
    expect(data.at(-2)).toMatchObject({ delta: { stop_reason: 'tool_use' } })
  })

  it('drops built-in tool items and empty messages, and names a call only once', () => {
    const { data } = run([
      added(0, { type: 'web_search_call', id: 'ws_1', status: 'in_progress' }),
      ev('response.web_search_call.searching', { output_index: 0, item_id: 'ws_1' }),
      done(0, { type: 'web_search_call', id: 'ws_1', status: 'completed' }),
      added(1, { type: 'message', content: [] }),
      done(1, { type: 'message', content: [{ type: 'output_text', text: '' }] }),
      added(2, { type: 'function_call', call_id: 'call/x+y', name: 'Bash', arguments: '' }),
      done(2, { type: 'function_call', call_id: 'call/x+y', name: 'Bash', arguments: '{}' }),
      completed(),
    ])
    const starts = data.filter(d => d.type === 'content_block_start').map(d => d.content_block)
    expect(starts).toEqual([{ type: 'tool_use', id: 'call_x_y', name: 'Bash', input: {} }])
  })

  it('sends no signature for reasoning without encrypted content', () => {
    const { data } = run([
      added(0, { type: 'reasoning', id: 'rs_1', summary: [] }),
      ev('response.reasoning_summary_text.delta', { output_index: 0, summary_index: 0, delta: 'Thinking.' }),
      done(0, { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Thinking.' }] }),
      completed(),
    ])
    expect(data.some(d => (d.delta as { type?: string } | undefined)?.type === 'signature_delta')).toBe(false)
    expect(data[1]).toMatchObject({ content_block: { type: 'thinking', thinking: '', signature: '' } })
  })

  it('estimates output from text, reasoning and arguments when no usage comes', () => {
    const s = testConverter().stream(ctx)
    s.push(textDelta(0, 'abcdefg'))
    s.push(ev('response.reasoning_summary_text.delta', { output_index: 1, summary_index: 0, delta: 'hijklmn' }))
    s.push(ev('response.completed', { response: { status: 'completed' } }))
    expect(s.usage()).toEqual(estimated(4))
  })
})
