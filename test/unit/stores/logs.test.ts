import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { LogStreamEvent, RequestLog } from '#shared/schemas/logs'
import { matchesFilter, toPageFilter, useLogsStore } from '../../../stores/logs'

const at = (min: number) => new Date(Date.UTC(2026, 10, 20, 12, min)).toISOString()

function log(id: string, min: number, extra: Partial<RequestLog> = {}): RequestLog {
  return {
    id, status: 'completed', pool: 'messages', endpoint: '/v1/messages', initialTime: at(min), firstTokenTime: null, completeTime: at(min),
    durationMs: 1000, firstTokenDurationMs: null, httpStatus: 200, model: 'claude-sonnet-4-5', mappedModel: null, responseModel: null,
    reasoningEffort: null, channelUid: 'chan0', channelName: 'claude-0', providerName: 'claude-0', type: 'claude', maskedKey: null, stream: false,
    inputTokens: 1, outputTokens: 1, cacheCreationInputTokens: 0, cacheCreation5mInputTokens: null, cacheCreation1hInputTokens: null,
    cacheReadInputTokens: 0, reasoningTokens: 0, totalTokens: 2, usageEstimated: false, price: 0, inputCost: 0, outputCost: 0,
    cacheCreationCost: 0, cacheReadCost: 0, clientId: 'claude-code', sessionId: null, userAgent: null, error: null, upstreamError: null,
    failoverInfo: null, attempts: [], hasFailedBodies: false, ...extra,
  }
}
const created = (data: RequestLog): LogStreamEvent => ({ type: 'log:created', data, timestamp: data.initialTime })
const updated = (data: RequestLog): LogStreamEvent => ({ type: 'log:updated', data, timestamp: data.initialTime })

beforeEach(() => setActivePinia(createPinia()))

describe('the live log feed', () => {
  it('puts new rows on top of the first page, replaces updated ones, and keeps the page size', () => {
    const feed = useLogsStore()
    feed.pageSize = 3
    feed.load({ requests: [log('b', 2), log('a', 1)], total: 2, hasMore: false })
    feed.receive(created(log('c', 3, { status: 'pending' })))
    expect(feed.rows.map(r => r.id)).toEqual(['c', 'b', 'a'])
    expect(feed.total).toBe(3)
    feed.receive(updated(log('c', 3, { status: 'completed', price: 0.5 })))
    expect(feed.rows[0]).toMatchObject({ id: 'c', status: 'completed', price: 0.5 })
    feed.receive(created(log('d', 4)))
    expect(feed.rows.map(r => r.id)).toEqual(['d', 'c', 'b'])
    expect(feed.total).toBe(4)
    expect(feed.fresh).toEqual(['c', 'd'])
  })

  it('holds events while paused and applies them on resume', () => {
    const feed = useLogsStore()
    feed.load({ requests: [log('a', 1)], total: 1, hasMore: false })
    feed.pause()
    feed.receive(created(log('b', 2)))
    expect(feed.rows.map(r => r.id)).toEqual(['a'])
    expect(feed.buffered).toHaveLength(1)
    expect(feed.resume()).toBe(true)
    expect(feed.rows.map(r => r.id)).toEqual(['b', 'a'])
    expect(feed.buffered).toHaveLength(0)
  })

  it('counts but does not show new rows past the first page, and drops rows that leave the filter', () => {
    const feed = useLogsStore()
    feed.filter = { status: ['completed'] }
    feed.load({ requests: [log('a', 1)], total: 1, hasMore: false })
    feed.receive(created(log('p', 2, { status: 'pending' })))
    expect(feed.rows.map(r => r.id)).toEqual(['a'])
    feed.receive(updated(log('a', 1, { status: 'error' })))
    expect(feed.rows).toEqual([])
    feed.firstPage = false
    feed.receive(updated(log('p', 2)))
    expect(feed.rows).toEqual([])
    expect(feed.total).toBe(1)
  })
})

describe('the log filters', () => {
  it('match rows as the server does: channel by id, name or provider; days as local midnights', () => {
    const row = log('a', 1)
    expect(matchesFilter(row, { channel: 'chan0' })).toBe(true)
    expect(matchesFilter(row, { channel: 'claude-0' })).toBe(true)
    expect(matchesFilter(row, { channel: 'other' })).toBe(false)
    expect(matchesFilter(row, { model: 'claude-opus-4-1' })).toBe(false)
    expect(matchesFilter(row, { client: 'claude-code', status: ['completed', 'error'] })).toBe(true)
    const f = toPageFilter({ from: '2026-11-20', to: '2026-11-20', status: [] })
    expect(f.to! - f.from!).toBe(86_400_000 - 1)
    expect(f.status).toBeUndefined()
    expect(toPageFilter({ from: 'nonsense', status: [] }).from).toBeUndefined()
  })
})
