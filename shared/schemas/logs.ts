import { z } from 'zod'
import { blankToUndefined } from './blank'

/**
 * The request log as the admin API shows it, in the Go cc-bridge's JSON names so its users'
 * scripts carry over. Times are RFC 3339 strings, money is USD.
 */

/** Where a request is in its life: the first three while it runs, the last three at its end. */
export const LOG_STATUSES = ['pending', 'retry_wait', 'failover', 'completed', 'error', 'timeout'] as const
export type LogStatus = typeof LOG_STATUSES[number]

/** One attempt of the fail-over chain, in the order they were made (the `attempts` column). */
export const LogAttemptSchema = z.object({
  channelId: z.string(),
  channelName: z.string(),
  /** Masked (`maskKey`), never the key itself. */
  maskedKey: z.string().optional(),
  keyIndex: z.number().int().optional(),
  /** Upstream HTTP status, when there was one. */
  status: z.number().int().optional(),
  /** Transport error code or message, when there was no HTTP status. */
  error: z.string().optional(),
  /** What the scheduler did next (`DecisionRecord.action`): `success`, `retry`, `next-key`, `failover`, `suspend`, `return`, `abort`, `stream-failed`. */
  action: z.string(),
  /** Why (`DecisionRecord.reason`), e.g. `priority_order`, `rule 429`, `client_error`. */
  reason: z.string(),
  /** How long the proxy waited before the next attempt, in ms (retries). */
  waitMs: z.number().optional(),
  /** Epoch ms at which the attempt ended; the row's end time when absent. */
  at: z.number().optional(),
})
export type LogAttempt = z.infer<typeof LogAttemptSchema>

/** A row of `GET /api/logs` (and the `data` of the stream's events). */
export const RequestLogSchema = z.object({
  id: z.string(),
  status: z.enum(LOG_STATUSES),
  pool: z.string().nullable(),
  endpoint: z.string(),
  initialTime: z.string(),
  firstTokenTime: z.string().nullable(),
  completeTime: z.string().nullable(),
  durationMs: z.number(),
  firstTokenDurationMs: z.number().nullable(),
  httpStatus: z.number().int(),
  /** Requested model. */
  model: z.string().nullable(),
  mappedModel: z.string().nullable(),
  responseModel: z.string().nullable(),
  reasoningEffort: z.string().nullable(),
  /** Stable id of the channel that served the request. */
  channelUid: z.string().nullable(),
  channelName: z.string().nullable(),
  providerName: z.string().nullable(),
  /** The channel's service type. */
  type: z.string().nullable(),
  maskedKey: z.string().nullable(),
  stream: z.boolean(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheCreationInputTokens: z.number().int(),
  cacheCreation5mInputTokens: z.number().int().nullable(),
  cacheCreation1hInputTokens: z.number().int().nullable(),
  cacheReadInputTokens: z.number().int(),
  reasoningTokens: z.number().int(),
  totalTokens: z.number().int(),
  usageEstimated: z.boolean(),
  /** Total cost, USD. */
  price: z.number(),
  inputCost: z.number(),
  outputCost: z.number(),
  cacheCreationCost: z.number(),
  cacheReadCost: z.number(),
  clientId: z.string().nullable(),
  sessionId: z.string().nullable(),
  userAgent: z.string().nullable(),
  error: z.string().nullable(),
  upstreamError: z.string().nullable(),
  failoverInfo: z.string().nullable(),
  attempts: z.array(LogAttemptSchema),
  /** Whether `GET /api/logs/:id` has the failed request's bodies. */
  hasFailedBodies: z.boolean(),
})
export type RequestLog = z.infer<typeof RequestLogSchema>

/** `GET /api/logs/:id`: the row plus the failed request's bodies when they were kept. */
export const RequestLogDetailSchema = RequestLogSchema.extend({
  requestBody: z.string().nullable(),
  responseBody: z.string().nullable(),
})
export type RequestLogDetail = z.infer<typeof RequestLogDetailSchema>

/** `GET /api/logs`. */
export interface RequestLogList {
  requests: RequestLog[]
  total: number
  hasMore: boolean
}

const optionalText = z.preprocess(blankToUndefined, z.string().trim().optional())
/** RFC 3339 or epoch ms; becomes epoch ms. */
const time = z.preprocess(blankToUndefined, z.string().trim().optional().transform((v, ctx) => {
  if (v === undefined) return undefined
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v)
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'must be an RFC 3339 time or epoch milliseconds' })
    return z.NEVER
  }
  return ms
}))

/**
 * The filters every log query takes. `client`/`clientId` and `session`/`sessionId` are the same
 * filter (the short names, or the Go cc-bridge's). `status` may list several, comma-separated.
 */
export const LogFilterSchema = z.object({
  provider: optionalText,
  channel: optionalText,
  model: optionalText,
  endpoint: optionalText,
  status: z.preprocess(blankToUndefined, z.string().optional().transform(v => v?.split(',').map(s => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(LOG_STATUSES)).optional())),
  httpStatus: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(999).optional()),
  client: optionalText,
  clientId: optionalText,
  session: optionalText,
  sessionId: optionalText,
  from: time,
  to: time,
}).transform(({ clientId, sessionId, ...f }) => ({ ...f, client: f.client ?? clientId, session: f.session ?? sessionId }))
export type LogFilter = z.output<typeof LogFilterSchema>

/** `GET /api/logs`: the filters plus paging (limit 100 by default, at most 1000). */
export const LogListQuerySchema = z.intersection(LogFilterSchema, z.object({
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1000).default(100)),
  offset: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).default(0)),
}))

/** `POST /api/logs/cleanup?days=N`. */
export const LogCleanupQuerySchema = z.object({
  days: z.coerce.number({ error: 'days must be a whole number of days' }).int().min(1).max(36500),
})

export const HISTORY_DURATIONS = ['1h', '6h', '24h', 'today', 'period'] as const

/** `GET /api/logs/stats/history`: `period` needs `from` and `to`. */
export const LogHistoryQuerySchema = z.intersection(LogFilterSchema, z.object({
  duration: z.preprocess(blankToUndefined, z.enum(HISTORY_DURATIONS).default('1h')),
}))

/** Counts and sums over a set of finished requests. */
export interface LogGroupStats {
  count: number
  success: number
  failure: number
  inputTokens: number
  outputTokens: number
  cacheCreationInputTokens: number
  cacheReadInputTokens: number
  reasoningTokens: number
  cost: number
  avgLatencyMs: number
  /** Output tokens per second, averaged over requests with both tokens and a duration. */
  avgTps: number
  avgTpsSampleCount: number
  /** cache read ÷ (input + cache read + cache creation), percent. */
  cacheHitRate: number
}

/** `GET /api/logs/stats`: finished requests only (`completed` and `error`). */
export interface LogStats {
  totalRequests: number
  totalSuccess: number
  totalFailure: number
  totalInputTokens: number
  totalOutputTokens: number
  totalCacheCreationTokens: number
  totalCacheReadTokens: number
  totalReasoningTokens: number
  totalCost: number
  avgLatencyMs: number
  p50LatencyMs: number
  p95LatencyMs: number
  avgTps: number
  avgTpsSampleCount: number
  cacheHitRate: number
  byModel: Record<string, LogGroupStats>
  byProvider: Record<string, LogGroupStats>
  byClient: Record<string, LogGroupStats>
  /** Only with `?client=`: the sessions of that client. */
  bySession: Record<string, LogGroupStats>
  timeRange: { from: string | null, to: string | null }
}

/** One day of `GET /api/logs/stats/daily`. */
export interface DailyPoint {
  date: string
  requests: number
  success: number
  failure: number
  inputTokens: number
  outputTokens: number
  cacheCreationInputTokens: number
  cacheReadInputTokens: number
  cost: number
  avgDurationMs: number
  avgTps: number
  avgTpsSampleCount: number
}

/** One bucket of `GET /api/logs/stats/history`. */
export interface HistoryPoint {
  timestamp: string
  requests: number
  success: number
  failure: number
  avgDurationMs: number
  p50DurationMs: number
  p95DurationMs: number
  inputTokens: number
  outputTokens: number
  cacheCreationInputTokens: number
  cacheReadInputTokens: number
  cost: number
}

/** `GET /api/logs/stats/history`: the whole series, and one series per channel. */
export interface LogHistory {
  duration: typeof HISTORY_DURATIONS[number]
  bucketSeconds: number
  from: string
  to: string
  dataPoints: HistoryPoint[]
  channels: { channelUid: string | null, channelName: string | null, dataPoints: HistoryPoint[] }[]
  summary: {
    totalRequests: number
    totalSuccess: number
    totalFailure: number
    totalInputTokens: number
    totalOutputTokens: number
    totalCacheCreationTokens: number
    totalCacheReadTokens: number
    totalCost: number
    avgSuccessRate: number
    avgDurationMs: number
    p50DurationMs: number
    p95DurationMs: number
    duration: string
  }
}

/** The request log's queue, for `GET /api/health/details`. */
export interface RequestLogQueueStats {
  /** Rows waiting for the next write. */
  queued: number
  /** Rows dropped, oldest first, because the database fell behind. */
  dropped: number
  /** Rows given up after their write failed repeatedly. */
  failed: number
  /** Rows (and changes to rows) written since start-up. */
  written: number
  /**
   * CPU time the writer thread has spent on them since start-up, in µs: the log's own cost, apart
   * from the proxy's. Absent when the log writes on the main connection (a libSQL server).
   */
  writerCpuUs?: number
}

/** An event of `GET /api/logs/stream`. */
export interface LogStreamEvent {
  type: 'log:created' | 'log:updated'
  data: RequestLog
  timestamp: string
}
