import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { channelSuspensions } from '#server/database/schema'
import { createDb, type Db } from '#server/utils/db/client'
import { applyMigrations } from '#server/utils/db/migrate'
import { createSuspensionStore, type SuspensionStoreOptions } from '#server/utils/db/suspensions'
import { fsReader, tempDir } from './helpers'

const T0 = 1_800_000_000_000
const MINUTE = 60_000

describe('createSuspensionStore', () => {
  let tmp: ReturnType<typeof tempDir>
  let url: string
  const open: Db[] = []
  /** What every store's clock reads; each test moves it forward by hand. */
  let now: number
  const clock = () => now

  /** A store on `db` whose clock is the test's {@link now}. */
  function storeOn(db: Db, options: SuspensionStoreOptions = {}) {
    return createSuspensionStore(db, { clock, ...options })
  }

  /** A new client on the same file, as after a restart. */
  async function connect(): Promise<Db> {
    const db = await createDb(url)
    open.push(db)
    await applyMigrations(db.$client, fsReader())
    return db
  }

  async function restart(options: SuspensionStoreOptions = {}) {
    const store = storeOn(await connect(), options)
    await store.load()
    return store
  }

  beforeEach(() => {
    now = T0
    tmp = tempDir()
    url = `file:${join(tmp.dir, 'cc-bridge.db')}`
  })

  afterEach(() => {
    for (const db of open.splice(0)) db.$client.close()
    tmp.remove()
  })

  it('answers from memory at once and keeps suspensions across a restart', async () => {
    const store = storeOn(await connect())
    store.suspend('messages', 'chan-a', T0 + 10 * MINUTE, 'quota exhausted')
    expect(store.isSuspended('messages', 'chan-a', T0)).toBe(true)
    expect(store.isSuspended('responses', 'chan-a', T0)).toBe(false)
    expect(store.isSuspended('messages', 'chan-b', T0)).toBe(false)
    await store.flush()

    now = T0 + MINUTE
    const after = await restart()
    expect(after.isSuspended('messages', 'chan-a', T0 + MINUTE)).toBe(true)
    expect(after.list('messages')).toEqual([
      { pool: 'messages', channelId: 'chan-a', suspendedAt: T0, suspendedUntil: T0 + 10 * MINUTE, reason: 'quota exhausted' },
    ])
  })

  it('ignores expired entries and deletes them lazily', async () => {
    const db = await connect()
    const store = storeOn(db)
    store.suspend('chat', 'short', T0 + MINUTE, 'rate limited')
    store.suspend('chat', 'long', T0 + 60 * MINUTE, 'auth failed')
    await store.flush()

    const later = now = T0 + 2 * MINUTE
    expect(store.isSuspended('chat', 'short', later)).toBe(false)
    expect(store.list('chat').map(s => s.channelId)).toEqual(['long'])
    await store.flush()
    expect((await db.select().from(channelSuspensions)).map(r => r.channelId)).toEqual(['long'])
  })

  it('drops rows that expired while the process was down when loading', async () => {
    const db = await connect()
    const store = storeOn(db)
    store.suspend('messages', 'short', T0 + MINUTE, 'rate limited')
    store.suspend('messages', 'long', T0 + 60 * MINUTE, 'auth failed')
    await store.flush()

    const later = now = T0 + 5 * MINUTE
    const after = await restart()
    expect(after.isSuspended('messages', 'short', later)).toBe(false)
    expect(after.isSuspended('messages', 'long', later)).toBe(true)
    expect((await db.select().from(channelSuspensions)).map(r => r.channelId)).toEqual(['long'])
  })

  it('clears a suspension in memory and in the table', async () => {
    const store = storeOn(await connect())
    store.suspend('messages', 'chan-a', T0 + 10 * MINUTE, 'quota exhausted')
    store.suspend('messages', 'chan-b', T0 + 10 * MINUTE, 'quota exhausted')
    store.clear('messages', 'chan-a')
    expect(store.isSuspended('messages', 'chan-a', T0)).toBe(false)
    await store.flush()

    const after = await restart()
    expect(after.isSuspended('messages', 'chan-a', T0)).toBe(false)
    expect(after.isSuspended('messages', 'chan-b', T0)).toBe(true)
  })

  it('replaces an existing suspension of the same channel (upsert)', async () => {
    const store = storeOn(await connect())
    store.suspend('responses', 'chan-a', T0 + MINUTE, 'rate limited')
    now = T0 + 10
    store.suspend('responses', 'chan-a', T0 + 30 * MINUTE, 'quota exhausted')
    await store.flush()

    now = T0 + 2 * MINUTE
    const after = await restart()
    expect(after.list('responses')).toEqual([
      { pool: 'responses', channelId: 'chan-a', suspendedAt: T0 + 10, suspendedUntil: T0 + 30 * MINUTE, reason: 'quota exhausted' },
    ])
  })

  it('keeps lists per pool and returns copies', async () => {
    const store = storeOn(await connect())
    store.suspend('messages', 'chan-a', T0 + MINUTE, 'x')
    store.suspend('chat', 'chan-b', T0 + MINUTE, 'y')
    const [entry] = store.list('messages')
    entry!.suspendedUntil = T0
    expect(store.isSuspended('messages', 'chan-a', T0)).toBe(true)
    expect(store.list('chat').map(s => s.channelId)).toEqual(['chan-b'])
    expect(store.list('responses')).toEqual([])
    await store.flush()
  })

  it('logs a failed write instead of throwing, and still answers from memory', async () => {
    // No migrations: the table doesn't exist, so every write fails.
    const db = await createDb(url)
    open.push(db)
    const logError = vi.fn()
    const store = storeOn(db, { logError })
    expect(() => store.suspend('messages', 'chan-a', T0 + MINUTE, 'x')).not.toThrow()
    expect(() => store.clear('messages', 'chan-b')).not.toThrow()
    await store.flush()
    expect(logError).toHaveBeenCalledTimes(2)
    expect(logError.mock.calls[0]![0]).toMatch(/suspend failed/)
    expect(store.isSuspended('messages', 'chan-a', T0)).toBe(true)
  })

  it('rejects from load() when the table cannot be read', async () => {
    const db = await createDb(url)
    open.push(db)
    await expect(storeOn(db).load()).rejects.toThrow(/channel_suspensions/)
  })

  it('keeps a suspension made before load() finishes over the stored row', async () => {
    const first = storeOn(await connect())
    first.suspend('messages', 'chan-a', T0 + MINUTE, 'old')
    await first.flush()

    const store = storeOn(await connect())
    store.suspend('messages', 'chan-a', T0 + 30 * MINUTE, 'new')
    await store.load()
    expect(store.list('messages').map(s => s.reason)).toEqual(['new'])
  })
})
