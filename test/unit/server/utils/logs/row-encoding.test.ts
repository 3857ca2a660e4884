import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { batchStatements, logBatch } from '#server/utils/logs/batch-sql'
import type { AnswerColumns, LogWrite, NewRequestLog, RequestLogPatch } from '#server/utils/logs/types'
import { createWorkerWriter } from '#server/utils/logs/write-worker'
import { logDb, row, writerFolder } from './helpers'

// As in the built server, where the writer thread's file sits beside the entry.
const WORKERS = writerFolder()

let cleanup: (() => void)[] = []
afterEach(() => {
  for (const c of cleanup) c()
  cleanup = []
})

type Written = [row: NewRequestLog, change?: RequestLogPatch, answer?: AnswerColumns]

/**
 * The two ways a row reaches the table: bound as values on the main connection (`rowValues`), and
 * encoded into the writer thread's ring (`RowEncoder`), decoded and bound there.
 */
const paths = {
  'on the main connection': async (db: Awaited<ReturnType<typeof logDb>>['db']) => async (writes: LogWrite[]) => {
    await db.$client.batch(batchStatements(logBatch(writes)), 'write')
  },
  'through the writer thread': async (_db: unknown, dir: string) => {
    const writer = createWorkerWriter(join(dir, 'logs.db'), 5000, WORKERS, { maxTries: 1, retryDelayMs: 10, maxQueued: 5000, batchRows: 200, intervalMs: 10, logError: () => {} })!
    cleanup.push(() => void writer.close())
    return async (writes: LogWrite[]) => {
      await writer.write(logBatch(writes), writes.length)
      await writer.drain()
      expect(writer.stats()).toMatchObject({ written: writes.length, failed: 0 })
    }
  },
}

describe.each(Object.entries(paths))('a row written %s', (_, open) => {
  async function roundTrip(rows: Written[]) {
    const { db, dir, close } = await logDb()
    cleanup.push(close)
    const write = await open(db, dir)
    await write(rows.map(([r, change, answer]) => ({ kind: 'insert', id: r.id, row: r, change, answer })))
    return db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })
  }

  it('is stored as drizzle reads it back: text, integers, reals, booleans, JSON', async () => {
    const full: NewRequestLog = row({
      id: 'req_full',
      status: 'completed',
      initialTime: 1_764_590_000_123,
      completeTime: 1_764_590_001_456,
      durationMs: 1333,
      model: 'claude-sonnet-4-5',
      // Quotes, a backslash, a newline, non-ASCII and an emoji survive the trip.
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
    const [stored] = await roundTrip([[full]])
    expect(stored).toMatchObject({ ...full, requestBody: null, responseBody: null })
    // Numbers stay numbers and text stays text, even text that looks like a number.
    expect(typeof stored!.clientId).toBe('string')
    expect(stored!.outputCost).toBe(3)
  })

  it('gives missing values the column defaults, and numbers SQLite cannot carry too', async () => {
    const [stored] = await roundTrip([[{ id: 'req_min', status: 'pending', endpoint: '/v1/messages', initialTime: 1, price: Number.NaN, durationMs: Number.POSITIVE_INFINITY }]])
    expect(stored).toMatchObject({ id: 'req_min', status: 'pending', durationMs: 0, httpStatus: 0, stream: false, price: 0, inputTokens: 0, attempts: [], model: null, cacheCreation1hInputTokens: null })
  })

  it('is the row as a change leaves it: what the change sets wins, what it leaves undefined keeps the row\'s', async () => {
    const pending = row({ id: 'req_c', status: 'pending', model: 'claude-sonnet-4-5', clientId: 'cli', httpStatus: 0, stream: true })
    const [stored] = await roundTrip([[pending, { status: 'completed', httpStatus: 200, model: undefined, outputTokens: 7, stream: false, price: 0.5 }]])
    expect(stored).toMatchObject({ id: 'req_c', status: 'completed', httpStatus: 200, model: 'claude-sonnet-4-5', clientId: 'cli', outputTokens: 7, stream: false, price: 0.5 })
    // The row itself is left as it was.
    expect(pending).toMatchObject({ status: 'pending', httpStatus: 0, stream: true })
  })

  it('takes its answer columns from the answer first, then the change, then the row', async () => {
    const pending = row({ id: 'req_a', status: 'pending', model: 'claude-sonnet-4-5', responseModel: 'old', inputTokens: 1, outputTokens: 2 })
    const [stored] = await roundTrip([[pending, { status: 'completed', inputTokens: 10, outputTokens: 20 }, { responseModel: 'claude-sonnet-4-5-20250929', inputTokens: 100, outputTokens: undefined, usageEstimated: true, price: 0.25, cacheCreation1hInputTokens: 3 }]])
    expect(stored).toMatchObject({ status: 'completed', responseModel: 'claude-sonnet-4-5-20250929', inputTokens: 100, outputTokens: 20, usageEstimated: true, price: 0.25, cacheCreation1hInputTokens: 3 })
  })

  it('keeps its attempts as given: many of them, fields absent, texts of every kind, and values JSON must carry', async () => {
    // More attempts than the encoder's first buffer holds: it grows in the middle of the row.
    const many = Array.from({ length: 2000 }, (_, i) => ({ channelId: `c${i}`, channelName: `chaîne ✓ ${i}`, keyIndex: i % 3, action: i % 2 ? 'failover' : 'retry', reason: 'rule "429"', ...(i % 5 ? { waitMs: i * 1.5 } : {}), ...(i % 7 ? {} : { error: 'ECONNRESET 🚀' }) }))
    // A value that is neither text nor number goes as the JSON it is.
    const odd = [{ channelId: 'c1', channelName: 'one', action: 'success', reason: 'r', status: null }] as unknown as NewRequestLog['attempts']
    const [big, strange, none] = await roundTrip([[row({ id: 'req_a', attempts: many })], [row({ id: 'req_b', attempts: odd })], [row({ id: 'req_c', attempts: [] })]])
    expect(big!.attempts).toEqual(many)
    expect(strange!.attempts).toEqual(odd)
    expect(none!.attempts).toEqual([])
  })

  it('replaces an earlier row of its batch with the same id', async () => {
    const stored = await roundTrip([[row({ id: 'req_a', status: 'pending' })], [row({ id: 'req_b' })], [row({ id: 'req_a', status: 'error', httpStatus: 502 })]])
    expect(stored.map(r => [r.id, r.status, r.httpStatus])).toEqual([['req_a', 'error', 502], ['req_b', 'completed', 200]])
  })

  it('keeps large bodies whole, and the texts after a lone surrogate in their columns', async () => {
    // Larger than the encoder's first buffer, in characters of one to four bytes.
    const body = 'é✓🚀a'.repeat(40_000)
    const [stored, next] = await roundTrip([
      [row({ id: 'req_big', status: 'error', requestBody: body, responseBody: `{"error":"${body}"}`, error: 'upstream 500' })],
      [row({ id: 'req_lone', userAgent: 'half \uD800 a pair', clientId: 'cli-after', sessionId: 'sess' })],
    ])
    expect(stored).toMatchObject({ id: 'req_big', requestBody: body, responseBody: `{"error":"${body}"}`, error: 'upstream 500' })
    // A lone surrogate cannot be UTF-8: it is stored as U+FFFD, one character for one.
    expect(next).toMatchObject({ userAgent: 'half \uFFFD a pair', clientId: 'cli-after', sessionId: 'sess' })
  })
})
