import { describe, expect, it } from 'vitest'
import { createResponsesToAnthropic } from '#server/utils/convert/responses-to-anthropic'
import { CODEX_TOOLS_REQUEST, ctx, fixture, frames, runStream, streamFor, testOptions } from '../responses-common/helpers'
import { checkResponsesStream } from '../responses-common/stream-checks'
import { ANTHROPIC_GOLDEN } from './golden'

const converter = () => createResponsesToAnthropic(testOptions())
const ev = (data: Record<string, unknown>) => ({ event: data.type as string, data: JSON.stringify(data) })

describe('Anthropic stream → Responses events (golden transcripts)', () => {
  it.each(ANTHROPIC_GOLDEN)('%s', (name, input, usage, finished) => {
    const stream = streamFor(converter(), CODEX_TOOLS_REQUEST)
    const out = runStream(fixture(input), stream)
    expect(out).toBe(fixture(`responses-anthropic/${name}.expected.txt`))
    expect(stream.usage()).toEqual(usage)
    expect(stream.finished).toBe(finished)
    checkResponsesStream(out)
  })
})

describe('Anthropic stream → Responses events', () => {
  it('sends a tool input that came whole in content_block_start as the arguments', () => {
    const stream = converter().stream(ctx())
    const out = [...stream.start(), ...[
      ev({ type: 'message_start', message: { id: 'msg_1', usage: { input_tokens: 5, output_tokens: 1 } } }),
      ev({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'exec_command', input: { cmd: 'ls' } } }),
      ev({ type: 'content_block_stop', index: 0 }),
      ev({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } }),
      ev({ type: 'message_stop' }),
    ].flatMap(e => stream.push(e))].join('')
    const done = frames(out).find(([, d]) => d.type === 'response.output_item.done')![1]
    expect(done.item).toEqual({ id: 'fc_2', type: 'function_call', status: 'completed', call_id: 'toolu_1', name: 'exec_command', arguments: '{"cmd":"ls"}' })
    checkResponsesStream(out)
  })

  it.each([
    ['rate_limit_error', 'rate_limit_exceeded'],
    ['overloaded_error', 'server_is_overloaded'],
    ['api_error', 'server_error'],
    ['invalid_request_error', 'server_error'],
  ])('maps a mid-stream %s to code %s', (type, code) => {
    const stream = converter().stream(ctx())
    stream.start()
    const [, data] = frames(stream.push(ev({ type: 'error', error: { type, message: 'x' } })).join('')).at(-1)!
    expect((data.response as { error: { code: string } }).error.code).toBe(code)
  })

  it('ends with response.failed on fail()', () => {
    const stream = converter().stream(ctx())
    stream.start()
    expect(frames(stream.fail('socket hang up').join('')).map(([, d]) => d.type)).toEqual(['response.failed'])
    expect(stream.end()).toEqual([])
  })
})
