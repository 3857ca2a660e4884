import { ConfigApiError } from '#server/utils/config/errors'
import { sql, type SQL } from 'drizzle-orm'
import { requestLogs } from '#server/database/schema'
import type { Db } from '#server/utils/db/client'
import type { HISTORY_DURATIONS, HistoryPoint, LogFilter, LogHistory } from '#shared/schemas/logs'
import { aggregates, countedWhere, latencyPercentiles, round } from './aggregate'

const t = requestLogs
const MINUTE = 60_000
const HOUR = 60 * MINUTE

type Duration = typeof HISTORY_DURATIONS[number]

/** A history request's time range could not be worked out (`period` without `from`/`to`). */
/** A history range the client asked for that has no span: its 400. */
export class HistoryRangeError extends ConfigApiError {
  constructor(message: string) {
    super(400, message)
  }
}

/** The range a `duration` covers, ending now; `today` starts at local midnight. */
export function historyRange(duration: Duration, filter: Partial<LogFilter>, now: number): { from: number, to: number } {
  switch (duration) {
    case '1h': return { from: now - HOUR, to: now }
    case '6h': return { from: now - 6 * HOUR, to: now }
    case '24h': return { from: now - 24 * HOUR, to: now }
    case 'today': {
      const midnight = new Date(now)
      midnight.setHours(0, 0, 0, 0)
      return { from: midnight.getTime(), to: now }
    }
    case 'period':
      if (filter.from === undefined || filter.to === undefined || filter.to <= filter.from) {
        throw new HistoryRangeError('duration=period needs from and to, with from before to')
      }
      return { from: filter.from, to: filter.to }
  }
}

/** Bucket size for a span, as the Go cc-bridge picks it: ≤1 h → 1 min, ≤6 h → 5 min, ≤24 h → 15 min, ≤7 d → 1 h, else 4 h. */
export function bucketMsFor(spanMs: number): number {
  if (spanMs <= HOUR) return MINUTE
  if (spanMs <= 6 * HOUR) return 5 * MINUTE
  if (spanMs <= 24 * HOUR) return 15 * MINUTE
  if (spanMs <= 7 * 24 * HOUR) return HOUR
  return 4 * HOUR
}

interface SeriesRow {
  bucket: number
  channelUid: string | null
  channelName: string | null
  requests: number
  success: number
  failure: number
  avgDurationMs: number | null
  p50: number | null
  p95: number | null
  inputTokens: number
  outputTokens: number
  cacheCreationInputTokens: number
  cacheReadInputTokens: number
  cost: number
}

/**
 * Per-bucket sums and nearest-rank latency percentiles in one query: a window function ranks
 * each bucket's positive durations (per channel with `perChannel`), the `GROUP BY` picks the
 * p50/p95 rows.
 */
async function series(db: Db, where: SQL, bucketMs: number, perChannel: boolean): Promise<SeriesRow[]> {
  // Inlined: a bound JS number reaches SQLite as a REAL, and REAL division does not truncate.
  const size = sql.raw(String(Math.trunc(bucketMs)))
  const bucket = sql`(${t.initialTime} / ${size}) * ${size}`
  const partition = perChannel ? sql`${bucket}, ${t.channelUid}` : bucket
  return db.all<SeriesRow>(sql`
    with r as (
      select ${bucket} as bucket, ${t.channelUid} as cu, ${t.channelName} as cn, ${t.status} as status,
        ${t.durationMs} as duration_ms, ${t.inputTokens} as input_tokens, ${t.outputTokens} as output_tokens,
        ${t.cacheCreationInputTokens} as cache_creation_input_tokens, ${t.cacheReadInputTokens} as cache_read_input_tokens,
        ${t.price} as price,
        row_number() over (partition by ${partition} order by ${t.durationMs} <= 0, ${t.durationMs}) as rn,
        sum(${t.durationMs} > 0) over (partition by ${partition}) as n
      from ${t} where ${where}
    )
    select bucket, ${perChannel ? sql`cu` : sql`null`} as channelUid, ${perChannel ? sql`max(cn)` : sql`null`} as channelName,
      count(*) as requests, sum(status = 'completed') as success, sum(status = 'error') as failure,
      avg(case when duration_ms > 0 then duration_ms end) as avgDurationMs,
      min(case when duration_ms > 0 and rn * 100 >= 50 * n then duration_ms end) as p50,
      min(case when duration_ms > 0 and rn * 100 >= 95 * n then duration_ms end) as p95,
      sum(input_tokens) as inputTokens, sum(output_tokens) as outputTokens,
      sum(cache_creation_input_tokens) as cacheCreationInputTokens, sum(cache_read_input_tokens) as cacheReadInputTokens,
      sum(price) as cost
    from r group by bucket${perChannel ? sql`, cu` : sql``} order by bucket`)
    .then(rows => rows.map(r => ({ ...r, bucket: Number(r.bucket) })))
}

const emptyPoint = (bucket: number): HistoryPoint => ({
  timestamp: new Date(bucket).toISOString(), requests: 0, success: 0, failure: 0, avgDurationMs: 0, p50DurationMs: 0, p95DurationMs: 0,
  inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, cost: 0,
})

/** Every bucket of the range in order, empty ones as zeros, so charts get an even time axis. */
function fill(rows: SeriesRow[], from: number, to: number, bucketMs: number): HistoryPoint[] {
  const found = new Map(rows.map(r => [r.bucket, r]))
  const points: HistoryPoint[] = []
  for (let b = Math.floor(from / bucketMs) * bucketMs; b <= to; b += bucketMs) {
    const r = found.get(b)
    points.push(r
      ? {
          timestamp: new Date(b).toISOString(),
          requests: r.requests,
          success: r.success,
          failure: r.failure,
          avgDurationMs: round(r.avgDurationMs ?? 0),
          p50DurationMs: r.p50 ?? 0,
          p95DurationMs: r.p95 ?? 0,
          inputTokens: r.inputTokens,
          outputTokens: r.outputTokens,
          cacheCreationInputTokens: r.cacheCreationInputTokens,
          cacheReadInputTokens: r.cacheReadInputTokens,
          cost: round(r.cost, 6),
        }
      : emptyPoint(b))
  }
  return points
}

/**
 * `GET /api/logs/stats/history`: finished requests over the duration's range in even buckets,
 * in total and per channel (by stable id), with a summary of the whole range.
 */
export async function logHistory(db: Db, duration: Duration, filter: Partial<LogFilter>, now: number): Promise<LogHistory> {
  const { from, to } = historyRange(duration, filter, now)
  const bucketMs = bucketMsFor(to - from)
  const where = countedWhere({ ...filter, from, to })
  const [total, perChannel, [sums], percentiles] = await Promise.all([
    series(db, where, bucketMs, false),
    series(db, where, bucketMs, true),
    db.select(aggregates).from(t).where(where),
    latencyPercentiles(db, where),
  ])
  const channels = new Map<string | null, { channelUid: string | null, channelName: string | null, rows: SeriesRow[] }>()
  for (const r of perChannel) {
    let c = channels.get(r.channelUid)
    if (!c) channels.set(r.channelUid, c = { channelUid: r.channelUid, channelName: r.channelName, rows: [] })
    c.rows.push(r)
  }
  const s = sums!
  return {
    duration,
    bucketSeconds: bucketMs / 1000,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    dataPoints: fill(total, from, to, bucketMs),
    channels: [...channels.values()].map(c => ({ channelUid: c.channelUid, channelName: c.channelName, dataPoints: fill(c.rows, from, to, bucketMs) })),
    summary: {
      totalRequests: s.count,
      totalSuccess: s.success,
      totalFailure: s.failure,
      totalInputTokens: s.inputTokens,
      totalOutputTokens: s.outputTokens,
      totalCacheCreationTokens: s.cacheCreationInputTokens,
      totalCacheReadTokens: s.cacheReadInputTokens,
      totalCost: round(s.cost, 6),
      avgSuccessRate: s.count ? round(s.success / s.count * 100) : 0,
      avgDurationMs: round(s.avgLatencyMs ?? 0),
      p50DurationMs: percentiles.p50,
      p95DurationMs: percentiles.p95,
      duration,
    },
  }
}
