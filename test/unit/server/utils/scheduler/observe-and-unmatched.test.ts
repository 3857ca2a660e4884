import { describe, expect, it } from 'vitest'
import { channel, drive, http, ok, path, request, setup } from './helpers'

describe('server errors no rule names', () => {
  it.each([501, 520, 522, 524])('fails over on %i while another channel is left, and counts it', (status) => {
    const { scheduler } = setup()
    const channels = [channel('a'), channel('b')]
    const d = drive(scheduler.begin(request(channels)), t => (t.channel.id === 'a' ? http(status) : ok))
    expect(path(d)).toEqual(['a', 'b'])
    expect(d.served?.channel.id).toBe('b')
    expect(scheduler.getMetrics('messages', channels)[0]!.failureCount).toBe(1)
  })
})

describe('observe-only routing (count_tokens)', () => {
  it('never opens a breaker, however often a channel lacks the endpoint', () => {
    const { scheduler } = setup()
    const channels = [channel('a'), channel('b')]
    for (let i = 0; i < 10; i++) {
      const d = drive(scheduler.begin(request(channels, { observeOnly: true })), () => http(501))
      // No count_tokens here: the caller estimates; the other channel is tried first.
      expect(path(d)).toEqual(['a', 'b'])
    }
    const metrics = scheduler.getMetrics('messages', channels)
    expect(metrics.map(m => [m.requestCount, m.breakerState])).toEqual([[0, 'closed'], [0, 'closed']])
    // /v1/messages still goes to the first channel.
    expect(path(drive(scheduler.begin(request(channels)), () => ok))).toEqual(['a'])
  })

  it('returns a client error at once and tries the next key on 401, without cooling any key', () => {
    const { scheduler } = setup()
    const a = channel('a', { apiKeys: ['k1', 'k2'] })
    expect(path(drive(scheduler.begin(request([a], { observeOnly: true })), () => http(400)))).toEqual(['a'])
    const d = drive(scheduler.begin(request([a], { observeOnly: true })), t => (t.key === 'k1' ? http(401) : ok))
    expect(d.attempts.map(t => t.key)).toEqual(['k1', 'k2'])
    // k1 was not put in cooldown: a normal request still starts with it.
    expect(drive(scheduler.begin(request([a])), () => ok).attempts[0]!.key).toBe('k1')
  })

  it('does not take the half-open probe slot', () => {
    const { scheduler, advance } = setup({ recoveryMs: 1000 })
    const channels = [channel('a'), channel('b')]
    for (let i = 0; i < 5; i++) drive(scheduler.begin(request(channels)), t => (t.channel.id === 'a' ? http(500) : ok))
    advance(1500)
    drive(scheduler.begin(request(channels, { observeOnly: true })), () => ok)
    // The probe is still there for a real request.
    expect(path(drive(scheduler.begin(request(channels)), () => ok))).toEqual(['a'])
  })
})
