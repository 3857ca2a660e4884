import { request as httpRequest } from 'node:http'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeUpstream, json, sleep, sseEvent, stream, type Handler } from '../support/fake-upstream'
import { functionCallItem, messageItem, reasoningItem, responseObject, responseStream } from '../support/responses-fixtures'
import { ACCESS_KEY, startServer, type RunningServer, type StartOptions } from '../support/server'

type Item = Record<string, unknown>

function responsesChannel(i: number, baseUrl: string, extra: Record<string, unknown> = {}) {
  return { id: `resp000${i}`, name: `native-${i}`, serviceType: 'responses', baseUrl, apiKeys: [`sk-upstream-resp-${i}-00000000`], status: 'active', priority: i + 1, ...extra }
}

const config = (...channels: ReturnType<typeof responsesChannel>[]) => ({ upstream: [], responsesUpstream: channels, responsesLoadBalance: 'failover' })

const client = (server: RunningServer) => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: ACCESS_KEY, maxRetries: 0 })

/** An upstream turn answered as JSON or as a stream, whichever the request asked for. */
function answer(id: string, items: Item[]): Handler {
  return (req, res) => {
    const body = JSON.parse(req.body) as { stream?: boolean }
    if (body.stream) return stream(responseStream(id, items))(req, res)
    return json(200, responseObject(id, items))(req, res)
  }
}

const bodyOf = (r: { body: string }) => JSON.parse(r.body) as Record<string, unknown> & { input?: Item[] }

describe('/v1/responses on native channels', () => {
  let a: FakeUpstream
  let b: FakeUpstream
  const servers: RunningServer[] = []
  const start = async (opts: StartOptions) => {
    const s = await startServer(opts)
    servers.push(s)
    return s
  }

  beforeAll(async () => {
    a = await new FakeUpstream().start()
    b = await new FakeUpstream().start()
  })
  beforeEach(() => {
    a.reset()
    b.reset()
  })
  afterAll(async () => {
    await Promise.all(servers.map(s => s.stop()))
    await Promise.all([a?.stop(), b?.stop()])
  })

  it('passes a JSON call through with only the model mapped, Codex headers and all', async () => {
    a.script(answer('resp_json1', [messageItem('hello there')]))
    const server = await start({ config: config(responsesChannel(0, a.url, { modelMapping: { 'gpt-client': 'gpt-up' } })) })
    const r = await client(server).responses.create({ model: 'gpt-client', input: 'hi' }, {
      headers: { 'session-id': 'sess-1', 'thread-id': 'thr-1', 'x-client-request-id': 'cr-1', 'x-codex-turn-state': 'ts-1', 'x-codex-window-id': 'w-1', 'originator': 'codex_cli_rs' },
    })
    expect(r.id).toBe('resp_json1')
    expect(r.output_text).toBe('hello there')
    const got = a.received[0]!
    expect(got.url).toBe('/v1/responses')
    expect(bodyOf(got)).toMatchObject({ model: 'gpt-up', input: 'hi' })
    expect(got.headers).toMatchObject({
      'authorization': 'Bearer sk-upstream-resp-0-00000000', 'session-id': 'sess-1', 'thread-id': 'thr-1',
      'x-client-request-id': 'cr-1', 'x-codex-turn-state': 'ts-1', 'x-codex-window-id': 'w-1', 'originator': 'codex_cli_rs',
    })
  })

  it('relays a stream as it comes, keeps the turn, and serves retrieve and delete', async () => {
    a.script(answer('resp_s1', [messageItem('streamed answer')]))
    const server = await start({ config: config(responsesChannel(0, a.url)) })
    const openai = client(server)
    const final = await openai.responses.stream({ model: 'gpt-up', input: [{ role: 'user', content: 'tell me' }] }).finalResponse()
    expect(final.id).toBe('resp_s1')
    expect(final.output_text).toBe('streamed answer')

    const again = await openai.responses.retrieve('resp_s1')
    expect(again).toMatchObject({ id: 'resp_s1', object: 'response', status: 'completed' })
    expect(again.output_text).toBe('streamed answer')

    const raw = await fetch(`${server.url}/v1/responses/resp_s1`, { method: 'DELETE', headers: { authorization: `Bearer ${ACCESS_KEY}` } })
    expect(raw.status).toBe(200)
    expect(await raw.json()).toEqual({ id: 'resp_s1', object: 'response', deleted: true })
    await expect(openai.responses.retrieve('resp_s1')).rejects.toMatchObject({ status: 404, error: { type: 'not_found_error' } })
    await expect(openai.responses.delete('resp_s1')).rejects.toMatchObject({ status: 404 })
  })

  it('streams every event type to the SDK and ends after response.completed even if the upstream stays open', async () => {
    a.script(async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      for (const f of responseStream('resp_open', [reasoningItem(), messageItem('done')], { emptyFinalOutput: true })) res.write(f)
      await req.closed
    })
    const server = await start({ config: config(responsesChannel(0, a.url)) })
    const types: string[] = []
    const s = await client(server).responses.create({ model: 'gpt-up', input: 'go', stream: true })
    for await (const ev of s) types.push(ev.type)
    expect(types[0]).toBe('response.created')
    expect(types.at(-1)).toBe('response.completed')
    expect(types).toContain('response.output_text.delta')
    // The final object came with an empty output: the stored turn has the items from output_item.done.
    const kept = await client(server).responses.retrieve('resp_open')
    expect(kept.output.map(i => i.type)).toEqual(['reasoning', 'message'])
  })

  it('continues a conversation with previous_response_id across a restart', async () => {
    a.script(answer('resp_t1', [messageItem('first')]), answer('resp_t2', [messageItem('second')]))
    const first = await start({ config: config(responsesChannel(0, a.url)) })
    await client(first).responses.create({ model: 'gpt-up', input: 'one' })
    await first.stop()
    const second = await start({ config: config(responsesChannel(0, a.url)), configDir: first.configDir })
    const r = await client(second).responses.create({ model: 'gpt-up', input: 'two', previous_response_id: 'resp_t1' })
    expect(r.output_text).toBe('second')
    // The channel that produced resp_t1 holds it: the id is forwarded, not the history.
    expect(bodyOf(a.received[1]!)).toMatchObject({ previous_response_id: 'resp_t1', input: 'two' })
  })

  it('sends the history inline when fail-over moves a conversation to a channel that never saw it', async () => {
    a.script(answer('resp_f1', [reasoningItem(), functionCallItem('call_1', 'exec_command', '{"cmd":"ls"}')]), json(500, { error: { message: 'boom', type: 'server_error' } }))
    b.script(answer('resp_f2', [messageItem('from b')]))
    const server = await start({ config: config(responsesChannel(0, a.url), responsesChannel(1, b.url)) })
    const openai = client(server)
    await openai.responses.create({ model: 'gpt-up', input: [{ type: 'message', role: 'user', content: 'list files' }] })
    const output = { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' }
    const r = await openai.responses.create({ model: 'gpt-up', previous_response_id: 'resp_f1', input: [output as never], stream: true })
    const events: string[] = []
    for await (const ev of r) events.push(ev.type)
    expect(events.at(-1)).toBe('response.completed')
    expect(bodyOf(a.received[1]!).previous_response_id).toBe('resp_f1')
    const sent = bodyOf(b.received[0]!)
    expect(sent.previous_response_id).toBeUndefined()
    // History first (reasoning dropped, ids dropped: they belong to the other upstream), then the new item.
    expect(sent.input).toEqual([
      { type: 'message', role: 'user', content: 'list files' },
      { type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"ls"}', status: 'completed' },
      output,
    ])
    // The next turn continues on b, which now holds the conversation.
    b.script(answer('resp_f3', [messageItem('still b')]))
    await openai.responses.create({ model: 'gpt-up', previous_response_id: 'resp_f2', input: 'thanks' })
    expect(bodyOf(b.received.at(-1)!)).toMatchObject({ previous_response_id: 'resp_f2', input: 'thanks' })
  })

  it('carries a conversation over from a native channel to a converted one when fail-over moves it', async () => {
    a.script(answer('resp_n1', [reasoningItem(), functionCallItem('call_9', 'exec_command', '{"cmd":"pwd"}')]), json(500, { error: { message: 'boom', type: 'server_error' } }))
    // b is an OpenAI-compatible Chat upstream: it gets the whole conversation as Chat messages.
    b.script(stream([
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'chat-up', choices: [{ index: 0, delta: { role: 'assistant', content: 'in /tmp' }, finish_reason: null }] })}\n\n`,
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'chat-up', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 30, completion_tokens: 3 } })}\n\n`,
      'data: [DONE]\n\n',
    ]))
    const chat = { ...responsesChannel(1, b.url), name: 'chat-1', serviceType: 'openai' }
    const server = await start({ config: config(responsesChannel(0, a.url), chat as ReturnType<typeof responsesChannel>) })
    const openai = client(server)
    await openai.responses.create({ model: 'gpt-up', input: [{ type: 'message', role: 'user', content: 'where am I' }] })
    const r = await openai.responses.stream({ model: 'gpt-up', previous_response_id: 'resp_n1', input: [{ type: 'function_call_output', call_id: 'call_9', output: '/tmp' } as never] }).finalResponse()
    expect(r.output_text).toBe('in /tmp')
    const sent = JSON.parse(b.received[0]!.body) as { messages: { role: string, content?: unknown, tool_calls?: { id: string }[], tool_call_id?: string }[] }
    expect(sent.messages.map(m => m.role)).toEqual(['user', 'assistant', 'tool'])
    expect(sent.messages[1]!.tool_calls![0]!.id).toBe('call_9')
    expect(sent.messages[2]).toMatchObject({ tool_call_id: 'call_9', content: '/tmp' })
  })

  it('stores nothing for store: false, and refuses unknown and expired ids with a 404', async () => {
    a.script(answer('resp_nostore', [messageItem('x')]), answer('resp_ttl', [messageItem('y')]))
    const server = await start({ config: config(responsesChannel(0, a.url)), env: { RESPONSES_SESSION_TTL: '400ms' } })
    const openai = client(server)
    await Array.fromAsync(await openai.responses.create({ model: 'gpt-up', input: 'x', store: false, stream: true }))
    await expect(openai.responses.retrieve('resp_nostore')).rejects.toMatchObject({ status: 404 })
    await expect(openai.responses.create({ model: 'gpt-up', input: 'y', previous_response_id: 'resp_nostore' })).rejects.toMatchObject({ status: 404, error: { type: 'not_found_error' } })
    await expect(openai.responses.create({ model: 'gpt-up', input: 'y', previous_response_id: 'resp_never' })).rejects.toMatchObject({ status: 404 })
    expect(a.received).toHaveLength(1)

    await openai.responses.create({ model: 'gpt-up', input: 'y' })
    expect((await openai.responses.retrieve('resp_ttl')).id).toBe('resp_ttl')
    await sleep(600)
    await expect(openai.responses.retrieve('resp_ttl')).rejects.toMatchObject({ status: 404 })
    await expect(openai.responses.create({ model: 'gpt-up', input: 'z', previous_response_id: 'resp_ttl' })).rejects.toMatchObject({ status: 404 })
  })

  it('lists a stored response\'s input items, and 404s an unknown one', async () => {
    a.script(answer('resp_items', [messageItem('ok')]))
    const server = await start({ config: config(responsesChannel(0, a.url)) })
    const openai = client(server)
    await openai.responses.create({ model: 'gpt-up', input: [
      { type: 'message', role: 'user', content: 'first' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'second' }] },
    ] })
    const page = await openai.responses.inputItems.list('resp_items', { order: 'asc', limit: 1 })
    expect(page.data).toMatchObject([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'first' }] }])
    expect(page.has_more).toBe(true)
    const all = []
    for await (const item of openai.responses.inputItems.list('resp_items')) all.push(item)
    expect(all.map(i => (i as { content: { text: string }[] }).content[0]!.text)).toEqual(['second', 'first'])
    await expect(openai.responses.inputItems.list('resp_unknown')).rejects.toMatchObject({ status: 404, error: { type: 'not_found_error' } })
  })

  it('refuses a conversation past RESPONSES_SESSION_MAX_MB with a 400 that says what to do', async () => {
    a.script(answer('resp_big', [messageItem('x'.repeat(2000))]))
    const server = await start({ config: config(responsesChannel(0, a.url)), env: { RESPONSES_SESSION_MAX_MB: '0.001' } })
    const openai = client(server)
    await openai.responses.create({ model: 'gpt-up', input: 'x' })
    await expect(openai.responses.create({ model: 'gpt-up', input: 'more', previous_response_id: 'resp_big' }))
      .rejects.toMatchObject({ status: 400, error: { message: expect.stringMatching(/RESPONSES_SESSION_MAX_MB/) } })
  })

  it('passes /responses/compact and an inline compaction_trigger through to the native channel', async () => {
    a.script(json(200, { id: 'cmp_1', object: 'response.compaction', output: [{ type: 'compaction', encrypted_content: 'opaque' }] }), answer('resp_c2', [{ type: 'compaction', id: 'cmp_2', encrypted_content: 'opaque2' }]))
    const server = await start({ config: config(responsesChannel(0, a.url)) })
    const headers = { 'authorization': `Bearer ${ACCESS_KEY}`, 'content-type': 'application/json' }
    const compact = await fetch(`${server.url}/v1/responses/compact`, { method: 'POST', headers, body: JSON.stringify({ model: 'gpt-up', input: [{ type: 'message', role: 'user', content: 'long' }] }) })
    expect(compact.status).toBe(200)
    expect((await compact.json() as { output: Item[] }).output[0]).toMatchObject({ type: 'compaction' })
    expect(a.received[0]!.url).toBe('/v1/responses/compact')
    const trigger = await fetch(`${server.url}/v1/responses`, { method: 'POST', headers, body: JSON.stringify({ model: 'gpt-up', store: false, input: [{ type: 'compaction_trigger' }] }) })
    expect(trigger.status).toBe(200)
    expect(bodyOf(a.received[1]!).input).toEqual([{ type: 'compaction_trigger' }])
  })

  it('fails over when a stream fails right after response.created, and answers OpenAI\'s error shape when none is left', async () => {
    const [created, inProgress] = responseStream('resp_quota', [])
    const quota = { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota', param: null }
    const early = (third: string): Handler => (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(created! + inProgress! + third)
    }
    a.script(early(sseEvent({ type: 'error', sequence_number: 2, error: quota })))
    b.script(answer('resp_after', [messageItem('from b')]))
    const server = await start({ config: config(responsesChannel(0, a.url), responsesChannel(1, b.url)) })
    const events: string[] = []
    for await (const ev of await client(server).responses.create({ model: 'gpt-up', input: 'hi', stream: true })) events.push(ev.type)
    expect(events[0]).toBe('response.created')
    expect(events.at(-1)).toBe('response.completed')
    expect(b.received).toHaveLength(1)

    a.reset()
    b.reset()
    const failed = sseEvent({ type: 'response.failed', sequence_number: 2, response: { id: 'resp_quota', status: 'failed', error: { code: 'insufficient_quota', message: 'You exceeded your current quota' } } })
    a.script(early(failed))
    const alone = await start({ config: config(responsesChannel(0, a.url)) })
    const raw = await fetch(`${alone.url}/v1/responses`, {
      method: 'POST', headers: { 'authorization': `Bearer ${ACCESS_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-up', input: 'hi', stream: true }),
    })
    expect(raw.status).toBe(429)
    expect(await raw.json()).toEqual({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } })
  })

  it('refuses a WebSocket upgrade at once, in OpenAI error shape', async () => {
    const server = await start({ config: config(responsesChannel(0, a.url)) })
    const started = Date.now()
    const { status, body } = await new Promise<{ status: number, body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v1/responses`, {
        headers: {
          'authorization': `Bearer ${ACCESS_KEY}`, 'connection': 'Upgrade', 'upgrade': 'websocket', 'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'openai-beta': 'responses_websockets=2026-02-06',
        },
      }, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode!, body: text }))
      })
      req.on('upgrade', () => reject(new Error('upgraded')))
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(426)
    expect(JSON.parse(body)).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/WebSocket/) } })
    expect(Date.now() - started).toBeLessThan(5000)
    expect(a.received).toHaveLength(0)
  })

  it('answers /v1/models/{id} and Codex\'s catalog call', async () => {
    const server = await start({ config: config(responsesChannel(0, a.url, { modelMapping: { 'gpt-5-codex': 'gpt-up' } })) })
    const openai = client(server)
    expect(await openai.models.retrieve('gpt-5-codex')).toMatchObject({ id: 'gpt-5-codex', object: 'model' })
    await expect(openai.models.retrieve('nope')).rejects.toMatchObject({ status: 404 })
    const catalog = await fetch(`${server.url}/v1/models?client_version=0.171.0`, { headers: { authorization: `Bearer ${ACCESS_KEY}` } })
    const body = await catalog.json() as { models: unknown[], data: { id: string }[] }
    expect(body.models).toEqual([])
    expect(body.data.map(m => m.id)).toContain('gpt-5-codex')
  })
})
