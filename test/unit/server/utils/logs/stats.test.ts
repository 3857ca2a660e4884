import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestLogs } from '#server/database/schema'
import type { Db } from '#server/utils/db/client'
import { logHistory } from '#server/utils/logs/history'
import { dailyStats, logStats } from '#server/utils/logs/stats'
import { logDb, row } from './helpers'

const MIN = 60_000
// Noon UTC, so the local date is the UTC date in any time zone within ±11 h.
const BASE = Date.UTC(2026, 10, 20, 12, 0)
const alpha = { channelUid: 'chanA', channelName: 'alpha', providerName: 'alpha', type: 'claude', pool: 'messages' }
const beta = { channelUid: 'chanB', channelName: 'beta', providerName: 'beta', type: 'openai', pool: 'messages' }

/**
 * Hand-checked data: five finished requests, and a running and a timed-out one that statistics
 * must not count (their costs would show if they were).
 */
const ROWS = [
  row({ ...alpha, id: 's1', model: 'claude-sonnet-4-5', clientId: 'c1', sessionId: 's1', initialTime: BASE + 1 * MIN, durationMs: 1000,
    inputTokens: 1000, outputTokens: 500, cacheReadInputTokens: 2000, inputCost: 0.003, outputCost: 0.0075, cacheReadCost: 0.0006, price: 0.0111 }),
  row({ ...alpha, id: 's2', model: 'claude-sonnet-4-5', clientId: 'c1', sessionId: 's2', initialTime: BASE + 2 * MIN, durationMs: 2000,
    inputTokens: 200, outputTokens: 100, cacheCreationInputTokens: 1000, inputCost: 0.0006, outputCost: 0.0015, cacheCreationCost: 0.00375, price: 0.00585 }),
  row({ ...beta, id: 'h1', model: 'claude-haiku-4-5', clientId: 'c2', initialTime: BASE + 7 * MIN, durationMs: 500, status: 'error', httpStatus: 502 }),
  row({ ...beta, id: 'h2', model: 'claude-haiku-4-5', clientId: 'c2', initialTime: BASE + 8 * MIN, durationMs: 3000,
    inputTokens: 300, outputTokens: 300, inputCost: 0.0003, outputCost: 0.0015, price: 0.0018 }),
  row({ id: 'o1', model: 'claude-opus-4-5', providerName: 'gamma', channelUid: 'chanC', initialTime: BASE + 24 * 60 * MIN, durationMs: 100,
    inputTokens: 10, outputTokens: 40, inputCost: 0.25, outputCost: 1, price: 1.25 }),
  row({ ...alpha, id: 'p1', model: 'claude-sonnet-4-5', clientId: 'c1', status: 'pending', httpStatus: 0, initialTime: BASE + 3 * MIN, price: 5, inputTokens: 99 }),
  row({ ...alpha, id: 't1', model: 'claude-sonnet-4-5', clientId: 'c1', status: 'timeout', httpStatus: 0, initialTime: BASE + 4 * MIN, price: 7, inputTokens: 99 }),
]

let db: Db
let close: () => void
beforeAll(async () => {
  ({ db, close } = await logDb())
  await db.insert(requestLogs).values(ROWS)
})
afterAll(() => close())

describe('GET /api/logs/stats', () => {
  it('totals the finished requests only, to the cent and beyond', async () => {
    const s = await logStats(db, {})
    expect(s).toMatchObject({
      totalRequests: 5, totalSuccess: 4, totalFailure: 1,
      totalInputTokens: 1510, totalOutputTokens: 940, totalCacheCreationTokens: 1000, totalCacheReadTokens: 2000,
      avgLatencyMs: 1320, p50LatencyMs: 1000, p95LatencyMs: 3000,
      // (500 + 50 + 100 + 400) / 4 tokens per second; the failed request had no output.
      avgTps: 262.5, avgTpsSampleCount: 4,
      // 2000 / (1510 + 2000 + 1000)
      cacheHitRate: 44.35,
      timeRange: { from: null, to: null },
    })
    expect(s.totalCost).toBe(1.26875)
    expect(s.bySession).toEqual({})
  })

  it('groups by requested model, serving channel and client in SQL', async () => {
    const s = await logStats(db, {})
    expect(Object.keys(s.byModel)).toEqual(['claude-haiku-4-5', 'claude-opus-4-5', 'claude-sonnet-4-5'])
    expect(s.byModel['claude-sonnet-4-5']).toMatchObject({ count: 2, success: 2, failure: 0, inputTokens: 1200, outputTokens: 600, cost: 0.01695, avgLatencyMs: 1500 })
    expect(s.byModel['claude-haiku-4-5']).toMatchObject({ count: 2, success: 1, failure: 1, cost: 0.0018, avgTps: 100, avgTpsSampleCount: 1 })
    expect(Object.fromEntries(Object.entries(s.byProvider).map(([k, v]) => [k, [v.count, v.cost]]))).toEqual({ alpha: [2, 0.01695], beta: [2, 0.0018], gamma: [1, 1.25] })
    expect(Object.fromEntries(Object.entries(s.byClient).map(([k, v]) => [k, v.count]))).toEqual({ '<unknown>': 1, 'c1': 2, 'c2': 2 })
  })

  it('gives one client\'s sessions with ?client=, and applies the same filters as the list', async () => {
    const s = await logStats(db, { client: 'c1' })
    expect(s.totalRequests).toBe(2)
    expect(s.totalCost).toBe(0.01695)
    expect(Object.fromEntries(Object.entries(s.bySession).map(([k, v]) => [k, [v.count, v.cost]]))).toEqual({ s1: [1, 0.0111], s2: [1, 0.00585] })
    const ranged = await logStats(db, { from: BASE, to: BASE + 5 * MIN })
    expect([ranged.totalRequests, ranged.totalCost]).toEqual([2, 0.01695])
    expect((await logStats(db, { provider: 'openai' })).totalRequests).toBe(2)
    expect((await logStats(db, { channel: 'chanA', status: ['completed'] })).totalRequests).toBe(2)
  })

  it('has zeros, not nulls, when nothing matches', async () => {
    const s = await logStats(db, { model: 'none' })
    expect(s).toMatchObject({ totalRequests: 0, totalCost: 0, avgLatencyMs: 0, p50LatencyMs: 0, p95LatencyMs: 0, avgTps: 0, cacheHitRate: 0, byModel: {} })
  })
})

describe('GET /api/logs/stats/daily', () => {
  it('gives one point per local day', async () => {
    const { dataPoints } = await dailyStats(db, { from: BASE - 60 * MIN }, BASE + 48 * 60 * MIN)
    expect(dataPoints.map(p => [p.date, p.requests, p.success, p.failure, p.cost])).toEqual([
      ['2026-11-20', 4, 3, 1, 0.01875],
      ['2026-11-21', 1, 1, 0, 1.25],
    ])
    expect(dataPoints[0]).toMatchObject({ inputTokens: 1500, avgDurationMs: 1625, avgTps: 216.67, avgTpsSampleCount: 3 })
  })
})

describe('GET /api/logs/stats/history', () => {
  it('buckets a period evenly, with nearest-rank percentiles per bucket and per channel', async () => {
    const h = await logHistory(db, 'period', { from: BASE, to: BASE + 120 * MIN }, BASE + 1000 * MIN)
    // Two hours: 5-minute buckets, both ends included.
    expect(h.bucketSeconds).toBe(300)
    expect(h.dataPoints).toHaveLength(25)
    expect(h.dataPoints[0]).toMatchObject({ timestamp: new Date(BASE).toISOString(), requests: 2, success: 2, failure: 0, avgDurationMs: 1500, p50DurationMs: 1000, p95DurationMs: 2000, cost: 0.01695 })
    expect(h.dataPoints[1]).toMatchObject({ requests: 2, success: 1, failure: 1, p50DurationMs: 500, p95DurationMs: 3000, cost: 0.0018 })
    expect(h.dataPoints.slice(2).every(p => p.requests === 0)).toBe(true)
    expect(h.channels.map(c => [c.channelUid, c.channelName, c.dataPoints.map(p => p.requests).slice(0, 3)])).toEqual([
      ['chanA', 'alpha', [2, 0, 0]],
      ['chanB', 'beta', [0, 2, 0]],
    ])
    expect(h.summary).toMatchObject({ totalRequests: 4, totalSuccess: 3, totalFailure: 1, totalCost: 0.01875, avgSuccessRate: 75, p50DurationMs: 1000, p95DurationMs: 3000, duration: 'period' })
  })

  it('picks the Go cc-bridge\'s bucket sizes and refuses a period without a range', async () => {
    expect((await logHistory(db, '1h', {}, BASE)).bucketSeconds).toBe(60)
    expect((await logHistory(db, '24h', {}, BASE)).bucketSeconds).toBe(900)
    expect((await logHistory(db, 'period', { from: BASE, to: BASE + 30 * 24 * 60 * MIN }, BASE)).bucketSeconds).toBe(4 * 3600)
    await expect(logHistory(db, 'period', { from: BASE }, BASE)).rejects.toThrow('duration=period needs from and to')
  })
})
