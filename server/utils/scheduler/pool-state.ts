import type { StoredChannel } from '#shared/schemas/config'
import { AffinityMap } from './affinity'
import { CircuitBreaker } from './breaker'
import { RuleCounters } from './failover-rules'
import { KeyState } from './keys'
import { ChannelMetrics, type MetricsOutcome } from './metrics'
import { isActive } from './select'

/**
 * Everything one pool (messages, responses, chat) remembers between requests. All of it is
 * keyed by channel id, so reordering channels in the config cannot move state between them.
 */
export class PoolState {
  readonly keys = new KeyState()
  readonly counters = new RuleCounters()
  readonly affinity = new AffinityMap()
  /** Round-robin counter: advances once per round-robin selection. */
  rotation = 0
  private breakers = new Map<string, CircuitBreaker>()
  private metrics = new Map<string, ChannelMetrics>()

  constructor(readonly recoveryMs: number) {}

  breaker(channelId: string): CircuitBreaker {
    let b = this.breakers.get(channelId)
    if (!b) this.breakers.set(channelId, b = new CircuitBreaker(this.recoveryMs))
    return b
  }

  /** Read-only lookups for the admin views: they must not create state for idle channels. */
  existing(channelId: string): { breaker?: CircuitBreaker, metrics?: ChannelMetrics } {
    return { breaker: this.breakers.get(channelId), metrics: this.metrics.get(channelId) }
  }

  /** Records one channel verdict; returns true when it opened the breaker. */
  record(channel: StoredChannel, success: boolean, statusCode: number, model: string | undefined, now: number): boolean {
    let m = this.metrics.get(channel.id)
    if (!m) this.metrics.set(channel.id, m = new ChannelMetrics())
    m.record(success, now, { statusCode, model, channelName: channel.name })
    const opened = this.breaker(channel.id).record(!success, now)
    // An open channel gets no traffic, so its users should settle on their new channel now.
    if (opened) this.affinity.retain(id => id !== channel.id)
    return opened
  }

  /** Restores a channel's metrics (not its breaker: health restarts clean) from past verdicts. */
  seed(channelId: string, outcomes: readonly MetricsOutcome[]): void {
    let m = this.metrics.get(channelId)
    if (!m) this.metrics.set(channelId, m = new ChannelMetrics())
    m.seed(outcomes)
  }

  /** Manual resume: closes the breaker, forgets the window, key cooldowns and rule counters. */
  resume(channelId: string): void {
    this.breakers.get(channelId)?.reset()
    const m = this.metrics.get(channelId)
    if (m) m.consecutiveFailures = 0
    this.keys.retain(id => id !== channelId)
    this.counters.retain(id => id !== channelId)
  }

  /**
   * Config hot reload: keeps the state of channels whose id is unchanged, drops removed ones,
   * and forgets affinity to channels that are no longer active.
   */
  sync(channels: readonly StoredChannel[]): void {
    const ids = new Set(channels.map(c => c.id))
    const active = new Set(channels.filter(isActive).map(c => c.id))
    for (const map of [this.breakers, this.metrics]) {
      for (const id of map.keys()) {
        if (!ids.has(id)) map.delete(id)
      }
    }
    this.keys.retain(id => ids.has(id))
    this.counters.retain(id => ids.has(id))
    this.affinity.retain(id => active.has(id))
  }
}
