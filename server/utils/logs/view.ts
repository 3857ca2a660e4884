import type { LogStatus, RequestLog, RequestLogDetail } from '#shared/schemas/logs'
import type { LogRow, NewRequestLog } from './types'

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString())

/** A row without its bodies, as list queries read it. */
export type LogRowSummary = Omit<LogRow, 'requestBody' | 'responseBody'> & { hasFailedBodies: boolean | number }

/**
 * The API's view of a row (stored, or only recorded so far): times as RFC 3339, absent
 * columns at their defaults, never the bodies.
 */
export function logView(row: NewRequestLog | LogRowSummary): RequestLog {
  const inputTokens = row.inputTokens ?? 0
  const outputTokens = row.outputTokens ?? 0
  const cacheCreationInputTokens = row.cacheCreationInputTokens ?? 0
  const cacheReadInputTokens = row.cacheReadInputTokens ?? 0
  const hasFailedBodies = 'hasFailedBodies' in row
    ? Boolean(row.hasFailedBodies)
    : (row as NewRequestLog).requestBody != null || (row as NewRequestLog).responseBody != null
  return {
    id: row.id,
    status: row.status as LogStatus,
    pool: row.pool ?? null,
    endpoint: row.endpoint,
    initialTime: iso(row.initialTime)!,
    firstTokenTime: iso(row.firstTokenTime),
    completeTime: iso(row.completeTime),
    durationMs: row.durationMs ?? 0,
    firstTokenDurationMs: row.firstTokenDurationMs ?? null,
    httpStatus: row.httpStatus ?? 0,
    model: row.model ?? null,
    mappedModel: row.mappedModel ?? null,
    responseModel: row.responseModel ?? null,
    reasoningEffort: row.reasoningEffort ?? null,
    channelUid: row.channelUid ?? null,
    channelName: row.channelName ?? null,
    providerName: row.providerName ?? row.channelName ?? null,
    type: row.type ?? null,
    maskedKey: row.maskedKey ?? null,
    stream: Boolean(row.stream),
    inputTokens,
    outputTokens,
    cacheCreationInputTokens,
    cacheCreation5mInputTokens: row.cacheCreation5mInputTokens ?? null,
    cacheCreation1hInputTokens: row.cacheCreation1hInputTokens ?? null,
    cacheReadInputTokens,
    reasoningTokens: row.reasoningTokens ?? 0,
    totalTokens: inputTokens + outputTokens + cacheCreationInputTokens + cacheReadInputTokens,
    usageEstimated: Boolean(row.usageEstimated),
    price: row.price ?? 0,
    inputCost: row.inputCost ?? 0,
    outputCost: row.outputCost ?? 0,
    cacheCreationCost: row.cacheCreationCost ?? 0,
    cacheReadCost: row.cacheReadCost ?? 0,
    clientId: row.clientId ?? null,
    sessionId: row.sessionId ?? null,
    userAgent: row.userAgent ?? null,
    error: row.error ?? null,
    upstreamError: row.upstreamError ?? null,
    failoverInfo: row.failoverInfo ?? null,
    attempts: row.attempts ?? [],
    hasFailedBodies,
  }
}

/** `GET /api/logs/:id`: the view plus the bodies. */
export function logDetailView(row: LogRow): RequestLogDetail {
  const hasFailedBodies = row.requestBody != null || row.responseBody != null
  return { ...logView({ ...row, hasFailedBodies }), requestBody: row.requestBody, responseBody: row.responseBody }
}
