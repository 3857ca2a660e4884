import type { Db } from '#server/utils/db/client'
import { deleteLogsBefore } from './query'

const DAY_MS = 24 * 3600_000

/** Deletes the rows older than `days` days. Returns how many went. */
export function cleanupLogs(db: Db, days: number, now: number = Date.now()): Promise<number> {
  return deleteLogsBefore(db, now - days * DAY_MS)
}

export interface RetentionOptions {
  /** `LOG_RETENTION_DAYS`; 0 keeps rows forever. */
  days: number
  logInfo: (message: string) => void
  logError: (message: string, error: unknown) => void
  /** How often to clean up, in ms; daily by default. */
  everyMs?: number
  clock?: () => number
}

/**
 * Cleans up now and then once a day. The timer is unref'd (it never keeps the process up);
 * the returned function stops it.
 */
export function startRetention(db: Db, o: RetentionOptions): () => void {
  if (o.days <= 0) return () => {}
  const run = () => {
    cleanupLogs(db, o.days, (o.clock ?? Date.now)()).then(
      (n) => { if (n) o.logInfo(`[logs] retention: deleted ${n} request-log rows older than ${o.days} days`) },
      error => o.logError('[logs] retention cleanup failed', error),
    )
  }
  run()
  const timer = setInterval(run, o.everyMs ?? DAY_MS).unref()
  return () => clearInterval(timer)
}
