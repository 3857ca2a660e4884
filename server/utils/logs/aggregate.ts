import { and, inArray, sql, type SQL } from 'drizzle-orm'
import { requestLogs } from '#server/database/schema'
import type { Db } from '#server/utils/db/client'
import type { LogFilter } from '#shared/schemas/logs'
import { logWhere } from './query'

const t = requestLogs

/**
 * The rows statistics count: each client request once, at its end. Running rows and the
 * `timeout` rows of a stopped process are left out, as in the Go cc-bridge.
 */
export function countedWhere(filter: Partial<LogFilter>): SQL {
  return and(inArray(t.status, ['completed', 'error']), logWhere(filter))!
}

/** Sums and averages over a group of rows, as SQL aggregate expressions. */
export const aggregates = {
  count: sql<number>`count(*)`,
  success: sql<number>`coalesce(sum(${t.status} = 'completed'), 0)`,
  failure: sql<number>`coalesce(sum(${t.status} = 'error'), 0)`,
  inputTokens: sql<number>`coalesce(sum(${t.inputTokens}), 0)`,
  outputTokens: sql<number>`coalesce(sum(${t.outputTokens}), 0)`,
  cacheCreationInputTokens: sql<number>`coalesce(sum(${t.cacheCreationInputTokens}), 0)`,
  cacheReadInputTokens: sql<number>`coalesce(sum(${t.cacheReadInputTokens}), 0)`,
  reasoningTokens: sql<number>`coalesce(sum(${t.reasoningTokens}), 0)`,
  cost: sql<number>`coalesce(sum(${t.price}), 0)`,
  avgLatencyMs: sql<number | null>`avg(case when ${t.durationMs} > 0 then ${t.durationMs} end)`,
  avgTps: sql<number | null>`avg(case when ${t.outputTokens} > 0 and ${t.durationMs} > 0 then ${t.outputTokens} * 1000.0 / ${t.durationMs} end)`,
  avgTpsSampleCount: sql<number>`coalesce(sum(${t.outputTokens} > 0 and ${t.durationMs} > 0), 0)`,
}

export type AggregateRow = { [K in keyof typeof aggregates]: (typeof aggregates)[K]['_']['type'] }

/** Rounds away float noise: costs keep 6 decimals (a millionth of a dollar), rates 2. */
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

/** cache read ÷ (input + cache read + cache creation), in percent. */
export function cacheHitRate(a: Pick<AggregateRow, 'inputTokens' | 'cacheReadInputTokens' | 'cacheCreationInputTokens'>): number {
  const prompt = a.inputTokens + a.cacheReadInputTokens + a.cacheCreationInputTokens
  return prompt ? round(a.cacheReadInputTokens / prompt * 100) : 0
}

/** Nearest-rank p50 and p95 of the positive durations of the matching rows, in ms. */
export async function latencyPercentiles(db: Db, where: SQL): Promise<{ p50: number, p95: number }> {
  const row = await db.get<{ p50: number | null, p95: number | null }>(sql`
    select min(case when rn * 100 >= 50 * n then d end) as p50, min(case when rn * 100 >= 95 * n then d end) as p95
    from (
      select ${t.durationMs} as d, row_number() over (order by ${t.durationMs}) as rn, count(*) over () as n
      from ${t} where ${where} and ${t.durationMs} > 0
    )`)
  return { p50: row?.p50 ?? 0, p95: row?.p95 ?? 0 }
}
