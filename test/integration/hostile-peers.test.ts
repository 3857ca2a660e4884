import { request as httpRequest } from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { message, messageStart, textStream } from '../support/anthropic-fixtures'
import { FakeUpstream, json, sseEvent, stream, type Handler } from '../support/fake-upstream'
import { poll } from '../support/poll'
import { ACCESS_KEY } from '../support/server'
import { channel, fails, keyOf, startGateway, upstreamsPerTest, type Gateway } from '../support/scheduler'

const t = upstreamsPerTest()

/** A server that accepts TCP connections and never says a word; counts the connections. */
async function blackHole(): Promise<{ url: string, connections: () => number, stop: () => Promise<void> }> {
  const sockets: Socket[] = []
  const server: Server = createServer(s => sockets.push(s))
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    connections: () => sockets.length,
    stop: async () => {
      for (const s of sockets) s.destroy()
      await new Promise(r => server.close(r))
    },
  }
}

/** Posts raw bytes with node:http, which (unlike fetch) lets a test send any header. */
function rawPost(url: string, body: string, headers: Record<string, string>): Promise<{ status: number, body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', ...headers } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => text += d)
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const MESSAGES_BODY = JSON.stringify({ model: 'claude-test-sonnet', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })

/** One `/v1/chat/completions` call; errors are answers too. */
async function chat(gw: Gateway, stream = false): Promise<{ status: number, body: string }> {
  const res = await fetch(`${gw.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${ACCESS_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-test-sonnet', stream, messages: [{ role: 'user', content: 'hi' }] }),
  })
  return { status: res.status, body: await res.text() }
}

type Metrics = { channelId: string, failureCount: number, successCount: number, breakerState: string, queuedRequests: number }[]
const metricsOf = async (gw: Gateway, path = '/api/channels/metrics') => (await gw.api('GET', path)).json as Metrics

const LOGIN_PAGE = '<!DOCTYPE html>\n<html><head><title>Sign in - Corp SSO</title><script>var t="x"</script></head><body><form>Please sign in</form></body></html>'
const loginPage: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LOGIN_PAGE)
}

describe('Expect: 100-continue from the client', () => {
  it('is not forwarded, and six such requests leave a healthy channel healthy', async () => {
    t.a.script(json(200, message('from A')))
    t.gw = await startGateway({ upstream: [channel('A', t.a.url)] })
    for (let i = 0; i < 6; i++) {
      const answer = await rawPost(`${t.gw.server.url}/v1/messages`, MESSAGES_BODY, { expect: '100-continue' })
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.body).content.at(-1)).toMatchObject({ text: 'from A' })
    }
    expect(t.a.received).toHaveLength(6)
    expect(t.a.received.every(r => r.headers.expect === undefined)).toBe(true)
    const [a] = await metricsOf(t.gw)
    expect(a).toMatchObject({ successCount: 6, failureCount: 0, breakerState: 'closed' })
  })
})

describe('a black-holed upstream', () => {
  it('ends a stream with a 504 once FIRST_BYTE_TIMEOUT is spent, without retrying the channel', async () => {
    const hole = await blackHole()
    try {
      t.gw = await startGateway({ upstream: [channel('A', hole.url)] }, { FIRST_BYTE_TIMEOUT: '1000' })
      const answer = await t.gw.ask({ stream: true })
      expect(answer.status).toBe(504)
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'error', error: { type: 'timeout_error', message: expect.stringContaining('FIRST_BYTE_TIMEOUT') } })
      expect(hole.connections()).toBe(1)
      expect(answer.ms).toBeLessThan(10_000)
    }
    finally {
      await hole.stop()
    }
  })

  it('moves on after a channel\'s own header timeout instead of retrying the same channel', async () => {
    const hole = await blackHole()
    try {
      t.gw = await startGateway({ upstream: [channel('A', hole.url, { responseHeaderTimeout: 1 })] })
      const answer = await t.gw.ask({ stream: true })
      expect(answer.status).toBe(504)
      // Before: two more attempts on the same silent channel, 5 s apart.
      expect(hole.connections()).toBe(1)
    }
    finally {
      await hole.stop()
    }
  })

  it('gives a non-streaming request one REQUEST_TIMEOUT across all its attempts', async () => {
    const hole = await blackHole()
    try {
      t.gw = await startGateway({ upstream: [channel('A', hole.url), channel('B', t.b.url)] }, { REQUEST_TIMEOUT: '1000' })
      const answer = await t.gw.ask()
      expect(answer.status).toBe(504)
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'error', error: { type: 'timeout_error', message: expect.stringContaining('REQUEST_TIMEOUT') } })
      expect(hole.connections()).toBe(1)
      // The budget was spent on A: B is not started on with nothing left.
      expect(t.b.received).toHaveLength(0)
    }
    finally {
      await hole.stop()
    }
  })

  it('answers an OpenAI client\'s stream with a 504 in the OpenAI shape', async () => {
    const hole = await blackHole()
    try {
      t.gw = await startGateway({ chatUpstream: [channel('A', hole.url)] }, { FIRST_BYTE_TIMEOUT: '800' })
      const answer = await chat(t.gw, true)
      expect(answer.status).toBe(504)
      expect(JSON.parse(answer.body)).toMatchObject({ error: { type: 'server_error', message: expect.stringContaining('FIRST_BYTE_TIMEOUT') } })
    }
    finally {
      await hole.stop()
    }
  })

  it('does not let a retry wait run past the budget', async () => {
    t.a.script(fails(429, { 'retry-after': '5' }, { type: 'rate_limit_error', message: 'slow down' }))
    t.gw = await startGateway({ upstream: [channel('A', t.a.url)] }, { REQUEST_TIMEOUT: '2000' })
    const answer = await t.gw.ask()
    expect(answer.status).toBe(429)
    expect(t.a.received).toHaveLength(1)
  })
})

describe('attempts per request', () => {
  it('stops after MAX_ATTEMPTS upstream attempts (default 10) however many channels fail', async () => {
    t.a.script(fails(500))
    const names = Array.from({ length: 14 }, (_, i) => `c${i}`)
    t.gw = await startGateway({ upstream: names.map(n => channel(n, t.a.url)) })
    expect((await t.gw.ask()).status).toBe(500)
    expect(t.a.received).toHaveLength(10)
    await t.gw.stop()
    t.a.received.length = 0
    t.gw = await startGateway({ upstream: names.map(n => channel(n, t.a.url)) }, { MAX_ATTEMPTS: '3' })
    expect((await t.gw.ask()).status).toBe(500)
    expect(t.a.received).toHaveLength(3)
  })
})

describe('a 200 that is not what the protocol says', () => {
  it('fails over from an HTML login page and counts it against the channel', async () => {
    t.a.script(loginPage)
    t.gw = await startGateway({ upstream: [channel('A', t.a.url), channel('B', t.b.url)] })
    const answer = await t.gw.ask()
    expect(answer).toMatchObject({ status: 200, channel: 'B', text: 'from B' })
    const [a] = await metricsOf(t.gw)
    expect(a).toMatchObject({ failureCount: 1, successCount: 0 })
  })

  it('answers 502 naming the content type and a sanitized snippet when nothing else answers', async () => {
    t.a.script(loginPage)
    t.gw = await startGateway({ upstream: [channel('A', t.a.url)] })
    const answer = await t.gw.ask()
    expect(answer.status).toBe(502)
    // A login page is no likelier to turn into an answer when asked again.
    expect(t.a.received).toHaveLength(1)
    const { error } = JSON.parse(answer.body) as { error: { type: string, message: string } }
    expect(error.type).toBe('api_error')
    expect(error.message).toContain('text/html')
    expect(error.message).toContain('Sign in - Corp SSO')
    expect(error.message).not.toMatch(/<script|<html/)
  })

  it('fails over when a stream request gets JSON instead of an event stream', async () => {
    t.a.script(json(200, message('not a stream')))
    t.b.reset()
    t.b.script(stream(textStream(['from B'])))
    t.gw = await startGateway({ upstream: [channel('A', t.a.url), channel('B', t.b.url)] })
    const answer = await t.gw.ask({ stream: true })
    expect(answer.status).toBe(200)
    expect(answer.channel).toBe('B')
    expect(answer.body).toContain('from B')
  })

  it('still relays real JSON byte for byte, whitespace and all', async () => {
    const raw = `\n  ${JSON.stringify(message('exact'), null, 3)}  \n`
    t.a.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(raw)
    })
    t.gw = await startGateway({ upstream: [channel('A', t.a.url)] })
    const answer = await t.gw.ask()
    expect(answer.status).toBe(200)
    expect(answer.body).toBe(raw)
  })

  it('answers a converted request whose upstream sent HTML with a 502, and logs the 502', async () => {
    t.a.script(loginPage)
    t.gw = await startGateway({ chatUpstream: [channel('A', t.a.url)] }, { ENABLE_RESPONSE_LOGS: 'true' })
    const answer = await chat(t.gw)
    expect(answer.status).toBe(502)
    expect(JSON.parse(answer.body)).toMatchObject({ error: { type: 'server_error', message: expect.stringContaining('text/html') } })
    expect(await poll(() => t.gw!.server.output(), out => /<- \d+ \/v1/.test(out))).toMatch(/<- 502 \/v1\/chat\/completions/)
  })
})

describe('the status a converted failure reaches the client with', () => {
  it('keeps an upstream 502 a 502 for a Chat client, and the console line says so', async () => {
    t.a.script(fails(502, {}, { type: 'api_error', message: 'bad gateway' }))
    t.gw = await startGateway({ chatUpstream: [channel('A', t.a.url)], failover: { rules: [{ errorCodes: '502', actionChain: [{ action: 'none' }] }] } }, { ENABLE_RESPONSE_LOGS: 'true' })
    const answer = await chat(t.gw)
    expect(answer.status).toBe(502)
    expect(JSON.parse(answer.body)).toMatchObject({ error: { type: 'server_error', message: 'bad gateway' } })
    expect(await poll(() => t.gw!.server.output(), out => /<- \d+ \/v1/.test(out))).toMatch(/<- 502 \/v1\/chat\/completions/)
  })
})

describe('channel keys in relayed error bodies', () => {
  it('are masked, whole or as a prefix; the rest of the body stays', async () => {
    const key = keyOf('A')
    t.a.script(
      json(401, { error: { type: 'authentication_error', message: `Incorrect API key provided: Bearer ${key}.` } }),
      json(401, { error: { type: 'authentication_error', message: `Key ${key.slice(0, 20)}… is not valid` } }),
    )
    t.gw = await startGateway({ upstream: [channel('A', t.a.url)] })
    const whole = await t.gw.ask()
    expect(whole.status).toBe(401)
    expect(whole.body).not.toContain(key)
    expect(whole.body).toContain('Incorrect API key provided: Bearer sk-ant-A***')
    const prefix = await t.gw.ask()
    expect(prefix.status).toBe(401)
    expect(prefix.body).not.toContain(key.slice(0, 20))
    expect(prefix.body).toContain('is not valid')
  })

  it('are masked in an error event that arrives mid-stream, after the first byte', async () => {
    const key = keyOf('A')
    t.a.script(stream([messageStart(), sseEvent({ type: 'error', error: { type: 'authentication_error', message: `key ${key} was revoked` } })]))
    t.gw = await startGateway({ upstream: [channel('A', t.a.url)] })
    const answer = await t.gw.ask({ stream: true })
    expect(answer.status).toBe(200)
    expect(answer.body).toContain('event: error')
    expect(answer.body).toContain('key sk-ant-A***')
    expect(answer.body).not.toContain(key)
  })

  it('are masked after conversion too', async () => {
    const key = keyOf('A')
    t.a.script(json(401, { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${key}` } }))
    t.gw = await startGateway({ chatUpstream: [channel('A', t.a.url)] })
    const answer = await chat(t.gw)
    expect(answer.status).toBe(401)
    expect(answer.body).not.toContain(key)
    expect(answer.body).toContain('invalid x-api-key sk-ant-A***')
  })
})

describe('connections per upstream', () => {
  it('shows requests queued for a connection in the channel metrics', async () => {
    let release!: () => void
    const released = new Promise<void>(r => release = r)
    const up = await new FakeUpstream().start()
    up.script(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.flushHeaders()
      await released
      res.end(textStream(['done']).join(''))
    })
    try {
      t.gw = await startGateway({ upstream: [channel('A', up.url)] }, { UPSTREAM_MAX_CONNECTIONS: '2' })
      const calls = Array.from({ length: 5 }, () => t.gw!.ask({ stream: true }))
      let queued = 0
      for (let i = 0; i < 100 && queued !== 3; i++) {
        queued = (await metricsOf(t.gw))[0]!.queuedRequests
        if (queued !== 3) await new Promise(r => setTimeout(r, 50))
      }
      expect(queued).toBe(3)
      expect(up.received).toHaveLength(2)
      release()
      const answers = await Promise.all(calls)
      expect(answers.map(a => a.status)).toEqual([200, 200, 200, 200, 200])
      expect((await metricsOf(t.gw))[0]!.queuedRequests).toBe(0)
    }
    finally {
      release()
      await up.stop()
    }
  })
})
