import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogQueue } from '#server/utils/logs/queue'
import { createRequestLog } from '#server/utils/logs/request-log'
import { createWorkerWriter } from '#server/utils/logs/write-worker'
import type { LogWrite, NewRequestLog } from '#server/utils/logs/types'
import { poll } from '../../../../support/poll'
import { logDb, row, writerFolder } from './helpers'

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))
let cleanup: (() => void)[] = []
afterEach(() => {
  for (const c of cleanup) c()
  cleanup = []
})

/** A write that records its batches and waits for `gate` (if set) before finishing. */
function recordingWrite() {
  const batches: LogWrite[][] = []
  let gate: Promise<void> | undefined
  let failures = 0
  return {
    batches,
    hold(p: Promise<void>) {
      gate = p
    },
    failNext(times: number) {
      failures = times
    },
    write: async (batch: LogWrite[]) => {
      if (gate) await gate
      if (failures > 0) {
        failures--
        throw new Error('database is locked')
      }
      batches.push(batch)
    },
  }
}

const whole = (over: Partial<NewRequestLog>, final?: boolean): LogWrite => {
  const r = row(over)
  return { kind: 'insert', id: r.id, row: r, final }
}
const insert = (id: string): LogWrite => whole({ id })
/** A queued whole row's status, as it will be written. */
const statusOf = (w: LogWrite) => w.kind === 'insert' ? w.change?.status ?? w.row.status : undefined

describe('the request-log queue', () => {
  it('writes a lone row once the interval has passed, not before', async () => {
    const w = recordingWrite()
    const q = createLogQueue({ write: w.write, intervalMs: 80 })
    q.push(insert('a'))
    q.push(insert('b'))
    expect(w.batches).toHaveLength(0)
    await poll(() => w.batches.length, n => n > 0)
    expect(w.batches.map(b => b.map(x => x.id))).toEqual([['a', 'b']])
  })

  it('writes as soon as a batch is full, without waiting for the interval', async () => {
    const w = recordingWrite()
    const q = createLogQueue({ write: w.write, intervalMs: 60_000, batchRows: 200 })
    for (let i = 0; i < 200; i++) q.push(insert(`r${i}`))
    await poll(() => w.batches.length, n => n > 0, 5000)
    expect(w.batches).toHaveLength(1)
    expect(w.batches[0]).toHaveLength(200)
    expect(q.stats()).toEqual({ queued: 0, dropped: 0, failed: 0, written: 200 })
  })

  it('writes a change to a row still queued after the row, in the same batch', async () => {
    const w = recordingWrite()
    const q = createLogQueue({ write: w.write, intervalMs: 60_000 })
    q.push(whole({ id: 'a', status: 'pending' }))
    q.push({ kind: 'update', id: 'a', patch: { status: 'completed', outputTokens: 7 } })
    await q.flush()
    expect(w.batches).toHaveLength(1)
    expect(w.batches[0]!.map(x => [x.kind, x.id, statusOf(x) ?? (x.kind === 'update' && x.patch.status)])).toEqual([['insert', 'a', 'pending'], ['update', 'a', 'completed']])
  })

  it('lets a whole row replace its queued self, bytes included', async () => {
    const w = recordingWrite()
    const q = createLogQueue({ write: w.write, intervalMs: 60_000, maxQueuedBytes: 3000, sizeOf: () => 1000 })
    // The same request's row, written whole three times while queued: one row's bytes, not three.
    for (const status of ['pending', 'failover', 'completed'] as const) q.push(whole({ id: 'a', status }))
    q.push(insert('b'))
    q.push(insert('c'))
    expect(q.stats()).toMatchObject({ queued: 3, dropped: 0 })
    await q.flush()
    expect(w.batches.flat().map(x => [x.id, statusOf(x)])).toEqual([['a', 'completed'], ['b', 'completed'], ['c', 'completed']])
  })

  it('keeps a final row as it is: only a row still running is replaced by its later self', async () => {
    const w = recordingWrite()
    const q = createLogQueue({ write: w.write, intervalMs: 60_000 })
    q.push(whole({ id: 'a', status: 'pending' }))
    q.push(whole({ id: 'a', status: 'completed' }, true))
    // A final row is not remembered for replacing: a whole row after it is queued on its own.
    q.push(whole({ id: 'b', status: 'completed' }, true))
    q.push(whole({ id: 'b', status: 'error' }))
    expect(q.stats().queued).toBe(3)
    await q.flush()
    expect(w.batches.flat().map(x => [x.id, statusOf(x)])).toEqual([['a', 'completed'], ['b', 'completed'], ['b', 'error']])
  })

  it('drops the oldest rows and counts them while the database is slow', async () => {
    const w = recordingWrite()
    let release!: () => void
    w.hold(new Promise(r => release = r))
    const q = createLogQueue({ write: w.write, intervalMs: 10, batchRows: 5, maxQueued: 10 })
    for (let i = 0; i < 5; i++) q.push(insert(`first${i}`))
    // The first batch is now stuck in the database; 25 more rows arrive meanwhile.
    await sleep(20)
    for (let i = 0; i < 25; i++) q.push(insert(`r${i}`))
    expect(q.stats()).toEqual({ queued: 10, dropped: 15, failed: 0, written: 0 })
    release()
    await q.flush()
    const written = w.batches.flat().map(x => x.id)
    expect(written).toEqual([...Array.from({ length: 5 }, (_, i) => `first${i}`), ...Array.from({ length: 10 }, (_, i) => `r${i + 15}`)])
  })

  it('also drops the oldest rows when the queued bytes exceed the budget', async () => {
    const w = recordingWrite()
    let release!: () => void
    w.hold(new Promise(r => release = r))
    const q = createLogQueue({ write: w.write, intervalMs: 10, maxQueuedBytes: 3000, sizeOf: () => 1000 })
    q.push(insert('stuck'))
    await sleep(20)
    for (let i = 0; i < 5; i++) q.push(insert(`r${i}`))
    expect(q.stats()).toEqual({ queued: 3, dropped: 2, failed: 0, written: 0 })
    release()
    await q.flush()
    expect(w.batches.flat().map(x => x.id)).toEqual(['stuck', 'r2', 'r3', 'r4'])
  })

  it('retries a failed batch in order, then gives up on it and counts the rows', async () => {
    const w = recordingWrite()
    const errors: string[] = []
    const q = createLogQueue({ write: w.write, intervalMs: 10, retryDelayMs: 10, maxTries: 3, logError: m => errors.push(m) })
    w.failNext(1)
    q.push(insert('a'))
    q.push({ kind: 'update', id: 'a', patch: { status: 'error' } })
    await poll(() => w.batches.length, n => n > 0)
    // Retried whole, the change still after its row.
    expect(w.batches.flat().map(x => [x.kind, x.id])).toEqual([['insert', 'a'], ['update', 'a']])
    expect(q.stats().failed).toBe(0)

    w.failNext(3)
    q.push(insert('b'))
    await q.flush()
    expect(q.stats()).toEqual({ queued: 0, dropped: 0, failed: 1, written: 2 })
    expect(errors).toHaveLength(4)
  })
})

describe('createRequestLog over libSQL', () => {
  it('writes each flush in one transaction and flushes what is left on close', async () => {
    const { db, close } = await logDb()
    cleanup.push(close)
    const batch = vi.spyOn(db.$client, 'batch')
    const log = createRequestLog(db, { intervalMs: 60_000, batchRows: 3 })
    for (const id of ['a', 'b', 'c']) log.record(row({ id, status: 'completed' }))
    await poll(() => batch.mock.calls.length, n => n > 0, 5000)
    log.record(row({ id: 'd', status: 'pending' }))
    expect(batch.mock.calls).toHaveLength(1)
    // One transaction: the three rows, an INSERT each.
    const [statements, mode] = batch.mock.calls[0]! as unknown as [{ sql: string, args: unknown[] }[], string]
    expect(mode).toBe('write')
    expect(statements.map(s => [s.sql.split(' (')[0], s.args[0]])).toEqual(['a', 'b', 'c'].map(id => ['insert or replace into request_logs', id]))
    await log.close()
    expect(batch.mock.calls).toHaveLength(2)
    const rows = await db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })
    expect(rows.map(r => [r.id, r.status])).toEqual([['a', 'completed'], ['b', 'completed'], ['c', 'completed'], ['d', 'pending']])
  })

  it('writes a request that ends within the pending delay once, whole, and a longer one when the delay has passed', async () => {
    const { db, close } = await logDb()
    cleanup.push(close)
    const batch = vi.spyOn(db.$client, 'batch')
    const log = createRequestLog(db, { intervalMs: 10, pendingWriteDelayMs: 300 })
    log.record(row({ id: 'quick', status: 'pending', model: 'claude-sonnet-4-5' }))
    log.record(row({ id: 'slow', status: 'pending', model: 'claude-opus-4-1' }))
    log.update('quick', { status: 'completed', httpStatus: 200, outputTokens: 12 })
    await poll(() => batch.mock.calls.length, n => n > 0)
    // The quick request's one row, whole: one INSERT and no UPDATE; the slow one still waits.
    const statements = () => batch.mock.calls.flatMap(c => c[0] as unknown as { sql: string }[]).map(st => st.sql.split(' ')[0])
    expect(statements()).toEqual(['insert'])
    const stored = async () => (await db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })).map(r => [r.id, r.status, r.model, r.outputTokens])
    expect(await stored()).toEqual([['quick', 'completed', 'claude-sonnet-4-5', 12]])
    // Past the delay the running request's pending row is written, so the log shows it…
    await poll(stored, r => r.length === 2, 5000)
    expect(await stored()).toEqual([['quick', 'completed', 'claude-sonnet-4-5', 12], ['slow', 'pending', 'claude-opus-4-1', 0]])
    // …and its end replaces it, still as a whole row.
    log.update('slow', { status: 'error', httpStatus: 502, error: 'upstream went away' })
    await log.flush()
    expect(statements()).toEqual(['insert', 'insert', 'insert'])
    expect(await stored()).toEqual([['quick', 'completed', 'claude-sonnet-4-5', 12], ['slow', 'error', 'claude-opus-4-1', 0]])
    expect(log.stats()).toMatchObject({ queued: 0, written: 3 })
    await log.close()
  })

  it('past its limit of running requests writes the oldest one\'s row at once and its end as a change to it', async () => {
    const { db, close } = await logDb()
    cleanup.push(close)
    const batch = vi.spyOn(db.$client, 'batch')
    const log = createRequestLog(db, { intervalMs: 10, pendingWriteDelayMs: 60_000, maxLiveRows: 2 })
    for (const id of ['a', 'b', 'c']) log.record(row({ id, status: 'pending', model: `m-${id}` }))
    log.update('a', { status: 'completed', httpStatus: 200, outputTokens: 9 })
    log.update('b', { status: 'error', httpStatus: 502 })
    await log.flush()
    const statements = batch.mock.calls.flatMap(c => c[0] as unknown as { sql: string }[]).map(st => st.sql.split(' ')[0])
    // a: its pending row when it was let go, then its end as an UPDATE; b: one whole row; c: still running.
    expect(statements.filter(s => s === 'update')).toHaveLength(1)
    const stored = (await db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })).map(r => [r.id, r.status, r.model, r.outputTokens, r.httpStatus])
    expect(stored).toEqual([['a', 'completed', 'm-a', 9, 200], ['b', 'error', 'm-b', 0, 502], ['c', 'pending', 'm-c', 0, 200]])
    await log.close()
  })

  it('with its writer thread: a flush waits for the thread\'s writes, and the stats count rows once the thread has written them', async () => {
    const { db, dir, close } = await logDb()
    cleanup.push(close)
    const workers = writerFolder()
    const writer = createWorkerWriter(join(dir, 'logs.db'), 5000, workers, { maxTries: 3, retryDelayMs: 10, maxQueued: 5000, batchRows: 200, intervalMs: 10, logError: () => {} })!
    const log = createRequestLog(db, { writer, intervalMs: 10 })
    for (const id of ['a', 'b', 'c']) log.record(row({ id, status: 'completed' }))
    log.record(row({ id: 'd', status: 'pending' }))
    log.update('d', { status: 'completed', outputTokens: 7 })
    await log.flush()
    const stored = (await db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })).map(r => [r.id, r.status, r.outputTokens])
    expect(stored).toEqual([['a', 'completed', 0], ['b', 'completed', 0], ['c', 'completed', 0], ['d', 'completed', 7]])
    expect(log.stats()).toMatchObject({ queued: 0, written: 4, dropped: 0, failed: 0 })
    // With a thread, its CPU time is reported too (its amount is write-worker.test.ts's).
    expect(log.stats()).toHaveProperty('writerCpuUs')
    await log.close()
  })

  it('writes on its own connection once its writer thread is gone, losing no row', async () => {
    const { db, dir, close } = await logDb()
    cleanup.push(close)
    // A writer thread that cannot start (its file throws as it loads).
    const workers = mkdtempSync(join(tmpdir(), 'ccb-writer-'))
    writeFileSync(join(workers, 'log-writer.mjs'), 'throw new Error(\'no driver here\')\n')
    const writer = createWorkerWriter(join(dir, 'logs.db'), 5000, pathToFileURL(`${workers}/`).href, { maxTries: 3, retryDelayMs: 10, maxQueued: 5000, batchRows: 200, intervalMs: 10, logError: () => {} })!
    const errors: string[] = []
    const log = createRequestLog(db, { writer, intervalMs: 10, retryDelayMs: 10, logError: m => errors.push(m) })
    for (const id of ['a', 'b']) log.record(row({ id, status: 'completed' }))
    await log.flush()
    log.record(row({ id: 'c', status: 'completed' }))
    await log.close()
    expect((await db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })).map(r => r.id)).toEqual(['a', 'b', 'c'])
    expect(log.stats()).toMatchObject({ failed: 0, dropped: 0 })
    // Said once, however many batches follow.
    expect(errors.filter(m => m.includes('writer thread stopped'))).toHaveLength(1)
  })

  it('never throws into the proxy, keeps bodies only when told to, and caps them', async () => {
    const { db, close } = await logDb()
    cleanup.push(close)
    const errors: unknown[] = []
    const keep = createRequestLog(db, { keepFailedBodies: true, logError: (_m, e) => errors.push(e) })
    const drop = createRequestLog(db, { keepFailedBodies: false })
    keep.record(row({ id: 'kept', status: 'error', requestBody: 'x'.repeat(100_000), responseBody: '{"error":"boom"}' }))
    drop.record(row({ id: 'dropped', status: 'error', requestBody: 'secret', responseBody: 'secret' }))
    expect(() => keep.record(null as never)).not.toThrow()
    expect(() => keep.record({ id: 'no-endpoint' } as never)).not.toThrow()
    expect(errors).toHaveLength(2)
    await Promise.all([keep.close(), drop.close()])
    const [kept] = await db.query.requestLogs.findMany({ where: (t, { eq }) => eq(t.id, 'kept') })
    expect(Buffer.byteLength(kept!.requestBody!)).toBeLessThanOrEqual(64 * 1024)
    expect(kept!.requestBody).toMatch(/…\[truncated\]$/)
    expect(kept!.responseBody).toBe('{"error":"boom"}')
    const [dropped] = await db.query.requestLogs.findMany({ where: (t, { eq }) => eq(t.id, 'dropped') })
    expect([dropped!.requestBody, dropped!.responseBody]).toEqual([null, null])
  })

  it('tells the live stream of new rows and of each change, with the whole row', async () => {
    const { db, close } = await logDb()
    cleanup.push(close)
    const log = createRequestLog(db)
    const frames: string[] = []
    log.broadcaster.subscribe({ send: f => frames.push(f), close() {} })
    log.record(row({ id: 'live', status: 'pending', model: 'claude-sonnet-4-5', httpStatus: 0 }))
    log.update('live', { status: 'completed', httpStatus: 200, outputTokens: 5, price: 0.01 })
    const events = frames.map(f => ({ type: /^event: (.*)$/m.exec(f)![1], payload: JSON.parse(/^data: (.*)$/m.exec(f)![1]!) }))
    expect(events.map(e => e.type)).toEqual(['log:created', 'log:updated'])
    expect(events[1]!.payload).toMatchObject({ type: 'log:updated', data: { id: 'live', model: 'claude-sonnet-4-5', status: 'completed', outputTokens: 5, price: 0.01 } })
    await log.close()
  })
})
