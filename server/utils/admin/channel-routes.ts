import { readValidatedBody } from 'h3'
import {
  AddKeyBodySchema,
  ChannelCreateSchema,
  ChannelStatusBodySchema,
  ChannelUpdateSchema,
  LoadBalanceBodySchema,
  ReorderBodySchema,
} from '#shared/schemas/config'
import type { ChannelListResponse, ChannelMutationResponse, LoadBalance, PoolName } from '#shared/schemas/config'
import {
  addChannel,
  addKey,
  deleteChannel,
  deleteKey,
  moveKey,
  reorderChannels,
  setChannelStatus,
  setLoadBalance,
  updateChannel,
} from '#server/utils/config/channels'
import type { ChannelRef } from '#server/utils/config/channels'
import { listChannels, unmaskUpdate } from './channel-view'
import { channelRefOf, defineConfigRoute, ifMatchOf, keyIndexOf } from './define-config-route'

/**
 * The channel admin endpoints, one factory per endpoint and parameterised by pool, so that
 * `server/api/channels/**` and `server/api/responses/channels/**` are one-line files over the
 * same code.
 */

function done(message: string, ref: ChannelRef): ChannelMutationResponse {
  return { success: true, message, id: ref.id, index: ref.index }
}

/** `GET …/channels`: the masked list and the pool's strategy. */
export function listChannelsRoute(pool: PoolName) {
  return defineConfigRoute((_event, store): ChannelListResponse => listChannels(store.get().config, pool))
}

/** `POST …/channels`: add a channel. */
export function createChannelRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store) => {
    const body = await readValidatedBody(event, ChannelCreateSchema.parse)
    const ref = await store.mutate(config => addChannel(config, pool, body), { ifMatch: ifMatchOf(event) })
    return done('Channel added', ref)
  })
}

/** `PUT …/channels/:id`: partial update. */
export function updateChannelRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store) => {
    const named = await channelRefOf(event)
    const patch = await readValidatedBody(event, ChannelUpdateSchema.parse)
    const ref = await store.mutate(config => updateChannel(config, pool, named, unmaskUpdate(config, pool, named, patch)), { ifMatch: ifMatchOf(event) })
    return done('Channel updated', ref)
  })
}

/** `DELETE …/channels/:id`. */
export function deleteChannelRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store) => {
    const named = await channelRefOf(event)
    const ref = await store.mutate(config => deleteChannel(config, pool, named), { ifMatch: ifMatchOf(event) })
    return done('Channel deleted', ref)
  })
}

/** `POST …/channels/:id/keys` with `{apiKey}`. */
export function addKeyRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store) => {
    const named = await channelRefOf(event)
    const { apiKey } = await readValidatedBody(event, AddKeyBodySchema.parse)
    const ref = await store.mutate(config => addKey(config, pool, named, apiKey), { ifMatch: ifMatchOf(event) })
    return done('API key added', ref)
  })
}

/** `DELETE …/channels/:id/keys/index/:keyIndex`. */
export function deleteKeyRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store) => {
    const named = await channelRefOf(event)
    const keyIndex = await keyIndexOf(event)
    const ref = await store.mutate(config => deleteKey(config, pool, named, keyIndex), { ifMatch: ifMatchOf(event) })
    return done('API key deleted', ref)
  })
}

/** `POST …/channels/:id/keys/index/:keyIndex/top` and `…/bottom`. */
export function moveKeyRoute(pool: PoolName, to: 'top' | 'bottom') {
  return defineConfigRoute(async (event, store) => {
    const named = await channelRefOf(event)
    const keyIndex = await keyIndexOf(event)
    const ref = await store.mutate(config => moveKey(config, pool, named, keyIndex, to), { ifMatch: ifMatchOf(event) })
    return done(`API key moved to the ${to}`, ref)
  })
}

/** `POST …/channels/reorder` with `{order:[index or id, …]}`. */
export function reorderChannelsRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store): Promise<ChannelMutationResponse> => {
    const { order } = await readValidatedBody(event, ReorderBodySchema.parse)
    await store.mutate(config => reorderChannels(config, pool, order), { ifMatch: ifMatchOf(event) })
    return { success: true, message: 'Channel order updated' }
  })
}

/** `PATCH …/channels/:id/status` with `{status}`. */
export function setChannelStatusRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store): Promise<ChannelMutationResponse> => {
    const named = await channelRefOf(event)
    const { status } = await readValidatedBody(event, ChannelStatusBodySchema.parse)
    const ref = await store.mutate(config => setChannelStatus(config, pool, named, status), { ifMatch: ifMatchOf(event) })
    return { ...done('Channel status updated', ref), status }
  })
}

/** `PUT …/loadbalance` with `{strategy}`. */
export function setLoadBalanceRoute(pool: PoolName) {
  return defineConfigRoute(async (event, store): Promise<ChannelMutationResponse & { strategy: LoadBalance }> => {
    const { strategy } = await readValidatedBody(event, LoadBalanceBodySchema.parse)
    await store.mutate(config => setLoadBalance(config, pool, strategy), { ifMatch: ifMatchOf(event) })
    return { success: true, message: 'Load balance strategy updated', strategy }
  })
}
