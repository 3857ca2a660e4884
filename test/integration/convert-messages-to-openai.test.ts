import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeUpstream, json, sleep, stream } from '../support/fake-upstream'
import { poll } from '../support/poll'
import { chatCompletion, chatReasoningToolsStream, chatTextStream, chunk, DONE } from '../support/openai-fixtures'
import { ACCESS_KEY, startServer, type RunningServer } from '../support/server'

let upstream: FakeUpstream
let server: RunningServer
let client: Anthropic

const OPENAI_KEY = 'sk-proj-openai-upstream-key-0001'

beforeAll(async () => {
  upstream = await new FakeUpstream().start()
  server = await startServer({
    config: {
      upstream: [{ id: 'oai00001', name: 'deepseek', serviceType: 'openai', baseUrl: upstream.url, apiKeys: [OPENAI_KEY], modelMapping: { sonnet: 'deepseek-chat' } }],
      // One channel: errors are returned at once rather than retried, to look at their shape.
      failover: { rules: [{ errorCodes: '429,500,503', actionChain: [{ action: 'none' }] }] },
    },
  })
  client = new Anthropic({ baseURL: server.url, apiKey: ACCESS_KEY, maxRetries: 0 })
})
afterAll(async () => {
  await server?.stop()
  await upstream?.stop()
})
beforeEach(() => upstream.reset())

describe('Claude Messages client on an OpenAI-compatible channel', () => {
  it('converts the request: system, tools, tool loop, model mapping, streaming usage', async () => {
    upstream.script(stream(chatTextStream(['ok'])))
    await client.messages.stream({
      model: 'claude-test-sonnet',
      max_tokens: 512,
      system: [{ type: 'text', text: 'You are terse.' }],
      tools: [{ name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } }],
      messages: [
        { role: 'user', content: 'read /a.txt' },
        { role: 'assistant', content: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/a.txt' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'hello' }, { type: 'text', text: 'thanks' }] },
      ],
    }).finalMessage()
    const got = upstream.received[0]!
    expect(got.url).toBe('/v1/chat/completions')
    expect(got.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`)
    expect(got.headers['anthropic-version']).toBeUndefined()
    const body = JSON.parse(got.body)
    expect(body.model).toBe('deepseek-chat')
    expect(body.stream).toBe(true)
    expect(body.stream_options).toEqual({ include_usage: true })
    expect(body.messages[0]).toMatchObject({ role: 'system' })
    expect(JSON.stringify(body.messages[0])).toContain('You are terse.')
    const roles = body.messages.map((m: { role: string }) => m.role)
    expect(roles).toEqual(['system', 'user', 'assistant', 'tool', 'user'])
    expect(body.messages[2].tool_calls[0]).toMatchObject({ id: 'toolu_1', type: 'function', function: { name: 'Read' } })
    expect(JSON.parse(body.messages[2].tool_calls[0].function.arguments)).toEqual({ file_path: '/a.txt' })
    expect(body.messages[3]).toMatchObject({ role: 'tool', tool_call_id: 'toolu_1' })
    expect(body.tools[0]).toMatchObject({ type: 'function', function: { name: 'Read', parameters: { type: 'object' } } })
  })

  it('streams text that the SDK assembles, with usage split into input and cache reads', async () => {
    upstream.script(stream(chatTextStream(['Hel', 'lo ', 'wörld'])))
    const final = await client.messages.stream({ model: 'claude-test-sonnet', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
    expect(final.content).toHaveLength(1)
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Hello wörld' })
    expect(final.stop_reason).toBe('end_turn')
    expect(final.model).toBe('claude-test-sonnet')
    expect(final.usage).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 10, output_tokens: 7 })
  })

  it('streams reasoning as thinking and parallel tool calls as tool_use blocks', async () => {
    upstream.script(stream(chatReasoningToolsStream()))
    const events: string[] = []
    const s = client.messages.stream({ model: 'claude-test-sonnet', max_tokens: 1024, messages: [{ role: 'user', content: 'read both' }] })
    s.on('streamEvent', e => events.push(e.type))
    const final = await s.finalMessage()
    expect(final.content[0]).toMatchObject({ type: 'thinking', thinking: 'Need both files.' })
    expect(final.content.slice(1)).toEqual([
      { type: 'tool_use', id: 'call_a', name: 'Read', input: { file_path: '/a.txt' } },
      { type: 'tool_use', id: 'call_b', name: 'Read', input: { file_path: '/b.txt' } },
    ])
    expect(final.stop_reason).toBe('tool_use')
    expect(final.usage).toMatchObject({ input_tokens: 40, cache_read_input_tokens: 60, output_tokens: 40 })
    expect(events[0]).toBe('message_start')
    expect(events.at(-1)).toBe('message_stop')
  })

  it('converts a non-streaming completion with tool calls', async () => {
    upstream.script(json(200, chatCompletion('Let me look.', [{ id: 'call_x', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } }], 'tool_calls')))
    const m = await client.messages.create({ model: 'claude-test-sonnet', max_tokens: 64, messages: [{ role: 'user', content: 'ls' }] })
    expect(m).toMatchObject({
      type: 'message', role: 'assistant', model: 'claude-test-sonnet', stop_reason: 'tool_use',
      content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id: 'call_x', name: 'Bash', input: { command: 'ls' } }],
      usage: { input_tokens: 30, cache_read_input_tokens: 20, output_tokens: 12 },
    })
  })

  it('maps upstream errors to Anthropic errors with the right status', async () => {
    upstream.script(json(429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '7' }))
    const err = await client.messages.create({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }).catch(e => e)
    expect(err).toBeInstanceOf(Anthropic.RateLimitError)
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('Rate limit reached') } })
    expect(err.headers.get('retry-after')).toBe('7')

    upstream.reset()
    upstream.script(json(503, { error: { message: 'The server is overloaded', type: 'server_error' } }))
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY }, body: '{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"x"}]}' })
    expect(res.status).toBe(529)
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } })
  })

  it('learns a model\'s output limit from its refusal and clamps Claude Code\'s 32k max_tokens to it', async () => {
    const deepseek = (req: { body: string }, res: import('node:http').ServerResponse) => {
      const body = JSON.parse(req.body)
      if (body.max_tokens > 8192) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `Invalid max_tokens value, the valid range of max_tokens is [1, 8192]`, type: 'invalid_request_error' } }))
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(chatCompletion('within limits')))
    }
    upstream.script(deepseek)
    const failures = async () => (await (await fetch(`${server.url}/api/channels/metrics`, { headers: { 'x-api-key': ACCESS_KEY } })).json() as { failureCount: number }[])[0]!.failureCount
    const failuresBefore = await failures()
    // (The SDK insists on streaming for 32k non-streaming requests, so this one is a plain fetch.)
    const ask = async () => {
      const res = await fetch(`${server.url}/v1/messages`, {
        method: 'POST', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-test-sonnet', max_tokens: 32000, messages: [{ role: 'user', content: 'x' }] }),
      })
      expect(res.status).toBe(200)
      return await res.json() as { content: unknown[] }
    }
    expect((await ask()).content).toEqual([{ type: 'text', text: 'within limits' }])
    expect(upstream.received.map(r => JSON.parse(r.body).max_tokens)).toEqual([32000, 8192])
    // Learnt: the next request goes out within the limit at once, and the channel's health never suffered.
    expect((await ask()).content).toEqual([{ type: 'text', text: 'within limits' }])
    expect(upstream.received.map(r => JSON.parse(r.body).max_tokens)).toEqual([32000, 8192, 8192])
    expect(await failures()).toBe(failuresBefore)
  })

  it('ends a converted stream that stops without a finish reason with an error event', async () => {
    upstream.script(stream([chunk({ role: 'assistant', content: '' }), chunk({ content: 'partial' })]))
    const s = client.messages.stream({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
    await expect(s.finalMessage()).rejects.toThrow()
  })

  it('keeps the client alive with pings while a converted upstream is silent, and logs estimated usage', async () => {
    const slow = await startServer({
      config: { upstream: [{ id: 'oai00002', name: 'slow', serviceType: 'openai', baseUrl: upstream.url, apiKeys: [OPENAI_KEY] }] },
      env: { STREAM_PING_MS: '200', ENABLE_RESPONSE_LOGS: 'true' },
    })
    try {
      // No usage chunk: the provider never says what the answer cost.
      const frames = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'late answer' }), chunk({}, 'stop'), DONE]
      upstream.script(async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        res.write(frames[0])
        await sleep(700)
        res.end(frames.slice(1).join(''))
      })
      const res = await fetch(`${slow.url}/v1/messages`, {
        method: 'POST', headers: { 'x-api-key': ACCESS_KEY },
        body: JSON.stringify({ model: 'm', max_tokens: 8, stream: true, messages: [{ role: 'user', content: 'x' }] }),
      })
      const text = await res.text()
      expect(text).toContain('event: ping')
      expect(text.indexOf('event: message_start')).toBeLessThan(text.indexOf('event: ping'))
      expect(text).toContain('event: message_stop')
      const logged = /<- 200 \/v1\/messages .* completed \[slow 200\] tokens in=0 cache_read=0 cache_write=0 out=\d+ \(estimated\)/
      expect(await poll(() => slow.output(), out => logged.test(out))).toMatch(logged)
    }
    finally {
      await slow.stop()
    }
  })
})
