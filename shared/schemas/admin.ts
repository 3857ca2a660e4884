import type { RequestLogQueueStats } from './logs'
// Response shapes of the admin API that are not config: the server's routes return these types
// and the admin UI imports them from here, so the two cannot drift apart.

/** A circuit breaker's state, as the metrics show it. */
export type BreakerState = 'closed' | 'open' | 'half_open'

/** One slot of the UI's recent-calls strip. */
export interface RecentCall {
  success: boolean
  statusCode: number
  timestamp: string
  model?: string
  channelName: string
}

export interface WindowStats {
  requestCount: number
  successCount: number
  failureCount: number
  successRate: number
}

/** The time windows the metrics are counted over. */
export type MetricsWindow = '15m' | '1h' | '6h' | '24h'

/** A channel's entry in `GET /api/channels/metrics` (the Go cc-bridge's shape, plus the breaker state). */
export interface ChannelMetricsView extends WindowStats {
  channelIndex: number
  channelId: string
  /** Failure share of the breaker's sliding window, in percent. */
  errorRate: number
  consecutiveFailures: number
  latency: 0
  timeWindows: Record<MetricsWindow, WindowStats>
  recentCalls: RecentCall[]
  lastSuccessAt?: string
  lastFailureAt?: string
  circuitBrokenAt?: string
  breakerState: BreakerState
  /** When an open breaker lets its probe through. */
  halfOpenAt?: string
  /** Requests waiting for a connection to the channel's upstream (`UPSTREAM_MAX_CONNECTIONS` in use). */
  queuedRequests: number
}

/** `GET /api/channels/scheduler/stats` */
export interface SchedulerStats {
  multiChannelMode: boolean
  activeChannelCount: number
  traceAffinityCount: number
  traceAffinityTTL: string
  failureThreshold: number
  windowSize: number
  circuitRecoveryTime: string
}

/** One key out of rotation, as `GET …/channels/keys/exhausted` shows it: masked, never whole. */
export interface ExhaustedKeyView {
  channelId: string
  channelIndex: number
  channelName: string
  keyIndex: number
  maskedKey: string
  reason: string
  since: string
}

/** What a ping found (`GET /api/ping/:id`); `latency` is in milliseconds. */
export interface PingResult {
  success: boolean
  latency: number
  status: 'healthy' | 'error'
  error?: string
}

/** One channel's entry in `GET /api/ping`. */
export interface ChannelPing {
  id: string
  name: string
  latency: number
  status: PingResult['status']
  error?: string
}

/** `GET /health`: nothing secret, only counts and strategies. */
export interface HealthSummary {
  status: 'healthy'
  timestamp: string
  /** Seconds. */
  uptime: number
  mode: string
  config: {
    upstreamCount: number
    responsesUpstreamCount: number
    loadBalance: string
    responsesLoadBalance: string
    chatUpstreamCount: number
    chatLoadBalance: string
  }
}

/** `GET /api/health/details`. */
export interface HealthDetails extends HealthSummary {
  version: { version: string }
  configRevision: number
  configErrors: string[]
  /** The request log's write queue: what waits, and what a slow database cost. */
  requestLog: RequestLogQueueStats
  /** The process's memory, and the collections run when it went quiet after a burst. */
  memory: MemoryFigures
}

/** The process's memory, for `GET /api/health/details`. */
export interface MemoryFigures {
  /** Resident set size, MB. */
  rssMb: number
  /** V8's heap in use and reserved, MB. */
  heapUsedMb: number
  heapTotalMb: number
  /** Buffers and other memory outside V8's heap, MB. */
  externalMb: number
  /** Collections run because the server went quiet after a burst, and when the last one ran. */
  idleCollections: number
  lastIdleCollection?: string
}
