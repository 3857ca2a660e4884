import { describe, expect, it } from 'vitest'
import { channel, drive, http, MIN, ok, request, setup } from './helpers'

const channels = [channel('a'), channel('b')]
const failA = (s: ReturnType<typeof setup>['scheduler'], times: number) => {
  for (let i = 0; i < times; i++) drive(s.begin(request(channels)), t => t.channel.id === 'a' ? http(500) : ok)
}
const first = (s: ReturnType<typeof setup>['scheduler']) => s.begin(request(channels)).next()!

describe('circuit breaker', () => {
  it('stays closed with fewer than 5 samples, even at 100% failures', () => {
    const { scheduler } = setup()
    failA(scheduler, 4)
    expect(first(scheduler).channel.id).toBe('a')
    expect(scheduler.getMetrics('messages', channels)[0]).toMatchObject({ breakerState: 'closed', errorRate: 100 })
  })

  it('opens after 5 failures; the channel then gets no traffic', () => {
    const { scheduler, advance } = setup()
    failA(scheduler, 5)
    const [a] = scheduler.getMetrics('messages', channels)
    expect(a).toMatchObject({ breakerState: 'open', consecutiveFailures: 5 })
    expect(a!.circuitBrokenAt).toBeDefined()
    for (let i = 0; i < 20; i++) {
      advance(MIN / 2)
      expect(first(scheduler).channel.id).toBe('b')
    }
  })

  it('after the recovery time lets exactly one probe through while it is in flight', () => {
    const { scheduler, advance } = setup()
    failA(scheduler, 5)
    advance(15 * MIN)
    expect(scheduler.getMetrics('messages', channels)[0]!.breakerState).toBe('half_open')
    const probe = first(scheduler)
    expect(probe).toMatchObject({ channel: { id: 'a' }, reason: 'half_open_probe' })
    for (let i = 0; i < 5; i++) expect(first(scheduler).channel.id).toBe('b')
  })

  it('a successful probe closes the breaker and clears the window', () => {
    const { scheduler, advance } = setup()
    failA(scheduler, 5)
    advance(15 * MIN)
    const routing = scheduler.begin(request(channels))
    routing.report(routing.next()!, ok)
    expect(scheduler.getMetrics('messages', channels)[0]).toMatchObject({ breakerState: 'closed', errorRate: 0 })
    expect(first(scheduler).channel.id).toBe('a')
  })

  it('a failed probe re-opens it with a fresh recovery timer', () => {
    const { scheduler, advance } = setup({ recoveryMs: 10 * MIN })
    failA(scheduler, 5)
    advance(10 * MIN)
    const run = drive(scheduler.begin(request(channels)), t => t.channel.id === 'a' ? http(502) : ok)
    expect(run.attempts.map(t => t.reason)).toEqual(['half_open_probe', 'priority_order'])
    expect(scheduler.getMetrics('messages', channels)[0]!.breakerState).toBe('open')
    advance(10 * MIN - 1)
    expect(first(scheduler).channel.id).toBe('b')
    advance(1)
    expect(first(scheduler).reason).toBe('half_open_probe')
  })

  it('a probe answered by a client error or abort frees the slot without a verdict', () => {
    const { scheduler, advance } = setup()
    failA(scheduler, 5)
    advance(15 * MIN)
    const r1 = scheduler.begin(request(channels))
    r1.report(r1.next()!, http(400))
    const r2 = scheduler.begin(request(channels))
    const t = r2.next()!
    expect(t.reason).toBe('half_open_probe')
    r2.report(t, { kind: 'client-abort' })
    expect(first(scheduler).reason).toBe('half_open_probe')
  })

  it('resume closes it by hand and clears cooldowns', () => {
    const { scheduler } = setup()
    failA(scheduler, 5)
    scheduler.resume('messages', 'a')
    expect(scheduler.getMetrics('messages', channels)[0]).toMatchObject({ breakerState: 'closed', consecutiveFailures: 0 })
    expect(first(scheduler).channel.id).toBe('a')
  })

  it('failover.enabled turns the breaker off for selection', () => {
    const { scheduler } = setup()
    failA(scheduler, 5)
    const failover = { enabled: true, rules: [] }
    expect(scheduler.begin(request(channels, { failover })).next()!.channel.id).toBe('a')
  })

  it('an open breaker forgets trace affinity to its channel', () => {
    const { scheduler } = setup()
    drive(scheduler.begin(request(channels, { affinityKey: 'u' })), () => ok)
    expect(scheduler.getSchedulerStats('messages', channels).traceAffinityCount).toBe(1)
    failA(scheduler, 5)
    expect(scheduler.getSchedulerStats('messages', channels).traceAffinityCount).toBe(0)
  })
})
