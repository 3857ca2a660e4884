import { useSuspensionStore } from '../db/suspensions'
import { useEnv } from '../runtime'
import { createScheduler, type Scheduler } from './scheduler'
import type { SuspensionStore } from './suspensions'

let current: Scheduler | undefined

/**
 * Suspensions through the database-backed store, looked up at call time: the store is ready
 * only once the database plugin has loaded it, which every request waits for.
 */
const dbSuspensions: SuspensionStore = {
  isSuspended: (pool, id, now) => useSuspensionStore().isSuspended(pool, id, now),
  suspend: (pool, id, until, reason) => useSuspensionStore().suspend(pool, id, until, reason),
  clear: (pool, id) => useSuspensionStore().clear(pool, id),
  list: pool => useSuspensionStore().list(pool),
}

/** The process-wide scheduler (one per process: breaker and affinity state live in memory). */
export function useScheduler(): Scheduler {
  current ??= createScheduler({
    suspensions: dbSuspensions,
    recoveryMs: useEnv().circuitRecoveryMs,
  })
  return current
}
