import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeUpstream } from '../support/fake-upstream'
import { answersAs, channel, claudeCodeUserId, fails, startGateway, type Answer, type Gateway } from '../support/scheduler'

const NAMES = ['A', 'B', 'C'] as const
type Name = typeof NAMES[number]
let up: Record<Name, FakeUpstream>
let gw: Gateway | undefined

beforeEach(async () => {
  up = {} as Record<Name, FakeUpstream>
  for (const name of NAMES) up[name] = (await new FakeUpstream().start()).script(answersAs(name))
})
afterEach(async () => {
  await gw?.stop()
  gw = undefined
  await Promise.all(NAMES.map(name => up[name].stop()))
})

const channels = (over: Partial<Record<Name, Record<string, unknown>>> = {}) => NAMES.map(name => channel(name, up[name].url, over[name]))

async function askMany(n: number, opts?: Parameters<Gateway['ask']>[0]): Promise<Answer[]> {
  const answers: Answer[] = []
  for (let i = 0; i < n; i++) answers.push(await gw!.ask(opts))
  return answers
}

function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const a of answers) counts[String(a.channel)] = (counts[String(a.channel)] ?? 0) + 1
  return counts
}

describe('load balancing', () => {
  it('spreads requests evenly over healthy channels once round-robin is switched on', async () => {
    gw = await startGateway({ upstream: channels() })
    expect(tally(await askMany(3))).toEqual({ A: 3 })
    expect((await gw.api('PUT', '/api/loadbalance', { strategy: 'round-robin' })).status).toBe(200)
    const answers = await askMany(30)
    expect(answers.every(a => a.status === 200 && a.text === `from ${a.channel}`)).toBe(true)
    expect(tally(answers)).toEqual({ A: 10, B: 10, C: 10 })
    // Strict rotation: no channel serves twice in a row.
    expect(answers.every((a, i) => i === 0 || a.channel !== answers[i - 1]!.channel)).toBe(true)
    expect(NAMES.map(name => up[name].received.length)).toEqual([13, 10, 10])
  })

  it('never sends traffic to a disabled or a suspended channel', async () => {
    gw = await startGateway({ upstream: channels({ A: { status: 'disabled' }, B: { status: 'suspended' } }), loadBalance: 'round-robin' })
    expect(tally(await askMany(9))).toEqual({ C: 9 })
    expect(up.A.received).toHaveLength(0)
    expect(up.B.received).toHaveLength(0)
    // Activating B is all it takes for it to share the load.
    expect((await gw.api('PATCH', '/api/channels/ch-B/status', { status: 'active' })).status).toBe(200)
    expect(tally(await askMany(4))).toEqual({ B: 2, C: 2 })
    expect(up.A.received).toHaveLength(0)
  })
})

describe('trace affinity', () => {
  it('keeps one Claude Code user on one channel under round-robin, and moves them for good when it fails', async () => {
    gw = await startGateway({ upstream: channels(), loadBalance: 'round-robin' })
    const user = claudeCodeUserId('acct-1')
    const home = (await gw.ask({ userId: user })).channel as Name
    const others: Answer[] = []
    for (let i = 0; i < 6; i++) {
      others.push(await gw.ask())
      expect((await gw.ask({ userId: user })).channel).toBe(home)
    }
    // The anonymous requests in between did rotate.
    expect(Object.keys(tally(others)).length).toBeGreaterThan(1)
    // A new session of the same account is the same user.
    expect((await gw.ask({ userId: claudeCodeUserId('acct-1', 'sess-2') })).channel).toBe(home)
    expect((await gw.api('GET', '/api/channels/scheduler/stats')).json.traceAffinityCount).toBe(1)

    up[home].reset()
    up[home].script(fails(502))
    const moved = await gw.ask({ userId: user })
    expect(moved.status).toBe(200)
    expect(moved.channel).not.toBe(home)
    // The old channel is healthy again, but the user stays where they were moved.
    up[home].reset()
    up[home].script(answersAs(home))
    const after = await askMany(5, { userId: user })
    expect(after.every(a => a.channel === moved.channel)).toBe(true)
    expect(up[home].received).toHaveLength(0)
  })
})

describe('promotion', () => {
  it('lets a promoted lower-priority channel win until the promotion is moved or cleared', async () => {
    gw = await startGateway({ upstream: channels() })
    expect((await gw.ask()).channel).toBe('A')

    const before = Date.now()
    const promoted = await gw.api('POST', '/api/channels/2/promotion', { duration: 300 })
    expect(promoted.status).toBe(200)
    expect(promoted.json).toMatchObject({ success: true, message: expect.any(String), id: 'ch-C', index: 2 })
    const until = Date.parse(promoted.json.promotionUntil)
    expect(until - before).toBeGreaterThanOrEqual(299_000)
    expect(until - Date.now()).toBeLessThanOrEqual(300_000)
    expect(tally(await askMany(3))).toEqual({ C: 3 })

    // Promoting B (by its stable id) takes the promotion away from C.
    expect((await gw.api('POST', '/api/channels/ch-B/promotion', { duration: 300 })).status).toBe(200)
    const list = (await gw.api('GET', '/api/channels')).json.channels as { name: string, promotionUntil?: string | null }[]
    expect(list.find(c => c.name === 'C')!.promotionUntil ?? null).toBeNull()
    expect(tally(await askMany(2))).toEqual({ B: 2 })

    const cleared = await gw.api('POST', '/api/channels/ch-B/promotion', { duration: 0 })
    expect(cleared.json).toMatchObject({ success: true, promotionUntil: null })
    expect((await gw.ask()).channel).toBe('A')

    const bad = await gw.api('POST', '/api/channels/0/promotion', { duration: -5 })
    expect(bad.status).toBe(400)
    expect(bad.json.issues.map((i: { path: string }) => i.path)).toEqual(['duration'])
    expect((await gw.api('POST', '/api/channels/9/promotion', { duration: 60 })).status).toBe(404)
  })
})
