import type { Config, StoredChannel } from '#shared/schemas/config'
import type { UpstreamModel } from '#server/utils/upstream/fetch-models'

/** Fixed creation time: these entries describe routes, not model releases. */
const CREATED_AT = '2024-01-01T00:00:00Z'
const CREATED = Date.parse(CREATED_AT) / 1000

/** Channels of the pools a route serves (messages, chat and responses) that can take requests: not disabled, with a key. */
export function servingChannels(config: Config): StoredChannel[] {
  const pools = [config.upstream, config.chatUpstream, config.responsesUpstream] as StoredChannel[][]
  return pools.flat().filter(c => c.status !== 'disabled' && c.apiKeys.length > 0)
}

/** Passthrough channels with no mapping serve whatever their upstream lists. */
export function passesModelsThrough(c: StoredChannel): boolean {
  return (c.serviceType === 'claude' || c.serviceType === 'responses') && Object.keys(c.modelMapping ?? {}).length === 0
}

/**
 * The models the config can serve, in one list both SDKs accept: Anthropic's fields
 * (`type`, `display_name`, `created_at`, `has_more`, `first_id`, `last_id`) beside OpenAI's
 * (`object`, `created`, `owned_by`). Ids are the mapping keys of serving channels plus what
 * unmapped passthrough channels' upstreams list (`upstreamModels`, fetched by the caller), plus
 * the price table's models marked `exportToModels` (`pricedModels`), as the Go cc-bridge lists.
 */
export function listModels(config: Config, upstreamModels: UpstreamModel[], limit = 1000, pricedModels: readonly string[] = []) {
  const names = new Map<string, string>()
  for (const channel of servingChannels(config)) {
    for (const key of Object.keys(channel.modelMapping ?? {})) if (key) names.set(key, key)
  }
  for (const id of pricedModels) names.set(id, id)
  for (const m of upstreamModels) if (!names.has(m.id)) names.set(m.id, m.display_name ?? m.id)
  const data = [...names.entries()].sort(([a], [b]) => a.localeCompare(b)).slice(0, limit).map(([id, display]) => ({
    id, type: 'model', display_name: display, created_at: CREATED_AT,
    object: 'model', created: CREATED, owned_by: 'cc-bridge',
  }))
  return { object: 'list', data, has_more: names.size > data.length, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }
}
