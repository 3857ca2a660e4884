import { readValidatedBody } from 'h3'
import type { EventHandler } from 'h3'
import {
  AddKeyBodySchema,
  ChannelCreateSchema,
  ChannelStatusBodySchema,
  ChannelUpdateSchema,
  LoadBalanceBodySchema,
  ReorderBodySchema,
} from '#shared/schemas/config'
import type { ChannelListResponse, ChannelMutationResponse, LoadBalance, PoolName } from '#shared/schemas/config'
import { listChannels } from './channel-view'
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
} from './channels'
import type { ChannelRef } from './channels'
import { channelRefOf, defineConfigRoute, ifMatchOf, keyIndexOf } from './config-route'

/**
 * The channel admin endpoints, one factory per endpoint and parameterised by pool, so that
 * `server/api/channels/**` and `server/api/responses/channels/**` are one-line files over the
 * same code.
 */

function done(message: string, ref: ChannelRef): ChannelMutationResponse {
  return { success: true, message, id: ref.id, index: ref.index }
}

/** `GET …/channels`: the masked list and the pool's strategy. */
export function listChannelsRoute(pool: PoolName): EventHandler {
  return defineConfigRoute((_event, store): ChannelListResponse => listChannels(store.get().config, pool))
}

/** `POST …/channels`: add a channel. */
export function createChannelRoute(pool: PoolName): EventHandler {
  return defineConfigRoute(async (event, store) => {
    const body = await readValidatedBody(event, ChannelCreateSchema.parse)
    const ref = await store.mutate(config => addChannel(config, pool, body), { ifMatch: ifMatchOf(event) })
    return done('Channel added', ref)
  })
}

/** `PUT …/channels/:id`: partial update. */
export function updateChannelRoute(pool: PoolName): EventHandler {
  return defineConfigRoute(async (event, store) => {
    const patch = await readValidatedBody(event, ChannelUpdateSchema.parse)
    const ref = await store.mutate(config => updateChannel(config, pool, channelRefOf(event), patch), { ifMatch: ifMatchOf(event) })
    return done('Channel updated', ref)
  })
}

/** `DELETE …/channels/:id`. */
export function deleteChannelRoute(pool: PoolName): EventHandler {
  return defineConfigRoute(async (event, store) => {
    const ref = await store.mutate(config => deleteChannel(config, pool, channelRefOf(event)), { ifMatch: ifMatchOf(event) })
    return done('Channel deleted', ref)
  })
}

/** `POST …/channels/:id/keys` with `{apiKey}`. */
export function addKeyRoute(pool: PoolName): EventHandler {
  return defineConfigRoute(async (event, store) => {
    const { apiKey } = await readValidatedBody(event, AddKeyBodySchema.parse)
    const ref = await store.mutate(config => addKey(config, pool, channelRefOf(event), apiKey), { ifMatch: ifMatchOf(event) })
    return done('API key added', ref)
  })
}

/** `DELETE …/channels/:id/keys/index/:keyIndex`. */
export function deleteKeyRoute(pool: PoolName): EventHandler {
  return defineConfigRoute(async (event, store) => {
    const keyIndex = keyIndexOf(event)
    const ref = await store.mutate(config => deleteKey(config, pool, channelRefOf(event), keyIndex), { ifMatch: ifMatchOf(event) })
    return done('API key deleted', ref)
  })
}

/** `POST …/channels/:id/keys/index/:keyIndex/top` and `…/bottom`. */
export function moveKeyRoute(pool: PoolName, to: 'top' | 'bottom'): EventHandler {
  return defineConfigRoute(async (event, store) => {
    const keyIndex = keyIndexOf(event)
    const ref = await store.mutate(config => moveKey(config, pool, channelRefOf(event), keyIndex, to), { ifMatch: ifMatchOf(event) })
    return done(`API key moved to the ${to}`, ref)
  })
}

/** `POST …/channels/reorder` with `{order:[index or id, …]}`. */
export function reorderChannelsRoute(pool: PoolName): EventHandler {
  return defineConfigRoute(async (event, store) => {
    const { order } = await readValidatedBody(event, ReorderBodySchema.parse)
    await store.mutate(config => reorderChannels(config, pool, order), { ifMatch: ifMatchOf(event) })
    return { success: true, message: 'Channel order updated' } satisfies ChannelMutationResponse
  })
}

/** `PATCH …/channels/:id/status` with `{status}`. */
export function setChannelStatusRoute(pool: PoolName): EventHandler {
  return defineConfigRoute(async (event, store) => {
    const { status } = await readValidatedBody(event, ChannelStatusBodySchema.parse)
    const ref = await store.mutate(config => setChannelStatus(config, pool, channelRefOf(event), status), { ifMatch: ifMatchOf(event) })
    return { ...done('Channel status updated', ref), status }
  })
}

/** `PUT …/loadbalance` with `{strategy}`. */
export function setLoadBalanceRoute(pool: PoolName): EventHandler {
  return defineConfigRoute(async (event, store) => {
    const { strategy } = await readValidatedBody(event, LoadBalanceBodySchema.parse)
    await store.mutate(config => setLoadBalance(config, pool, strategy), { ifMatch: ifMatchOf(event) })
    return { success: true, message: 'Load balance strategy updated', strategy } satisfies ChannelMutationResponse & { strategy: LoadBalance }
  })
}
