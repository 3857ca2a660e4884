import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { convertFixture, ctx, testConverter } from './helpers'

/** An openai SDK client whose every request is answered by `respond`, no server involved. */
function client(respond: () => Response): OpenAI {
  return new OpenAI({ apiKey: 'sk-test', baseURL: 'http://sdk.test/v1', maxRetries: 0, fetch: async () => respond() })
}
const sse = (frames: string[]) => () => new Response(frames.join(''), { headers: { 'content-type': 'text/event-stream' } })
const params = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }], stream_options: { include_usage: true } }

describe('the openai SDK reads our output', () => {
  it('accumulates a streamed tool turn into the final completion', async () => {
    const { frames } = convertFixture('tool-use-split.txt', ctx({ includeUsage: true }))
    const completion = await client(sse(frames)).chat.completions.stream(params).finalChatCompletion()
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls')
    expect(completion.choices[0]!.message).toMatchObject({
      role: 'assistant',
      content: 'Let me check the weather.',
      tool_calls: [{ id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}' } }],
    })
    expect(completion.usage).toMatchObject({ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561 })
  })

  it('accumulates two parallel tool calls by index', async () => {
    const { frames } = convertFixture('two-tools.txt')
    const completion = await client(sse(frames)).chat.completions.stream(params).finalChatCompletion()
    expect(completion.choices[0]!.message.tool_calls!.map(call => call.type === 'function' && [call.id, call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['toolu_01A09q90qw90lq917835lq9', 'read_file', { path: 'src/index.ts' }],
      ['toolu_01Nq7bVXs3KjE4dRc8uTfW2m', 'list_dir', { path: 'src', depth: 2 }],
    ])
  })

  it('reads text and UTF-8 through the plain stream iterator', async () => {
    const { frames } = convertFixture('utf8.txt')
    const stream = await client(sse(frames)).chat.completions.create({ ...params, stream: true })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('こんにちは、世界！ 👋🏽 naïve café — "quoted" \\ back\u00ADslash')
  })

  it.each([
    ['error-mid-stream.txt', 'Overloaded', 'server_is_overloaded'],
    ['truncated.txt', 'Upstream stream ended before message_stop', null],
  ])('throws instead of ending cleanly on %s', async (name, message, code) => {
    const { frames } = convertFixture(name)
    const done = client(sse(frames)).chat.completions.stream(params).finalChatCompletion()
    await expect(done).rejects.toBeInstanceOf(OpenAI.APIError)
    await expect(done).rejects.toMatchObject({ message, code })
  })

  it('parses a converted non-streaming response', async () => {
    const body = testConverter().response({
      id: 'msg_01', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hello!' }], stop_reason: 'end_turn',
      usage: { input_tokens: 5, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    }, ctx({ stream: false }))
    const completion = await client(() => Response.json(body)).chat.completions.create({ model: 'gpt-4o', messages: params.messages })
    expect(completion.choices[0]!.message.content).toBe('Hello!')
    expect(completion.usage!.total_tokens).toBe(7)
  })

  it('raises the typed SDK error with our status and code', async () => {
    const { status, body } = testConverter().error(400, JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } }))
    const call = client(() => new Response(body, { status, headers: { 'content-type': 'application/json' } })).chat.completions.create({ model: 'gpt-4o', messages: params.messages })
    await expect(call).rejects.toMatchObject({ status: 400, code: 'context_length_exceeded', constructor: OpenAI.BadRequestError })
  })
})
