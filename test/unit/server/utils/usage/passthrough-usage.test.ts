import { describe, expect, it } from 'vitest'
import { createUsageTap, usageOfBody } from '#server/utils/usage/passthrough-usage'

const frame = (data: object, event?: string) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`

describe('createUsageTap', () => {
  it('reads Anthropic input and cache counts from message_start and the last output count from message_delta', () => {
    const tap = createUsageTap('anthropic')
    tap.observe(Buffer.from(frame({ type: 'message_start', message: { usage: { input_tokens: 20, cache_read_input_tokens: 100, cache_creation_input_tokens: 7, output_tokens: 1 } } }, 'message_start')))
    tap.observe(frame({ type: 'content_block_delta', delta: { type: 'text_delta', text: 'the "usage" word' } }, 'content_block_delta'))
    tap.observe(frame({ type: 'message_delta', usage: { output_tokens: 5 } }, 'message_delta') + frame({ type: 'message_delta', usage: { output_tokens: 9 } }, 'message_delta'))
    expect(tap.usage()).toEqual({ inputTokens: 20, outputTokens: 9, cacheReadInputTokens: 100, cacheCreationInputTokens: 7, estimated: false })
  })

  it('reads Chat usage from the final chunk, cached tokens moved out of the input', () => {
    const tap = createUsageTap('openai')
    tap.observe(frame({ choices: [{ delta: { content: 'hi' } }], usage: null }))
    tap.observe(`${frame({ choices: [], usage: { prompt_tokens: 50, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 30 } } })}data: [DONE]\n\n`)
    expect(tap.usage()).toEqual({ inputTokens: 20, outputTokens: 4, cacheReadInputTokens: 30, cacheCreationInputTokens: 0, estimated: false })
  })

  it('says nothing when the upstream reported no usage, and survives malformed events', () => {
    const tap = createUsageTap('openai')
    tap.observe('data: {"usage": oops}\n\n')
    tap.observe(frame({ choices: [{ delta: { content: 'x' } }] }))
    expect(tap.usage()).toBeUndefined()
  })
})

describe('usageOfBody', () => {
  it('reads a whole answer in either protocol', () => {
    expect(usageOfBody('anthropic', '{"usage":{"input_tokens":3,"output_tokens":2}}')).toMatchObject({ inputTokens: 3, outputTokens: 2, estimated: false })
    expect(usageOfBody('openai', Buffer.from('{"usage":{"prompt_tokens":3,"completion_tokens":2}}'))).toMatchObject({ inputTokens: 3, outputTokens: 2 })
    expect(usageOfBody('anthropic', '<html>')).toBeUndefined()
    expect(usageOfBody('anthropic', '{"id":"x"}')).toBeUndefined()
  })
})
