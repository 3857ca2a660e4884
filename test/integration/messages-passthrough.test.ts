import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { message, textStream, thinkingToolStream } from '../support/anthropic-fixtures'
import { FakeUpstream, json, sleep, stream } from '../support/fake-upstream'
import { ACCESS_KEY, claudeConfig, startServer, type RunningServer } from '../support/server'

let upstream: FakeUpstream
let server: RunningServer
let client: Anthropic

beforeAll(async () => {
  upstream = await new FakeUpstream().start()
  const config = claudeConfig(upstream.url)
  config.upstream[0]!.modelMapping = { 'claude-test-sonnet': 'glm-4.6' } as never
  server = await startServer({ config, env: { STREAM_PING_MS: '300' } })
  client = new Anthropic({ baseURL: server.url, apiKey: ACCESS_KEY, maxRetries: 0 })
})
afterAll(async () => {
  await server?.stop()
  await upstream?.stop()
})
beforeEach(() => upstream.reset())

describe('POST /v1/messages passthrough', () => {
  it('relays a non-streaming message byte for byte, keeping thinking signatures and usage details', async () => {
    const body = message('Hello there')
    upstream.script(json(200, body, { 'request-id': 'req_123', 'anthropic-ratelimit-requests-remaining': '99' }))
    const res = await client.messages.create({ model: 'claude-test-sonnet', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).withResponse()
    expect(res.data).toEqual(body)
    expect(res.response.headers.get('request-id')).toBe('req_123')
    expect(res.response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('99')
  })

  it('rewrites only the model and forwards every other byte and header, with the channel key', async () => {
    upstream.script(json(200, message('ok')))
    const raw = '{"max_tokens":  64 ,"model":"claude-test-sonnet","messages":[{"role":"user","content":"héllo 😀"}],"metadata":{"model":"x"},"zz_unknown":1.50}'
    const res = await fetch(`${server.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: {
        'authorization': `Bearer ${ACCESS_KEY}`,
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14',
        'x-claude-code-session-id': 'sess-1',
        'x-forwarded-for': '10.1.2.3',
      },
      body: raw,
    })
    expect(res.status).toBe(200)
    const got = upstream.received[0]!
    expect(got.url).toBe('/v1/messages?beta=true')
    expect(got.body).toBe(raw.replace('"model":"claude-test-sonnet"', '"model":"glm-4.6"'))
    expect(got.headers['x-api-key']).toBe('sk-ant-upstream-key-0-aaaaaaaaaaaa')
    expect(got.headers.authorization).toBeUndefined()
    expect(got.headers['anthropic-version']).toBe('2023-06-01')
    expect(got.headers['anthropic-beta']).toBe('claude-code-20250219,interleaved-thinking-2025-05-14')
    expect(got.headers['x-claude-code-session-id']).toBe('sess-1')
    expect(got.headers['x-forwarded-for']).toBeUndefined()
    expect(JSON.stringify(got.headers)).not.toContain(ACCESS_KEY)
  })

  it('clamps max_tokens to the limit a Claude-compatible upstream names, changing no other byte', async () => {
    upstream.script(
      json(400, { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-test-opus' } }),
      json(200, message('ok')),
    )
    const raw = '{"model":"claude-test-opus","max_tokens":64000,"messages":[{"role":"user","content":"hi"}]}'
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' }, body: raw })
    expect(res.status).toBe(200)
    expect(upstream.received.map(r => r.body)).toEqual([raw, raw.replace('64000', '32000')])
  })

  it('forwards unmapped models unchanged', async () => {
    upstream.script(json(200, message('ok', 'claude-test-opus')))
    await client.messages.create({ model: 'claude-test-opus', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
    expect(JSON.parse(upstream.received[0]!.body).model).toBe('claude-test-opus')
  })

  it('streams text that the SDK assembles into the final message', async () => {
    upstream.script(stream(textStream(['Hel', 'lo ', 'wörld'])))
    const s = client.messages.stream({ model: 'claude-test-sonnet', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
    const final = await s.finalMessage()
    expect(final.content).toEqual([{ type: 'text', text: 'Hello wörld' }])
    expect(final.stop_reason).toBe('end_turn')
    expect(final.usage.output_tokens).toBe(9)
    expect(JSON.parse(upstream.received[0]!.body).stream).toBe(true)
  })

  it('relays a whole stream that the upstream sends in a single write', async () => {
    const frames = textStream(['all ', 'at ', 'once'])
    upstream.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(frames.join(''))
    })
    const final = await client.messages.stream({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }).finalMessage()
    expect(final.content).toEqual([{ type: 'text', text: 'all at once' }])
  })

  it('streams thinking with its signature and a tool call whose JSON is split across events', async () => {
    upstream.script(stream(thinkingToolStream()))
    const final = await client.messages.stream({ model: 'claude-test-sonnet', max_tokens: 2048, messages: [{ role: 'user', content: 'ls' }] }).finalMessage()
    expect(final.content[0]).toMatchObject({ type: 'thinking', thinking: 'I should list the files.', signature: 'EqQBCkYIARgCKkBsig==' })
    expect(final.content[1]).toMatchObject({ type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: 'ls -la /tmp', description: 'List files ✓' } })
    expect(final.stop_reason).toBe('tool_use')
  })

  it('delivers each event before the upstream writes the next one', async () => {
    const frames = textStream(['a', 'b', 'c', 'd'])
    // Lock-step: the upstream writes the next frame only once the client has this one. A proxy
    // that held frames back would leave the upstream waiting until the guard gives up.
    const arrived: (() => void)[] = []
    const seen = frames.map((_, i) => new Promise<boolean>((resolve) => {
      const guard = setTimeout(() => resolve(false), 10_000)
      arrived[i] = () => {
        clearTimeout(guard)
        resolve(true)
      }
    }))
    const seenBeforeNext: boolean[] = []
    upstream.script(async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      for (const [i, f] of frames.entries()) {
        res.write(f)
        seenBeforeNext.push(await seen[i]!)
      }
      res.end()
    })
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 8, stream: true, messages: [{ role: 'user', content: 'x' }] }),
    })
    const reader = res.body!.getReader()
    let text = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      const before = (text.match(/\n\n/g) ?? []).length
      text += new TextDecoder().decode(value)
      const after = (text.match(/\n\n/g) ?? []).length
      for (let i = before; i < after; i++) arrived[i]!()
    }
    expect(text).toBe(frames.join(''))
    expect(seenBeforeNext).toEqual(frames.map(() => true))
  })

  it('sends an SSE ping while the upstream is silent', async () => {
    const frames = textStream(['slow'])
    upstream.script(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(frames[0])
      await sleep(900)
      for (const f of frames.slice(1)) res.write(f)
      res.end()
    })
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 8, stream: true, messages: [{ role: 'user', content: 'x' }] }),
    })
    const text = await res.text()
    expect(text).toContain('event: ping\ndata: {"type":"ping"}\n\n')
    expect(text.replaceAll('event: ping\ndata: {"type":"ping"}\n\n', '')).toBe(frames.join(''))
  })

  it('cancels the upstream request when the client goes away mid-stream', async () => {
    const frames = textStream(Array.from({ length: 50 }, (_, i) => `tok${i} `))
    upstream.script(stream(frames, 100))
    const ac = new AbortController()
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      signal: ac.signal,
      headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 8, stream: true, messages: [{ role: 'user', content: 'x' }] }),
    })
    const reader = res.body!.getReader()
    await reader.read()
    ac.abort()
    const rec = upstream.received[0]!
    const closedInTime = await Promise.race([rec.closed.then(() => true), sleep(3000).then(() => false)])
    expect(closedInTime).toBe(true)
    expect(rec.aborted()).toBe(true)
  })

  it('ends a stream that dies after its first events with an Anthropic error event', async () => {
    const frames = textStream(['one', 'two', 'three'])
    upstream.script(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      for (const f of frames.slice(0, 3)) res.write(f)
      await sleep(50)
      res.socket?.destroy()
    })
    const s = client.messages.stream({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
    await expect(s.finalMessage()).rejects.toThrow(/upstream stream/)
  })

  it('ends a stream that closes cleanly before message_stop with an error event, not a truncation', async () => {
    const frames = textStream(['one', 'two'])
    upstream.script(stream(frames.slice(0, -2)))
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 8, stream: true, messages: [{ role: 'user', content: 'x' }] }),
    })
    const text = await res.text()
    expect(text.startsWith(frames.slice(0, -2).join(''))).toBe(true)
    expect(text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"upstream stream ended before its final event"\}\}\n\n$/)
  })
})
