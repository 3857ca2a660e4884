import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeUpstream, json } from '../support/fake-upstream'
import { answersAs, channel, claudeCodeUserId, closedPortUrl, fails, keyOf, startGateway, type Gateway } from '../support/scheduler'

let a: FakeUpstream
let b: FakeUpstream
let gw: Gateway

beforeAll(async () => {
  a = await new FakeUpstream().start()
  b = await new FakeUpstream().start()
  const deadUrl = await closedPortUrl()
  gw = await startGateway({
    upstream: [
      channel('A', a.url), channel('B', b.url),
      channel('Dead', deadUrl), channel('Off', deadUrl, { status: 'disabled' }),
    ],
  // One test below sends a dozen keyless requests on purpose; the lockout has its own tests.
  }, { AUTH_FAILURES_BEFORE_LOCKOUT: '1000' })
})
afterAll(async () => {
  await gw?.stop()
  await a?.stop()
  await b?.stop()
})
beforeEach(() => {
  a.reset()
  b.reset()
  a.script(answersAs('A'))
  b.script(answersAs('B'))
})

const DEFAULT_CODES = ['429:QUOTA_EXHAUSTED', '403:CREDIT_EXHAUSTED', '429:model_cooldown', '429:RESOURCE_EXHAUSTED', '429', '401,403', '408,500,502,503,504,529']
const savedFailover = () => JSON.parse(readFileSync(join(gw.server.configDir, 'config.json'), 'utf8')).failover

describe('failover settings', () => {
  it('shows the default rules when none are configured', async () => {
    const res = await gw.api('GET', '/api/config/failover')
    expect(res.status).toBe(200)
    expect(res.json.enabled).toBe(false)
    expect(res.json.rules.map((r: { errorCodes: string }) => r.errorCodes)).toEqual(DEFAULT_CODES)
    expect(res.json.rules[0].actionChain).toEqual([{ action: 'suspend' }])
  })

  it('saves normalised rules that the proxy applies at once, and reset brings the defaults back', async () => {
    const put = await gw.api('PUT', '/api/config/failover', {
      enabled: false,
      rules: [
        { errorCodes: '500', actionChain: [{ action: 'none' }] },
        { errorCodes: '429', action: 'retry_wait', waitSeconds: 3 },
        { errorCodes: 'others', actionChain: [{ action: 'failover' }] },
      ],
    })
    expect(put.status).toBe(200)
    const expected = {
      enabled: false,
      rules: [
        { errorCodes: '500', actionChain: [{ action: 'none' }] },
        { errorCodes: '429', actionChain: [{ action: 'retry', waitSeconds: 3, maxAttempts: 99 }, { action: 'failover' }] },
        // A catch-all failover would spray the client's own bad requests over every channel.
        { errorCodes: 'others', actionChain: [{ action: 'none' }] },
      ],
    }
    expect(put.json).toMatchObject({ success: true, failover: expected })
    expect((await gw.api('GET', '/api/config/failover')).json).toEqual(expected)
    expect(savedFailover()).toEqual(expected)

    // `500 → none`: A's error goes straight to the client, B is not tried.
    a.reset()
    a.script(fails(500))
    const stopped = await gw.ask()
    expect(stopped.status).toBe(500)
    expect(JSON.parse(stopped.body)).toEqual({ type: 'error', error: { type: 'api_error', message: 'upstream 500' } })
    expect(b.received).toHaveLength(0)

    const reset = await gw.api('POST', '/api/config/failover/reset')
    expect(reset.status).toBe(200)
    const get = await gw.api('GET', '/api/config/failover')
    expect(get.json.enabled).toBe(false)
    expect(get.json.rules.map((r: { errorCodes: string }) => r.errorCodes)).toEqual(DEFAULT_CODES)
    expect(savedFailover().rules).toHaveLength(DEFAULT_CODES.length)
    expect(await gw.ask()).toMatchObject({ status: 200, channel: 'B' })
  })

  it('refuses a bad rule with a 400 naming the field, and keeps what was saved', async () => {
    await gw.api('POST', '/api/config/failover/reset')
    const before = savedFailover()
    const badCode = await gw.api('PUT', '/api/config/failover', { enabled: true, rules: [{ errorCodes: '5xx', actionChain: [{ action: 'failover' }] }] })
    expect(badCode.status).toBe(400)
    expect(badCode.json).toEqual({ error: 'Invalid request', issues: [{ path: 'rules[0].errorCodes', message: 'unknown error code 5xx' }] })
    const badAction = await gw.api('PUT', '/api/config/failover', { rules: [{ errorCodes: '500', actionChain: [{ action: 'explode' }] }] })
    expect(badAction.status).toBe(400)
    expect(badAction.json.issues.map((i: { path: string }) => i.path)).toEqual(['rules[0].actionChain[0].action'])
    const emptyChain = await gw.api('PUT', '/api/config/failover', { rules: [{ errorCodes: '500', actionChain: [] }] })
    expect(emptyChain.status).toBe(400)
    expect(emptyChain.json.issues.map((i: { path: string }) => i.path)).toEqual(['rules[0].actionChain'])
    expect(savedFailover()).toEqual(before)
    expect((await gw.api('GET', '/api/config/failover')).json.enabled).toBe(false)
  })
})

describe('scheduler stats', () => {
  it('reports each pool, counts affinity entries and refuses an unknown pool', async () => {
    await gw.ask({ userId: claudeCodeUserId('acct-stats') })
    const stats = await gw.api('GET', '/api/channels/scheduler/stats')
    expect(stats.status).toBe(200)
    expect(stats.json).toEqual({
      multiChannelMode: true, activeChannelCount: 3, traceAffinityCount: 1, traceAffinityTTL: '30m0s',
      failureThreshold: 50, windowSize: 10, circuitRecoveryTime: '1s',
    })
    expect((await gw.api('GET', '/api/channels/scheduler/stats?type=responses')).json).toMatchObject({ multiChannelMode: false, activeChannelCount: 0 })
    const bad = await gw.api('GET', '/api/channels/scheduler/stats?type=gemini')
    expect(bad.status).toBe(400)
    expect(bad.json.issues[0].path).toBe('type')
  })
})

describe('ping', () => {
  it('counts any HTTP answer as healthy and a refused connection as an error', async () => {
    a.reset()
    a.script(json(404, { error: 'no such page' }))
    const one = await gw.api('GET', '/api/ping/ch-A')
    expect(one.status).toBe(200)
    expect(one.json).toEqual({ success: true, latency: expect.any(Number), status: 'healthy' })
    expect(a.received.at(-1)!.method).toBe('HEAD')

    const dead = await gw.api('GET', '/api/ping/2')
    expect(dead.json).toMatchObject({ success: false, status: 'error', error: expect.stringContaining('ECONNREFUSED') })

    const all = await gw.api('GET', '/api/ping')
    expect(all.status).toBe(200)
    expect(all.json).toEqual([
      { id: 'ch-A', name: 'A', latency: expect.any(Number), status: 'healthy' },
      { id: 'ch-B', name: 'B', latency: expect.any(Number), status: 'healthy' },
      { id: 'ch-Dead', name: 'Dead', latency: expect.any(Number), status: 'error', error: expect.any(String) },
    ])
    expect((await gw.api('GET', '/api/ping/nope')).status).toBe(404)
    expect((await gw.api('GET', '/api/responses/ping')).json).toEqual([])
  })
})

describe('upstream model list', () => {
  it('relays the channel\'s models, and answers 502 when the upstream fails', async () => {
    a.reset()
    a.script(json(200, { data: [{ id: 'claude-x', display_name: 'Claude X', type: 'model' }], has_more: false }))
    const ok = await gw.api('GET', '/api/channels/0/models')
    expect(ok.status).toBe(200)
    expect(ok.json).toEqual({ models: [{ id: 'claude-x', display_name: 'Claude X', type: 'model' }] })
    expect(a.received[0]).toMatchObject({ method: 'GET', url: '/v1/models?limit=1000' })
    expect(a.received[0]!.headers['x-api-key']).toBe(keyOf('A'))

    b.reset()
    b.script(fails(401, {}, { type: 'authentication_error', message: 'invalid x-api-key' }))
    const bad = await gw.api('GET', '/api/channels/ch-B/models')
    expect(bad.status).toBe(502)
    expect(bad.json.error).toBe('upstream answered 401: invalid x-api-key')
    expect((await gw.api('GET', '/api/responses/channels/0/models')).status).toBe(404)
  })
})

describe('access key', () => {
  it('guards every new admin route', async () => {
    const routes = [
      ['GET', '/api/channels/metrics'], ['GET', '/api/responses/channels/metrics'],
      ['GET', '/api/channels/scheduler/stats'], ['GET', '/api/channels/keys/exhausted'],
      ['POST', '/api/channels/0/resume'], ['POST', '/api/channels/0/promotion'],
      ['GET', '/api/channels/0/models'], ['GET', '/api/ping'], ['GET', '/api/ping/0'],
      ['GET', '/api/config/failover'], ['PUT', '/api/config/failover'], ['POST', '/api/config/failover/reset'],
    ]
    for (const [method, path] of routes) {
      const res = await fetch(`${gw.server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{"duration":300,"enabled":true,"rules":[]}' })
      expect(res.status, `${method} ${path}`).toBe(401)
    }
    expect(a.received).toHaveLength(0)
    expect((await gw.api('GET', '/api/config/failover')).json.enabled).toBe(false)
  })
})
