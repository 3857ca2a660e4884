import type { LoadBalance, StoredChannel } from '#shared/schemas/config'

/** What selection needs to know about the pool's state, as of one moment. */
export interface SelectionView {
  now: number
  strategy: LoadBalance
  /** The pool's round-robin counter; the caller advances it when `round_robin` was used. */
  rotation: number
  random: () => number
  /** Off when `failover.enabled` is set, as in the Go cc-bridge: unhealthy channels stay selectable. */
  breakerOn: boolean
  /** Channels that already failed in this request. */
  failed: ReadonlySet<string>
  /** The channel the request's user last succeeded on. */
  affinityChannelId?: string
  isSuspended(channelId: string): boolean
  /** The breaker is closed, or half-open with its probe slot free. */
  admits(channelId: string): boolean
  isHalfOpen(channelId: string): boolean
  failureRate(channelId: string): number
  /** Has a key that is neither exhausted nor cooling. */
  hasReadyKey(channel: StoredChannel): boolean
  /** Has a key that is not exhausted. */
  hasUsableKey(channel: StoredChannel): boolean
}

export interface Selection {
  channel: StoredChannel
  /** `promotion_priority`, `trace_affinity`, `priority_order`, `round_robin`, `random`, `half_open_probe` or `fallback`. */
  reason: string
}

/** Missing or empty status means active, as the Go cc-bridge reads it. */
export const isActive = (c: StoredChannel) => !c.status || c.status === 'active'

/** The channel is promoted: `promotionUntil` is in the future. */
export const isPromoted = (c: StoredChannel, now: number) => !!c.promotionUntil && Date.parse(c.promotionUntil) > now

/**
 * The channels a request may use: not disabled, of a service type the endpoint speaks, in
 * priority order (`priority` 0 or missing means the array index; ties keep array order).
 */
export function orderedCandidates(channels: readonly StoredChannel[], serviceTypes: readonly string[]): StoredChannel[] {
  return channels
    .map((channel, index) => ({ channel, index, rank: channel.priority || index }))
    .filter(({ channel }) => channel.status !== 'disabled' && serviceTypes.includes(channel.serviceType))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ channel }) => channel)
}

const STRATEGY_REASON: Record<LoadBalance, string> = { 'failover': 'priority_order', 'round-robin': 'round_robin', 'random': 'random' }

/**
 * Picks the channel for the next attempt in the Go cc-bridge's order: promotion, then trace
 * affinity, then the healthy channels ordered by the pool strategy, then the least-failing usable
 * channel as a fallback so a request is not dropped while anything could still answer. Pure: the
 * caller takes the half-open probe and advances the rotation.
 */
export function selectChannel(candidates: readonly StoredChannel[], view: SelectionView): Selection | null {
  const usable = (c: StoredChannel) => isActive(c) && !view.failed.has(c.id) && !view.isSuspended(c.id)
  const healthy = (c: StoredChannel) => usable(c) && view.hasReadyKey(c) && (!view.breakerOn || view.admits(c.id))
  const probing = (c: StoredChannel) => view.breakerOn && view.isHalfOpen(c.id)
  const labelled = (channel: StoredChannel, reason: string): Selection => ({ channel, reason: probing(channel) ? 'half_open_probe' : reason })

  const promoted = candidates.find(c => isActive(c) && isPromoted(c, view.now))
  if (promoted && healthy(promoted)) return labelled(promoted, 'promotion_priority')

  const sticky = view.affinityChannelId === undefined ? undefined : candidates.find(c => c.id === view.affinityChannelId)
  if (sticky && healthy(sticky) && !probing(sticky)) return { channel: sticky, reason: 'trace_affinity' }

  const pool = candidates.filter(healthy)
  if (pool.length) {
    const at = view.strategy === 'round-robin'
      ? view.rotation % pool.length
      : view.strategy === 'random' ? Math.floor(view.random() * pool.length) : 0
    return labelled(pool[at]!, STRATEGY_REASON[view.strategy])
  }

  let best: StoredChannel | undefined
  for (const c of candidates) {
    if (usable(c) && view.hasUsableKey(c) && (!best || view.failureRate(c.id) < view.failureRate(best.id))) best = c
  }
  return best ? { channel: best, reason: 'fallback' } : null
}

/**
 * The channels with one promotion window set (`POST …/:id/promotion`, as in the Go cc-bridge): a
 * positive duration promotes `id` until now + duration and clears every other promotion in the
 * pool; zero clears it. Returns the new array for the caller to save; the input is not changed.
 */
export function setPromotion<C extends StoredChannel>(channels: readonly C[], id: string, durationSeconds: number, now: number): C[] {
  const until = durationSeconds > 0 ? new Date(now + durationSeconds * 1000).toISOString() : null
  return channels.map((c) => {
    if (c.id === id) return { ...c, promotionUntil: until }
    return until && c.promotionUntil ? { ...c, promotionUntil: null } : c
  })
}
