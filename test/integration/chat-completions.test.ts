import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { message, textStream } from '../support/anthropic-fixtures'
import { textThenToolStream } from '../support/anthropic-upstream'
import { FakeUpstream, json, stream } from '../support/fake-upstream'
import { chatCompletion, chatTextStream } from '../support/openai-fixtures'
import { ACCESS_KEY, startServer, type RunningServer } from '../support/server'

let claudeUp: FakeUpstream
let openaiUp: FakeUpstream
let server: RunningServer
let client: OpenAI

const CLAUDE_KEY = 'sk-ant-api03-claude-upstream-key-0001'
const OPENAI_KEY = 'sk-proj-openai-upstream-key-0002'

beforeAll(async () => {
  claudeUp = await new FakeUpstream().start()
  openaiUp = await new FakeUpstream().start()
  server = await startServer({
    config: {
      chatUpstream: [
        { id: 'chat0001', name: 'gpt', serviceType: 'openai', baseUrl: openaiUp.url, apiKeys: [OPENAI_KEY], priority: 1, modelMapping: { 'gpt-test': 'gpt-upstream' } },
        { id: 'chat0002', name: 'claude', serviceType: 'claude', baseUrl: claudeUp.url, apiKeys: [CLAUDE_KEY], priority: 2, modelMapping: { 'claude-test': 'claude-upstream' } },
      ],
    },
  })
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: ACCESS_KEY, maxRetries: 0 })
})
afterAll(async () => {
  await server?.stop()
  await claudeUp?.stop()
  await openaiUp?.stop()
})
beforeEach(() => {
  claudeUp.reset()
  openaiUp.reset()
})

/** Routes the next requests to the Claude channel by disabling the OpenAI one, or back. */
async function useChannel(which: 'gpt' | 'claude') {
  const res = await fetch(`${server.url}/api/chat/channels/chat0001/status`, {
    method: 'PATCH', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ status: which === 'gpt' ? 'active' : 'disabled' }),
  })
  expect(res.status).toBe(200)
}

describe('POST /v1/chat/completions to an OpenAI-compatible channel', () => {
  it('passes the body through with only the model rewritten', async () => {
    await useChannel('gpt')
    openaiUp.script(json(200, chatCompletion('hi there')))
    const raw = '{"model":"gpt-test","messages":[{"role":"user","content":"héllo"}],"temperature":1.5,"zz_vendor":{"a":1}}'
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'authorization': `Bearer ${ACCESS_KEY}`, 'content-type': 'application/json' }, body: raw })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(chatCompletion('hi there'))
    expect(openaiUp.received[0]!.body).toBe(raw.replace('"gpt-test"', '"gpt-upstream"'))
    expect(openaiUp.received[0]!.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`)
  })

  it('relays a stream that the SDK assembles', async () => {
    await useChannel('gpt')
    openaiUp.script(stream(chatTextStream(['a', 'b', 'c'])))
    const s = client.chat.completions.stream({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }] })
    const final = await s.finalChatCompletion()
    expect(final.choices[0]!.message.content).toBe('abc')
  })
})

describe('POST /v1/chat/completions to a Claude channel', () => {
  it('converts a non-streaming request and answer', async () => {
    await useChannel('claude')
    claudeUp.script(json(200, message('Bonjour', 'claude-upstream')))
    const r = await client.chat.completions.create({
      model: 'claude-test',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'developer', content: 'French.' }, { role: 'user', content: 'hello' }],
      max_completion_tokens: 100,
      stop: 'END',
    })
    expect(r.object).toBe('chat.completion')
    expect(r.model).toBe('claude-test')
    expect(r.choices[0]!.message.content).toBe('Bonjour')
    expect(r.choices[0]!.finish_reason).toBe('stop')
    expect(r.usage).toMatchObject({ prompt_tokens: 15, completion_tokens: 5, total_tokens: 20, prompt_tokens_details: { cached_tokens: 3 } })
    const sent = JSON.parse(claudeUp.received[0]!.body)
    expect(claudeUp.received[0]!.url).toBe('/v1/messages')
    expect(claudeUp.received[0]!.headers['x-api-key']).toBe(CLAUDE_KEY)
    expect(claudeUp.received[0]!.headers['anthropic-version']).toBe('2023-06-01')
    expect(sent).toMatchObject({ model: 'claude-upstream', max_tokens: 100, stop_sequences: ['END'], messages: [{ role: 'user' }] })
    expect(JSON.stringify(sent.system)).toContain('Be brief.')
    expect(JSON.stringify(sent.system)).toContain('French.')
  })

  it('streams text and a tool call the SDK assembles, with the usage chunk when asked', async () => {
    await useChannel('claude')
    claudeUp.script(stream(textThenToolStream()))
    const s = client.chat.completions.stream({
      model: 'claude-test',
      messages: [{ role: 'user', content: 'weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      stream_options: { include_usage: true },
    })
    const final = await s.finalChatCompletion()
    const msg = final.choices[0]!.message
    expect(msg.content).toBe('Checking the weather.')
    expect(msg.tool_calls).toHaveLength(1)
    expect(msg.tool_calls![0]).toMatchObject({ id: 'toolu_w', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } })
    expect(final.choices[0]!.finish_reason).toBe('tool_calls')
    expect(final.usage).toMatchObject({ prompt_tokens: 130, completion_tokens: 18, prompt_tokens_details: { cached_tokens: 100 } })
    const sent = JSON.parse(claudeUp.received[0]!.body)
    expect(sent.stream).toBe(true)
    expect(sent.tools[0]).toMatchObject({ name: 'get_weather', input_schema: { type: 'object' } })
  })

  it('maps an Anthropic overload to an OpenAI-shaped error', async () => {
    await useChannel('claude')
    claudeUp.script(json(400, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 300000 tokens > 200000 maximum' } }))
    const err = await client.chat.completions.create({ model: 'claude-test', messages: [{ role: 'user', content: 'x' }] }).catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect(err.code).toBe('context_length_exceeded')
  })

  it('ends a Claude stream that breaks mid-way with an error the SDK raises', async () => {
    await useChannel('claude')
    claudeUp.script(stream(textStream(['one', 'two']).slice(0, 4)))
    const s = client.chat.completions.stream({ model: 'claude-test', messages: [{ role: 'user', content: 'x' }] })
    await expect(s.finalChatCompletion()).rejects.toThrow()
  })
})
