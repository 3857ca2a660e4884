import { describe, expect, it } from 'vitest'
import { sleep } from '../support/fake-upstream'
import { poll } from '../support/poll'
import { answersAs, channel, fails, startGateway, upstreamsPerTest } from '../support/scheduler'

// CIRCUIT_RECOVERY_SECONDS is 1 (see startGateway), so an open breaker turns half-open after 1 s.
const t = upstreamsPerTest()

interface Metrics {
  channelId: string
  requestCount: number
  successCount: number
  failureCount: number
  consecutiveFailures: number
  errorRate: number
  breakerState: string
  circuitBrokenAt?: string
  halfOpenAt?: string
  timeWindows: Record<string, { requestCount: number }>
  recentCalls: unknown[]
}

async function metrics(pool = ''): Promise<Metrics[]> {
  const res = await t.gw!.api('GET', `/api${pool}/channels/metrics`)
  expect(res.status).toBe(200)
  return res.json
}

/** Sends requests that A fails and B answers, until A's breaker opens. */
async function openBreakerOfA(requests: number): Promise<Metrics> {
  for (let i = 0; i < requests; i++) expect(await t.gw!.ask()).toMatchObject({ status: 200, channel: 'B' })
  const [mA] = await metrics()
  expect(mA).toMatchObject({ channelId: 'ch-A', breakerState: 'open', circuitBrokenAt: expect.any(String), halfOpenAt: expect.any(String) })
  return mA!
}

async function untilHalfOpen(m: Metrics): Promise<void> {
  await sleep(Math.max(0, Date.parse(m.halfOpenAt!) - Date.now() + 50))
}

describe('circuit breaker', () => {
  it('opens after 5 failures, sends nothing while open, then lets one probe through and closes on its success', async () => {
    t.a.script(fails(500))
    t.gw = await startGateway({ upstream: [channel('A', t.a.url), channel('B', t.b.url)] })
    const mA = await openBreakerOfA(5)
    expect(t.a.received).toHaveLength(5)
    expect(mA).toMatchObject({ requestCount: 5, failureCount: 5, consecutiveFailures: 5, errorRate: 100 })
    expect(Date.parse(mA.halfOpenAt!) - Date.parse(mA.circuitBrokenAt!)).toBe(1000)

    for (let i = 0; i < 3; i++) expect(await t.gw.ask()).toMatchObject({ status: 200, channel: 'B' })
    expect(t.a.received).toHaveLength(5)

    await untilHalfOpen(mA)
    expect((await metrics())[0]!.breakerState).toBe('half_open')
    t.a.reset()
    // The probe is held until B has taken the other three: while it is out, everyone else keeps
    // going to B.
    const bBefore = t.b.received.length
    t.a.script(async (req, res) => {
      await poll(() => t.b.received.length, n => n >= bBefore + 3)
      await answersAs('A')(req, res)
    })
    const burst = await Promise.all([1, 2, 3, 4].map(() => t.gw!.ask()))
    expect(burst.map(r => r.channel).sort()).toEqual(['A', 'B', 'B', 'B'])
    expect(t.a.received).toHaveLength(1)

    const [closed] = await metrics()
    expect(closed).toMatchObject({ breakerState: 'closed', errorRate: 0, consecutiveFailures: 0 })
    expect(closed!.halfOpenAt).toBeUndefined()
    expect(await t.gw.ask()).toMatchObject({ status: 200, channel: 'A', text: 'from A' })
  })

  it('re-opens when the probe fails, and POST /api/channels/:id/resume closes it at once', async () => {
    t.a.script(fails(503))
    t.gw = await startGateway({ upstream: [channel('A', t.a.url), channel('B', t.b.url)] })
    const first = await openBreakerOfA(5)
    await untilHalfOpen(first)
    expect(await t.gw.ask()).toMatchObject({ status: 200, channel: 'B' })
    expect(t.a.received).toHaveLength(6)
    const [again] = await metrics()
    expect(again!.breakerState).toBe('open')
    expect(Date.parse(again!.circuitBrokenAt!)).toBeGreaterThan(Date.parse(first.circuitBrokenAt!))
    expect(await t.gw.ask()).toMatchObject({ channel: 'B' })
    expect(t.a.received).toHaveLength(6)

    t.a.reset()
    t.a.script(answersAs('A'))
    const resumed = await t.gw.api('POST', '/api/channels/0/resume')
    expect(resumed.status).toBe(200)
    expect(resumed.json).toMatchObject({ success: true, id: 'ch-A', index: 0, message: expect.any(String) })
    expect((await metrics())[0]).toMatchObject({ breakerState: 'closed', errorRate: 0 })
    // Well inside the recovery time: only the resume can have let A back in.
    expect(await t.gw.ask()).toMatchObject({ status: 200, channel: 'A' })

    expect((await t.gw.api('POST', '/api/channels/nope/resume')).status).toBe(404)
    expect((await t.gw.api('POST', '/api/responses/channels/0/resume')).json).toEqual({ error: 'Channel not found' })
  })
})

describe('metrics', () => {
  it('counts 100 concurrent requests over two channels exactly once each', async () => {
    t.a.script(answersAs('A'))
    t.gw = await startGateway({ upstream: [channel('A', t.a.url), channel('B', t.b.url)], loadBalance: 'round-robin' })
    const answers = await Promise.all(Array.from({ length: 100 }, () => t.gw!.ask()))
    expect(answers.every(r => r.status === 200)).toBe(true)
    const all = await metrics()
    expect(all.map(m => m.channelId)).toEqual(['ch-A', 'ch-B'])
    expect(all.reduce((n, m) => n + m.requestCount, 0)).toBe(100)
    for (const [m, up] of [[all[0]!, t.a], [all[1]!, t.b]] as const) {
      expect(m.successCount + m.failureCount).toBe(m.requestCount)
      expect(m.requestCount).toBe(up.received.length)
      expect(m.requestCount).toBe(50)
      expect(m.timeWindows['15m']!.requestCount).toBe(50)
      expect(m.recentCalls).toHaveLength(20)
    }
    expect(await metrics('/responses')).toEqual([])
  })
})
