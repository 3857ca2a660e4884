import { dispatcherFor } from './dispatcher'

/**
 * Requests waiting for a free connection to a channel's upstream (its origin's pool has
 * `UPSTREAM_MAX_CONNECTIONS` busy). Channels on the same origin share the pool, and so the count.
 */
export function queuedRequests(channel: { baseUrl: string, insecureSkipVerify?: boolean }): number {
  let origin: string
  try {
    origin = new URL(channel.baseUrl).origin
  }
  catch {
    return 0
  }
  const stats = dispatcherFor(channel.insecureSkipVerify).stats[origin]
  return stats && 'queued' in stats ? stats.queued : 0
}
