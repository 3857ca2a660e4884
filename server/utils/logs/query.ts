import { and, count, desc, eq, getTableColumns, inArray, lt, or, sql, type SQL } from 'drizzle-orm'
import { requestLogs } from '#server/database/schema'
import type { Db } from '#server/utils/db/client'
import type { LogFilter, RequestLogDetail, RequestLogList } from '#shared/schemas/logs'
import { logDetailView, logView } from './view'

const t = requestLogs

/**
 * The SQL condition for the API's filters. `provider` is a service type or the serving
 * channel's name; `channel` a channel's stable id or name (as the Go cc-bridge matches
 * `channel_name`, `provider_name` or `provider`).
 */
export function logWhere(f: Partial<LogFilter>): SQL | undefined {
  return and(
    f.provider ? or(eq(t.type, f.provider), eq(t.providerName, f.provider)) : undefined,
    f.channel ? or(eq(t.channelUid, f.channel), eq(t.channelName, f.channel), eq(t.providerName, f.channel)) : undefined,
    f.model ? eq(t.model, f.model) : undefined,
    f.endpoint ? eq(t.endpoint, f.endpoint) : undefined,
    f.status?.length ? inArray(t.status, f.status) : undefined,
    f.httpStatus !== undefined ? eq(t.httpStatus, f.httpStatus) : undefined,
    f.client ? eq(t.clientId, f.client) : undefined,
    f.session ? eq(t.sessionId, f.session) : undefined,
    f.from !== undefined ? sql`${t.initialTime} >= ${f.from}` : undefined,
    f.to !== undefined ? sql`${t.initialTime} <= ${f.to}` : undefined,
  )
}

/** Every column but the bodies, and whether there are any. */
const { requestBody: _req, responseBody: _res, ...summaryColumns } = getTableColumns(t)
const summarySelection = {
  ...summaryColumns,
  hasFailedBodies: sql<number>`(${t.requestBody} IS NOT NULL OR ${t.responseBody} IS NOT NULL)`,
}

/** `GET /api/logs`: newest first. */
export async function listLogs(db: Db, filter: Partial<LogFilter>, limit: number, offset: number): Promise<RequestLogList> {
  const where = logWhere(filter)
  const [rows, [total]] = await Promise.all([
    db.select(summarySelection).from(t).where(where).orderBy(desc(t.initialTime), desc(t.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(t).where(where),
  ])
  const n = total?.n ?? 0
  return { requests: rows.map(logView), total: n, hasMore: offset + rows.length < n }
}

/** `GET /api/logs/:id`, with the failed bodies when they were kept. */
export async function getLog(db: Db, id: string): Promise<RequestLogDetail | undefined> {
  const [row] = await db.select().from(t).where(eq(t.id, id))
  return row && logDetailView(row)
}

/** `DELETE /api/logs`: every row. Returns how many went. */
export async function deleteAllLogs(db: Db): Promise<number> {
  return (await db.delete(t)).rowsAffected
}

/** Deletes the rows that started before `before` (epoch ms). Returns how many went. */
export async function deleteLogsBefore(db: Db, before: number): Promise<number> {
  return (await db.delete(t).where(lt(t.initialTime, before))).rowsAffected
}

/**
 * Rows still running when the previous process stopped can never finish: they become
 * `timeout`. Run once at start-up, before the proxy records anything.
 */
export async function closeOrphanedLogs(db: Db, now: number): Promise<number> {
  const result = await db.update(t)
    .set({ status: 'timeout', error: 'cc-bridge stopped before the request finished', completeTime: now })
    .where(inArray(t.status, ['pending', 'retry_wait', 'failover']))
  return result.rowsAffected
}
