import { POOLS, SECRET_CHANNEL_FIELDS } from '#shared/schemas/config'
import type { Channel, ChannelListResponse, ChannelUpdate, ChannelView, Config, PoolName } from '#shared/schemas/config'
import { findChannelIndex } from '#server/utils/config/channels'
import { maskKey, maskUrlCredentials } from './mask'

const SECRET = new Set<string>(SECRET_CHANNEL_FIELDS)

/**
 * The admin view of one channel: cc-bridge's list fields with their zero values filled in, then
 * every other stored field (quotas, composite mappings, …) except the secrets. Keys, and a
 * password in the base URL, appear only masked.
 */
export function channelView(channel: Channel, index: number): ChannelView {
  const view: Record<string, unknown> = {
    index,
    id: channel.id ?? '',
    name: channel.name,
    serviceType: channel.serviceType,
    baseUrl: maskUrlCredentials(channel.baseUrl),
    apiKeyCount: channel.apiKeys.length,
    maskedKeys: channel.apiKeys.map((key, i) => ({ index: i, masked: maskKey(key) })),
    description: channel.description ?? '',
    website: channel.website ?? '',
    insecureSkipVerify: channel.insecureSkipVerify ?? false,
    responseHeaderTimeout: channel.responseHeaderTimeout ?? 0,
    modelMapping: channel.modelMapping ?? {},
    priceMultipliers: channel.priceMultipliers ?? {},
    latency: null,
    status: channel.status || 'active',
    priority: channel.priority ?? 0,
    keyLoadBalance: channel.keyLoadBalance ?? '',
  }
  for (const [field, value] of Object.entries(channel)) {
    if (!(field in view) && !SECRET.has(field)) view[field] = value
  }
  return view as ChannelView
}

/** `GET /api/channels` for a pool: every channel in array order, and the pool's strategy. */
export function listChannels(config: Config, pool: PoolName): ChannelListResponse {
  return {
    channels: config[POOLS[pool].channels].map(channelView),
    loadBalance: config[POOLS[pool].strategy],
  }
}

/**
 * A channel update as it should be applied: a `baseUrl` that is the masked form of the stored one
 * (a client that read the channel and sent it back) keeps the stored URL and its password.
 */
export function unmaskUpdate(config: Config, pool: PoolName, ref: string, patch: ChannelUpdate): ChannelUpdate {
  if (patch.baseUrl === undefined) return patch
  const channels = config[POOLS[pool].channels]
  const stored = channels[findChannelIndex(channels, ref)]?.baseUrl
  if (stored === undefined || stored === patch.baseUrl || maskUrlCredentials(stored) !== patch.baseUrl) return patch
  const { baseUrl: _masked, ...rest } = patch
  return rest
}
