import type { HealthSummary } from '#shared/schemas/admin'
import type { Config } from '#shared/schemas/config'

const startedAt = Date.now()

/** `/health`'s body: status, time, uptime in seconds, mode and pool sizes — nothing secret. */
export function healthSummary(config: Config, mode: string): HealthSummary {
  return {
    status: 'healthy',
    timestamp: new Date().toISOString(),
    uptime: Math.round((Date.now() - startedAt) / 1000),
    mode,
    config: {
      upstreamCount: config.upstream.length,
      responsesUpstreamCount: config.responsesUpstream.length,
      loadBalance: config.loadBalance,
      responsesLoadBalance: config.responsesLoadBalance,
      chatUpstreamCount: config.chatUpstream.length,
      chatLoadBalance: config.chatLoadBalance,
    },
  }
}
