import { describe, expect, it } from 'vitest'
import type { AttemptTarget, RequestRouting } from '#server/utils/scheduler/types'
import { createMemorySuspensionStore } from '#server/utils/scheduler/suspensions'
import { formatGoDuration } from '#server/utils/scheduler/metrics'
import { channel, drive, http, MIN, ok, request, seeded, setup, T0 } from './helpers'

describe('concurrency', () => {
  it('100 interleaved requests keep request = success + failure on every channel', () => {
    const { scheduler, advance } = setup()
    const channels = [channel('a', { apiKeys: ['a1', 'a2'] }), channel('b'), channel('c')]
    const rnd = seeded(7)
    const inflight: { routing: RequestRouting, t: AttemptTarget | null }[] = []
    for (let i = 0; i < 100; i++) {
      const routing = scheduler.begin(request(channels, { strategy: 'round-robin' }))
      inflight.push({ routing, t: routing.next() })
    }
    // Answer attempts in random order, one step at a time, until every request is done.
    let served = 0
    while (inflight.length) {
      const i = Math.floor(rnd() * inflight.length)
      const req = inflight[i]!
      if (!req.t) {
        inflight.splice(i, 1)
        continue
      }
      const roll = rnd()
      const outcome = roll < 0.6 ? ok : roll < 0.8 ? http(503) : roll < 0.9 ? http(401) : { kind: 'transport' as const, error: 'x', code: 'ECONNRESET' }
      const d = req.routing.report(req.t, outcome)
      advance(1000)
      if (outcome.kind === 'success') served++
      if (outcome.kind === 'success' || d.action === 'return') req.t = null
      else if (d.action === 'next') req.t = req.routing.next()
    }
    const metrics = scheduler.getMetrics('messages', channels)
    for (const m of metrics) {
      expect(m.requestCount).toBe(m.successCount + m.failureCount)
      expect(m.timeWindows['24h'].requestCount).toBe(m.requestCount)
    }
    expect(metrics.reduce((n, m) => n + m.successCount, 0)).toBe(served)
  })

  it('round-robin advances once per selection across interleaved requests', () => {
    const { scheduler } = setup()
    const channels = [channel('a'), channel('b')]
    const firsts = Array.from({ length: 4 }, () => scheduler.begin(request(channels, { strategy: 'round-robin' })).next()!.channel.id)
    expect(firsts).toEqual(['a', 'b', 'a', 'b'])
  })
})

describe('hot reload', () => {
  it('sync keeps state by id across a reorder and drops removed channels', () => {
    const { scheduler } = setup()
    const a = channel('a')
    const b = channel('b')
    for (let i = 0; i < 5; i++) drive(scheduler.begin(request([a, b])), t => t.channel.id === 'a' ? http(500) : ok)
    scheduler.sync('messages', [b, a])
    const reordered = scheduler.getMetrics('messages', [b, a])
    expect(reordered.map(m => [m.channelIndex, m.channelId, m.breakerState])).toEqual([[0, 'b', 'closed'], [1, 'a', 'open']])
    expect(scheduler.begin(request([b, a])).next()!.channel.id).toBe('b')
    // a is deleted, then a new channel reuses its id: it starts clean.
    scheduler.sync('messages', [b])
    expect(scheduler.getMetrics('messages', [a])[0]).toMatchObject({ requestCount: 0, breakerState: 'closed' })
  })
})

describe('admin views', () => {
  it('metrics have the Go cc-bridge\'s shape with time windows and the last 20 calls', () => {
    const { scheduler, advance, now } = setup()
    const channels = [channel('a')]
    for (let i = 0; i < 25; i++) {
      drive(scheduler.begin(request(channels)), () => i % 5 === 0 ? http(500) : ok)
      advance(5 * MIN)
    }
    const [m] = scheduler.getMetrics('messages', channels)
    expect(m).toMatchObject({ channelIndex: 0, channelId: 'a', requestCount: 25, successCount: 20, failureCount: 5, successRate: 80, latency: 0, consecutiveFailures: 0 })
    expect(m!.recentCalls).toHaveLength(20)
    expect(m!.recentCalls.at(-1)).toEqual({ success: true, statusCode: 200, timestamp: new Date(now() - 5 * MIN).toISOString(), model: 'claude-sonnet-4-5', channelName: 'a' })
    expect(m!.timeWindows['15m'].requestCount).toBe(3)
    expect(m!.timeWindows['1h'].requestCount).toBeLessThan(m!.timeWindows['6h'].requestCount)
    expect(m!.lastFailureAt).toBeDefined()
    expect(m!.circuitBrokenAt).toBeUndefined()
    advance(25 * 60 * MIN)
    expect(scheduler.getMetrics('messages', channels)[0]!.timeWindows['24h'].requestCount).toBe(0)
  })

  it('an idle channel reports zeros and a closed breaker', () => {
    const { scheduler } = setup()
    expect(scheduler.getMetrics('messages', [channel('x')])[0]).toMatchObject({ requestCount: 0, successRate: 100, errorRate: 0, breakerState: 'closed', recentCalls: [] })
  })

  it('an open breaker reports when it will half-open', () => {
    const { scheduler } = setup()
    const channels = [channel('a')]
    for (let i = 0; i < 5; i++) drive(scheduler.begin(request(channels)), () => http(401))
    const [m] = scheduler.getMetrics('messages', channels)
    expect(m).toMatchObject({ breakerState: 'open', circuitBrokenAt: new Date(T0).toISOString(), halfOpenAt: new Date(T0 + 15 * MIN).toISOString() })
  })

  it('scheduler stats', () => {
    const { scheduler } = setup({ recoveryMs: 90 * MIN })
    const channels = [channel('a'), channel('b', { status: 'suspended' }), channel('c', { status: 'disabled' })]
    expect(scheduler.getSchedulerStats('messages', channels)).toEqual({
      multiChannelMode: true,
      activeChannelCount: 2,
      traceAffinityCount: 0,
      traceAffinityTTL: '30m0s',
      failureThreshold: 50,
      windowSize: 10,
      circuitRecoveryTime: '1h30m0s',
    })
    expect(formatGoDuration(15 * MIN)).toBe('15m0s')
    expect(formatGoDuration(45_000)).toBe('45s')
  })

  it('resume also lifts a quota suspension', () => {
    const { scheduler, suspensions, now } = setup()
    suspensions.suspend('messages', 'a', now() + MIN, 'quota')
    scheduler.resume('messages', 'a')
    expect(suspensions.list('messages')).toEqual([])
  })
})

describe('memory suspension store', () => {
  it('answers by pool and channel id and forgets expired entries', () => {
    let now = T0
    const store = createMemorySuspensionStore(() => now)
    store.suspend('messages', 'a', T0 + MIN, 'quota')
    expect(store.isSuspended('messages', 'a', now)).toBe(true)
    expect(store.isSuspended('responses', 'a', now)).toBe(false)
    expect(store.list('messages')).toEqual([{ channelId: 'a', suspendedAt: T0, suspendedUntil: T0 + MIN, reason: 'quota' }])
    now += MIN
    expect(store.isSuspended('messages', 'a', now)).toBe(false)
    expect(store.list('messages')).toEqual([])
    store.suspend('messages', 'b', T0 + 5 * MIN, 'quota')
    store.clear('messages', 'b')
    expect(store.isSuspended('messages', 'b', now)).toBe(false)
  })
})
