import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createClient } from '@libsql/client'
import { afterEach, describe, expect, it } from 'vitest'
import { logBatch } from '#server/utils/logs/batch-sql'
import { encodeRow } from '#server/utils/logs/row-encoding'
import { createWorkerWriter } from '#server/utils/logs/write-worker'
import { logDb, row } from './helpers'

// As in the built server, where the writer thread's file sits beside the entry.
const WORKERS = pathToFileURL(join(import.meta.dirname, '../../../../../server/workers/')).href

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

describe('createWorkerWriter', () => {
  it('writes each batch in one transaction on its own thread and connection', async () => {
    const { db, path } = await migrated()
    const writer = createWorkerWriter(path, 5000, WORKERS)!
    expect(writer).toBeDefined()
    const insert = (id: string, status: 'completed' | 'pending') => ({ kind: 'insert' as const, id, encoded: encodeRow(row({ id, status, model: 'claude-sonnet-4-5' })) })
    await writer.write(logBatch([insert('a', 'completed'), insert('b', 'pending'), { kind: 'update', id: 'b', patch: { status: 'error', httpStatus: 502 } }]))
    const stored = async () => (await db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })).map(r => [r.id, r.status, r.httpStatus])
    expect(await stored()).toEqual([['a', 'completed', 200], ['b', 'error', 502]])
    // A failing statement rolls its whole batch back and rejects with the database's message.
    const failing = logBatch([insert('c', 'completed')])
    failing.updates.push({ sql: 'insert into nope values (1)', args: [] })
    await expect(writer.write(failing)).rejects.toThrow(/no such table: nope/)
    expect(await stored()).toEqual([['a', 'completed', 200], ['b', 'error', 502]])
    await writer.close()
  })

  it('reports the CPU time its thread spent on each batch', async () => {
    const { path } = await migrated()
    const writer = createWorkerWriter(path, 5000, WORKERS)!
    const light = await writer.write({ updates: [{ sql: 'create table t (id integer primary key, v text)', args: [] }] })
    // 300,000 rows: well over the kernel's accounting tick, and far less than the wall time allowed.
    const started = performance.now()
    const heavy = await writer.write({ updates: [{ sql: 'with recursive n(x) as (select 1 union all select x + 1 from n where x < 300000) insert into t select x, hex(randomblob(32)) from n', args: [] }] })
    const wallUs = (performance.now() - started) * 1000
    expect(heavy).toBeGreaterThan(20_000)
    expect(heavy).toBeLessThanOrEqual(wallUs * 1.1)
    expect(light).toBeLessThan(heavy)
    await writer.close()
  })

  it('waits for another connection\'s write lock up to the busy timeout, then fails the batch', async () => {
    const { db, path } = await migrated()
    const writer = createWorkerWriter(path, 300, WORKERS)!
    const other = createClient({ url: `file:${path}` })
    cleanup.push(() => other.close())
    const tx = await other.transaction('write')
    const started = performance.now()
    await expect(writer.write(logBatch([{ kind: 'insert', id: 'x', encoded: encodeRow(row({ id: 'x' })) }]))).rejects.toThrow(/locked|busy/i)
    expect(performance.now() - started).toBeGreaterThanOrEqual(250)
    await tx.rollback()
    // Once the lock is released the same batch goes through.
    await writer.write(logBatch([{ kind: 'insert', id: 'x', encoded: encodeRow(row({ id: 'x' })) }]))
    expect(await db.query.requestLogs.findMany()).toHaveLength(1)
    await writer.close()
  })

  it('answers a batch it can no longer write, and says why, when its thread exits', async () => {
    const { path } = await migrated()
    // A thread that dies on its first batch, without an error of its own.
    const dir = mkdtempSync(join(tmpdir(), 'ccb-writer-'))
    writeFileSync(join(dir, 'log-writer.mjs'), `import { parentPort } from 'node:worker_threads'\nparentPort.on('message', () => process.exit(3))\n`)
    const writer = createWorkerWriter(path, 5000, pathToFileURL(`${dir}/`).href)!
    expect(writer.stopped).toBeUndefined()
    await expect(writer.write(logBatch([{ kind: 'insert', id: 'x', encoded: encodeRow(row({ id: 'x' })) }]))).rejects.toThrow(/exited with code 3/)
    expect(writer.stopped?.message).toMatch(/exited with code 3/)
    await expect(writer.write({ updates: [] })).rejects.toThrow(/writer stopped/)
    await writer.close()
  })

  it('is not there without its file (dev server, unit tests): the log then writes on its own connection', () => {
    expect(createWorkerWriter('/tmp/x.db', 5000, pathToFileURL('/nonexistent/entry.mjs').href)).toBeUndefined()
  })
})
