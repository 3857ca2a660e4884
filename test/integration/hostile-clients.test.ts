import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { message } from '../support/anthropic-fixtures'
import { FakeUpstream, json } from '../support/fake-upstream'
import { ACCESS_KEY, claudeConfig, startServer, type RunningServer } from '../support/server'

let upstream: FakeUpstream
let server: RunningServer
let guarded: RunningServer

const WRONG = 'wrong-key-wrong-key-wrong-key'
const BODY = '{"model":"m","max_tokens":1,"messages":[]}'

beforeAll(async () => {
  upstream = await new FakeUpstream().start()
  const config = claudeConfig(upstream.url)
  config.upstream.push({ ...config.upstream[0]!, id: 'chan0009', name: 'with-password', baseUrl: `http://user:s3cret-pass@${upstream.url.slice('http://'.length)}`, priority: 9 })
  server = await startServer({ config, env: { ENABLE_REQUEST_LOGS: 'true' } })
  guarded = await startServer({
    config: claudeConfig(upstream.url),
    env: { AUTH_FAILURES_BEFORE_LOCKOUT: '3', AUTH_LOCKOUT_SECONDS: '60', TRUSTED_PROXIES: '127.0.0.1' },
  })
})
afterAll(async () => {
  await server?.stop()
  await guarded?.stop()
  await upstream?.stop()
})
beforeEach(() => upstream.reset())

/** A request to the guarded server as if a proxy on 127.0.0.1 forwarded it for `client`. */
const via = (client: string, path: string, key: string, init: RequestInit = {}) => fetch(`${guarded.url}${path}`, {
  method: path.startsWith('/v1') ? 'POST' : 'GET',
  body: path.startsWith('/v1') ? BODY : undefined,
  ...init,
  headers: { 'x-api-key': key, 'x-forwarded-for': client, ...init.headers },
})

describe('lockout after repeated wrong keys', () => {
  it('answers 429 in each shape once an address has failed AUTH_FAILURES_BEFORE_LOCKOUT times, and logs it once', async () => {
    for (let i = 0; i < 3; i++) expect((await via('10.0.0.1', '/v1/messages', WRONG)).status).toBe(401)
    upstream.script(json(200, message('ok')))
    const locked = await via('10.0.0.1', '/v1/messages', ACCESS_KEY)
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(50)
    expect(await locked.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('Too many failed access-key attempts') } })
    const chat = await via('10.0.0.1', '/v1/chat/completions', ACCESS_KEY)
    expect(chat.status).toBe(429)
    expect(await chat.json()).toMatchObject({ error: { type: 'rate_limit_error' } })
    const admin = await via('10.0.0.1', '/api/channels', ACCESS_KEY)
    expect(admin.status).toBe(429)
    expect(admin.headers.get('retry-after')).toBeTruthy()
    expect(await admin.json()).toEqual({ error: 'Too Many Requests', message: expect.stringContaining('Too many failed access-key attempts') })
    for (let i = 0; i < 5; i++) expect((await via('10.0.0.1', '/v1/messages', WRONG)).status).toBe(429)
    expect(upstream.received).toHaveLength(0)
    expect(guarded.output().match(/\[auth\] 10\.0\.0\.1 locked out for 60 s after 3 failed/g)).toHaveLength(1)
    // Another client behind the same proxy is not affected.
    expect((await via('10.0.0.2', '/v1/messages', ACCESS_KEY)).status).toBe(200)
  })

  it('counts failures on the admin API and /v1 together', async () => {
    for (let i = 0; i < 3; i++) expect((await via('10.0.0.3', '/api/channels', WRONG)).status).toBe(401)
    expect((await via('10.0.0.3', '/v1/messages', ACCESS_KEY)).status).toBe(429)
  })

  it('clears the count on a good key', async () => {
    upstream.script(json(200, message('ok')))
    for (const key of [WRONG, WRONG, ACCESS_KEY, WRONG, WRONG]) await via('10.0.0.4', '/api/channels', key)
    expect((await via('10.0.0.4', '/api/channels', ACCESS_KEY)).status).toBe(200)
  })

  it('ignores X-Forwarded-For from a peer that is not in TRUSTED_PROXIES', async () => {
    // 127.0.0.2 is loopback too, but only 127.0.0.1 is trusted: its header names no one.
    const send = (i: number, key: string) => new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(guarded.url)
      request({ host: hostname, port, path: '/api/channels', localAddress: '127.0.0.2', headers: { 'x-api-key': key, 'x-forwarded-for': `10.1.0.${i}` } }, (res) => {
        res.resume()
        resolve(res.statusCode!)
      }).on('error', reject).end()
    })
    for (let i = 0; i < 3; i++) expect(await send(i, WRONG)).toBe(401)
    expect(await send(99, ACCESS_KEY)).toBe(429)
    expect(guarded.output()).toContain('[auth] 127.0.0.2 locked out')
  })
})

describe('?key= in the query string', () => {
  const eventStream = { 'accept': 'text/event-stream', 'x-forwarded-for': '10.2.0.1' }

  it('is refused on admin data and /v1, even for a GET event stream', async () => {
    const admin = await fetch(`${guarded.url}/api/channels?key=${ACCESS_KEY}`, { headers: eventStream })
    expect(admin.status).toBe(401)
    const models = await fetch(`${guarded.url}/v1/models?key=${ACCESS_KEY}`, { headers: eventStream })
    expect(models.status).toBe(401)
  })

  it('is taken on the event-stream paths of the allow-list', async () => {
    const ac = new AbortController()
    const res = await fetch(`${guarded.url}/api/logs/stream?key=${ACCESS_KEY}`, { headers: { ...eventStream, 'x-forwarded-for': '10.2.0.2' }, signal: ac.signal })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    ac.abort()
  })

  it('never goes upstream on a passthrough request; other parameters do', async () => {
    upstream.script(json(200, message('ok')))
    for (const query of [`?beta=true&key=${ACCESS_KEY}`, `?key=${ACCESS_KEY}&beta=true`]) {
      const res = await fetch(`${server.url}/v1/messages${query}`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY }, body: BODY })
      expect(res.status).toBe(200)
    }
    expect(upstream.received.map(r => r.url)).toEqual(['/v1/messages?beta=true', '/v1/messages?beta=true'])
    expect(JSON.stringify(upstream.received.map(r => r.headers))).not.toContain(ACCESS_KEY)
  })
})

describe('log lines', () => {
  it('escapes control characters a client put in the model', async () => {
    upstream.script(json(200, message('ok')))
    const model = 'm\n[2026-01-01T00:00:00.000Z] INFO forged line\u0000\u001B[31mred\rX'
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY }, body: JSON.stringify({ model, max_tokens: 1, messages: [] }) })
    expect(res.status).toBe(200)
    const out = server.output()
    expect(out).toContain('model=m\\n[2026-01-01T00:00:00.000Z] INFO forged line\\u0000\\u001b[31mred\\rX stream=false')
    expect(out.split('\n').some(line => line.startsWith('[2026-01-01T00:00:00.000Z]'))).toBe(false)
    for (const raw of ['\u0000', '\u001B', '\r']) expect(out).not.toContain(raw)
  })
})

describe('channel base URL with credentials', () => {
  it('shows the password masked and keeps it when the masked URL is sent back', async () => {
    const list = await fetch(`${server.url}/api/channels`, { headers: { 'x-api-key': ACCESS_KEY } })
    const text = await list.text()
    expect(text).not.toContain('s3cret-pass')
    const masked = (JSON.parse(text) as { channels: { name: string, baseUrl: string }[] }).channels.find(c => c.name === 'with-password')!.baseUrl
    expect(masked).toBe(`http://user:***@${upstream.url.slice('http://'.length)}`)
    const put = await fetch(`${server.url}/api/channels/chan0009`, {
      method: 'PUT', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ baseUrl: masked, description: 'edited' }),
    })
    expect(put.status).toBe(200)
    const stored = JSON.parse(readFileSync(join(server.configDir, 'config.json'), 'utf8')) as { upstream: { id: string, baseUrl: string, description?: string }[] }
    expect(stored.upstream.find(c => c.id === 'chan0009')).toMatchObject({ baseUrl: `http://user:s3cret-pass@${upstream.url.slice('http://'.length)}`, description: 'edited' })
  })
})
