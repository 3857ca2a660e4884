import { describe, expect, it } from 'vitest'
import { createResponsesToChat } from '#server/utils/convert/responses-to-chat'
import { CODEX_TOOLS_REQUEST, ctx, fixture, frames, runStream, streamFor, testOptions } from '../responses-common/helpers'
import { checkResponsesStream } from '../responses-common/stream-checks'
import { CHAT_GOLDEN } from './golden'

const converter = () => createResponsesToChat(testOptions())
const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage: unknown = null) =>
  ({ data: JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }], usage }) })

describe('OpenAI Chat stream → Responses events (golden transcripts)', () => {
  it.each(CHAT_GOLDEN)('%s', (name, input, usage, finished) => {
    const stream = streamFor(converter(), CODEX_TOOLS_REQUEST)
    const out = runStream(fixture(input), stream)
    expect(out).toBe(fixture(`responses-chat/${name}.expected.txt`))
    expect(stream.usage()).toEqual(usage)
    expect(stream.finished).toBe(finished)
    checkResponsesStream(out)
  })
})

describe('OpenAI Chat stream → Responses events', () => {
  it('sends created and in_progress before any upstream byte', () => {
    const start = converter().stream(ctx()).start()
    expect(start.map(f => frames(f)[0]![1].type)).toEqual(['response.created', 'response.in_progress'])
  })

  it('treats apply_patch as a function when the request did not declare it custom', () => {
    const stream = converter().stream(ctx())
    const out = runStream(fixture('responses-chat/apply-patch.txt'), stream)
    expect(out).toContain('"type":"function_call","status":"completed","call_id":"call_patch_1","name":"apply_patch","arguments":"{\\"input\\"')
  })

  it('gives a custom tool input of another argument shape in one delta at the end', () => {
    const stream = streamFor(converter(), CODEX_TOOLS_REQUEST)
    const out = [...stream.start(), ...[
      chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'apply_patch', arguments: '{"patch":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] }),
      chunk({}, 'tool_calls', { prompt_tokens: 1, completion_tokens: 1 }),
    ].flatMap(e => stream.push(e))].join('')
    const deltas = frames(out).filter(([, d]) => d.type === 'response.custom_tool_call_input.delta').map(([, d]) => d.delta)
    expect(deltas).toEqual(['{"patch":"x"}'])
    checkResponsesStream(out)
  })

  it('waits for the usage chunk after the finish reason, and completes at [DONE] without one', () => {
    const stream = converter().stream(ctx())
    stream.start()
    stream.push(chunk({ content: 'hi' }))
    expect(stream.push(chunk({}, 'stop')).join('')).not.toContain('response.completed')
    expect(stream.push({ data: JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 1 } }) }).join('')).toContain('response.completed')
    expect(stream.finished).toBe(true)
    expect(stream.push({ data: '[DONE]' })).toEqual([])
    const noUsage = converter().stream(ctx())
    noUsage.start()
    noUsage.push(chunk({ content: 'hi' }, 'stop'))
    expect(noUsage.push({ data: '[DONE]' }).join('')).toContain('response.completed')
    expect(noUsage.usage().estimated).toBe(true)
  })

  it('ends with response.failed (server_error) on fail() after the first event, then stays silent', () => {
    const stream = converter().stream(ctx())
    stream.start()
    stream.push(chunk({ content: 'par' }))
    const out = stream.fail('connection reset').join('')
    expect(frames(out).map(([, d]) => [d.type, (d.response as { error?: unknown })?.error])).toEqual([['response.failed', { code: 'server_error', message: 'connection reset' }]])
    expect(stream.end()).toEqual([])
    expect(stream.finished).toBe(false)
  })

  it.each([
    [{ error: { message: 'Rate limit reached, try again in 1.5s', type: 'requests', code: 'rate_limit_exceeded' } }, 'rate_limit_exceeded'],
    [{ error: { message: 'This model\'s maximum context length is 128000 tokens', code: 'context_length_exceeded' } }, 'context_length_exceeded'],
    [{ error: { message: 'Insufficient Balance', type: 'unknown_error' } }, 'insufficient_quota'],
    [{ error: 'boom' }, 'server_error'],
  ])('maps a mid-stream error %j to code %s', (error, code) => {
    const stream = converter().stream(ctx())
    stream.start()
    const [, data] = frames(stream.push({ data: JSON.stringify(error) }).join('')).at(-1)!
    expect(data.type).toBe('response.failed')
    expect((data.response as { error: { code: string } }).error.code).toBe(code)
  })
})
