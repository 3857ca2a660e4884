import { getValidatedQuery, readValidatedBody, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import { z } from 'zod'
import type { ChannelPing, ExhaustedKeyView } from '#shared/schemas/admin'
import { POOLS } from '#shared/schemas/config'
import type { Config, PoolName, StoredChannel } from '#shared/schemas/config'
import { findChannelIndex, poolChannels } from '#server/utils/config/channels'
import type { ConfigStore } from '#server/utils/config/store'
import { defaultFailoverConfig, effectiveFailover, NormalizedFailoverConfigSchema } from '#server/utils/scheduler/failover-rules'
import type { NormalizedFailoverConfig } from '#server/utils/scheduler/failover-rules'
import type { ExhaustedKey } from '#server/utils/scheduler/keys'
import { setPromotion } from '#server/utils/scheduler/select'
import { fetchChannelModels } from '#server/utils/upstream/fetch-models'
import { pingUpstream } from '#server/utils/upstream/ping'
import { queuedRequests } from '#server/utils/upstream/queued'
import { channelRefOf, defineConfigRoute, ifMatchOf } from './define-config-route'
import { maskKey } from './mask'

/**
 * The admin endpoints over the scheduler's live state (metrics, breaker resume, promotion,
 * exhausted keys, failover rules) and the channel probes (ping, model list). One factory per
 * endpoint, parameterised by pool, so the files under `server/api` stay one-liners.
 */

/** A promotion ends within a year: the UI sends 300 s, and far larger values overflow a Date. */
const MAX_PROMOTION_SECONDS = 365 * 24 * 3600

const PromotionBodySchema = z.object({ duration: z.number().int().nonnegative().max(MAX_PROMOTION_SECONDS) })
const SchedulerStatsQuerySchema = z.object({
  type: z.enum(Object.keys(POOLS) as [PoolName, ...PoolName[]]).default('messages'),
})

/** A pool's channels; every loaded channel has an id, which is what the scheduler keys on. */
const storedChannels = (config: Config, pool: PoolName) => poolChannels(config, pool) as StoredChannel[]

/** The channel a route's `:id` (index or stable id) names; 404 when there is none. */
async function namedChannel(event: H3Event, config: Config, pool: PoolName): Promise<{ channel: StoredChannel, index: number }> {
  const channels = storedChannels(config, pool)
  const index = findChannelIndex(channels, await channelRefOf(event))
  return { channel: channels[index]!, index }
}

/** `GET …/channels/metrics`: one entry per channel, in config order. */
export function channelMetricsRoute(pool: PoolName) {
  return defineConfigRoute((_event, store, { scheduler }) => scheduler.getMetrics(pool, storedChannels(store.get().config, pool), queuedRequests))
}

/** `GET /api/channels/scheduler/stats?type=messages|responses|chat`. */
export function schedulerStatsRoute() {
  return defineConfigRoute(async (event, store, { scheduler }) => {
    const { type } = await getValidatedQuery(event, SchedulerStatsQuerySchema.parse)
    return scheduler.getSchedulerStats(type, storedChannels(store.get().config, type))
  })
}

/** `POST …/channels/:id/resume`: closes the breaker by hand; the channel's status is untouched. */
export function resumeChannelRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store, { scheduler }) => {
    const { channel, index } = await namedChannel(event, store.get().config, pool)
    scheduler.resume(pool, channel.id)
    return { success: true, message: `Channel "${channel.name}" resumed`, id: channel.id, index }
  })
}

/** `POST …/channels/:id/promotion` with `{duration}` in seconds; 0 ends the promotion. */
export function promoteChannelRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store) => {
    const ref = await channelRefOf(event)
    const { duration } = await readValidatedBody(event, PromotionBodySchema.parse)
    const result = await store.mutate((config) => {
      const channels = storedChannels(config, pool)
      const index = findChannelIndex(channels, ref)
      const { id, name } = channels[index]!
      const next = setPromotion(channels, id, duration, Date.now())
      config[POOLS[pool].channels] = next
      return { id, index, name, promotionUntil: next[index]!.promotionUntil ?? null }
    }, { ifMatch: ifMatchOf(event) })
    const message = duration > 0 ? `Channel "${result.name}" promoted for ${duration}s` : `Promotion of "${result.name}" cleared`
    return { success: true, message, id: result.id, index: result.index, promotionUntil: result.promotionUntil }
  })
}

/** `GET …/channels/:id/models`: the upstream's own list, or 502 with why it could not be read. */
export function channelModelsRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store) => {
    const { channel } = await namedChannel(event, store.get().config, pool)
    try {
      return { models: await fetchChannelModels(channel) }
    }
    catch (err) {
      setResponseStatus(event, 502)
      return { error: (err as Error).message }
    }
  })
}

/**
 * Joins the scheduler's exhausted keys to the pool's channels and masks them. Keys that were
 * since deleted from their channel are left out: they can no longer be reset or used.
 */
export function exhaustedKeyViews(keys: readonly ExhaustedKey[], channels: readonly StoredChannel[]): ExhaustedKeyView[] {
  return keys.flatMap((k) => {
    const channelIndex = channels.findIndex(c => c.id === k.channelId)
    const keyIndex = channels[channelIndex]?.apiKeys.indexOf(k.key) ?? -1
    if (keyIndex < 0) return []
    const channelName = channels[channelIndex]!.name
    return [{ channelId: k.channelId, channelIndex, channelName, keyIndex, maskedKey: maskKey(k.key), reason: k.reason, since: new Date(k.since).toISOString() }]
  })
}

/** `GET …/channels/keys/exhausted`: keys taken out of rotation for an exhausted quota. */
export function exhaustedKeysRoute(pool: PoolName) {
  return defineConfigRoute((_event, store, { scheduler }) => ({
    keys: exhaustedKeyViews(scheduler.exhaustedKeys(pool), storedChannels(store.get().config, pool)),
  }))
}

/** `GET /api/ping/:id`. */
export function pingChannelRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store) => {
    const { channel } = await namedChannel(event, store.get().config, pool)
    return pingUpstream(channel.baseUrl, channel.insecureSkipVerify)
  })
}

/** `GET /api/ping`: every channel that is not disabled, pinged in parallel. */
export function pingAllRoute(pool: PoolName) {
  return defineConfigRoute((_event, store): Promise<ChannelPing[]> => {
    const channels = storedChannels(store.get().config, pool).filter(c => c.status !== 'disabled')
    return Promise.all(channels.map(async (c) => {
      const { latency, status, error } = await pingUpstream(c.baseUrl, c.insecureSkipVerify)
      return { id: c.id, name: c.name, latency, status, ...(error === undefined ? {} : { error }) }
    }))
  })
}

/** `GET /api/config/failover`: the rules in force, normalised; the defaults when none are set. */
export function getFailoverRoute() {
  return defineConfigRoute((_event, store) => effectiveFailover(store.get().config.failover))
}

/** Saves normalised settings and answers with what is now in force. */
async function saveFailover(event: H3Event, store: ConfigStore, failover: NormalizedFailoverConfig, message: string) {
  await store.mutate((config) => {
    // Spread into plain objects: config.json's loose schema types rules with an index signature.
    config.failover = { ...failover, rules: failover.rules.map(rule => ({ ...rule })) }
  }, { ifMatch: ifMatchOf(event) })
  return { success: true, message, failover: effectiveFailover(store.get().config.failover) }
}

/** `PUT /api/config/failover`: validated (400 names the bad rule field), normalised, saved. */
export function putFailoverRoute() {
  return defineConfigRoute(async (event, store) => {
    const failover = await readValidatedBody(event, NormalizedFailoverConfigSchema.parse)
    return saveFailover(event, store, failover, 'Failover settings saved')
  })
}

/** `POST /api/config/failover/reset`: off, with the default rules. */
export function resetFailoverRoute() {
  return defineConfigRoute((event, store) => saveFailover(event, store, defaultFailoverConfig(), 'Failover settings reset to defaults'))
}
