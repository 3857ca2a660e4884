import { POOLS, type Config, type StoredChannel } from '#shared/schemas/config'
import { useConfigStore } from '../config'
import { moveKey } from '../config/channels'
import { log } from '../log'
import { useEnv } from '../runtime'
import { extractAffinityKey } from '../scheduler/affinity'
import { useScheduler } from '../scheduler/instance'
import type { KeyMove } from '../scheduler/types'
import type { ProxyDeps } from './handle'
import { OutputLimits } from './output-limits'

/** Key moves wait this long so a burst of 429s costs one config save, not one per request. */
const KEY_MOVE_DELAY_MS = 2000
const pendingMoves = new Map<string, KeyMove>()
let moveTimer: NodeJS.Timeout | undefined

/**
 * Where a move applies: its channel's position and the key's index, or undefined when it would
 * change nothing (the channel or key is gone, or the key is last already). By position, not id:
 * a channel reference that looks like a number is read as an index.
 */
function locate(config: Config, m: KeyMove): { position: number, keyIndex: number } | undefined {
  const channels = config[POOLS[m.pool].channels] ?? []
  const position = channels.findIndex(c => c.id === m.channelId)
  const keys = channels[position]?.apiKeys ?? []
  const keyIndex = keys.indexOf(m.key)
  return keyIndex >= 0 && keyIndex < keys.length - 1 ? { position, keyIndex } : undefined
}

function flushKeyMoves(): void {
  moveTimer = undefined
  const store = useConfigStore()
  const moves = [...pendingMoves.values()].filter(m => locate(store.get().config, m))
  pendingMoves.clear()
  if (!moves.length) return
  store.mutate((config) => {
    for (const m of moves) {
      const at = locate(config, m)
      if (at) moveKey(config, m.pool, String(at.position), at.keyIndex, 'bottom')
    }
  }).catch(err => log.warn(`[scheduler] could not persist key order: ${(err as Error).message}`))
}

/**
 * Moves keys that hit a 429 to the end of their channel, once another key of it succeeded.
 * Batched off the hot path; a move that changes nothing (the key is last already, or was
 * edited away) writes nothing, so admin If-Match tags and backups are not churned.
 */
function persistKeyMoves(moves: KeyMove[]): void {
  for (const m of moves) pendingMoves.set(`${m.pool}\u0000${m.channelId}\u0000${m.key}`, m)
  if (pendingMoves.size && !moveTimer) {
    moveTimer = setTimeout(flushKeyMoves, KEY_MOVE_DELAY_MS)
    moveTimer.unref()
  }
}

let deps: ProxyDeps | undefined

/** What the `/v1` routes need, built once from the environment and the running services. */
export function useProxyDeps(): ProxyDeps {
  if (deps) return deps
  const env = useEnv()
  const scheduler = useScheduler()
  deps = {
    maxRequestBodyBytes: env.maxRequestBodyBytes,
    requestTimeoutMs: env.requestTimeoutMs,
    pingMs: env.streamPingMs,
    logRequests: env.enableRequestLogs,
    logResponses: env.enableResponseLogs,
    route: (req, { pool, serviceTypes, observeOnly }) => {
      const { config } = useConfigStore().get()
      return scheduler.begin({
        pool,
        serviceTypes,
        channels: (config[POOLS[pool].channels] ?? []) as StoredChannel[],
        strategy: config[POOLS[pool].strategy] ?? config.loadBalance,
        failover: config.failover,
        affinityKey: extractAffinityKey(pool, req.json, req.headers),
        model: req.model,
        observeOnly,
      })
    },
    afterRouting: routing => persistKeyMoves(routing.keyMoves()),
    outputLimits: new OutputLimits(),
  }
  return deps
}
