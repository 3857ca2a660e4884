import Anthropic from '@anthropic-ai/sdk'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { message } from '../support/anthropic-fixtures'
import { FakeUpstream, json } from '../support/fake-upstream'
import { ACCESS_KEY, startServer, type RunningServer } from '../support/server'

let a: FakeUpstream
let b: FakeUpstream
let server: RunningServer

const KEY_A = 'sk-ant-api03-secret-key-for-channel-a-0001'
const KEY_B = 'sk-or-v1-secret-key-for-channel-b-0002'

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, etag: res.headers.get('etag'), text, json: text ? JSON.parse(text) : undefined }
}

beforeAll(async () => {
  a = await new FakeUpstream().start()
  b = await new FakeUpstream().start()
  a.script(json(200, message('from A')))
  b.script(json(200, message('from B')))
  server = await startServer({ config: { upstream: [] } })
})
afterAll(async () => {
  await server?.stop()
  await a?.stop()
  await b?.stop()
})

describe('channel admin API', () => {
  it('adds channels that the proxy uses at once, and never returns a full key', async () => {
    const add = await api('POST', '/api/channels', { name: 'chan A', serviceType: 'claude', baseUrl: a.url, apiKeys: [KEY_A], priority: 1 })
    expect(add.status).toBe(200)
    expect(add.json).toMatchObject({ success: true, id: expect.stringMatching(/^[0-9a-f]{8}$/), index: 0 })
    const addB = await api('POST', '/api/channels', { name: 'chan B', serviceType: 'claude', baseUrl: b.url, apiKeys: [KEY_B], priority: 2 })
    expect(addB.status).toBe(200)

    const client = new Anthropic({ baseURL: server.url, apiKey: ACCESS_KEY, maxRetries: 0 })
    const m = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
    expect(m.content.at(-1)).toMatchObject({ text: 'from A' })
    expect(a.received.at(-1)!.headers['x-api-key']).toBe(KEY_A)

    const list = await api('GET', '/api/channels')
    expect(list.text).not.toContain(KEY_A)
    expect(list.text).not.toContain(KEY_B)
    expect(list.json.loadBalance).toBe('failover')
    expect(list.json.channels[0]).toMatchObject({ index: 0, name: 'chan A', apiKeyCount: 1, maskedKeys: [{ index: 0, masked: 'sk-ant-a***-0001' }], latency: null })
    expect(list.json.channels[0].apiKeys).toBeUndefined()
  })

  it('answers invalid bodies with field-level 400s and changes nothing', async () => {
    const before = readFileSync(join(server.configDir, 'config.json'), 'utf8')
    const bad = await api('POST', '/api/channels', { name: '', serviceType: 'nope', baseUrl: 'ftp://x' })
    expect(bad.status).toBe(400)
    const paths = bad.json.issues.map((i: { path: string }) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['name', 'serviceType', 'baseUrl']))
    const dup = await api('POST', '/api/channels', { name: 'CHAN a', serviceType: 'claude', baseUrl: a.url, apiKeys: ['k'] })
    expect(dup.status).toBe(400)
    expect(readFileSync(join(server.configDir, 'config.json'), 'utf8')).toBe(before)
  })

  it('rejects a write with a stale If-Match with 409 and accepts the current one', async () => {
    const list = await api('GET', '/api/channels')
    const etag = list.etag!
    const ok = await api('PUT', '/api/channels/0', { description: 'first' }, { 'if-match': etag })
    expect(ok.status).toBe(200)
    expect(ok.etag).not.toBe(etag)
    const stale = await api('PUT', '/api/channels/0', { description: 'second' }, { 'if-match': etag })
    expect(stale.status).toBe(409)
    expect(stale.json).toEqual({ error: 'Configuration changed; reload and retry' })
    expect((await api('GET', '/api/channels')).json.channels[0].description).toBe('first')
  })

  it('reorders channels and the proxy follows the new priority', async () => {
    const r = await api('POST', '/api/channels/reorder', { order: [1, 0] })
    expect(r.status).toBe(200)
    const client = new Anthropic({ baseURL: server.url, apiKey: ACCESS_KEY, maxRetries: 0 })
    const m = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
    expect(m.content.at(-1)).toMatchObject({ text: 'from B' })
  })

  it('manages keys by index and disables channels by status', async () => {
    const list = (await api('GET', '/api/channels')).json.channels as { id: string, name: string }[]
    const chanB = list.find(c => c.name === 'chan B')!
    expect((await api('POST', `/api/channels/${chanB.id}/keys`, { apiKey: 'sk-second-key-000000000000' })).status).toBe(200)
    expect((await api('POST', `/api/channels/${chanB.id}/keys`, { apiKey: 'sk-second-key-000000000000' })).json).toEqual({ error: 'API key already exists' })
    expect((await api('DELETE', `/api/channels/${chanB.id}/keys/index/1`)).status).toBe(200)
    const status = await api('PATCH', `/api/channels/${chanB.id}/status`, { status: 'DISABLED' })
    expect(status.status).toBe(200)
    const client = new Anthropic({ baseURL: server.url, apiKey: ACCESS_KEY, maxRetries: 0 })
    const m = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
    expect(m.content.at(-1)).toMatchObject({ text: 'from A' })
  })

  it('sets the load-balance strategy of each pool separately', async () => {
    expect((await api('PUT', '/api/loadbalance', { strategy: 'round-robin' })).status).toBe(200)
    expect((await api('PUT', '/api/responses/loadbalance', { strategy: 'random' })).status).toBe(200)
    expect((await api('PUT', '/api/loadbalance', { strategy: 'fastest' })).status).toBe(400)
    const saved = JSON.parse(readFileSync(join(server.configDir, 'config.json'), 'utf8'))
    expect(saved.loadBalance).toBe('round-robin')
    expect(saved.responsesLoadBalance).toBe('random')
  })

  it('keeps a backup of each previous file and never writes keys into responses pool views', async () => {
    const backups = readdirSync(join(server.configDir, 'backups')).filter(f => f.startsWith('config-'))
    expect(backups.length).toBeGreaterThan(0)
    expect(backups.length).toBeLessThanOrEqual(10)
    const add = await api('POST', '/api/responses/channels', { name: 'codex', serviceType: 'responses', baseUrl: 'https://api.openai.com/v1', apiKeys: ['sk-proj-very-secret-responses-key'] })
    expect(add.status).toBe(200)
    const list = await api('GET', '/api/responses/channels')
    expect(list.text).not.toContain('sk-proj-very-secret-responses-key')
    expect(list.json.channels[0].maskedKeys[0].masked).toBe('sk-proj-***s-key')
  })
})
