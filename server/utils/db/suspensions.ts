import { and, eq, lte } from 'drizzle-orm'
import { channelSuspensions } from '#server/database/schema'
import { log } from '#server/utils/log'
import type { Suspension, SuspensionStore } from '#server/utils/scheduler/suspensions'
import type { Db } from './client'
import { createWriteQueue } from './write-queue'

/** A stored suspension: the scheduler's view plus the pool it belongs to (the row's key). */
type SuspensionRow = Suspension & { pool: string }

/** The store plus its life cycle: `load()` once before serving, `flush()` before shutdown. */
export interface PersistentSuspensionStore extends SuspensionStore {
  /** Fills the cache from the database, deleting rows that have expired. */
  load(): Promise<void>
  /** Resolves once every write issued so far has been persisted (or has failed and been logged). */
  flush(): Promise<void>
}

/** Options for {@link createSuspensionStore}. */
export interface SuspensionStoreOptions {
  /** Epoch ms; stamps new suspensions and judges expiry where the caller gives no `now`. */
  clock?: () => number
  /** Where failed background writes are reported; the process log by default. */
  logError?: (message: string, error: unknown) => void
}

/**
 * A {@link SuspensionStore} backed by the `channel_suspensions` table, so suspensions survive a
 * restart. Expired entries are ignored by reads and deleted lazily.
 */
export function createSuspensionStore(db: Db, options: SuspensionStoreOptions = {}): PersistentSuspensionStore {
  const clock = options.clock ?? Date.now
  const logError = options.logError ?? log.error
  const pools = new Map<string, Map<string, SuspensionRow>>()
  const { enqueue, flush } = createWriteQueue('suspension store', logError)

  function deleteExpired(now: number): Promise<unknown> {
    return db.delete(channelSuspensions).where(lte(channelSuspensions.suspendedUntil, now))
  }

  function entriesOf(pool: string): Map<string, SuspensionRow> {
    let entries = pools.get(pool)
    if (!entries) pools.set(pool, entries = new Map())
    return entries
  }

  /** Whether the entry is still in force; an expired one is dropped now and from the table later. */
  function isLive(entry: SuspensionRow, now: number): boolean {
    if (entry.suspendedUntil > now) return true
    pools.get(entry.pool)?.delete(entry.channelId)
    enqueue('delete expired', () => deleteExpired(now))
    return false
  }

  return {
    isSuspended(pool, channelId, now) {
      const entry = pools.get(pool)?.get(channelId)
      return entry !== undefined && isLive(entry, now)
    },

    suspend(pool, channelId, until, reason) {
      const row: SuspensionRow = { pool, channelId, suspendedAt: clock(), suspendedUntil: until, reason }
      entriesOf(pool).set(channelId, row)
      enqueue('suspend', () => db.insert(channelSuspensions).values(row).onConflictDoUpdate({
        target: [channelSuspensions.pool, channelSuspensions.channelId],
        set: { suspendedAt: row.suspendedAt, suspendedUntil: row.suspendedUntil, reason: row.reason },
      }))
    },

    clear(pool, channelId) {
      pools.get(pool)?.delete(channelId)
      enqueue('clear', () => db.delete(channelSuspensions)
        .where(and(eq(channelSuspensions.pool, pool), eq(channelSuspensions.channelId, channelId))))
    },

    list(pool) {
      const now = clock()
      // Copies, so callers can't change the cache behind the table's back.
      return [...pools.get(pool)?.values() ?? []]
        .filter(entry => isLive(entry, now))
        .map(entry => ({ ...entry }))
    },

    async load() {
      // Read only after pending writes land; errors reach the caller, because starting with an
      // empty cache would silently put suspended channels back into rotation.
      await flush()
      await deleteExpired(clock())
      for (const row of await db.select().from(channelSuspensions)) {
        const entries = entriesOf(row.pool)
        // An entry already in memory was set after the row was written, so it is the newer one.
        if (!entries.has(row.channelId)) entries.set(row.channelId, row)
      }
    },

    flush,
  }
}
