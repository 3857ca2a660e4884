import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { message } from '../support/anthropic-fixtures'
import { FakeUpstream, json } from '../support/fake-upstream'
import { ACCESS_KEY, claudeConfig, startServer, type RunningServer } from '../support/server'

let upstream: FakeUpstream
let server: RunningServer
let client: Anthropic

const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, {
  method: 'POST', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', ...headers }, body,
})

/**
 * These tests look at how one upstream's errors reach the client, so the single channel's
 * retries (which the scheduler tests cover) are switched off by a rule that returns at once.
 */
const returnAtOnce = (...urls: string[]) => ({
  ...claudeConfig(...urls),
  failover: { enabled: false, rules: [{ errorCodes: '429,500,502,504,529', actionChain: [{ action: 'none' }] }] },
})

beforeAll(async () => {
  upstream = await new FakeUpstream().start()
  server = await startServer({ config: returnAtOnce(upstream.url), env: { MAX_REQUEST_BODY_MB: '1' } })
  client = new Anthropic({ baseURL: server.url, apiKey: ACCESS_KEY, maxRetries: 0 })
})
afterAll(async () => {
  await server?.stop()
  await upstream?.stop()
})
beforeEach(() => upstream.reset())

describe('access key', () => {
  it('refuses /v1/messages without a key in Anthropic error shape', async () => {
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.stringContaining('Missing access key') } })
  })

  it('refuses a wrong key and the SDK reports an AuthenticationError', async () => {
    const bad = new Anthropic({ baseURL: server.url, apiKey: 'wrong-key-wrong-key-wrong', maxRetries: 0 })
    await expect(bad.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(Anthropic.AuthenticationError)
    expect(upstream.received).toHaveLength(0)
  })

  it('accepts x-api-key, x-goog-api-key and Authorization: Bearer', async () => {
    upstream.script(json(200, message('ok')))
    const credentials: Record<string, string>[] = [{ 'x-api-key': ACCESS_KEY }, { 'x-goog-api-key': ACCESS_KEY }, { authorization: `Bearer ${ACCESS_KEY}` }]
    for (const h of credentials) {
      const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body: '{"model":"m","max_tokens":1,"messages":[]}' })
      expect(res.status).toBe(200)
    }
    const viaSdk = new Anthropic({ baseURL: server.url, authToken: ACCESS_KEY, maxRetries: 0 })
    expect((await viaSdk.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })).id).toBe('msg_01test')
  })

  it('takes ?key= only for GET event streams', async () => {
    const plain = await fetch(`${server.url}/api/channels?key=${ACCESS_KEY}`)
    expect(plain.status).toBe(401)
    const post = await fetch(`${server.url}/v1/messages?key=${ACCESS_KEY}`, { method: 'POST', body: '{}' })
    expect(post.status).toBe(401)
  })

  it('guards /api with the Go cc-bridge\'s error shape, and keeps /health and HEAD / public', async () => {
    const api = await fetch(`${server.url}/api/channels`)
    expect(api.status).toBe(401)
    expect(await api.json()).toEqual({ error: 'Unauthorized', message: 'Invalid or missing access key' })
    const health = await fetch(`${server.url}/health`)
    expect(health.status).toBe(200)
    const h = await health.json()
    expect(h).toMatchObject({ status: 'healthy', mode: 'production', config: { upstreamCount: 1, responsesUpstreamCount: 0, loadBalance: 'failover', responsesLoadBalance: 'failover' } })
    expect(JSON.stringify(h)).not.toContain('sk-ant')
    const head = await fetch(`${server.url}/`, { method: 'HEAD' })
    expect(head.status).toBe(200)
  })

  it('refuses the OpenAI-protocol paths with an OpenAI error shape', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ error: { type: 'authentication_error', message: expect.any(String) } })
  })
})

describe('bad input', () => {
  it('answers a body that is not JSON with a 400 invalid_request_error', async () => {
    const res = await post('/v1/messages', '{"model":')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('not valid JSON') } })
    expect(upstream.received).toHaveLength(0)
  })

  it('answers a body without model with a 400 naming the field', async () => {
    const res = await post('/v1/messages', '{"max_tokens":1,"messages":[]}')
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'model: field required' } })
  })

  it('answers a body over MAX_REQUEST_BODY_MB with a 413 request_too_large', async () => {
    const big = JSON.stringify({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x'.repeat(1024 * 1024 + 10) }] })
    const res = await post('/v1/messages', big)
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } })
    expect(upstream.received).toHaveLength(0)
  })

  it('answers unknown /v1 and /api paths with JSON 404s', async () => {
    const v1 = await fetch(`${server.url}/v1/nope`, { headers: { 'x-api-key': ACCESS_KEY } })
    expect(v1.status).toBe(404)
    expect(await v1.json()).toMatchObject({ error: { message: expect.stringContaining('/v1/nope') } })
    const api = await fetch(`${server.url}/api/nope`, { headers: { 'x-api-key': ACCESS_KEY } })
    expect(api.status).toBe(404)
    expect(await api.json()).toMatchObject({ error: 'API endpoint not found', path: '/api/nope' })
  })

  it('serves a base URL that was given with /v1 (requests to /v1/v1/messages)', async () => {
    upstream.script(json(200, message('doubled')))
    const doubled = new Anthropic({ baseURL: `${server.url}/v1`, apiKey: ACCESS_KEY, maxRetries: 0 })
    const m = await doubled.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
    expect(m.content.at(-1)).toMatchObject({ text: 'doubled' })
    expect(upstream.received[0]!.url).toBe('/v1/messages')
  })

  it('keeps serving after all of the above', async () => {
    upstream.script(json(200, message('still here')))
    const m = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
    expect(m.content.at(-1)).toMatchObject({ text: 'still here' })
  })
})

describe('upstream errors', () => {
  it.each([
    [429, 'rate_limit_error'],
    [529, 'overloaded_error'],
    [500, 'api_error'],
  ])('relays an upstream %i with its body unchanged', async (status, type) => {
    const body = `{"type":"error","error":{"type":"${type}","message":"upstream says ${status}"},"request_id":"req_x"}`
    upstream.script(json(status, body, { 'x-should-retry': 'false' }))
    const res = await post('/v1/messages', '{"model":"m","max_tokens":1,"messages":[]}')
    expect(res.status).toBe(status)
    expect(await res.text()).toBe(body)
    expect(res.headers.get('x-should-retry')).toBe('false')
  })

  it('caps retry-after at 60 seconds', async () => {
    upstream.script(json(429, '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}', { 'retry-after': '3600' }))
    const res = await post('/v1/messages', '{"model":"m","max_tokens":1,"messages":[]}')
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('60')
  })

  it('turns a 200 whose first event is an error into that error\'s status', async () => {
    upstream.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n')
    })
    const res = await post('/v1/messages', '{"model":"m","max_tokens":1,"stream":true,"messages":[]}')
    expect(res.status).toBe(529)
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })
  })

  it('answers 502 in Anthropic shape when the upstream is unreachable', async () => {
    const dead = await startServer({ config: returnAtOnce('http://127.0.0.1:1') })
    try {
      const res = await fetch(`${dead.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY }, body: '{"model":"m","max_tokens":1,"messages":[]}' })
      expect(res.status).toBe(502)
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('unreachable') } })
    }
    finally {
      await dead.stop()
    }
  })
})

describe('count_tokens and models', () => {
  it('passes count_tokens through to a Claude channel', async () => {
    upstream.script(json(200, { input_tokens: 2095 }))
    const r = await client.messages.countTokens({ model: 'claude-test-sonnet', messages: [{ role: 'user', content: 'hello' }] })
    expect(r.input_tokens).toBe(2095)
    expect(upstream.received[0]!.url).toBe('/v1/messages/count_tokens')
  })

  it('estimates locally when the channel has no count_tokens', async () => {
    upstream.script(json(404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } }))
    const text = 'word '.repeat(700)
    const r = await client.messages.countTokens({ model: 'm', system: 'You are terse.', messages: [{ role: 'user', content: text }] })
    expect(r.input_tokens).toBeGreaterThan(900)
    expect(r.input_tokens).toBeLessThan(1200)
  })

  it('returns the upstream\'s 400 for a bad count_tokens request instead of guessing', async () => {
    upstream.script(json(400, { type: 'error', error: { type: 'invalid_request_error', message: 'messages: required' } }))
    const res = await post('/v1/messages/count_tokens', '{"model":"m"}')
    expect(res.status).toBe(400)
  })

  it('lists the upstream\'s models in a shape both SDKs accept', async () => {
    upstream.script(json(200, { data: [{ type: 'model', id: 'claude-test-sonnet', display_name: 'Test Sonnet' }, { type: 'model', id: 'claude-test-haiku' }], has_more: false }))
    const a = await client.models.list()
    const ids = a.data.map(m => m.id)
    expect(ids).toEqual(['claude-test-haiku', 'claude-test-sonnet'])
    expect(a.data[1]).toMatchObject({ type: 'model', display_name: 'Test Sonnet' })
    expect(upstream.received[0]).toMatchObject({ method: 'GET', url: '/v1/models?limit=1000' })
    expect(upstream.received[0]!.headers['x-api-key']).toBe('sk-ant-upstream-key-0-aaaaaaaaaaaa')
    const o = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: ACCESS_KEY, maxRetries: 0 })
    const list = await o.models.list()
    expect(list.data.map(m => m.id)).toEqual(ids)
    expect(list.data[0]).toMatchObject({ object: 'model', owned_by: 'cc-bridge' })
  })
})

describe('no channel', () => {
  it('answers 503 saying what to configure', async () => {
    const empty = await startServer({ config: { upstream: [] } })
    try {
      const res = await fetch(`${empty.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY }, body: '{"model":"m","max_tokens":1,"messages":[]}' })
      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: expect.stringContaining('"claude"') } })
    }
    finally {
      await empty.stop()
    }
  })
})
