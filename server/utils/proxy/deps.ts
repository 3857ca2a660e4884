import { POOLS, type StoredChannel } from '#shared/schemas/config'
import { useConfigStore } from '../config'
import { findChannelIndex, moveKey } from '../config/channels'
import { log } from '../log'
import { useEnv } from '../runtime'
import { extractAffinityKey } from '../scheduler/affinity'
import { useScheduler } from '../scheduler/instance'
import type { KeyMove } from '../scheduler/types'
import type { ProxyDeps } from './handle'
import { OutputLimits } from './output-limits'

/**
 * Moves keys that hit a 429 to the end of their channel, once another key of it succeeded.
 * Runs after the response, off the hot path; a key edited away meanwhile is simply skipped.
 */
function persistKeyMoves(moves: KeyMove[]): void {
  if (!moves.length) return
  useConfigStore().mutate((config) => {
    for (const m of moves) {
      const channels = config[POOLS[m.pool].channels] ?? []
      const channel = channels[findChannelIndex(channels, m.channelId)]
      const keyIndex = channel?.apiKeys.indexOf(m.key) ?? -1
      if (keyIndex >= 0) moveKey(config, m.pool, m.channelId, keyIndex, 'bottom')
    }
  }).catch(err => log.warn(`[scheduler] could not persist key order: ${(err as Error).message}`))
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
    route: (req, { pool, serviceTypes }) => {
      const { config } = useConfigStore().get()
      return scheduler.begin({
        pool,
        serviceTypes,
        channels: (config[POOLS[pool].channels] ?? []) as StoredChannel[],
        strategy: config[POOLS[pool].strategy] ?? config.loadBalance,
        failover: config.failover,
        affinityKey: extractAffinityKey(pool, req.json, req.headers),
        model: req.model,
      })
    },
    afterRouting: routing => persistKeyMoves(routing.keyMoves()),
    outputLimits: new OutputLimits(),
  }
  return deps
}
