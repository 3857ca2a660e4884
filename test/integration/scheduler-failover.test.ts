import { describe, expect, it } from 'vitest'
import { messageStart, textStream } from '../support/anthropic-fixtures'
import { sseEvent, type FakeUpstream, type Handler } from '../support/fake-upstream'
import { answersAs, channel, closedPortUrl, fails, keyOf, startGateway, upstreamsPerTest } from '../support/scheduler'

const t = upstreamsPerTest()

/** Answers with `status` when the request carries `badKey`, else as channel A. */
const failsForKey = (badKey: string, failure: Handler): Handler => (req, res) =>
  req.headers['x-api-key'] === badKey ? failure(req, res) : answersAs('A')(req, res)

const keysSeen = (up: FakeUpstream) => up.received.map(r => r.headers['x-api-key'])

describe('failover between channels', () => {
  it.each([500, 502, 503, 504, 529])('moves from A to B at once on a %i, and says so in x-cc-bridge-channel', async (status) => {
    t.a.script(fails(status, {}, { type: status === 529 ? 'overloaded_error' : 'api_error', message: 'down' }))
    t.gw = await startGateway({ upstream: [channel('A', t.a.url), channel('B', t.b.url)] })
    const answer = await t.gw.ask()
    expect(answer).toMatchObject({ status: 200, channel: 'B', text: 'from B' })
    // No same-channel retry (and so no retry wait) while another channel can answer.
    expect(t.a.received).toHaveLength(1)
    expect(t.b.received).toHaveLength(1)
  })

  it('moves on when a channel refuses connections', async () => {
    t.gw = await startGateway({ upstream: [channel('A', await closedPortUrl()), channel('B', t.b.url)] })
    const answer = await t.gw.ask()
    expect(answer).toMatchObject({ status: 200, channel: 'B', text: 'from B' })
    expect(t.b.received).toHaveLength(1)
  })

  it('moves on when a channel does not send headers within its responseHeaderTimeout', async () => {
    t.a.script(req => req.closed)
    t.gw = await startGateway({ upstream: [channel('A', t.a.url, { responseHeaderTimeout: 1 }), channel('B', t.b.url)] })
    const answer = await t.gw.ask()
    expect(answer).toMatchObject({ status: 200, channel: 'B', text: 'from B' })
    // A lower bound cannot fail on a slow machine; the upper one is only a guard (10x the wait).
    expect(answer.ms).toBeGreaterThanOrEqual(950)
    expect(answer.ms).toBeLessThan(10_000)
    await t.a.received[0]!.closed
    expect(t.a.received[0]!.aborted()).toBe(true)
  })

  it('ends a stream that dies after its first events with an Anthropic error event, without retrying', async () => {
    const frames = textStream(['Hel', 'lo']).slice(0, 3)
    t.a.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(frames.join(''))
      setTimeout(() => res.destroy(), 50)
    })
    t.gw = await startGateway({ upstream: [channel('A', t.a.url), channel('B', t.b.url)] })
    const answer = await t.gw.ask({ stream: true })
    expect(answer.status).toBe(200)
    expect(answer.channel).toBe('A')
    expect(answer.body.startsWith(messageStart())).toBe(true)
    expect(answer.body).toContain(sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }))
    expect(answer.body).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"[^"]+"\}\}\n\n$/)
    expect(answer.body).not.toContain('message_stop')
    expect(t.b.received).toHaveLength(0)
    // The official SDK surfaces it as an error instead of a silently truncated message.
    await expect(t.gw.client.messages.stream({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }).finalMessage()).rejects.toThrow()
    expect(t.b.received).toHaveLength(0)
  })
})

describe('rate limits', () => {
  it.each([
    ['delta-seconds', () => '1'],
    // Dated as the request arrives, in whole seconds: 1 s after the next full second waits 1–2 s.
    ['an HTTP-date', () => new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000).toUTCString()],
  ])('retries the only channel after a retry-after sent as %s, then succeeds', async (_form, retryAfter) => {
    t.a.script((req, res) => fails(429, { 'retry-after': retryAfter() }, { type: 'rate_limit_error', message: 'slow down' })(req, res), answersAs('A'))
    // A `retry` step with waitSeconds 0 takes its wait from the upstream's answer.
    const failover = { enabled: false, rules: [{ errorCodes: '429', actionChain: [{ action: 'retry', waitSeconds: 0, maxAttempts: 3 }, { action: 'failover' }] }] }
    t.gw = await startGateway({ upstream: [channel('A', t.a.url)], failover })
    const answer = await t.gw.ask()
    expect(answer).toMatchObject({ status: 200, channel: 'A', text: 'from A' })
    // It waited the 1 s asked for: a lower bound cannot fail on a slow machine, and the upper one
    // is only a guard against waiting a default instead (10x the wait).
    expect(answer.ms).toBeGreaterThanOrEqual(950)
    expect(answer.ms).toBeLessThan(10_000)
    expect(keysSeen(t.a)).toEqual([keyOf('A'), keyOf('A')])
    // The request log's fail-over chain carries the wait before the retry, as a number.
    // Its row ended (it ran past a second, so its `pending` row may have been written first).
    const ended = '/api/logs?limit=1&status=completed'
    await expect.poll(async () => (await t.gw!.api('GET', ended)).json.total, { timeout: 5000 }).toBe(1)
    const [row] = (await t.gw.api('GET', ended)).json.requests as { id: string }[]
    const detail = (await t.gw.api('GET', `/api/logs/${row!.id}`)).json as { attempts: { action: string, status?: number, waitMs?: number }[] }
    expect(detail.attempts.map(a => [a.action, a.status])).toEqual([['retry', 429], ['success', 200]])
    // At least the second asked for, less the few ms between the upstream writing its date (a
    // whole second, at least 1 s ahead) and the gateway reading it: CI once read 997.
    expect(detail.attempts[0]!.waitMs).toBeGreaterThanOrEqual(900)
    expect(detail.attempts[0]!.waitMs).toBeLessThanOrEqual(2000)
    expect(detail.attempts[1]!.waitMs).toBeUndefined()
  })

  it('does not wait out a 429 when another channel can answer', async () => {
    t.a.script(fails(429, { 'retry-after': '30' }, { type: 'rate_limit_error', message: 'slow down' }))
    t.gw = await startGateway({ upstream: [channel('A', t.a.url), channel('B', t.b.url)] })
    const answer = await t.gw.ask()
    expect(answer).toMatchObject({ status: 200, channel: 'B' })
    expect(t.a.received).toHaveLength(1)
    // Only a guard: waiting out the 30 s retry-after would take three times as long.
    expect(answer.ms).toBeLessThan(10_000)
  })
})

describe('keys of one channel', () => {
  it.each([401, 403])('uses the next key after a %i, and the bad key then cools down', async (status) => {
    t.a.script(failsForKey(keyOf('A', 0), fails(status, {}, { type: 'authentication_error', message: 'invalid x-api-key' })))
    t.gw = await startGateway({ upstream: [channel('A', t.a.url, { apiKeys: [keyOf('A', 0), keyOf('A', 1)] }), channel('B', t.b.url)] })
    expect(await t.gw.ask()).toMatchObject({ status: 200, channel: 'A', text: 'from A' })
    expect(keysSeen(t.a)).toEqual([keyOf('A', 0), keyOf('A', 1)])
    expect(await t.gw.ask()).toMatchObject({ status: 200, channel: 'A' })
    expect(keysSeen(t.a).slice(2)).toEqual([keyOf('A', 1)])
    expect(t.b.received).toHaveLength(0)
  })

  it('takes a key with an exhausted quota out of rotation and lists it masked', async () => {
    const quota = fails(429, {}, { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota' })
    t.a.script(failsForKey(keyOf('A', 0), quota))
    t.gw = await startGateway({ upstream: [channel('A', t.a.url, { apiKeys: [keyOf('A', 0), keyOf('A', 1)] })] })
    const first = await t.gw.ask()
    expect(first).toMatchObject({ status: 200, text: 'from A' })
    expect(keysSeen(t.a)).toEqual([keyOf('A', 0), keyOf('A', 1)])

    const exhausted = await t.gw.api('GET', '/api/channels/keys/exhausted')
    expect(exhausted.status).toBe(200)
    expect(exhausted.json.keys).toEqual([{
      channelId: 'ch-A', channelIndex: 0, channelName: 'A', keyIndex: 0,
      maskedKey: 'sk-ant-A***bcdef', reason: expect.any(String), since: expect.any(String),
    }])
    expect(exhausted.text).not.toContain(keyOf('A', 0))
    expect((await t.gw.api('GET', '/api/responses/channels/keys/exhausted')).json).toEqual({ keys: [] })

    await t.gw.ask()
    expect(keysSeen(t.a).slice(2)).toEqual([keyOf('A', 1)])
    // Resuming the channel puts the key back (the quota was refilled).
    expect((await t.gw.api('POST', '/api/channels/ch-A/resume')).status).toBe(200)
    expect((await t.gw.api('GET', '/api/channels/keys/exhausted')).json).toEqual({ keys: [] })
  })
})
