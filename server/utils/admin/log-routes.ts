import { defineEventHandler, getValidatedQuery, getValidatedRouterParams, setResponseStatus } from 'h3'
import { z } from 'zod'
import { logHistory } from '#server/utils/logs/history'
import { deleteAllLogs, getLog, listLogs } from '#server/utils/logs/query'
import { cleanupLogs } from '#server/utils/logs/retention'
import { dailyStats, logStats } from '#server/utils/logs/stats'
import { streamLogs } from '#server/utils/logs/stream'
import { useServices } from '#server/utils/services'
import { LogCleanupQuerySchema, LogFilterSchema, LogHistoryQuerySchema, LogListQuerySchema } from '#shared/schemas/logs'
import { defineAdminRoute } from './define-config-route'

/**
 * The request-log endpoints (`/api/logs/**`), in the Go cc-bridge's paths and JSON names. Every
 * aggregate is computed in SQL; the files under `server/api/logs` are one-liners over these.
 */

const IdParamsSchema = z.object({ id: z.string().min(1) })

/** `GET /api/logs`: `{requests, total, hasMore}`, newest first. */
export function listLogsRoute() {
  return defineAdminRoute(async (event, { db }) => {
    const { limit, offset, ...filter } = await getValidatedQuery(event, LogListQuerySchema.parse)
    return listLogs(db, filter, limit, offset)
  })
}

/** `GET /api/logs/:id`: one row with the failed bodies when kept; 404 when there is none. */
export function getLogRoute() {
  return defineAdminRoute(async (event, { db }) => {
    const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse, { decode: true })
    const row = await getLog(db, id)
    if (row) return row
    setResponseStatus(event, 404)
    return { error: `Request log ${id} not found` }
  })
}

/** `GET /api/logs/stats`. */
export function logStatsRoute() {
  return defineAdminRoute(async (event, { db }) => logStats(db, await getValidatedQuery(event, LogFilterSchema.parse)))
}

/** `GET /api/logs/stats/daily`. */
export function dailyStatsRoute() {
  return defineAdminRoute(async (event, { db }) => dailyStats(db, await getValidatedQuery(event, LogFilterSchema.parse), Date.now()))
}

/** `GET /api/logs/stats/history?duration=1h|6h|24h|today|period`. */
export function logHistoryRoute() {
  return defineAdminRoute(async (event, { db }) => {
    const { duration, ...filter } = await getValidatedQuery(event, LogHistoryQuerySchema.parse)
    return logHistory(db, duration, filter, Date.now())
  })
}

/** `DELETE /api/logs`: every row; what is still queued is written first, then deleted too. */
export function resetLogsRoute() {
  return defineAdminRoute(async (_event, { db, requestLog }) => {
    await requestLog.flush()
    const deletedCount = await deleteAllLogs(db)
    return { message: 'Request logs cleared', deletedCount }
  })
}

/** `POST /api/logs/cleanup?days=N`: rows older than N days. */
export function cleanupLogsRoute() {
  return defineAdminRoute(async (event, { db }) => {
    const { days } = await getValidatedQuery(event, LogCleanupQuerySchema.parse)
    const deletedCount = await cleanupLogs(db, days)
    return { message: `Deleted request logs older than ${days} days`, deletedCount, retentionDays: days }
  })
}

/** `GET /api/logs/stream`: the live feed (Server-Sent Events). */
export function logStreamRoute() {
  return defineEventHandler(event => streamLogs(event, useServices().requestLog.broadcaster))
}
