import { afterEach, describe, expect, it } from 'vitest'
import { batchStatements, logBatch } from '#server/utils/logs/batch-sql'
import { encodeRow } from '#server/utils/logs/row-encoding'
import type { NewRequestLog } from '#server/utils/logs/types'
import { logDb, row } from './helpers'

let cleanup: (() => void)[] = []
afterEach(() => {
  for (const c of cleanup) c()
  cleanup = []
})

async function roundTrip(rows: NewRequestLog[]) {
  const { db, close } = await logDb()
  cleanup.push(close)
  await db.$client.batch(batchStatements(logBatch(rows.map(r => ({ kind: 'insert', id: r.id, encoded: encodeRow(r) })))), 'write')
  return db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })
}

describe('encodeRow and the one-value insert', () => {
  it('stores every kind of column as drizzle reads it back: text, integers, reals, booleans, JSON', async () => {
    const full: NewRequestLog = row({
      id: 'req_full',
      status: 'completed',
      initialTime: 1_764_590_000_123,
      completeTime: 1_764_590_001_456,
      durationMs: 1333,
      model: 'claude-sonnet-4-5',
      // Quotes, a backslash, a newline, non-ASCII and an emoji survive the JSON trip.
      userAgent: 'ua "quoted" \\ back\nslash — 中文 🚀',
      clientId: '12345',
      stream: true,
      usageEstimated: false,
      inputTokens: 1200,
      cacheCreation1hInputTokens: 0,
      price: 0.012_345_678_9,
      inputCost: 0.0036,
      outputCost: 3,
      attempts: [{ channelId: 'c1', channelName: 'one', status: 502, action: 'failover', reason: 'bad gateway "x"', waitMs: 250 }],
      failoverInfo: 'one 502 > two 200',
    })
    const [stored] = await roundTrip([full])
    expect(stored).toMatchObject({ ...full, requestBody: null, responseBody: null })
    // Numbers stay numbers and text stays text, even text that looks like a number.
    expect(typeof stored!.clientId).toBe('string')
    expect(stored!.outputCost).toBe(3)
  })

  it('gives missing values the column defaults, and values JSON cannot carry too', async () => {
    const [stored] = await roundTrip([{ id: 'req_min', status: 'pending', endpoint: '/v1/messages', initialTime: 1, price: Number.NaN, durationMs: Number.POSITIVE_INFINITY }])
    expect(stored).toMatchObject({ id: 'req_min', status: 'pending', durationMs: 0, httpStatus: 0, stream: false, price: 0, inputTokens: 0, attempts: [], model: null, cacheCreation1hInputTokens: null })
  })

  it('encodes a row as a change leaves it: what the change sets wins, what it leaves undefined keeps the row\'s', async () => {
    const { db, close } = await logDb()
    cleanup.push(close)
    const pending = row({ id: 'req_c', status: 'pending', model: 'claude-sonnet-4-5', clientId: 'cli', httpStatus: 0, stream: true })
    const encoded = encodeRow(pending, { status: 'completed', httpStatus: 200, model: undefined, outputTokens: 7, stream: false, price: 0.5 })
    await db.$client.batch(batchStatements(logBatch([{ kind: 'insert', id: 'req_c', encoded }])), 'write')
    const [stored] = await db.query.requestLogs.findMany()
    expect(stored).toMatchObject({ id: 'req_c', status: 'completed', httpStatus: 200, model: 'claude-sonnet-4-5', clientId: 'cli', outputTokens: 7, stream: false, price: 0.5 })
    // The row itself is left as it was.
    expect(pending).toMatchObject({ status: 'pending', httpStatus: 0, stream: true })
  })

  it('lets a later row of a batch replace an earlier one with the same id', async () => {
    const stored = await roundTrip([row({ id: 'req_a', status: 'pending' }), row({ id: 'req_b' }), row({ id: 'req_a', status: 'error', httpStatus: 502 })])
    expect(stored.map(r => [r.id, r.status, r.httpStatus])).toEqual([['req_a', 'error', 502], ['req_b', 'completed', 200]])
  })
})
