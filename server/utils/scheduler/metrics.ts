import type { ChannelMetricsView, MetricsWindow, RecentCall, SchedulerStats, WindowStats } from '#shared/schemas/admin'
import type { CircuitBreaker } from './breaker'
import { FAILURE_THRESHOLD, WINDOW_SIZE } from './breaker'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const RECENT_CALLS = 20
const TIME_WINDOWS: Record<MetricsWindow, number> = { '15m': 15 * MINUTE, '1h': 60 * MINUTE, '6h': 6 * 60 * MINUTE, '24h': DAY }

interface Bucket { minute: number, success: number, failure: number }

/** One past channel verdict, as read back from the request log at start-up. */
export interface MetricsOutcome {
  success: boolean
  /** Epoch ms. */
  at: number
  statusCode: number
  model?: string
  channelName: string
}

/** One of a channel's recent calls as kept (see `RecentCall` for how it is shown). */
type RecentOutcome = Omit<RecentCall, 'timestamp'> & { at: number }

/** What happened on a channel over time; the breaker keeps the health window separately. */
export class ChannelMetrics {
  requestCount = 0
  successCount = 0
  failureCount = 0
  consecutiveFailures = 0
  lastSuccessAt: number | null = null
  lastFailureAt: number | null = null
  /** The last calls, their time as epoch ms: made into `RecentCall`s only when viewed (a date's text cost a few µs on every request). */
  recentCalls: RecentOutcome[] = []
  /** Per-minute counts for the last 24 h: bounded at 1440 entries however busy the channel is. */
  private buckets: Bucket[] = []

  record(success: boolean, now: number, call: { statusCode: number, model?: string, channelName: string }): void {
    this.requestCount++
    if (success) {
      this.successCount++
      this.consecutiveFailures = 0
      this.lastSuccessAt = now
    }
    else {
      this.failureCount++
      this.consecutiveFailures++
      this.lastFailureAt = now
    }
    const minute = Math.floor(now / MINUTE)
    let last = this.buckets.at(-1)
    if (last?.minute !== minute) this.buckets.push(last = { minute, success: 0, failure: 0 })
    last[success ? 'success' : 'failure']++
    while (this.buckets.length && this.buckets[0]!.minute * MINUTE <= now - DAY) this.buckets.shift()
    this.recentCalls.push({ success, statusCode: call.statusCode, at: now, model: call.model, channelName: call.channelName })
    if (this.recentCalls.length > RECENT_CALLS) this.recentCalls.shift()
  }

  /**
   * Replays past verdicts (start-up, from the request log) so the counts, time windows and
   * recent calls survive a restart. Only into fresh metrics: replaying older outcomes after
   * live ones would scramble the order.
   */
  seed(outcomes: readonly MetricsOutcome[]): void {
    if (this.requestCount) return
    for (const o of [...outcomes].sort((a, b) => a.at - b.at)) {
      this.record(o.success, o.at, { statusCode: o.statusCode, model: o.model, channelName: o.channelName })
    }
  }

  windows(now: number): Record<keyof typeof TIME_WINDOWS, WindowStats> {
    const out = {} as Record<keyof typeof TIME_WINDOWS, WindowStats>
    for (const [name, span] of Object.entries(TIME_WINDOWS) as [keyof typeof TIME_WINDOWS, number][]) {
      let successCount = 0
      let failureCount = 0
      for (const b of this.buckets) {
        if ((b.minute + 1) * MINUTE <= now - span) continue
        successCount += b.success
        failureCount += b.failure
      }
      out[name] = stats(successCount, failureCount)
    }
    return out
  }
}

function stats(successCount: number, failureCount: number): WindowStats {
  const requestCount = successCount + failureCount
  return { requestCount, successCount, failureCount, successRate: requestCount ? round(successCount / requestCount * 100) : 100 }
}

const round = (n: number) => Math.round(n * 100) / 100
const iso = (t: number | null) => t === null ? undefined : new Date(t).toISOString()

/** Builds one channel's metrics entry; a channel that has seen no traffic reports zeros. */
export function channelMetricsView(channelIndex: number, channelId: string, metrics: ChannelMetrics | undefined, breaker: CircuitBreaker | undefined, now: number, queuedRequests = 0): ChannelMetricsView {
  const m = metrics ?? new ChannelMetrics()
  return {
    channelIndex,
    channelId,
    ...stats(m.successCount, m.failureCount),
    errorRate: round((breaker?.failureRate() ?? 0) * 100),
    consecutiveFailures: m.consecutiveFailures,
    latency: 0,
    timeWindows: m.windows(now),
    recentCalls: m.recentCalls.map(({ at, ...call }) => ({ ...call, timestamp: new Date(at).toISOString() })),
    lastSuccessAt: iso(m.lastSuccessAt),
    lastFailureAt: iso(m.lastFailureAt),
    circuitBrokenAt: iso(breaker?.openedAt ?? null),
    breakerState: breaker?.state(now) ?? 'closed',
    halfOpenAt: iso(breaker?.halfOpenAt() ?? null),
    queuedRequests,
  }
}

/** Formats a duration the way Go's `time.Duration.String()` does, as the Go cc-bridge's API shows it. */
export function formatGoDuration(ms: number): string {
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor(total % 3600 / 60)
  const s = total % 60
  if (h) return `${h}h${m}m${s}s`
  if (m) return `${m}m${s}s`
  return `${s}s`
}

/** Scheduler stats for a pool, in the Go cc-bridge's shape. */
export function schedulerStatsView(nonDisabledCount: number, traceAffinityCount: number, affinityTtlMs: number, recoveryMs: number): SchedulerStats {
  return {
    multiChannelMode: nonDisabledCount > 1,
    activeChannelCount: nonDisabledCount,
    traceAffinityCount,
    traceAffinityTTL: formatGoDuration(affinityTtlMs),
    failureThreshold: FAILURE_THRESHOLD * 100,
    windowSize: WINDOW_SIZE,
    circuitRecoveryTime: formatGoDuration(recoveryMs),
  }
}
