import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createClient } from '@libsql/client'
import { describe, expect, it } from 'vitest'
import { createWorkerWriter } from '#server/utils/logs/write-worker'

// As in the built server, where the writer thread's file sits beside the entry.
const WORKERS = pathToFileURL(join(import.meta.dirname, '../../../../../server/workers/')).href

describe('createWorkerWriter', () => {
  it('writes each batch in one transaction on its own thread and connection', async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'ccb-writer-')), 'w.db')}`
    const reader = createClient({ url })
    await reader.execute('create table t (id integer primary key, v text)')
    const writer = createWorkerWriter(url, 5000, WORKERS)!
    expect(writer).toBeDefined()
    await writer.write([{ sql: 'insert into t (id, v) values (?, ?), (?, ?)', args: [1, 'a', 2, 'b'] }, { sql: 'update t set v = ? where id = ?', args: ['c', 2] }])
    expect((await reader.execute('select id, v from t order by id')).rows.map(r => [r.id, r.v])).toEqual([[1, 'a'], [2, 'c']])
    // A failing statement rolls its whole batch back and rejects with the database's message.
    await expect(writer.write([{ sql: 'insert into t (id, v) values (?, ?)', args: [3, 'x'] }, { sql: 'insert into nope values (1)', args: [] }])).rejects.toThrow(/no such table: nope/)
    expect((await reader.execute('select count(*) as n from t')).rows[0]!.n).toBe(2)
    await writer.close()
    reader.close()
  })

  it('reports the CPU time its thread spent on each batch', async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'ccb-writer-')), 'w.db')}`
    const writer = createWorkerWriter(url, 5000, WORKERS)!
    const light = await writer.write([{ sql: 'create table t (id integer primary key, v text)', args: [] }])
    // 300,000 rows: well over the kernel's accounting tick, and far less than the wall time allowed.
    const started = performance.now()
    const heavy = await writer.write([{ sql: 'with recursive n(x) as (select 1 union all select x + 1 from n where x < 300000) insert into t select x, hex(randomblob(32)) from n', args: [] }])
    const wallUs = (performance.now() - started) * 1000
    expect(heavy).toBeGreaterThan(20_000)
    expect(heavy).toBeLessThanOrEqual(wallUs * 1.1)
    expect(light).toBeLessThan(heavy)
    await writer.close()
  })

  it('is not there without its file (dev server, unit tests): the log then writes on its own connection', () => {
    expect(createWorkerWriter('file:/tmp/x.db', 5000, pathToFileURL('/nonexistent/entry.mjs').href)).toBeUndefined()
  })
})
