import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { createResponsesToAnthropic } from '#server/utils/convert/responses-to-anthropic'
import { createResponsesToChat } from '#server/utils/convert/responses-to-chat'
import type { JsonObject, ProtocolConverter } from '#server/utils/convert/types'
import { CODEX_TOOLS_REQUEST, ctx, fixture, runStream, testOptions } from './helpers'

/** An openai SDK client whose every request is answered by `respond`, no server involved. */
function client(respond: () => Response): OpenAI {
  return new OpenAI({ apiKey: 'sk-test', baseURL: 'http://sdk.test/v1', maxRetries: 0, fetch: async () => respond() })
}
const sse = (text: string) => () => new Response(text, { headers: { 'content-type': 'text/event-stream' } })
const json = (body: unknown) => () => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })
const params = { model: 'gpt-5-codex', input: 'fix the greeting' }

function converted(converter: ProtocolConverter, input: string): string {
  const context = ctx()
  converter.request(CODEX_TOOLS_REQUEST, context)
  return runStream(fixture(input), converter.stream(context))
}

describe('the openai SDK reads the converted Responses stream', () => {
  it('accumulates reasoning and a custom apply_patch call from a Chat channel', async () => {
    const response = await client(sse(converted(createResponsesToChat(testOptions()), 'responses-chat/apply-patch.txt'))).responses.stream(params).finalResponse()
    expect(response.status).toBe('completed')
    expect(response.output.map(i => i.type)).toEqual(['reasoning', 'custom_tool_call'])
    expect(response.output[1]).toMatchObject({ call_id: 'call_patch_1', name: 'apply_patch', input: expect.stringContaining('+const greeting = "héllo"') })
    expect(response.usage).toMatchObject({ input_tokens: 5120, output_tokens: 96, total_tokens: 5216, input_tokens_details: { cached_tokens: 4096 }, output_tokens_details: { reasoning_tokens: 12 } })
  })

  it('accumulates interleaved parallel calls from a Chat channel', async () => {
    const response = await client(sse(converted(createResponsesToChat(testOptions()), 'openai-chat/parallel-tool-calls-interleaved.txt'))).responses.stream(params).finalResponse()
    expect(response.output.map(i => i.type === 'function_call' && JSON.parse(i.arguments))).toEqual([{ file_path: '/src/a.ts' }, { pattern: '**/*.md' }])
  })

  it('accumulates thinking and text from an Anthropic channel, with output_text', async () => {
    const response = await client(sse(converted(createResponsesToAnthropic(testOptions()), 'anthropic/thinking-text.txt'))).responses.stream(params).finalResponse()
    expect(response.output_text).toBe('17 × 23 = **391**.')
    expect(response.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: expect.stringContaining('391') }] })
  })

  it('accumulates two tool calls from an Anthropic channel', async () => {
    const response = await client(sse(converted(createResponsesToAnthropic(testOptions()), 'anthropic/two-tools.txt'))).responses.stream(params).finalResponse()
    expect(response.output.filter(i => i.type === 'function_call').map(i => i.name)).toEqual(['read_file', 'list_dir'])
  })

  it('reports a stream that failed mid-way as failed, with its error code', async () => {
    const response = await client(sse(converted(createResponsesToAnthropic(testOptions()), 'anthropic/error-mid-stream.txt'))).responses.stream(params).finalResponse()
    expect(response.status).toBe('failed')
    expect(response.error).toEqual({ code: 'server_is_overloaded', message: 'Overloaded' })
  })
})

describe('the openai SDK reads the converted non-streaming response', () => {
  it('exposes output_text and the tool calls of a converted Chat completion', async () => {
    const converter = createResponsesToChat(testOptions())
    const context = ctx({ stream: false })
    converter.request(CODEX_TOOLS_REQUEST, context)
    const body: JsonObject = converter.response({
      choices: [{ index: 0, message: { role: 'assistant', content: 'Done.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"ls"}' } }] }, finish_reason: 'tool_calls' }],
      usage: { prompt_tokens: 10, completion_tokens: 5 },
    }, context)
    const response = await client(json(body)).responses.create(params)
    expect(response.output_text).toBe('Done.')
    expect(response.output[1]).toMatchObject({ type: 'function_call', call_id: 'call_1', arguments: '{"cmd":"ls"}' })
  })
})
