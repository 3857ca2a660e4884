import type { StoredChannel } from '#shared/schemas/config'
import { fetchChannelModels, type UpstreamModel } from '#server/utils/upstream/fetch-models'

const TTL_MS = 5 * 60_000
/** A failed fetch is retried sooner: the upstream may just have been down for a moment. */
const FAILURE_TTL_MS = 30_000
const cache = new Map<string, { until: number, models: UpstreamModel[] }>()

/**
 * The model lists of passthrough channels, cached five minutes per channel (id + base URL, so a
 * config edit refetches). A channel that fails to answer contributes nothing rather than failing
 * the whole list.
 */
export async function upstreamModelsOf(channels: StoredChannel[], now = Date.now()): Promise<UpstreamModel[]> {
  const lists = await Promise.all(channels.map(async (c) => {
    const key = `${c.id}|${c.baseUrl}`
    const hit = cache.get(key)
    if (hit && now < hit.until) return hit.models
    const models = await fetchChannelModels(c).catch(() => undefined)
    cache.set(key, { until: now + (models ? TTL_MS : FAILURE_TTL_MS), models: models ?? [] })
    return models ?? []
  }))
  return lists.flat()
}
