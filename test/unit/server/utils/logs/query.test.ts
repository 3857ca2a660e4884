import { afterEach, describe, expect, it } from 'vitest'
import { requestLogs } from '#server/database/schema'
import { closeOrphanedLogs, getLog, listLogs } from '#server/utils/logs/query'
import { cleanupLogs, startRetention } from '#server/utils/logs/retention'
import { poll } from '../../../../support/poll'
import { logDb, row } from './helpers'

const DAY = 24 * 3600_000
const NOW = Date.UTC(2026, 10, 30, 12)
let cleanup: (() => void)[] = []
afterEach(() => {
  for (const c of cleanup) c()
  cleanup = []
})

async function db() {
  const d = await logDb()
  cleanup.push(d.close)
  return d.db
}

describe('listing the request log', () => {
  it('lists newest first in the API\'s names, pages, and filters', async () => {
    const d = await db()
    await d.insert(requestLogs).values([
      row({ id: 'old', initialTime: NOW - 3000, model: 'a', channelUid: 'c1', channelName: 'one' }),
      row({ id: 'mid', initialTime: NOW - 2000, model: 'b', channelUid: 'c2', channelName: 'two', status: 'error', httpStatus: 429 }),
      row({ id: 'new', initialTime: NOW - 1000, model: 'a', channelUid: 'c1', channelName: 'one', inputTokens: 3, outputTokens: 4, cacheReadInputTokens: 5,
        attempts: [{ channelId: 'c2', channelName: 'two', maskedKey: 'sk-ant-a***aaaaa', status: 429, action: 'failover', reason: 'rule 429' }, { channelId: 'c1', channelName: 'one', status: 200, action: 'success', reason: 'priority_order' }] }),
    ])
    const page = await listLogs(d, {}, 2, 0)
    expect(page.requests.map(r => r.id)).toEqual(['new', 'mid'])
    expect([page.total, page.hasMore]).toEqual([3, true])
    expect(page.requests[0]).toMatchObject({
      initialTime: new Date(NOW - 1000).toISOString(), model: 'a', channelUid: 'c1', providerName: 'one', totalTokens: 12, hasFailedBodies: false,
      attempts: [{ channelId: 'c2', action: 'failover' }, { channelId: 'c1', action: 'success' }],
    })
    expect((await listLogs(d, {}, 2, 2)).requests.map(r => r.id)).toEqual(['old'])
    expect((await listLogs(d, { model: 'a' }, 10, 0)).requests.map(r => r.id)).toEqual(['new', 'old'])
    expect((await listLogs(d, { channel: 'two' }, 10, 0)).requests.map(r => r.id)).toEqual(['mid'])
    expect((await listLogs(d, { httpStatus: 429 }, 10, 0)).requests.map(r => r.id)).toEqual(['mid'])
    expect((await listLogs(d, { from: NOW - 2500, to: NOW - 1500 }, 10, 0)).requests.map(r => r.id)).toEqual(['mid'])
  })

  it('gives one row with its bodies, or nothing', async () => {
    const d = await db()
    await d.insert(requestLogs).values(row({ id: 'failed', status: 'error', requestBody: '{"model":"x"}', responseBody: 'upstream said no' }))
    expect(await getLog(d, 'failed')).toMatchObject({ id: 'failed', hasFailedBodies: true, requestBody: '{"model":"x"}', responseBody: 'upstream said no' })
    expect((await listLogs(d, {}, 10, 0)).requests[0]).not.toHaveProperty('requestBody')
    expect(await getLog(d, 'missing')).toBeUndefined()
  })
})

describe('retention', () => {
  it('deletes rows older than the given days, and the timer cleans at start and then daily', async () => {
    const d = await db()
    await d.insert(requestLogs).values([row({ id: 'a', initialTime: NOW - 91 * DAY }), row({ id: 'b', initialTime: NOW - 89 * DAY }), row({ id: 'c', initialTime: NOW - 31 * DAY })])
    expect(await cleanupLogs(d, 60, NOW)).toBe(2)
    expect((await listLogs(d, {}, 10, 0)).requests.map(r => r.id)).toEqual(['c'])

    await d.insert(requestLogs).values([row({ id: 'x', initialTime: NOW - 91 * DAY }), row({ id: 'y', initialTime: NOW - DAY })])
    const infos: string[] = []
    const stop = startRetention(d, { days: 90, everyMs: 60_000, clock: () => NOW, logInfo: m => infos.push(m), logError: () => {} })
    cleanup.push(stop)
    await poll(() => infos.length, n => n > 0)
    expect(infos).toEqual(['[logs] retention: deleted 1 request-log rows older than 90 days'])
    expect((await listLogs(d, {}, 10, 0)).requests.map(r => r.id)).toEqual(['y', 'c'])
    expect(startRetention(d, { days: 0, logInfo: () => {}, logError: () => {} })).toBeTypeOf('function')
  })

  it('marks rows a stopped process left running as timeout, and nothing else', async () => {
    const d = await db()
    await d.insert(requestLogs).values([row({ id: 'p', status: 'pending' }), row({ id: 'w', status: 'retry_wait' }), row({ id: 'done' })])
    expect(await closeOrphanedLogs(d, NOW)).toBe(2)
    const rows = (await listLogs(d, {}, 10, 0)).requests
    expect(Object.fromEntries(rows.map(r => [r.id, r.status]))).toEqual({ p: 'timeout', w: 'timeout', done: 'completed' })
  })
})
