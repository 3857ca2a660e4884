import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { message, textStream } from '../support/anthropic-fixtures'
import { FakeUpstream, json, sleep, stream } from '../support/fake-upstream'
import { rawConnect, type RawConnection } from '../support/raw-socket'
import { ACCESS_KEY, claudeConfig, startServer, type RunningServer } from '../support/server'

let upstream: FakeUpstream
let server: RunningServer

beforeAll(async () => {
  upstream = await new FakeUpstream().start()
  server = await startServer({
    config: claudeConfig(upstream.url),
    env: {
      CLIENT_HEADERS_TIMEOUT_MS: '1000',
      CLIENT_REQUEST_TIMEOUT_MS: '2000',
      CLIENT_KEEP_ALIVE_TIMEOUT_MS: '500',
      MAX_CONNECTIONS: '20',
      MAX_INFLIGHT_BODY_MB: '1',
    },
  })
})
afterAll(async () => {
  await server?.stop()
  await upstream?.stop()
})
beforeEach(() => upstream.reset())

const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, {
  method: 'POST', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', ...headers }, body,
})

/** How long it took the server to close the connection, in ms. */
async function closedWithin(conn: RawConnection, guardMs: number): Promise<number> {
  const started = Date.now()
  await Promise.race([conn.closed, sleep(guardMs)])
  return Date.now() - started
}

describe('slow and idle clients', () => {
  it('closes a connection whose headers never finish, with a 408', async () => {
    const conn = await rawConnect(server.url)
    conn.socket.write('POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: ')
    // Generous guard: the limit is 1 s; node:http's default would hold it for 60 s.
    expect(await closedWithin(conn, 8000)).toBeLessThan(8000)
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408/)
  })

  it('closes a connection whose body trickles in, with a 408', async () => {
    const conn = await rawConnect(server.url)
    conn.socket.write(`POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: ${ACCESS_KEY}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`)
    const trickle = setInterval(() => conn.socket.writable && conn.socket.write(' '), 200)
    try {
      expect(await closedWithin(conn, 10_000)).toBeLessThan(10_000)
    }
    finally {
      clearInterval(trickle)
    }
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408/)
    expect(upstream.received).toHaveLength(0)
  })

  it('closes an idle keep-alive connection after CLIENT_KEEP_ALIVE_TIMEOUT_MS', async () => {
    const conn = await rawConnect(server.url)
    conn.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n')
    // The limit is 0.5 s; node:http's default would keep it for 5 s.
    expect(await closedWithin(conn, 8000)).toBeLessThan(3000)
    expect(conn.received()).toMatch(/^HTTP\/1\.1 200/)
  })

  it('never cuts a stream that lasts longer than the request timeout', async () => {
    upstream.script(stream(textStream(['a', 'b', 'c', 'd', 'e', 'f']), 300))
    const res = await post('/v1/messages', '{"model":"m","max_tokens":9,"stream":true,"messages":[]}')
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).toContain('message_stop')
  })
})

describe('connection cap', () => {
  it('answers connections beyond MAX_CONNECTIONS with a 503 and keeps serving the others', async () => {
    const held: RawConnection[] = []
    try {
      // The cap is 20; fetch's own keep-alive connections may hold a few of them.
      for (let i = 0; i < 25; i++) held.push(await rawConnect(server.url))
      const refused = held.at(-1)!
      await closedWithin(refused, 5000)
      expect(refused.received()).toMatch(/^HTTP\/1\.1 503/)
      expect(refused.received()).toMatch(/retry-after: 5/i)
      expect(refused.received()).toContain('MAX_CONNECTIONS')
    }
    finally {
      for (const c of held) c.socket.destroy()
    }
    await sleep(200)
    const health = await fetch(`${server.url}/health`)
    expect(health.status).toBe(200)
    expect(server.output()).toContain('MAX_CONNECTIONS (20) reached')
  })
})

describe('request bodies in flight', () => {
  const bigBody = (size: number) => JSON.stringify({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x'.repeat(size) }] })

  it('refuses a large body with a 503 and retry-after while the budget is held by others', async () => {
    let release!: () => void
    const held = new Promise<void>(r => (release = r))
    upstream.script(async (_req, res) => {
      await held
      json(200, message('first'))(_req, res)
    }, json(200, message('later')))
    const first = post('/v1/messages', bigBody(700_000))
    while (upstream.received.length === 0) await sleep(20)
    const second = await post('/v1/messages', bigBody(700_000))
    expect(second.status).toBe(503)
    expect(second.headers.get('retry-after')).toBe('5')
    expect(await second.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: expect.stringContaining('MAX_INFLIGHT_BODY_MB') } })
    const chat = await post('/v1/chat/completions', bigBody(700_000))
    expect(chat.status).toBe(503)
    expect(await chat.json()).toMatchObject({ error: { type: 'server_error', message: expect.stringContaining('MAX_INFLIGHT_BODY_MB') } })
    release()
    expect((await first).status).toBe(200)
    const third = await post('/v1/messages', bigBody(700_000))
    expect(third.status).toBe(200)
    expect(upstream.received).toHaveLength(2)
  })

  it('counts a body without content-length as it arrives', async () => {
    let release!: () => void
    const held = new Promise<void>(r => (release = r))
    upstream.script(async (_req, res) => {
      await held
      json(200, message('first'))(_req, res)
    })
    const first = post('/v1/messages', bigBody(700_000))
    while (upstream.received.length === 0) await sleep(20)
    const body = bigBody(700_000)
    const chunked = await fetch(`${server.url}/v1/messages`, {
      method: 'POST', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' }, duplex: 'half',
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < body.length; i += 65_536) c.enqueue(new TextEncoder().encode(body.slice(i, i + 65_536)))
          c.close()
        },
      }),
    } as RequestInit)
    expect(chunked.status).toBe(503)
    release()
    expect((await first).status).toBe(200)
  })
})

describe('deeply nested bodies', () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

  it('answers tools nested 5,000 levels deep with a 400 in OpenAI shape', async () => {
    const body = `{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":${nested(5000)}}}]}`
    const res = await post('/v1/chat/completions', body)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: { type: 'invalid_request_error', message: expect.stringContaining('128 levels'), param: null, code: null } })
    expect(upstream.received).toHaveLength(0)
    expect(server.output()).not.toContain('RangeError')
  })

  it('answers the same on /v1/messages in Anthropic shape', async () => {
    const res = await post('/v1/messages', `{"model":"m","max_tokens":1,"messages":[],"metadata":${nested(5000)}}`)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('128 levels') } })
  })

  it('takes a body nested 100 levels deep', async () => {
    upstream.script(json(200, message('deep')))
    const res = await post('/v1/messages', `{"model":"m","max_tokens":1,"messages":[],"metadata":${nested(100)}}`)
    expect(res.status).toBe(200)
  })
})
