import { describe, expect, it } from 'vitest'
import { MAX_RETRY_WAIT_MS } from '#server/utils/scheduler/routing'
import { channel, drive, http, MIN, ok, path, request, setup } from './helpers'

const overloaded = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })

describe('moving on when another channel exists', () => {
  it.each([500, 502, 503, 504, 529])('a %i moves to the next channel at once, without waiting', (status) => {
    const { scheduler } = setup()
    const routing = scheduler.begin(request([channel('a'), channel('b')]))
    const run = drive(routing, t => t.channel.id === 'a' ? http(status, overloaded) : ok)
    expect(path(run)).toEqual(['a', 'b'])
    expect(run.waitedMs).toBe(0)
    expect(routing.chain()).toBe(`a ${status} > failover > b 200`)
  })

  it('tries another channel before another key of a channel that answers 503', () => {
    const { scheduler } = setup()
    const a = channel('a', { apiKeys: ['a1', 'a2'] })
    const run = drive(scheduler.begin(request([a, channel('b')])), t => t.channel.id === 'a' ? http(503) : ok)
    expect(run.attempts.map(t => t.key)).toEqual(['a1', 'b-k0'])
  })

  it.each([['ECONNREFUSED', 'connect ECONNREFUSED'], ['UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'], ['ECONNRESET', 'socket hang up']])(
    'a transport error (%s) moves on at once', (code, error) => {
      const { scheduler } = setup()
      const routing = scheduler.begin(request([channel('a'), channel('b')]))
      const run = drive(routing, t => t.channel.id === 'a' ? { kind: 'transport', error, code } : ok)
      expect(path(run)).toEqual(['a', 'b'])
      expect(run.waitedMs).toBe(0)
      expect(routing.chain()).toBe(`a ${code} > failover > b 200`)
    })

  it('never tries a failed channel twice in one request and stops when all failed', () => {
    const { scheduler } = setup()
    const routing = scheduler.begin(request([channel('a'), channel('b'), channel('c')]))
    const run = drive(routing, () => http(502), () => {})
    // Only the last one standing is retried (2 retries by the default rule), then the error is returned.
    expect(path(run)).toEqual(['a', 'b', 'c', 'c', 'c'])
    expect(run.decisions.at(-1)).toEqual({ action: 'return' })
    expect(routing.next()).toBeNull()
  })
})

describe('the last candidate standing', () => {
  it('retries a 429 honouring retry-after, then gives up and returns the error', () => {
    const { scheduler, advance } = setup()
    const routing = scheduler.begin(request([channel('a')]))
    const run = drive(routing, () => http(429, '{"error":{"type":"rate_limit_error"}}', 7), advance)
    // Default rule `429`: retry (5 s, at most 3) → failover; retry-after 7 s is longer, so it wins.
    expect(run.decisions).toEqual([
      { action: 'retry', waitMs: 7000 },
      { action: 'retry', waitMs: 7000 },
      { action: 'retry', waitMs: 7000 },
      { action: 'return' },
    ])
    expect(run.attempts).toHaveLength(4)
    expect(routing.chain()).toBe('a 429 > retry > a 429 > retry > a 429 > retry > a 429 > return')
  })

  it('uses the rule wait when the upstream sends no retry-after', () => {
    const { scheduler } = setup()
    const run = drive(scheduler.begin(request([channel('a')])), () => http(503))
    expect(run.decisions).toEqual([{ action: 'retry', waitMs: 5000 }, { action: 'retry', waitMs: 5000 }, { action: 'return' }])
  })

  it('a success after a retry reaches the client', () => {
    const { scheduler } = setup()
    const routing = scheduler.begin(request([channel('a')]))
    const run = drive(routing, (_t, n) => n === 0 ? http(500) : ok)
    expect(run.served?.channel.id).toBe('a')
    expect(routing.chain()).toBe('a 500 > retry > a 200')
  })

  it('caps the total retry wait of a request', () => {
    const { scheduler, advance } = setup()
    const body = JSON.stringify({ error: { code: 'model_cooldown', reset_seconds: 25 } })
    const run = drive(scheduler.begin(request([channel('a')])), () => http(429, body), advance)
    // model_cooldown waits 25 + 1 s and may retry 99 times; the 60 s budget allows two waits.
    expect(run.waitedMs).toBe(52_000)
    expect(run.waitedMs).toBeLessThanOrEqual(MAX_RETRY_WAIT_MS)
    expect(run.decisions.at(-1)).toEqual({ action: 'return' })
  })
})

describe('keys inside a channel', () => {
  it('401 and 403 rotate to the next key and cool the failed key down', () => {
    const { scheduler, advance } = setup()
    const a = channel('a', { apiKeys: ['k1', 'k2', 'k3'] })
    const first = drive(scheduler.begin(request([a])), t => t.key === 'k1' ? http(401) : t.key === 'k2' ? http(403) : ok)
    expect(first.attempts.map(t => t.key)).toEqual(['k1', 'k2', 'k3'])
    // The next request starts on k3: k1 and k2 rest for five minutes.
    expect(drive(scheduler.begin(request([a])), () => ok).served?.key).toBe('k3')
    advance(5 * MIN)
    expect(drive(scheduler.begin(request([a])), () => ok).served?.key).toBe('k1')
  })

  it('at most one attempt per key per request', () => {
    const { scheduler } = setup()
    const a = channel('a', { apiKeys: ['k1', 'k2'] })
    const run = drive(scheduler.begin(request([a, channel('b')])), t => t.channel.id === 'a' ? http(401) : ok)
    expect(run.attempts.map(t => t.key)).toEqual(['k1', 'k2', 'b-k0'])
  })

  it('moves a 429 key to the end once another key of the channel succeeds', () => {
    const { scheduler } = setup()
    const a = channel('a', { apiKeys: ['k1', 'k2'] })
    const routing = scheduler.begin(request([a, channel('b')]))
    const run = drive(routing, t => t.key === 'k1' ? http(429) : ok)
    expect(run.served?.key).toBe('k2')
    expect(routing.keyMoves()).toEqual([{ pool: 'messages', channelId: 'a', key: 'k1' }])
    expect(routing.chain()).toBe('a 429 > next-key > a#1 200')
  })

  it('does not move keys that failed for other reasons, or when another channel answered', () => {
    const { scheduler } = setup()
    const a = channel('a', { apiKeys: ['k1', 'k2'] })
    const r1 = scheduler.begin(request([a]))
    drive(r1, t => t.key === 'k1' ? http(401) : ok)
    expect(r1.keyMoves()).toEqual([])
    const b = channel('b', { apiKeys: ['b1'] })
    const r2 = scheduler.begin(request([channel('c', { apiKeys: ['c1'] }), b]))
    drive(r2, t => t.key === 'c1' ? http(429) : ok)
    expect(r2.keyMoves()).toEqual([])
  })

  it.each([
    ['429 insufficient_quota', 429, '{"error":{"type":"insufficient_quota","message":"You exceeded your current quota"}}'],
    ['402', 402, '{"error":{"message":"Payment required"}}'],
    ['403 insufficient balance', 403, '{"error":{"message":"Insufficient account balance"}}'],
    ['quota is not enough', 429, '{"error":{"message":"user quota is not enough"}}'],
  ])('quota exhaustion (%s) takes the key out until it is reset', (_name, status, body) => {
    const { scheduler, advance } = setup()
    const a = channel('a', { apiKeys: ['k1', 'k2'] })
    const run = drive(scheduler.begin(request([a, channel('b')])), t => t.key === 'k1' ? http(status, body) : ok)
    expect(run.attempts.map(t => t.key)).toEqual(['k1', 'k2'])
    expect(run.waitedMs).toBe(0)
    expect(scheduler.exhaustedKeys('messages')).toMatchObject([{ channelId: 'a', key: 'k1' }])
    advance(60 * MIN)
    expect(drive(scheduler.begin(request([a])), () => ok).served?.key).toBe('k2')
    scheduler.resume('messages', 'a')
    expect(scheduler.exhaustedKeys('messages')).toEqual([])
    expect(drive(scheduler.begin(request([a])), () => ok).served?.key).toBe('k1')
  })

  it('a channel whose every key is exhausted is not selected', () => {
    const { scheduler } = setup()
    drive(scheduler.begin(request([channel('a'), channel('b')])), t => t.channel.id === 'a' ? http(402) : ok)
    expect(drive(scheduler.begin(request([channel('a'), channel('b')])), () => ok).served?.channel.id).toBe('b')
  })
})

describe('client errors', () => {
  it.each([400, 404, 413, 422])('a %i is returned at once and not counted against the channel', (status) => {
    const { scheduler } = setup()
    const channels = [channel('a'), channel('b')]
    for (let i = 0; i < 10; i++) {
      const routing = scheduler.begin(request(channels))
      const run = drive(routing, () => http(status))
      expect(run.attempts).toHaveLength(1)
      expect(run.decisions).toEqual([{ action: 'return' }])
      expect(routing.chain()).toBe(`a ${status} > return`)
    }
    const [a] = scheduler.getMetrics('messages', channels)
    expect(a).toMatchObject({ requestCount: 0, failureCount: 0, breakerState: 'closed' })
    expect(drive(scheduler.begin(request(channels)), () => ok).served?.channel.id).toBe('a')
  })

  it('a rule naming a client status explicitly still applies', () => {
    const { scheduler } = setup()
    const failover = { enabled: false, rules: [{ errorCodes: '400', actionChain: [{ action: 'failover' as const }] }] }
    const run = drive(scheduler.begin(request([channel('a'), channel('b')], { failover })), t => t.channel.id === 'a' ? http(400) : ok)
    expect(path(run)).toEqual(['a', 'b'])
  })

  it('an error without a matching rule goes to the client and counts as a failure', () => {
    const { scheduler } = setup()
    const channels = [channel('a'), channel('b')]
    const routing = scheduler.begin(request(channels))
    expect(drive(routing, () => http(418)).decisions).toEqual([{ action: 'return' }])
    expect(scheduler.getMetrics('messages', channels)[0]).toMatchObject({ failureCount: 1 })
  })

  it('a client abort is never recorded', () => {
    const { scheduler } = setup()
    const channels = [channel('a')]
    const routing = scheduler.begin(request(channels))
    const t = routing.next()!
    expect(routing.report(t, { kind: 'client-abort' })).toEqual({ action: 'return' })
    expect(scheduler.getMetrics('messages', channels)[0]).toMatchObject({ requestCount: 0 })
    expect(routing.chain()).toBe('a > abort')
  })
})

describe('suspension and stream failures', () => {
  it('a QUOTA_EXHAUSTED 429 suspends the channel until its quotaResetAt', () => {
    const { scheduler, suspensions, now, advance } = setup()
    const resetAt = new Date(now() + 2 * 60 * MIN).toISOString()
    const channels = [channel('a', { quotaResetAt: resetAt }), channel('b')]
    const body = JSON.stringify({ error: { status: 'RESOURCE_EXHAUSTED', details: [{ reason: 'QUOTA_EXHAUSTED' }] } })
    const routing = scheduler.begin(request(channels))
    expect(path(drive(routing, t => t.channel.id === 'a' ? http(429, body) : ok))).toEqual(['a', 'b'])
    expect(routing.chain()).toBe('a 429 > suspend > b 200')
    expect(suspensions.list('messages')).toMatchObject([{ channelId: 'a', suspendedUntil: Date.parse(resetAt) }])
    advance(60 * MIN)
    expect(drive(scheduler.begin(request(channels)), () => ok).served?.channel.id).toBe('b')
    advance(61 * MIN)
    expect(drive(scheduler.begin(request(channels)), () => ok).served?.channel.id).toBe('a')
  })

  it('suspends for 5 minutes without a future quotaResetAt', () => {
    const { scheduler, suspensions, now } = setup()
    const body = '{"error":{"message":"insufficient quota for this key"}}'
    drive(scheduler.begin(request([channel('a'), channel('b')])), t => t.channel.id === 'a' ? http(403, body) : ok)
    expect(suspensions.list('messages')).toMatchObject([{ channelId: 'a', suspendedUntil: now() + 5 * MIN }])
  })

  it('a stream that breaks after success counts as a channel failure', () => {
    const { scheduler } = setup()
    const channels = [channel('a')]
    const routing = scheduler.begin(request(channels))
    const t = routing.next()!
    routing.report(t, ok)
    routing.reportStreamFailure(t, 'ECONNRESET')
    expect(scheduler.getMetrics('messages', channels)[0]).toMatchObject({ requestCount: 2, successCount: 1, failureCount: 1 })
    expect(routing.chain()).toBe('a 200 > a ECONNRESET > stream-failed')
  })

  it('a failure reported after success is taken as the stream breaking', () => {
    const { scheduler } = setup()
    const channels = [channel('a'), channel('b')]
    const routing = scheduler.begin(request(channels))
    const t = routing.next()!
    routing.report(t, ok)
    expect(routing.report(t, { kind: 'transport', error: 'terminated', code: 'STREAM_FAILED' })).toEqual({ action: 'return' })
    expect(routing.next()).toBeNull()
    expect(scheduler.getMetrics('messages', channels)[0]).toMatchObject({ successCount: 1, failureCount: 1 })
    expect(routing.chain()).toBe('a 200 > a STREAM_FAILED > stream-failed')
  })

  it('records every decision as data', () => {
    const { scheduler } = setup()
    const routing = scheduler.begin(request([channel('a'), channel('b')]))
    drive(routing, t => t.channel.id === 'a' ? http(500) : ok)
    expect(routing.decisions()).toEqual([
      { channelId: 'a', channelName: 'a', keyIndex: 0, status: 500, action: 'failover', reason: 'rule 408,500,502,503,504,529' },
      { channelId: 'b', channelName: 'b', keyIndex: 0, status: 200, action: 'success', reason: 'priority_order' },
    ])
  })
})
