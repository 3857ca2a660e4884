import type { PoolName } from '#shared/schemas/config'

/** A time-boxed quota suspension of one channel (the Go cc-bridge's `channel_suspensions`, keyed by id). */
export interface Suspension {
  channelId: string
  /** Epoch ms. */
  suspendedAt: number
  /** Epoch ms; the channel is selectable again from this moment. */
  suspendedUntil: number
  reason: string
}

/**
 * Where quota suspensions live. Reads are synchronous because selection runs on every request:
 * the database-backed implementation answers from an in-memory cache it loads at start-up and
 * writes through in the background.
 */
export interface SuspensionStore {
  isSuspended(pool: PoolName, channelId: string, now: number): boolean
  suspend(pool: PoolName, channelId: string, until: number, reason: string): void
  clear(pool: PoolName, channelId: string): void
  /** Suspensions that have not expired, for the admin API. */
  list(pool: PoolName): Suspension[]
}

/** A suspension store that only lives in memory; for tests and as the cache behind the database store. */
export function createMemorySuspensionStore(clock: () => number = Date.now): SuspensionStore {
  const pools = new Map<PoolName, Map<string, Suspension>>()
  const poolMap = (pool: PoolName) => {
    let map = pools.get(pool)
    if (!map) pools.set(pool, map = new Map())
    return map
  }
  return {
    isSuspended(pool, channelId, now) {
      const entry = pools.get(pool)?.get(channelId)
      if (!entry) return false
      if (entry.suspendedUntil > now) return true
      pools.get(pool)!.delete(channelId)
      return false
    },
    suspend(pool, channelId, until, reason) {
      poolMap(pool).set(channelId, { channelId, suspendedAt: clock(), suspendedUntil: until, reason })
    },
    clear(pool, channelId) {
      pools.get(pool)?.delete(channelId)
    },
    list(pool) {
      const now = clock()
      return [...poolMap(pool).values()].filter(s => s.suspendedUntil > now)
    },
  }
}
