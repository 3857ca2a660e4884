import type { PoolName, StoredChannel } from '#shared/schemas/config'
import { AFFINITY_TTL_MS } from './affinity'
import { DEFAULT_RECOVERY_MS } from './breaker'
import type { ExhaustedKey } from './keys'
import type { ChannelMetricsView, SchedulerStats } from '#shared/schemas/admin'
import { channelMetricsView, schedulerStatsView, type MetricsOutcome } from './metrics'
import { PoolState } from './pool-state'
import { createRouting } from './routing'
import type { SuspensionStore } from './suspensions'
import { createMemorySuspensionStore } from './suspensions'
import type { Clock, RequestRouting, RoutingRequest } from './types'

export interface SchedulerOptions {
  /** Defaults to `Date.now`. */
  clock?: Clock
  /** Defaults to `Math.random`; drives the `random` strategies. */
  random?: () => number
  /** How long an open breaker waits before its half-open probe; default 15 min. */
  recoveryMs?: number
  /** Quota suspensions; defaults to an in-memory store. */
  suspensions?: SuspensionStore
}

/** The process-wide scheduler: one state per pool, all keyed by channel id. */
export interface Scheduler {
  readonly suspensions: SuspensionStore
  /** Starts routing one client request. */
  begin(req: RoutingRequest): RequestRouting
  /** Config hot reload: keeps state for unchanged ids, drops removed channels. */
  sync(pool: PoolName, channels: readonly StoredChannel[]): void
  /** `POST …/:id/resume`: closes the breaker, clears window, key cooldowns, exhausted keys and the quota suspension. */
  resume(pool: PoolName, channelId: string): void
  /** Keys out of rotation for an exhausted quota; the API must mask `key` before showing it. */
  exhaustedKeys(pool: PoolName): ExhaustedKey[]
  /**
   * `GET /api/channels/metrics`, one entry per channel in config order; `queued` counts a
   * channel's requests waiting for an upstream connection (the scheduler cannot see them).
   */
  getMetrics(pool: PoolName, channels: readonly StoredChannel[], queued?: (channel: StoredChannel) => number): ChannelMetricsView[]
  /** `GET /api/channels/scheduler/stats`. */
  getSchedulerStats(pool: PoolName, channels: readonly StoredChannel[]): SchedulerStats
  /** Start-up: restores a channel's metrics from the request log (see `ChannelMetrics.seed`). */
  seed(pool: PoolName, channelId: string, outcomes: readonly MetricsOutcome[]): void
}

/** Creates the scheduler. Pure state in memory; persistence goes through `suspensions` and key moves. */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  const clock = options.clock ?? Date.now
  const random = options.random ?? Math.random
  const recoveryMs = options.recoveryMs ?? DEFAULT_RECOVERY_MS
  const suspensions = options.suspensions ?? createMemorySuspensionStore(clock)
  const pools = new Map<PoolName, PoolState>()
  const state = (pool: PoolName) => {
    let s = pools.get(pool)
    if (!s) pools.set(pool, s = new PoolState(recoveryMs))
    return s
  }

  return {
    suspensions,
    begin: req => createRouting(req, state(req.pool), { clock, random, suspensions }),
    sync: (pool, channels) => state(pool).sync(channels),
    resume(pool, channelId) {
      state(pool).resume(channelId)
      suspensions.clear(pool, channelId)
    },
    exhaustedKeys: pool => state(pool).keys.exhaustedKeys(),
    getMetrics(pool, channels, queued) {
      const now = clock()
      return channels.map((c, i) => {
        const { breaker, metrics } = state(pool).existing(c.id)
        return channelMetricsView(i, c.id, metrics, breaker, now, queued?.(c))
      })
    },
    getSchedulerStats(pool, channels) {
      const nonDisabled = channels.filter(c => c.status !== 'disabled').length
      return schedulerStatsView(nonDisabled, state(pool).affinity.size(clock()), AFFINITY_TTL_MS, recoveryMs)
    },
    seed: (pool, channelId, outcomes) => state(pool).seed(channelId, outcomes),
  }
}
