import { describe, expect, it } from 'vitest'
import { createUsageTap, factsOfBody } from '#server/utils/usage/passthrough-usage'

const frame = (data: object, event?: string) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`

describe('createUsageTap', () => {
  it('reads Anthropic input, cache writes by lifetime and the model from message_start, and the last output count', () => {
    const tap = createUsageTap('anthropic')
    tap.observe(Buffer.from(frame({ type: 'message_start', message: { model: 'claude-real', usage: { input_tokens: 20, cache_read_input_tokens: 100, cache_creation_input_tokens: 7, cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 4 }, output_tokens: 1 } } }, 'message_start')))
    tap.observe(frame({ type: 'content_block_delta', delta: { type: 'text_delta', text: 'the "usage" word' } }, 'content_block_delta'))
    tap.observe(frame({ type: 'message_delta', usage: { output_tokens: 5 } }, 'message_delta') + frame({ type: 'message_delta', usage: { output_tokens: 9 } }, 'message_delta'))
    expect(tap.facts()).toEqual({
      model: 'claude-real',
      usage: { inputTokens: 20, outputTokens: 9, cacheReadInputTokens: 100, cacheCreationInputTokens: 7, cacheCreation1hInputTokens: 4, estimated: false },
    })
  })

  it('reads Chat usage from the final chunk, cached tokens moved out of the input', () => {
    const tap = createUsageTap('openai')
    tap.observe(frame({ model: 'deepseek-chat', choices: [{ delta: { content: 'hi' } }], usage: null }))
    tap.observe(`${frame({ model: 'deepseek-chat', choices: [], usage: { prompt_tokens: 50, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 30 } } })}data: [DONE]\n\n`)
    expect(tap.facts()).toEqual({ model: 'deepseek-chat', usage: { inputTokens: 20, outputTokens: 4, cacheReadInputTokens: 30, cacheCreationInputTokens: 0, estimated: false } })
  })

  it('reads the last Chat usage of a chunk, past the nulls before and after it, spaced or not', () => {
    const chunk = (usage: object | null) => frame({ model: 'gpt-x', choices: [{ delta: { content: 'a "usage" b' } }], usage })
    for (const events of [
      // OpenAI with include_usage: null on every chunk but the last; some servers space the JSON.
      chunk(null) + chunk(null).replace('"usage":null', '"usage" :\tnull') + chunk({ prompt_tokens: 9, completion_tokens: 3 }) + 'data: [DONE]\n\n',
      // Servers that count as they go: the last count wins, a null after it changes nothing.
      chunk({ prompt_tokens: 9, completion_tokens: 1 }) + chunk({ prompt_tokens: 9, completion_tokens: 3 }) + chunk(null),
      // A last report that does not parse leaves the one before it.
      chunk({ prompt_tokens: 9, completion_tokens: 3 }) + 'data: {"model":"gpt-x","usage":{"prompt_tokens":\n\n',
    ]) {
      for (const given of [events, Buffer.from(events)]) {
        const tap = createUsageTap('openai')
        tap.observe(given)
        expect(tap.facts(), events).toEqual({ model: 'gpt-x', usage: { inputTokens: 9, outputTokens: 3, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: false } })
      }
    }
  })

  it('reads nothing, and stops, where every usage is null, even at a chunk\'s first byte', () => {
    for (const given of ['"usage":null', Buffer.from('"usage": null\n\n'), frame({ usage: null })]) {
      const tap = createUsageTap('openai')
      tap.observe(given)
      expect(tap.facts()).toEqual({})
    }
  })

  it('reads response.completed out of a whole Responses stream in one chunk, large or small', () => {
    const events = (text: string) => [
      frame({ type: 'response.created', response: { model: 'gpt-x', usage: null } }, 'response.created'),
      frame({ type: 'response.in_progress', response: { model: 'gpt-x', usage: null } }, 'response.in_progress'),
      frame({ type: 'response.output_text.delta', delta: text }, 'response.output_text.delta'),
      frame({ type: 'response.completed', response: { model: 'gpt-x', output: [{ type: 'message', content: [{ type: 'output_text', text }] }], usage: { input_tokens: 50, input_tokens_details: { cached_tokens: 40 }, output_tokens: 12 } } }, 'response.completed'),
    ].join('')
    for (const text of ['short', 'long "usage": {"input_tokens": 1} '.repeat(1000)]) {
      const tap = createUsageTap('responses')
      tap.observe(Buffer.from(events(text)))
      expect(tap.facts()).toMatchObject({ model: 'gpt-x', usage: { inputTokens: 10, cacheReadInputTokens: 40, outputTokens: 12 } })
    }
  })

  it('reads Responses usage, reasoning included, from response.completed', () => {
    const tap = createUsageTap('responses')
    tap.observe(frame({ type: 'response.created', response: { model: 'gpt-x', usage: null } }, 'response.created'))
    tap.observe(frame({ type: 'response.completed', response: { model: 'gpt-x', usage: { input_tokens: 50, input_tokens_details: { cached_tokens: 40 }, output_tokens: 12, output_tokens_details: { reasoning_tokens: 8 } } } }, 'response.completed'))
    expect(tap.facts()).toMatchObject({ model: 'gpt-x', usage: { inputTokens: 10, cacheReadInputTokens: 40, outputTokens: 12, reasoningTokens: 8, estimated: false } })
  })

  it('finds the usage events anywhere in a relayed chunk, whatever its line endings, and only those', () => {
    const tap = createUsageTap('anthropic')
    const start = { type: 'message_start', message: { model: 'claude-x', content: [], usage: { input_tokens: 11, output_tokens: 1 } } }
    const text = { type: 'content_block_delta', delta: { type: 'text_delta', text: 'über "usage": {"output_tokens": 999}\n\n' } }
    tap.observe(Buffer.from(`: ping\r\n\r\n${frame(text, 'content_block_delta').replaceAll('\n', '\r\n')}${frame(start, 'message_start').replaceAll('\n', '\r\n')}`))
    // One event's data over two data: lines (joined with a newline, which JSON reads as space).
    tap.observe(`event: message_delta\rdata: {"type":"message_delta",\rdata: "usage":{"output_tokens":7}}\r\r${frame(text, 'content_block_delta')}`)
    expect(tap.facts()).toEqual({ model: 'claude-x', usage: { inputTokens: 11, outputTokens: 7, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: false } })
  })

  // A small chunk is decoded once it holds usage, a large one (past 16 KB) searched as bytes.
  it.each([20, 2000])('finds the events past multi-byte text (%i times), the last one even without its blank line', (times) => {
    const tap = createUsageTap('anthropic')
    const start = { type: 'message_start', message: { model: 'claude-ü', content: [], usage: { input_tokens: 12, output_tokens: 1 } } }
    const text = { type: 'content_block_delta', delta: { type: 'text_delta', text: 'grüße 😀 '.repeat(times) } }
    tap.observe(Buffer.from(`${frame(text, 'content_block_delta')}${frame(start, 'message_start')}${frame(text, 'content_block_delta')}event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":4}}`))
    expect(tap.facts()).toEqual({ model: 'claude-ü', usage: { inputTokens: 12, outputTokens: 4, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: false } })
  })

  it('reads a Responses usage past an output that mentions usage, without parsing the output', () => {
    const tap = createUsageTap('responses')
    const output = [{ type: 'function_call', name: 'report', arguments: JSON.stringify({ usage: { input_tokens: 1 } }) }, { type: 'message', content: [{ type: 'output_text', text: '"usage" '.repeat(1000) }] }]
    tap.observe(frame({ type: 'response.completed', sequence_number: 9, response: { id: 'r', model: 'gpt-y', output, usage: { input_tokens: 30, output_tokens: 5 } } }, 'response.completed'))
    expect(tap.facts()).toMatchObject({ model: 'gpt-y', usage: { inputTokens: 30, outputTokens: 5 } })
  })

  it('says nothing when the upstream reported no usage, and survives malformed events', () => {
    const tap = createUsageTap('openai')
    tap.observe('data: {"usage": oops}\n\n')
    tap.observe(frame({ choices: [{ delta: { content: 'x' } }] }))
    expect(tap.facts().usage).toBeUndefined()
  })
})

describe('factsOfBody', () => {
  it('reads a whole answer in each protocol', () => {
    expect(factsOfBody('anthropic', '{"model":"m","usage":{"input_tokens":3,"output_tokens":2}}')).toMatchObject({ model: 'm', usage: { inputTokens: 3, outputTokens: 2, estimated: false } })
    expect(factsOfBody('openai', Buffer.from('{"usage":{"prompt_tokens":3,"completion_tokens":2}}')).usage).toMatchObject({ inputTokens: 3, outputTokens: 2 })
    expect(factsOfBody('responses', '{"model":"r","usage":{"input_tokens":3,"output_tokens":2}}')).toMatchObject({ model: 'r', usage: { inputTokens: 3, outputTokens: 2 } })
    expect(factsOfBody('anthropic', '<html>')).toEqual({})
    expect(factsOfBody('anthropic', '{"id":"x"}').usage).toBeUndefined()
  })

  it('reads a large answer the same as a small one, its content stepped over', () => {
    // Past 8 KB the answer is scanned rather than parsed whole; both read the same facts.
    const answer = (text: string) => JSON.stringify({ id: 'msg_1', model: 'claude-big', content: [{ type: 'text', text }, { type: 'tool_use', input: { model: 'not this', usage: { input_tokens: 999 } } }], usage: { input_tokens: 12, output_tokens: 34, cache_read_input_tokens: 5 } })
    const small = answer('short "usage"')
    const large = answer('a "model": "x", "usage": {} '.repeat(500))
    expect(large.length).toBeGreaterThan(8 * 1024)
    const facts = { model: 'claude-big', usage: { inputTokens: 12, outputTokens: 34, cacheReadInputTokens: 5, cacheCreationInputTokens: 0, estimated: false } }
    expect(factsOfBody('anthropic', small)).toEqual(facts)
    expect(factsOfBody('anthropic', Buffer.from(large))).toEqual(facts)
    expect(factsOfBody('anthropic', `${large.slice(0, -1)},`)).toEqual({})
  })
})
