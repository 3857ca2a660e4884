import { sql, type SQL } from 'drizzle-orm'
import { requestLogs } from '#server/database/schema'
import type { Db } from '#server/utils/db/client'
import type { DailyPoint, LogFilter, LogGroupStats, LogStats } from '#shared/schemas/logs'
import { aggregates, cacheHitRate, countedWhere, latencyPercentiles, round, type AggregateRow } from './aggregate'

const t = requestLogs
const UNKNOWN = '<unknown>'
const DAY_MS = 24 * 3600_000

function groupStats(a: AggregateRow): LogGroupStats {
  return {
    count: a.count,
    success: a.success,
    failure: a.failure,
    inputTokens: a.inputTokens,
    outputTokens: a.outputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens,
    reasoningTokens: a.reasoningTokens,
    cost: round(a.cost, 6),
    avgLatencyMs: round(a.avgLatencyMs ?? 0),
    avgTps: round(a.avgTps ?? 0),
    avgTpsSampleCount: a.avgTpsSampleCount,
    cacheHitRate: cacheHitRate(a),
  }
}

/** One `GROUP BY` over the counted rows, keyed by `key` (`<unknown>` when it is empty). */
async function groupedBy(db: Db, where: SQL, key: SQL<string | null>): Promise<Record<string, LogGroupStats>> {
  const name = sql<string>`coalesce(nullif(${key}, ''), ${UNKNOWN})`
  const rows = await db.select({ name, ...aggregates }).from(t).where(where).groupBy(name).orderBy(name)
  return Object.fromEntries(rows.map(({ name, ...a }) => [name, groupStats(a)]))
}

/**
 * `GET /api/logs/stats`: totals over the finished requests matching the filter, and the same
 * per model (requested), provider (the serving channel's name), client, and — with `client` —
 * per session of that client. Everything is aggregated in SQL.
 */
export async function logStats(db: Db, filter: Partial<LogFilter>): Promise<LogStats> {
  const where = countedWhere(filter)
  const [[totals], percentiles, byModel, byProvider, byClient, bySession] = await Promise.all([
    db.select(aggregates).from(t).where(where),
    latencyPercentiles(db, where),
    groupedBy(db, where, sql`${t.model}`),
    groupedBy(db, where, sql`coalesce(${t.providerName}, ${t.channelName}, ${t.type})`),
    groupedBy(db, where, sql`${t.clientId}`),
    filter.client ? groupedBy(db, where, sql`${t.sessionId}`) : Promise.resolve({}),
  ])
  const all = groupStats(totals!)
  return {
    totalRequests: all.count,
    totalSuccess: all.success,
    totalFailure: all.failure,
    totalInputTokens: all.inputTokens,
    totalOutputTokens: all.outputTokens,
    totalCacheCreationTokens: all.cacheCreationInputTokens,
    totalCacheReadTokens: all.cacheReadInputTokens,
    totalReasoningTokens: all.reasoningTokens,
    totalCost: all.cost,
    avgLatencyMs: all.avgLatencyMs,
    p50LatencyMs: percentiles.p50,
    p95LatencyMs: percentiles.p95,
    avgTps: all.avgTps,
    avgTpsSampleCount: all.avgTpsSampleCount,
    cacheHitRate: all.cacheHitRate,
    byModel,
    byProvider,
    byClient,
    bySession,
    timeRange: {
      from: filter.from === undefined ? null : new Date(filter.from).toISOString(),
      to: filter.to === undefined ? null : new Date(filter.to).toISOString(),
    },
  }
}

/**
 * `GET /api/logs/stats/daily`: one point per day that had requests, by the server's local
 * date (`TZ`), as the Go cc-bridge does. Without `from`, the last 30 days.
 */
export async function dailyStats(db: Db, filter: Partial<LogFilter>, now: number): Promise<{ dataPoints: DailyPoint[] }> {
  const where = countedWhere({ ...filter, from: filter.from ?? now - 30 * DAY_MS })
  const date = sql<string>`date(${t.initialTime} / 1000, 'unixepoch', 'localtime')`
  const rows = await db.select({ date, ...aggregates }).from(t).where(where).groupBy(date).orderBy(date)
  return {
    dataPoints: rows.map(({ date, ...a }) => {
      const g = groupStats(a)
      return {
        date,
        requests: g.count,
        success: g.success,
        failure: g.failure,
        inputTokens: g.inputTokens,
        outputTokens: g.outputTokens,
        cacheCreationInputTokens: g.cacheCreationInputTokens,
        cacheReadInputTokens: g.cacheReadInputTokens,
        cost: g.cost,
        avgDurationMs: g.avgLatencyMs,
        avgTps: g.avgTps,
        avgTpsSampleCount: g.avgTpsSampleCount,
      }
    }),
  }
}
