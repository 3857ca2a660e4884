import { POOLS } from '#shared/schemas/config'
import type { Channel, ChannelCreate, ChannelStatus, ChannelUpdate, Config, LoadBalance, PoolName } from '#shared/schemas/config'
import { ConfigApiError } from './errors'
import { collectChannelIds, newChannelId } from './load'

/**
 * Channel operations shared by every pool's admin routes. Each one edits the config draft that
 * `store.mutate` hands it and throws a ConfigApiError (status + message) to refuse. Messages
 * never include key material.
 */

/** Which channel an operation touched, for the `{success, message, id, index}` answer. */
export interface ChannelRef {
  id: string
  index: number
  name: string
}

/** The channels of `pool`; the array in the config, so edits land in the draft. */
export function poolChannels(config: Config, pool: PoolName): Channel[] {
  return config[POOLS[pool].channels]
}

/**
 * Resolves a route's `:id`, which cc-bridge's UI sends as the array index but which may also be
 * the stable channel id. A plain decimal within range is an index; anything else is an id.
 */
export function findChannelIndex(channels: readonly Channel[], ref: string): number {
  const index = lookupChannel(channels, ref)
  if (index < 0) throw new ConfigApiError(404, 'Channel not found')
  return index
}

function lookupChannel(channels: readonly Channel[], ref: number | string): number {
  if (typeof ref === 'number') return Number.isInteger(ref) && ref >= 0 && ref < channels.length ? ref : -1
  const key = ref.trim()
  if (/^(?:0|[1-9]\d*)$/.test(key) && Number(key) < channels.length) return Number(key)
  return channels.findIndex(c => c.id === key)
}

function refOf(channels: readonly Channel[], index: number): ChannelRef {
  const channel = channels[index]!
  return { id: channel.id ?? '', index, name: channel.name }
}

function resolve(config: Config, pool: PoolName, ref: string): { channels: Channel[], index: number, channel: Channel } {
  const channels = poolChannels(config, pool)
  const index = findChannelIndex(channels, ref)
  return { channels, index, channel: channels[index]! }
}

/** Names are unique within a pool, ignoring case and surrounding spaces. */
function ensureUniqueName(channels: readonly Channel[], name: string, exceptIndex: number): void {
  const wanted = name.trim().toLowerCase()
  if (channels.some((c, i) => i !== exceptIndex && c.name.trim().toLowerCase() === wanted)) {
    throw new ConfigApiError(400, `A channel named "${name.trim()}" already exists`)
  }
}

/**
 * Adds a channel at the end of the pool. A missing id is generated; a given one must be unused
 * in every pool. `importFromResponsesChannelId` (messages-pool `responses` channels only) copies
 * baseUrl and keys from that responses-pool channel.
 */
export function addChannel(config: Config, pool: PoolName, input: ChannelCreate): ChannelRef {
  const { importFromResponsesChannelId: importFrom, ...channel } = input
  if (importFrom !== undefined) {
    if (pool !== 'messages' || channel.serviceType !== 'responses') {
      throw new ConfigApiError(400, 'importFromResponsesChannelId is only allowed for responses channels in the messages pool')
    }
    const source = config.responsesUpstream.find(c => c.id === importFrom)
    if (!source) throw new ConfigApiError(400, 'The responses channel to import from was not found')
    channel.baseUrl = source.baseUrl
    channel.apiKeys = [...source.apiKeys]
  }
  const channels = poolChannels(config, pool)
  ensureUniqueName(channels, channel.name, -1)
  const taken = collectChannelIds(config)
  if (channel.id === undefined) channel.id = newChannelId(taken)
  else if (taken.has(channel.id)) throw new ConfigApiError(400, 'Channel ID already exists')
  channels.push(channel)
  return refOf(channels, channels.length - 1)
}

/**
 * Applies a partial update; given maps replace the stored ones whole. Swapping a channel's only
 * key for a different one un-suspends it, as the Go cc-bridge does: the new key deserves a try.
 */
export function updateChannel(config: Config, pool: PoolName, ref: string, patch: ChannelUpdate): ChannelRef {
  const { channels, index, channel } = resolve(config, pool, ref)
  if (patch.name !== undefined) ensureUniqueName(channels, patch.name, index)
  const keyReplaced = channel.apiKeys.length === 1 && patch.apiKeys?.length === 1 && patch.apiKeys[0] !== channel.apiKeys[0]
  const next: Channel = { ...channel, ...patch }
  if (keyReplaced && channel.status === 'suspended' && patch.status === undefined) next.status = 'active'
  channels[index] = next
  return refOf(channels, index)
}

function without<T>(list: unknown, drop: (item: T) => boolean): T[] | undefined {
  return Array.isArray(list) ? (list as T[]).filter(item => !drop(item)) : undefined
}

/**
 * Composite channels name their targets by id. Ids are unique across pools, so a deleted id can
 * be pruned without looking at the pool: mappings whose primary target it was are dropped, and
 * it leaves every failover list.
 */
function pruneCompositeTargets(config: Config, id: string): void {
  for (const channel of config.upstream) {
    const mappings = without<Record<string, unknown>>(channel.compositeMappings, m => m.targetChannelId === id)
    if (!mappings) continue
    channel.compositeMappings = mappings.map((mapping) => {
      const pruned = { ...mapping }
      const targets = without<{ channelId?: unknown }>(mapping.failoverTargets, t => t.channelId === id)
      const chain = without<unknown>(mapping.failoverChain, c => c === id)
      if (targets) pruned.failoverTargets = targets
      if (chain) pruned.failoverChain = chain
      return pruned
    })
  }
}

/** Removes a channel and every composite reference to it. */
export function deleteChannel(config: Config, pool: PoolName, ref: string): ChannelRef {
  const { channels, index } = resolve(config, pool, ref)
  const removed = refOf(channels, index)
  channels.splice(index, 1)
  if (removed.id) pruneCompositeTargets(config, removed.id)
  return removed
}

/** Appends a key; a key the channel already has is refused. */
export function addKey(config: Config, pool: PoolName, ref: string, apiKey: string): ChannelRef {
  const { channels, index, channel } = resolve(config, pool, ref)
  if (channel.apiKeys.includes(apiKey)) throw new ConfigApiError(400, 'API key already exists')
  channel.apiKeys.push(apiKey)
  return refOf(channels, index)
}

function checkKeyIndex(channel: Channel, keyIndex: number): void {
  if (!Number.isInteger(keyIndex) || keyIndex < 0 || keyIndex >= channel.apiKeys.length) {
    throw new ConfigApiError(404, 'API key not found')
  }
}

/** Removes the key at `keyIndex` (the index shown in `maskedKeys`). */
export function deleteKey(config: Config, pool: PoolName, ref: string, keyIndex: number): ChannelRef {
  const { channels, index, channel } = resolve(config, pool, ref)
  checkKeyIndex(channel, keyIndex)
  channel.apiKeys.splice(keyIndex, 1)
  return refOf(channels, index)
}

/** Moves the key at `keyIndex` to the front or the back; order matters in `failover` key mode. */
export function moveKey(config: Config, pool: PoolName, ref: string, keyIndex: number, to: 'top' | 'bottom'): ChannelRef {
  const { channels, index, channel } = resolve(config, pool, ref)
  checkKeyIndex(channel, keyIndex)
  const [key] = channel.apiKeys.splice(keyIndex, 1)
  if (to === 'top') channel.apiKeys.unshift(key!)
  else channel.apiKeys.push(key!)
  return refOf(channels, index)
}

/**
 * Sets `priority = position + 1` for each listed channel (indices or ids); unlisted channels keep
 * theirs. Every entry must name an existing channel, once.
 */
export function reorderChannels(config: Config, pool: PoolName, order: readonly (number | string)[]): void {
  const channels = poolChannels(config, pool)
  const seen = new Set<number>()
  const indices = order.map((entry) => {
    const index = lookupChannel(channels, entry)
    if (index < 0) throw new ConfigApiError(400, `Invalid channel in order: ${entry}`)
    if (seen.has(index)) throw new ConfigApiError(400, `Channel ${index} is listed more than once`)
    seen.add(index)
    return index
  })
  indices.forEach((index, position) => {
    channels[index]!.priority = position + 1
  })
}

/** Sets a channel's status (`active`, `suspended` or `disabled`). */
export function setChannelStatus(config: Config, pool: PoolName, ref: string, status: ChannelStatus): ChannelRef {
  const { channels, index, channel } = resolve(config, pool, ref)
  channel.status = status
  return refOf(channels, index)
}

/** Sets the pool's strategy: channel order and the default key strategy of its channels. */
export function setLoadBalance(config: Config, pool: PoolName, strategy: LoadBalance): void {
  config[POOLS[pool].strategy] = strategy
}
