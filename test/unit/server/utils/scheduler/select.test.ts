import { describe, expect, it } from 'vitest'
import { setPromotion } from '#server/utils/scheduler/select'
import { channel, drive, http, MIN, ok, path, request, seeded, setup, T0 } from './helpers'

const served = (s: ReturnType<typeof setup>['scheduler'], req: Parameters<typeof request>) => drive(s.begin(request(...req)), () => ok).served?.channel.id

describe('channel selection', () => {
  it('failover keeps priority order; priority 0 or missing means the array index', () => {
    const { scheduler } = setup()
    const channels = [channel('a', { priority: 3 }), channel('b'), channel('c', { priority: 2 })]
    const run = drive(scheduler.begin(request(channels)), () => http(503))
    expect(path(run).slice(0, 3)).toEqual(['b', 'c', 'a'])
  })

  it('round-robin spreads evenly over the healthy channels', () => {
    const { scheduler } = setup()
    const channels = [channel('a'), channel('b'), channel('c')]
    const counts: Record<string, number> = {}
    for (let i = 0; i < 300; i++) {
      const id = served(scheduler, [channels, { strategy: 'round-robin' }])!
      counts[id] = (counts[id] ?? 0) + 1
    }
    expect(counts).toEqual({ a: 100, b: 100, c: 100 })
  })

  it('random uses the injected source and reaches every channel', () => {
    const { scheduler } = setup({ random: seeded(42) })
    const channels = [channel('a'), channel('b'), channel('c')]
    const counts: Record<string, number> = {}
    for (let i = 0; i < 300; i++) {
      const id = served(scheduler, [channels, { strategy: 'random' }])!
      counts[id] = (counts[id] ?? 0) + 1
    }
    expect(Object.keys(counts).sort()).toEqual(['a', 'b', 'c'])
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(70)
  })

  it('a promoted channel wins over priority until its window ends', () => {
    const { scheduler, advance } = setup()
    const channels = [channel('a'), channel('b', { promotionUntil: new Date(T0 + 5 * MIN).toISOString() })]
    const first = drive(scheduler.begin(request(channels)), () => ok).served!
    expect(first.channel.id).toBe('b')
    expect(first.reason).toBe('promotion_priority')
    advance(5 * MIN)
    expect(served(scheduler, [channels])).toBe('a')
  })

  it('setPromotion promotes one channel and clears the others', () => {
    const channels = [channel('a', { promotionUntil: new Date(T0 + MIN).toISOString() }), channel('b')]
    const next = setPromotion(channels, 'b', 300, T0)
    expect(next.map(c => c.promotionUntil)).toEqual([null, new Date(T0 + 300_000).toISOString()])
    expect(setPromotion(next, 'b', 0, T0).map(c => c.promotionUntil ?? null)).toEqual([null, null])
    expect(channels[0]!.promotionUntil).not.toBeNull()
  })

  it('disabled channels never get traffic, not even when everything else fails', () => {
    const { scheduler } = setup()
    const channels = [channel('off', { status: 'disabled' }), channel('a')]
    for (let i = 0; i < 20; i++) {
      const run = drive(scheduler.begin(request(channels, { strategy: 'round-robin' })), () => http(500))
      expect(path(run)).not.toContain('off')
    }
  })

  it('suspended channels (status or quota suspension) are skipped', () => {
    const { scheduler, suspensions, now } = setup()
    const channels = [channel('paused', { status: 'suspended' }), channel('quota'), channel('a')]
    suspensions.suspend('messages', 'quota', now() + MIN, 'test')
    const run = drive(scheduler.begin(request(channels)), () => http(500))
    expect(new Set(path(run))).toEqual(new Set(['a']))
  })

  it('only channels of the endpoint\'s service types are candidates', () => {
    const { scheduler } = setup()
    const channels = [channel('oa', { serviceType: 'openai' }), channel('cl')]
    expect(served(scheduler, [channels])).toBe('cl')
    expect(scheduler.begin(request([channel('oa', { serviceType: 'openai' })])).next()).toBeNull()
  })

  it('channels without keys are never selected', () => {
    const { scheduler } = setup()
    expect(served(scheduler, [[channel('empty', { apiKeys: [] }), channel('a')]])).toBe('a')
  })

  it('when no channel is healthy, the least-failing one is the fallback', () => {
    const { scheduler } = setup()
    const channels = [channel('a'), channel('b')]
    // a: 5 failures of 5; b: 3 failures of 6 with the last ones failing: both breakers open.
    for (let i = 0; i < 5; i++) drive(scheduler.begin(request([channels[0]!])), () => http(500))
    for (const outcome of [ok, ok, ok, http(500), http(500), http(500)]) drive(scheduler.begin(request([channels[1]!])), () => outcome)
    const stats = scheduler.getMetrics('messages', channels)
    expect(stats.map(s => s.breakerState)).toEqual(['open', 'open'])
    const run = drive(scheduler.begin(request(channels)), () => ok)
    expect(run.served).toMatchObject({ channel: { id: 'b' }, reason: 'fallback' })
  })
})
