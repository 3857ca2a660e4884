import { afterEach, describe, expect, it } from 'vitest'
import { requestLogs } from '#server/database/schema'
import { seedChannelMetrics, verdictOf } from '#server/utils/logs/seed'
import { createScheduler } from '#server/utils/scheduler/scheduler'
import type { Config, StoredChannel } from '#shared/schemas/config'
import { logDb, row } from './helpers'

const NOW = Date.UTC(2026, 10, 30, 12)
const MIN = 60_000
let cleanup: (() => void)[] = []
afterEach(() => {
  for (const c of cleanup) c()
  cleanup = []
})

const channel = (id: string, name: string) => ({ id, name, serviceType: 'claude', baseUrl: 'http://127.0.0.1:1', apiKeys: ['k'], status: 'active' }) as StoredChannel
const success = (channelId: string, channelName: string, status = 200) => ({ channelId, channelName, status, action: 'success', reason: 'priority_order' })
const failover = (channelId: string, channelName: string, status = 500) => ({ channelId, channelName, status, action: 'failover', reason: 'rule 500' })

describe('re-seeding the channel metrics from the request log', () => {
  it('counts only the attempts that were verdicts on their channel', () => {
    expect(verdictOf('success', 'priority_order')).toBe(true)
    expect(['failover', 'suspend', 'stream-failed'].map(a => verdictOf(a, 'x'))).toEqual([false, false, false])
    expect(verdictOf('return', 'no_matching_rule')).toBe(false)
    expect([verdictOf('return', 'client_error'), verdictOf('retry', 'x'), verdictOf('next-key', 'x'), verdictOf('abort', 'client_abort')]).toEqual([undefined, undefined, undefined, undefined])
  })

  it('restores counts, time windows and recent calls of configured channels, not their breakers', async () => {
    const { db, close } = await logDb()
    cleanup.push(close)
    await db.insert(requestLogs).values([
      row({ id: 'r1', pool: 'messages', model: 'm', initialTime: NOW - 120 * MIN, completeTime: NOW - 120 * MIN, attempts: [failover('A', 'alpha'), success('B', 'beta')] }),
      row({ id: 'r2', pool: 'messages', model: 'm', initialTime: NOW - 30 * MIN, completeTime: NOW - 30 * MIN, attempts: [failover('A', 'alpha', 502), success('B', 'beta')] }),
      row({ id: 'r3', pool: 'messages', model: 'm', initialTime: NOW - 5 * MIN, completeTime: NOW - 5 * MIN, attempts: [success('A', 'alpha')] }),
      // Older than the longest window, a side request, another pool's channel, a removed channel.
      row({ id: 'old', pool: 'messages', initialTime: NOW - 25 * 60 * MIN, attempts: [success('A', 'alpha')] }),
      row({ id: 'side', pool: 'messages', observeOnly: true, initialTime: NOW - MIN, attempts: [success('A', 'alpha')] }),
      row({ id: 'chat', pool: 'chat', initialTime: NOW - MIN, attempts: [success('A', 'alpha')] }),
      row({ id: 'gone', pool: 'messages', initialTime: NOW - MIN, attempts: [success('Z', 'removed')] }),
    ])
    const channels = [channel('A', 'alpha'), channel('B', 'beta')]
    const scheduler = createScheduler({ clock: () => NOW })
    scheduler.sync('messages', channels)
    const config = { upstream: channels, responsesUpstream: [], chatUpstream: [] } as unknown as Config
    expect(await seedChannelMetrics(db, scheduler, config, NOW)).toBe(2)

    const [a, b] = scheduler.getMetrics('messages', channels)
    expect(a).toMatchObject({ requestCount: 3, successCount: 1, failureCount: 2, consecutiveFailures: 0, breakerState: 'closed', errorRate: 0 })
    expect(a!.recentCalls.map(c => [c.success, c.statusCode])).toEqual([[false, 500], [false, 502], [true, 200]])
    expect(a!.timeWindows['15m']).toMatchObject({ requestCount: 1, successCount: 1 })
    expect(a!.timeWindows['1h']).toMatchObject({ requestCount: 2, failureCount: 1 })
    expect(a!.timeWindows['6h']).toMatchObject({ requestCount: 3, successRate: 33.33 })
    expect(b).toMatchObject({ requestCount: 2, successCount: 2 })
    expect(a!.lastFailureAt).toBe(new Date(NOW - 30 * MIN).toISOString())
    // Seeding only fills fresh metrics: a second pass (or one after live traffic) changes nothing.
    await seedChannelMetrics(db, scheduler, config, NOW)
    expect(scheduler.getMetrics('messages', channels)[0]).toMatchObject({ requestCount: 3 })
  })
})
