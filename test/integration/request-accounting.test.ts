import { request } from 'node:http'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { message, messageEnd, messageStart } from '../support/anthropic-fixtures'
import { FakeUpstream, json, sleep, sseEvent, stream, type Handler } from '../support/fake-upstream'
import { chunk, DONE } from '../support/openai-fixtures'
import { poll } from '../support/poll'
import { ACCESS_KEY, startServer, type RunningServer } from '../support/server'

// Requests through the real server end up in the request log with hand-computable tokens and costs.
let broken: FakeUpstream
let claude: FakeUpstream
let chat: FakeUpstream
let server: RunningServer
let configDir: string

const CLAUDE_PRICE = { model: 'test-claude', inputPrice: 3, outputPrice: 15, cacheCreationPrice: 3.75, cacheReadPrice: 0.3 }
const GPT_PRICE = { model: 'test-gpt', inputPrice: 1.25, outputPrice: 10 }

const config = () => ({
  upstream: [
    { id: 'brk00001', name: 'broken', serviceType: 'claude', baseUrl: broken.url, apiKeys: ['sk-ant-broken-key-000000001'], status: 'active', priority: 1 },
    {
      id: 'cla00001', name: 'anthropic', serviceType: 'claude', baseUrl: claude.url, apiKeys: ['sk-ant-claude-key-000000001'], status: 'active', priority: 2,
      // Every price ×1.5 on this channel, and the output of test-claude models ×2 on top.
      priceMultipliers: { '_default': { inputMultiplier: 1.5, outputMultiplier: 1.5, cacheCreationMultiplier: 1.5, cacheReadMultiplier: 1.5 }, 'test-claude': { outputMultiplier: 2 } },
    },
  ],
  chatUpstream: [{ id: 'oai00001', name: 'openai', serviceType: 'openai', baseUrl: chat.url, apiKeys: ['sk-openai-key-00000000001'], status: 'active' }],
  loadBalance: 'failover',
  // The broken channel fails over at once and is never retried; the breaker stays out of the way.
  failover: { enabled: true, rules: [{ errorCodes: '500', actionChain: [{ action: 'failover' }] }] },
})

const api = async <T = Record<string, unknown>>(path: string, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(`${server.url}${path}`, { ...init, headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', ...init.headers } })
  return await res.json() as T
}

interface Row { id: string, status: string, httpStatus: number, model: string, responseModel?: string, providerName?: string, channelUid?: string, inputTokens: number, outputTokens: number, cacheReadInputTokens: number, cacheCreationInputTokens: number, reasoningTokens: number, price: number, inputCost: number, outputCost: number, cacheCreationCost: number, cacheReadCost: number, failoverInfo?: string, endpoint: string, firstTokenDurationMs?: number, clientId?: string, sessionId?: string }
const rows = async () => (await api<{ requests: Row[] }>('/api/logs?limit=100')).requests
const finished = (r: Row) => r.status !== 'pending'

/** The id cc-bridge gave a request (`x-request-id`). */
const idOf = (res: Response) => res.headers.get('x-request-id')!

beforeAll(async () => {
  broken = (await new FakeUpstream().start()).script(json(500, { type: 'error', error: { type: 'api_error', message: 'down' } }))
  claude = await new FakeUpstream().start()
  chat = await new FakeUpstream().start()
  server = await startServer({ config: config() })
  configDir = server.configDir
  await api('/api/pricing/models', { method: 'PUT', body: JSON.stringify([CLAUDE_PRICE, GPT_PRICE]) })
})
afterAll(async () => {
  await server?.stop()
  await Promise.all([broken, claude, chat].map(u => u?.stop()))
})

describe('every request accounted', () => {
  const ids: Record<string, string> = {}

  it('logs a failed-over non-streaming request with both cache lifetimes, priced with the channel and model multipliers', async () => {
    claude.reset()
    claude.script(json(200, { ...message('hi', 'test-claude-20260101'), usage: { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 1000, cache_creation_input_tokens: 300, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 } } }))
    const user = JSON.stringify({ device_id: 'dev-1', account_uuid: 'acct-alice', session_id: 'sess-1' })
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'test-claude-20260101', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }], metadata: { user_id: user } }),
    })
    expect(res.status).toBe(200)
    ids.json = idOf(res)
    const row = (await poll(rows, r => r.some(x => x.id === ids.json && finished(x)))).find(x => x.id === ids.json)!
    // input 100×3×1.5, output 50×15×1.5×2, cache read 1000×0.3×1.5, writes 100×3.75×1.5 + 200×(3.75×1.6)×1.5, per 1M.
    expect(row).toMatchObject({
      status: 'completed', httpStatus: 200, endpoint: '/v1/messages', model: 'test-claude-20260101', responseModel: 'test-claude-20260101',
      providerName: 'anthropic', channelUid: 'cla00001', clientId: 'acct-alice', sessionId: 'sess-1',
      inputTokens: 100, outputTokens: 50, cacheReadInputTokens: 1000, cacheCreationInputTokens: 300,
      inputCost: 0.00045, outputCost: 0.00225, cacheReadCost: 0.00045, cacheCreationCost: 0.0023625, price: 0.0055125,
    })
    expect(row.failoverInfo).toMatch(/broken 500 > failover > anthropic 200/)
    const detail = await api<{ attempts: { channelName: string, status?: number, maskedKey?: string }[] }>(`/api/logs/${ids.json}`)
    expect(detail.attempts.map(a => [a.channelName, a.status])).toEqual([['broken', 500], ['anthropic', 200]])
    expect(JSON.stringify(detail)).not.toContain('sk-ant-claude-key-000000001')
  })

  it('reads the usage of a passthrough stream as it passes, with the time to the first token', async () => {
    claude.reset()
    claude.script(stream([messageStart('test-claude'), sseEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hello' } }), sseEvent({ type: 'content_block_stop', index: 0 }), ...messageEnd('end_turn', 30)]))
    const client = new Anthropic({ baseURL: server.url, apiKey: ACCESS_KEY, maxRetries: 0 })
    const { response } = await client.messages.stream({ model: 'test-claude', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).withResponse()
    ids.stream = response.headers.get('x-request-id')!
    const row = (await poll(rows, r => r.some(x => x.id === ids.stream && finished(x)))).find(x => x.id === ids.stream)!
    // input 20×3×1.5, output 30×15×1.5×2.
    expect(row).toMatchObject({ status: 'completed', inputTokens: 20, outputTokens: 30, inputCost: 0.00009, outputCost: 0.00135, price: 0.00144 })
    expect(row.firstTokenDurationMs).toBeGreaterThanOrEqual(0)
  })

  it('logs a Chat Completions stream with cached and reasoning tokens, through the official SDK', async () => {
    chat.reset()
    chat.script(stream([
      chunk({ role: 'assistant', content: '' }, null, { model: 'test-gpt' }), chunk({ content: 'ok' }, null, { model: 'test-gpt' }), chunk({}, 'stop', { model: 'test-gpt' }),
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'test-gpt', choices: [], usage: { prompt_tokens: 1000, completion_tokens: 200, prompt_tokens_details: { cached_tokens: 400 }, completion_tokens_details: { reasoning_tokens: 50 } } })}\n\n`,
      DONE,
    ]))
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: ACCESS_KEY, maxRetries: 0 })
    const { response } = await client.chat.completions.create({ model: 'test-gpt', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }], user: 'bob' }).withResponse()
    ids.chat = response.headers.get('x-request-id')!
    const row = (await poll(rows, r => r.some(x => x.id === ids.chat && finished(x)))).find(x => x.id === ids.chat)!
    // input (1000−400)×1.25, cache read 400×0.125, output 200×10 (reasoning is part of it), per 1M.
    expect(row).toMatchObject({ status: 'completed', endpoint: '/v1/chat/completions', clientId: 'bob', inputTokens: 600, cacheReadInputTokens: 400, outputTokens: 200, reasoningTokens: 50, inputCost: 0.00075, cacheReadCost: 0.00005, outputCost: 0.002, price: 0.0028 })
  })

  it('records a client that went away as an error with 499, without a cost', async () => {
    const slow: Handler = stream([messageStart('test-claude'), ...Array.from({ length: 50 }, () => sseEvent({ type: 'ping' })), ...messageEnd()], 100)
    claude.reset()
    claude.script(slow)
    const id = await new Promise<string>((resolve) => {
      const req = request(`${server.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' } }, (res) => {
        res.once('data', () => {
          resolve(String(res.headers['x-request-id']))
          req.destroy()
        })
      })
      req.end(JSON.stringify({ model: 'test-claude', max_tokens: 8, stream: true, messages: [{ role: 'user', content: 'hi' }] }))
    })
    ids.abort = id
    const row = (await poll(rows, r => r.some(x => x.id === id && finished(x)))).find(x => x.id === id)!
    expect(row).toMatchObject({ status: 'error', httpStatus: 499, price: 0 })
  })

  it('adds up to the cent by model, provider and client, and keeps it all across a restart', async () => {
    const expected = 0.0055125 + 0.00144 + 0.0028
    const check = async () => {
      const stats = await api<{ totalRequests: number, totalCost: number, byModel: Record<string, { count: number, cost: number }>, byProvider: Record<string, { count: number, cost: number }>, byClient: Record<string, { count: number, cost: number }> }>('/api/logs/stats')
      expect(stats.totalRequests).toBe(4)
      // The stats round totals to a millionth of a dollar.
      expect(stats.totalCost).toBeCloseTo(expected, 5)
      expect(stats.byModel['test-gpt']).toMatchObject({ count: 1, cost: 0.0028 })
      expect(stats.byModel['test-claude-20260101']!.cost).toBeCloseTo(0.0055125, 5)
      expect(stats.byProvider.anthropic!.cost).toBeCloseTo(0.0055125 + 0.00144, 5)
      expect(stats.byClient['acct-alice']!.count).toBe(1)
      expect(stats.byClient['acct-alice']!.cost).toBeCloseTo(0.0055125, 5)
      expect(stats.byClient.bob).toMatchObject({ count: 1, cost: 0.0028 })
    }
    await check()
    await server.stop()
    server = await startServer({ configDir })
    await check()
    expect((await rows()).map(r => r.id).sort()).toEqual(Object.values(ids).sort())
  })

  it('logs 20 concurrent streams as 20 complete rows', async () => {
    claude.reset()
    claude.script(stream([messageStart('test-claude'), ...messageEnd('end_turn', 3)], 20))
    await api('/api/logs', { method: 'DELETE' })
    const writer = async () => (await api<{ requestLog: { written: number, writerCpuUs: number } }>('/api/health/details')).requestLog
    const before = await writer()
    const client = new Anthropic({ baseURL: server.url, apiKey: ACCESS_KEY, maxRetries: 0 })
    await Promise.all(Array.from({ length: 20 }, () => client.messages.stream({ model: 'test-claude', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()))
    const all = await poll(rows, r => r.length === 20 && r.every(finished))
    expect(all.filter(r => r.status === 'completed' && r.outputTokens === 3 && r.inputTokens === 20)).toHaveLength(20)
    // The health details count the writes and report the writer thread's CPU time (the kernel
    // counts it in scheduler ticks, so 20 rows may not reach one; the writer's unit test weighs it).
    const after = await writer()
    expect(after.written - before.written).toBeGreaterThanOrEqual(20)
    expect(after.writerCpuUs).toBeGreaterThanOrEqual(before.writerCpuUs)
  })

  it('delivers a new row to a live-stream subscriber', async () => {
    claude.reset()
    claude.script(json(200, message('live', 'test-claude')))
    const events: string[] = []
    const ac = new AbortController()
    const res = await fetch(`${server.url}/api/logs/stream?key=${ACCESS_KEY}`, { headers: { accept: 'text/event-stream' }, signal: ac.signal })
    const reader = res.body!.getReader()
    const reading = (async () => {
      const decoder = new TextDecoder()
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }))
        if (done) return
        events.push(decoder.decode(value))
      }
    })()
    await sleep(100)
    const sent = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'test-claude', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }) })
    const id = idOf(sent)
    await poll(() => events.join(''), text => text.includes('log:updated') && text.includes(id))
    ac.abort()
    await reading
    expect(events.join('')).toContain('log:created')
    expect(events.join('')).toMatch(new RegExp(`log:updated[\\s\\S]*${id}[\\s\\S]*"status":"completed"`))
  })
})

describe('the evidence of a failed request', () => {
  it('logs a converted stream with the usage its converter counted, cache and reasoning tokens included', async () => {
    const upstream = (await new FakeUpstream().start()).script(stream([
      chunk({ role: 'assistant', content: '' }, null, { model: 'test-gpt' }), chunk({ content: 'ok' }, null, { model: 'test-gpt' }), chunk({}, 'stop', { model: 'test-gpt' }),
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'test-gpt', choices: [], usage: { prompt_tokens: 1000, completion_tokens: 200, prompt_tokens_details: { cached_tokens: 400 }, completion_tokens_details: { reasoning_tokens: 50 } } })}\n\n`,
      DONE,
    ]))
    // A Messages client on a pool whose only channel speaks Chat Completions: every event it sees was converted.
    const converting = await startServer({ config: { upstream: [{ id: 'cnv00001', name: 'converted', serviceType: 'openai', baseUrl: upstream.url, apiKeys: ['sk-openai-key-00000000002'], status: 'active' }] } })
    try {
      await fetch(`${converting.url}/api/pricing/models`, { method: 'PUT', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' }, body: JSON.stringify([GPT_PRICE]) })
      const client = new Anthropic({ baseURL: converting.url, apiKey: ACCESS_KEY, maxRetries: 0 })
      const { data: answer, response } = await client.messages.stream({ model: 'test-gpt', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).withResponse()
      const final = await answer.finalMessage()
      // What the client was told: Anthropic's terms, input without the cache reads.
      expect(final.usage).toMatchObject({ input_tokens: 600, cache_read_input_tokens: 400, output_tokens: 200 })
      const id = response.headers.get('x-request-id')!
      const logged = async () => (await (await fetch(`${converting.url}/api/logs?limit=10`, { headers: { 'x-api-key': ACCESS_KEY } })).json() as { requests: Row[] }).requests
      const row = (await poll(logged, r => r.some(x => x.id === id && finished(x)))).find(x => x.id === id)!
      // input 600×1.25, cache read 400×0.125, output 200×10 (reasoning is part of it), per 1M.
      expect(row).toMatchObject({ status: 'completed', endpoint: '/v1/messages', providerName: 'converted', inputTokens: 600, cacheReadInputTokens: 400, outputTokens: 200, reasoningTokens: 50, inputCost: 0.00075, cacheReadCost: 0.00005, outputCost: 0.002, price: 0.0028 })
    }
    finally {
      await converting.stop()
      await upstream.stop()
    }
  })

  it('keeps the request and the upstream\'s answer with LOG_FAILED_BODIES=true, channel keys masked', async () => {
    const key = 'sk-ant-echoed-key-0123456789abcdef'
    const echo = (await new FakeUpstream().start()).script(json(401, { type: 'error', error: { type: 'authentication_error', message: `Incorrect API key provided: ${key}` } }))
    const failing = await startServer({
      config: { upstream: [{ id: 'ech00001', name: 'echo', serviceType: 'claude', baseUrl: echo.url, apiKeys: [key], status: 'active' }] },
      env: { LOG_FAILED_BODIES: 'true' },
    })
    try {
      const res = await fetch(`${failing.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'test-claude', max_tokens: 8, messages: [{ role: 'user', content: `the question about ${key.slice(0, 20)}` }] }) })
      expect(res.status).toBe(401)
      const id = idOf(res)
      const detail = await poll(
        async () => (await fetch(`${failing.url}/api/logs/${id}`, { headers: { 'x-api-key': ACCESS_KEY } })).json() as Promise<{ status?: string, httpStatus?: number, requestBody?: string, responseBody?: string, error?: string }>,
        d => d.status === 'error',
      )
      expect(detail).toMatchObject({ status: 'error', httpStatus: 401 })
      // A key cut short is masked too, in the request as in the answer.
      expect(detail.requestBody).toContain('the question about sk-ant-e***')
      expect(detail.requestBody).not.toContain(key.slice(0, 20))
      expect(detail.responseBody).toContain('Incorrect API key provided: sk-ant-e***')
      expect(JSON.stringify(detail)).not.toContain(key)
    }
    finally {
      await failing.stop()
      await echo.stop()
    }
  })
})
