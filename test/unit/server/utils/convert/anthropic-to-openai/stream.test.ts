import { describe, expect, it } from 'vitest'
import type { Usage } from '#server/utils/convert/types'
import { anthropicFrames, expectWellFormedAnthropicStream } from '../anthropic-stream'
import { ctx, fixture, runStream, testConverter } from './helpers'

const reported = (inputTokens: number, cacheReadInputTokens: number, outputTokens: number): Usage =>
  ({ inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens: 0, estimated: false })
const estimated = (outputTokens: number): Usage =>
  ({ inputTokens: 0, outputTokens, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: true })

/** Every recorded-shape upstream transcript, the usage it must report and whether it ends cleanly. */
const GOLDEN: Array<[name: string, usage: Usage, finished: boolean]> = [
  ['openai-text', reported(289, 1536, 9), true],
  ['deepseek-reasoning-text', { ...reported(40, 0, 12), reasoningTokens: 5 }, true],
  ['deepseek-reasoning-tool-call', { ...reported(118, 256, 61), reasoningTokens: 17 }, true],
  ['parallel-tool-calls-interleaved', reported(2210, 0, 48), true],
  ['text-then-tool-calls', reported(388, 512, 40), true],
  ['tool-arguments-before-name', reported(300, 0, 20), true],
  ['tool-whole-arguments-no-index', reported(120, 0, 30), true],
  ['finish-with-content', reported(50, 0, 2), true],
  ['no-usage', estimated(4), true],
  ['missing-done', estimated(1), true],
  ['no-finish-reason', estimated(4), false],
  ['midstream-error', estimated(2), false],
  ['utf8-text', reported(10, 0, 8), true],
]

const frames = anthropicFrames

describe('OpenAI Chat stream → Anthropic SSE (golden transcripts)', () => {
  it.each(GOLDEN)('%s', (name, usage, finished) => {
    const converter = testConverter().stream(ctx)
    expect(runStream(fixture(`${name}.txt`), converter)).toBe(fixture(`${name}.expected.txt`))
    expect(converter.usage()).toEqual(usage)
    expect(converter.finished).toBe(finished)
  })

  it.each(GOLDEN)('%s: every frame is named after its type and block indices are consistent', (name) => {
    expectWellFormedAnthropicStream(fixture(`${name}.expected.txt`))
  })
})

const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage: unknown = null) =>
  ({ data: JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }], usage }) })
const tool = (fragment: Record<string, unknown>) => chunk({ tool_calls: [fragment] })

describe('stream edge cases', () => {
  it('emits message_start once, also when push comes without start', () => {
    const s = testConverter().stream(ctx)
    const out = s.push(chunk({ content: 'a' }))
    expect(out[0]).toMatch(/^event: message_start\n/)
    expect(s.start()).toEqual([])
  })

  it('treats [DONE] without a finish reason as a truncated stream', () => {
    const s = testConverter().stream(ctx)
    s.start()
    const out = s.push({ data: '[DONE]' }).join('')
    expect(out).toContain('"type":"api_error"')
    expect(s.finished).toBe(false)
    expect(s.end()).toEqual([])
    expect(s.push(chunk({ content: 'late' }))).toEqual([])
  })

  it('fail() closes the open block and sends an api_error event; nothing after a finished turn', () => {
    const s = testConverter().stream(ctx)
    s.start()
    s.push(chunk({ content: 'x' }))
    expect(s.fail('upstream reset')).toEqual([
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"upstream reset"}}\n\n',
    ])
    const done = testConverter().stream(ctx)
    done.push(chunk({}, 'stop', { prompt_tokens: 1, completion_tokens: 1 }))
    expect(done.finished).toBe(true)
    expect(done.fail('late')).toEqual([])
  })

  it('ignores keep-alive data that is not JSON and chunks with error: null', () => {
    const s = testConverter().stream(ctx)
    s.start()
    expect(s.push({ data: '' })).toEqual([])
    expect(s.push({ data: 'OPENROUTER PROCESSING' })).toEqual([])
    expect(s.push({ data: JSON.stringify({ choices: [{ index: 0, delta: { content: 'a' } }], error: null }) }).join('')).toContain('text_delta')
  })

  it('maps a named error event with a rate-limit code', () => {
    const s = testConverter().stream(ctx)
    s.start()
    const out = s.push({ event: 'error', data: '{"message":"Rate limit reached","code":"rate_limit_exceeded"}' }).join('')
    expect(out).toBe('event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"Rate limit reached"}}\n\n')
  })

  it('starts a new tool call when a provider reuses index 0 with a new id, and mints missing ids', () => {
    const s = testConverter().stream(ctx)
    s.start()
    const out = [
      ...s.push(tool({ index: 0, id: 'a', function: { name: 'Read', arguments: '{"p":1}' } })),
      ...s.push(tool({ index: 0, id: 'b', function: { name: 'Read', arguments: '{"p":2}' } })),
      ...s.push(tool({ index: 1, function: { name: 'Bash', arguments: '{}' } })),
      ...s.push(chunk({}, 'tool_calls', { prompt_tokens: 5, completion_tokens: 5 })),
    ]
    const starts = frames(out.join('')).filter(([e]) => e === 'content_block_start').map(([, d]) => d.content_block)
    expect(starts).toEqual([
      { type: 'tool_use', id: 'a', name: 'Read', input: {} },
      { type: 'tool_use', id: 'b', name: 'Read', input: {} },
      { type: 'tool_use', id: 'toolu_2', name: 'Bash', input: {} },
    ])
  })

  it('sanitises upstream tool ids Anthropic would reject', () => {
    const s = testConverter().stream(ctx)
    const out = s.push(tool({ index: 0, id: 'call/abc+d=', function: { name: 'Bash', arguments: '' } })).join('')
    expect(out).toContain('"id":"call_abc_d_"')
  })

  it('drops a call that never got a name and ignores fragments for a closed call', () => {
    const s = testConverter().stream(ctx)
    s.start()
    const out = [
      ...s.push(tool({ index: 0, id: 'a', function: { name: 'Read', arguments: '{"p":' } })),
      ...s.push(chunk({ content: 'text closes the call' })),
      ...s.push(tool({ index: 0, function: { arguments: '1}' } })),
      ...s.push(tool({ index: 1, function: { arguments: '{"orphan":true}' } })),
      ...s.push(chunk({}, 'stop')),
      ...s.end(),
    ]
    const data = frames(out.join('')).map(([, d]) => d)
    expect(data.filter(d => d.type === 'content_block_start')).toHaveLength(2)
    expect(JSON.stringify(data)).not.toContain('orphan')
    expect(JSON.stringify(data)).not.toContain('"partial_json":"1}"')
    expect(data.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'tool_use' } })
  })

  it('holds a second call until the first call\'s JSON completes, then streams it live', () => {
    const s = testConverter().stream(ctx)
    s.start()
    s.push(tool({ index: 0, id: 'a', function: { name: 'Write', arguments: '{"content":"{not the end' } }))
    expect(s.push(tool({ index: 1, id: 'b', function: { name: 'Read', arguments: '{"f"' } }))).toEqual([])
    const handover = frames(s.push(tool({ index: 0, function: { arguments: '}\\""}' } })).join('')).map(([, d]) => d)
    expect(handover.map(d => d.type)).toEqual(['content_block_delta', 'content_block_stop', 'content_block_start', 'content_block_delta'])
    expect(handover[3]).toMatchObject({ index: 1, delta: { partial_json: '{"f"' } })
    expect(frames(s.push(tool({ index: 1, function: { arguments: ':1}' } })).join(''))[0]![1]).toMatchObject({ index: 1, delta: { partial_json: ':1}' } })
  })

  it('estimates output from reasoning, text and tool arguments when no usage comes', () => {
    const s = testConverter().stream(ctx)
    s.push(chunk({ reasoning: 'abcdefg' }))
    s.push(chunk({ content: 'hijklmn' }))
    s.push(tool({ index: 0, id: 'a', function: { name: 'X', arguments: '{"a":1}' } }))
    s.push(chunk({}, 'tool_calls'))
    expect(s.usage()).toEqual(estimated(6))
    expect(s.end().join('')).toContain('"output_tokens":6')
  })

  it('reports a stop sequence that a vLLM upstream says it matched', () => {
    const s = testConverter().stream(ctx)
    const finish = { data: JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop', stop_reason: 'END' }] }) }
    const out = [...s.push(chunk({ content: 'one two' })), ...s.push(finish), ...s.end()].join('')
    expect(out).toContain('"delta":{"stop_reason":"stop_sequence","stop_sequence":"END"}')
  })

  it('maps content_filter to refusal and OpenAI refusal deltas to text', () => {
    const s = testConverter().stream(ctx)
    const out = [...s.push(chunk({ refusal: 'I can\'t help with that.' })), ...s.push(chunk({}, 'content_filter')), ...s.end()].join('')
    expect(out).toContain('"text":"I can\'t help with that."')
    expect(out).toContain('"stop_reason":"refusal"')
  })
})
