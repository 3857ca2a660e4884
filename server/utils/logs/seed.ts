import { sql } from 'drizzle-orm'
import { requestLogs } from '#server/database/schema'
import type { Db } from '#server/utils/db/client'
import type { MetricsOutcome } from '#server/utils/scheduler/metrics'
import type { Scheduler } from '#server/utils/scheduler/scheduler'
import { POOLS, type Config, type PoolName } from '#shared/schemas/config'

const t = requestLogs
/** The metrics' longest time window. */
const DAY_MS = 24 * 3600_000
/** At most this many attempts are read back, the newest. */
const MAX_OUTCOMES = 50_000

/**
 * Whether an attempt was a verdict on its channel, and which, following the routing's rules:
 * success, or the channel failed (fail-over, suspension, a broken stream, an error returned to
 * the client that was not the client's own). Retries, next-key moves and client aborts teach
 * the channel's metrics nothing.
 */
export function verdictOf(action: string, reason: string): boolean | undefined {
  if (action === 'success') return true
  if (action === 'failover' || action === 'suspend' || action === 'stream-failed') return false
  if (action === 'return' && reason !== 'client_error') return false
  return undefined
}

interface AttemptRow {
  pool: string
  channelId: string | null
  channelName: string | null
  at: number
  action: string | null
  reason: string | null
  status: number | null
  model: string | null
}

/**
 * The channel verdicts of the last 24 h, per pool and channel id, from the attempts of the
 * logged requests (`json_each` over the attempts column). Side requests are left out.
 */
export async function recentOutcomes(db: Db, now: number, limit = MAX_OUTCOMES): Promise<Map<string, MetricsOutcome[]>> {
  const rows = await db.all<AttemptRow>(sql`
    select r.pool as pool, json_extract(a.value, '$.channelId') as channelId, json_extract(a.value, '$.channelName') as channelName,
      coalesce(json_extract(a.value, '$.at'), r.complete_time, r.initial_time) as at,
      json_extract(a.value, '$.action') as action, json_extract(a.value, '$.reason') as reason,
      json_extract(a.value, '$.status') as status, r.model as model
    from ${t} as r, json_each(r.attempts) as a
    where r.initial_time >= ${now - DAY_MS} and r.pool is not null and r.observe_only = 0
    order by at desc limit ${limit}`)
  const out = new Map<string, MetricsOutcome[]>()
  for (const r of rows) {
    const success = verdictOf(r.action ?? '', r.reason ?? '')
    if (success === undefined || !r.channelId) continue
    const key = `${r.pool}\u0000${r.channelId}`
    let list = out.get(key)
    if (!list) out.set(key, list = [])
    list.push({ success, at: Number(r.at), statusCode: r.status ?? 0, model: r.model ?? undefined, channelName: r.channelName ?? '' })
  }
  return out
}

/**
 * Start-up: re-seeds each configured channel's metrics (counts, time windows, recent calls)
 * from the request log, so the UI's health view survives a restart. Returns how many channels
 * got history.
 */
export async function seedChannelMetrics(db: Db, scheduler: Scheduler, config: Config, now: number): Promise<number> {
  const outcomes = await recentOutcomes(db, now)
  let seeded = 0
  for (const pool of Object.keys(POOLS) as PoolName[]) {
    for (const channel of config[POOLS[pool].channels] ?? []) {
      const list = channel.id ? outcomes.get(`${pool}\u0000${channel.id}`) : undefined
      if (!list?.length) continue
      scheduler.seed(pool, channel.id!, list)
      seeded++
    }
  }
  return seeded
}
