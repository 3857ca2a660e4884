import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { message } from '../support/anthropic-fixtures'
import { FakeUpstream, json } from '../support/fake-upstream'
import { ACCESS_KEY, startServer, type RunningServer } from '../support/server'

// The fast path serves the exact endpoint paths; a trailing slash or a doubled /v1/v1 goes through
// Nitro's router to the /v1 route. Both must answer every request the same way.
let upstream: FakeUpstream
let server: RunningServer

beforeAll(async () => {
  upstream = await new FakeUpstream().start()
  const claude = { id: 'c1', name: 'claude', serviceType: 'claude', baseUrl: upstream.url, apiKeys: ['sk-ant-upstream-key-0123456789'], status: 'active' }
  server = await startServer({
    config: { upstream: [claude], chatUpstream: [{ ...claude, id: 'c2' }], loadBalance: 'failover' },
    env: { MAX_REQUEST_BODY_MB: '0.01' },
  })
})
afterAll(async () => {
  await server?.stop()
  await upstream?.stop()
})
beforeEach(() => {
  upstream.reset()
  upstream.script(json(200, message('hello')))
})

interface Sent { status: number, type: string | null, channel: string | null, body: string }

async function send(method: string, path: string, body?: string, key = ACCESS_KEY): Promise<Sent> {
  const res = await fetch(server.url + path, { method, body, headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' } })
  return { status: res.status, type: res.headers.get('content-type'), channel: res.headers.get('x-cc-bridge-channel'), body: await res.text() }
}

/** Sends the request to the exact path, with a trailing slash and under /v1/v1; all three answers must be equal. */
async function bothWays(method: string, path: string, body?: string, key?: string): Promise<Sent> {
  const [fast, ...route] = [await send(method, path, body, key), await send(method, `${path}/`, body, key), await send(method, `/v1${path}`, body, key)]
  for (const r of route) expect(r).toEqual(fast)
  return fast!
}

const request = JSON.stringify({ model: 'claude-test-sonnet', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })

describe('one pipeline behind the fast path and the Nitro routes', () => {
  it('forwards a request the same way', async () => {
    const a = await bothWays('POST', '/v1/messages', request)
    expect(a).toMatchObject({ status: 200, channel: 'claude' })
    expect(JSON.parse(a.body).content.at(-1).text).toBe('hello')
    expect(upstream.received.map(r => r.url)).toEqual(['/v1/messages', '/v1/messages', '/v1/messages'])
  })

  it('refuses a missing or wrong key in each endpoint\'s protocol shape', async () => {
    const anthropic = await bothWays('POST', '/v1/messages', request, 'wrong-key-0123456789abc')
    expect(anthropic.status).toBe(401)
    expect(JSON.parse(anthropic.body)).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'Invalid access key' } })
    const openai = await bothWays('POST', '/v1/chat/completions', request, '')
    expect(openai.status).toBe(401)
    expect(JSON.parse(openai.body).error).toMatchObject({ type: 'authentication_error', code: null })
    expect((await bothWays('GET', '/v1/models', undefined, 'wrong-key-0123456789abc')).status).toBe(401)
    expect(upstream.received).toHaveLength(0)
  })

  it('refuses an oversized body with 413 and bad JSON with 400', async () => {
    const big = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(20_000) }] })
    const tooLarge = await bothWays('POST', '/v1/messages', big)
    expect(tooLarge.status).toBe(413)
    expect(JSON.parse(tooLarge.body).error.type).toBe('request_too_large')
    const bad = await bothWays('POST', '/v1/chat/completions', '{"model":')
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).error.type).toBe('invalid_request_error')
    expect((await bothWays('POST', '/v1/messages/count_tokens', '{"messages":[]}')).status).toBe(400)
    expect(upstream.received).toHaveLength(0)
  })

  it('serves GET /v1/models under every variant, /v1/v1 included', async () => {
    const a = await bothWays('GET', '/v1/models')
    expect(a.status).toBe(200)
    expect(JSON.parse(a.body)).toHaveProperty('data')
  })

  it('answers unknown endpoints with 404 and wrong methods with 405, after the key check', async () => {
    const missing = await send('POST', '/v1/nothing-here', '{}')
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.body).error.type).toBe('not_found_error')
    expect((await send('POST', '/v1/nothing-here', '{}', 'wrong-key-0123456789abc')).status).toBe(401)
    const res = await fetch(`${server.url}/v1/messages`, { headers: { 'x-api-key': ACCESS_KEY } })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'Method GET is not allowed on /v1/messages; use POST' } })
  })
})
