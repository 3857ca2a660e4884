import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createClient } from '@libsql/client'
import { afterEach, describe, expect, it } from 'vitest'
import { logBatch } from '#server/utils/logs/batch-sql'
import type { LogWrite } from '#server/utils/logs/types'
import { createWorkerWriter, type WorkerWriterOptions } from '#server/utils/logs/write-worker'
import { logDb, row, writerFolder } from './helpers'

// As in the built server, where the writer thread's file sits beside the entry.
const WORKERS = writerFolder()

let cleanup: (() => void)[] = []
afterEach(() => {
  for (const c of cleanup) c()
  cleanup = []
})

async function migrated() {
  const { db, dir, close } = await logDb()
  cleanup.push(close)
  return { db, path: join(dir, 'logs.db') }
}

/** The writer's options with short waits, and what it said. */
function options(over: Partial<WorkerWriterOptions> = {}) {
  const said: string[] = []
  const opts: WorkerWriterOptions = { maxTries: 3, retryDelayMs: 20, maxQueued: 5000, batchRows: 200, intervalMs: 10, logError: (m, e) => said.push(`${m}: ${String(e)}`), ...over }
  return { opts, said }
}

const insert = (id: string, status: 'completed' | 'pending' = 'completed'): LogWrite => ({ kind: 'insert', id, row: row({ id, status, model: 'claude-sonnet-4-5' }) })
const batchOf = (...writes: LogWrite[]) => [logBatch(writes), writes.length] as const

/** A thread file of the test's own, for threads that fail in a given way. */
function threadFile(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccb-writer-'))
  writeFileSync(join(dir, 'log-writer.mjs'), source)
  return pathToFileURL(`${dir}/`).href
}

describe('createWorkerWriter', () => {
  it('writes each batch in one transaction on its own thread and connection, in the order handed over', async () => {
    const { db, path } = await migrated()
    const writer = createWorkerWriter(path, 5000, WORKERS, options().opts)!
    expect(writer).toBeDefined()
    // Handed over at once: the batches are the thread's from here.
    await writer.write(...batchOf(insert('a'), insert('b', 'pending')))
    await writer.write(...batchOf({ kind: 'update', id: 'b', patch: { status: 'error', httpStatus: 502 } }))
    await writer.drain()
    const stored = (await db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })).map(r => [r.id, r.status, r.httpStatus])
    expect(stored).toEqual([['a', 'completed', 200], ['b', 'error', 502]])
    expect(writer.stats()).toMatchObject({ pending: 0, handed: 3, written: 3, failed: 0, dropped: 0 })
    await writer.close()
  })

  it('tries a failing batch again, gives it up after its last try, rolled back, counted and said; the batches behind it wait their turn', async () => {
    const { db, path } = await migrated()
    // Gathered into one transaction (nothing is written before the drain): the failing batch is
    // found out alone, and the one beside it is not given up with it.
    const { opts, said } = options({ maxTries: 2, intervalMs: 60_000 })
    const writer = createWorkerWriter(path, 5000, WORKERS, opts)!
    const [failing] = batchOf(insert('c'))
    failing.updates.push({ sql: 'insert into nope values (1)', args: [] })
    await writer.write(failing, 2)
    await writer.write(...batchOf(insert('d')))
    expect(writer.stats().pending).toBe(3)
    await writer.drain()
    expect((await db.query.requestLogs.findMany()).map(r => r.id)).toEqual(['d'])
    expect(writer.stats()).toMatchObject({ pending: 0, written: 1, failed: 2 })
    expect(said).toEqual([
      expect.stringMatching(/writing 2 request-log rows failed; trying again in 20 ms: .*no such table: nope/),
      expect.stringMatching(/writing 2 request-log rows failed 2 times; given up: .*no such table: nope/),
    ])
    await writer.close()
  })

  it('writes a row whole after its pending self in the same transaction, whichever insert statement each lands in', async () => {
    const { db, path } = await migrated()
    const writer = createWorkerWriter(path, 5000, WORKERS, options({ intervalMs: 60_000 }).opts)!
    // 60 writes in one transaction: the thread inserts rows several to a statement, then the rest
    // one by one. `x` is pending and whole within the first statement, `y` across two, `z` in the rest.
    const ids = Array.from({ length: 54 }, (_, i) => `r${String(i).padStart(2, '0')}`)
    const writes = ids.map(id => insert(id))
    writes.splice(3, 0, insert('x', 'pending'))
    writes.splice(10, 0, insert('x'))
    writes.splice(20, 0, insert('y', 'pending'))
    writes.splice(40, 0, insert('y'))
    writes.splice(57, 0, insert('z', 'pending'))
    writes.push(insert('z'))
    await writer.write(...batchOf(...writes))
    await writer.drain()
    const stored = await db.query.requestLogs.findMany()
    expect(stored).toHaveLength(57)
    expect(stored.filter(r => r.status !== 'completed')).toEqual([])
    expect(new Set(stored.map(r => r.id))).toEqual(new Set([...ids, 'x', 'y', 'z']))
    expect(writer.stats()).toMatchObject({ pending: 0, written: 60, failed: 0 })
    await writer.close()
  })

  it('gathers the batches handed over into one transaction of batchRows writes, or of what waited intervalMs, or what a drain finds', async () => {
    const { db, path } = await migrated()
    const writer = createWorkerWriter(path, 5000, WORKERS, options({ batchRows: 5, intervalMs: 60_000 }).opts)!
    const stored = async () => (await db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })).map(r => r.id)
    await writer.write(...batchOf(insert('a'), insert('b')))
    await writer.write(...batchOf(insert('c')))
    await new Promise(resolve => setTimeout(resolve, 150))
    // Three rows, the interval far off: they wait for company.
    expect(await stored()).toEqual([])
    expect(writer.stats()).toMatchObject({ pending: 3, written: 0 })
    await writer.write(...batchOf(insert('d'), insert('e')))
    await expect.poll(() => writer.stats().written, { timeout: 5000 }).toBe(5)
    expect(await stored()).toEqual(['a', 'b', 'c', 'd', 'e'])
    // A lone row goes at a drain's asking.
    await writer.write(...batchOf(insert('f')))
    await writer.drain()
    expect(await stored()).toContain('f')
    await writer.close()
    const quick = createWorkerWriter(path, 5000, WORKERS, options({ batchRows: 200, intervalMs: 50 }).opts)!
    await quick.write(...batchOf(insert('g')))
    // Or once the oldest has waited the interval.
    await expect.poll(() => quick.stats().written, { timeout: 5000 }).toBe(1)
    await quick.close()
  })

  it('hands batches over through its ring, whole and in order, a batch waiting while the ring is full', async () => {
    const { db, path } = await migrated()
    // A ring of 1 KB holds about three of these batches: most hand-overs wait for the thread to read.
    const writer = createWorkerWriter(path, 5000, WORKERS, options({ ringBytes: 1024, batchRows: 50 }).opts)!
    const model = (i: number) => `modèle-${i}-✓`
    const withModel = (id: string, i: number): LogWrite => ({ kind: 'insert', id, row: row({ id, model: model(i) }) })
    const handed = Array.from({ length: 60 }, (_, i) => writer.write(...batchOf(withModel(`r${String(i).padStart(2, '0')}a`, i), withModel(`r${String(i).padStart(2, '0')}b`, i))))
    await Promise.all(handed)
    await writer.drain()
    const stored = await db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })
    expect(stored).toHaveLength(120)
    expect(stored.every(r => r.model === model(Number(r.id.slice(1, 3))))).toBe(true)
    // Inserted in the order handed over.
    const inserted = (await db.$client.execute('select id from request_logs order by rowid')).rows.map(r => r.id)
    expect(inserted).toEqual(stored.map(r => r.id))
    expect(writer.stats()).toMatchObject({ pending: 0, handed: 120, written: 120, dropped: 0, failed: 0 })
    await writer.close()
  })

  it('reports the CPU time its thread spent on the batches', async () => {
    const { path } = await migrated()
    const writer = createWorkerWriter(path, 5000, WORKERS, options().opts)!
    await writer.write({ updates: [{ sql: 'create table t (id integer primary key, v text)', args: [] }] }, 1)
    await writer.drain()
    const light = writer.stats().cpuUs
    // 300,000 rows: well over the kernel's accounting tick, and far less than the wall time allowed.
    const started = performance.now()
    await writer.write({ updates: [{ sql: 'with recursive n(x) as (select 1 union all select x + 1 from n where x < 300000) insert into t select x, hex(randomblob(32)) from n', args: [] }] }, 1)
    await writer.drain()
    const wallUs = (performance.now() - started) * 1000
    const heavy = writer.stats().cpuUs - light
    expect(heavy).toBeGreaterThan(20_000)
    expect(heavy).toBeLessThanOrEqual(wallUs * 1.1)
    expect(light).toBeLessThan(heavy)
    await writer.close()
  })

  it('waits for another connection\'s write lock up to the busy timeout, and tries again until it gets it', async () => {
    const { db, path } = await migrated()
    const { opts, said } = options({ maxTries: 10, retryDelayMs: 50 })
    const writer = createWorkerWriter(path, 100, WORKERS, opts)!
    const other = createClient({ url: `file:${path}` })
    cleanup.push(() => other.close())
    const tx = await other.transaction('write')
    await writer.write(...batchOf(insert('x')))
    await new Promise(resolve => setTimeout(resolve, 400))
    expect(said[0]).toMatch(/trying again in 50 ms: .*(locked|busy)/i)
    expect(writer.stats()).toMatchObject({ pending: 1, written: 0 })
    await tx.rollback()
    await writer.drain()
    expect((await db.query.requestLogs.findMany()).map(r => r.id)).toEqual(['x'])
    expect(writer.stats()).toMatchObject({ pending: 0, written: 1, failed: 0 })
    await writer.close()
  })

  it('lets the oldest batches go, counted, when too many wait for the database', async () => {
    const { db, path } = await migrated()
    const writer = createWorkerWriter(path, 50, WORKERS, options({ maxTries: 100, retryDelayMs: 30, maxQueued: 2 }).opts)!
    const other = createClient({ url: `file:${path}` })
    cleanup.push(() => other.close())
    const tx = await other.transaction('write')
    for (const id of ['x1', 'x2', 'x3']) await writer.write(...batchOf(insert(id)))
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(writer.stats()).toMatchObject({ pending: 2, dropped: 1 })
    await tx.rollback()
    await writer.drain()
    expect((await db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })).map(r => r.id)).toEqual(['x2', 'x3'])
    expect(writer.stats()).toMatchObject({ pending: 0, written: 2, dropped: 1, failed: 0 })
    await writer.close()
  })

  it('gives a batch back to the caller when its thread never starts, and says why', async () => {
    const { path } = await migrated()
    // A thread that exits before opening the database, without an error of its own.
    const writer = createWorkerWriter(path, 5000, threadFile('setTimeout(() => process.exit(3), 20)\n'), options().opts)!
    expect(writer.stopped).toBeUndefined()
    await expect(writer.write(...batchOf(insert('x')))).rejects.toThrow(/exited with code 3/)
    expect(writer.stopped?.message).toMatch(/exited with code 3/)
    await expect(writer.write({ updates: [] }, 0)).rejects.toThrow(/writer stopped|exited with code 3/)
    // Nothing was handed over, so nothing is lost: the caller writes the batch elsewhere.
    expect(writer.stats()).toMatchObject({ handed: 0, failed: 0 })
    await writer.drain()
    await writer.close()
  })

  it('counts and says what a thread that dies takes with it, and lets nobody wait for it', async () => {
    const { path } = await migrated()
    const { opts, said } = options()
    const writer = createWorkerWriter(path, 5000, threadFile([
      'import { parentPort } from \'node:worker_threads\'',
      'parentPort.postMessage({ ready: true })',
      'parentPort.on(\'message\', () => process.exit(4))',
    ].join('\n')), opts)!
    await writer.write(...batchOf(insert('x'), insert('y')))
    await writer.drain()
    expect(writer.stopped?.message).toMatch(/exited with code 4/)
    expect(writer.stats()).toMatchObject({ pending: 0, handed: 2, written: 0, failed: 2 })
    expect(said).toEqual([expect.stringMatching(/writer thread stopped with 2 rows not written: .*exited with code 4/)])
    await expect(writer.write(...batchOf(insert('z')))).rejects.toThrow(/writer stopped: .*exited with code 4/)
    await writer.close()
  })

  it('is not there without its file (dev server, unit tests): the log then writes on its own connection', () => {
    expect(createWorkerWriter('/tmp/x.db', 5000, pathToFileURL('/nonexistent/entry.mjs').href, options().opts)).toBeUndefined()
  })
})
