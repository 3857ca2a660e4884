import { Agent } from 'undici'

/**
 * Connections per upstream origin (`UPSTREAM_MAX_CONNECTIONS`). An LLM stream holds its
 * connection for minutes (no pipelining), so this is how many requests one provider can run at
 * once; the rest queue silently inside undici. 1024 lets a busy team's streams run side by side
 * instead of queueing behind each other, and stays within a default `ulimit -n` of 65536 even
 * with every client connection counted twice.
 */
let connections = 1024
let shared: Agent | undefined
let insecure: Agent | undefined

/** Sets the connection limit per upstream origin; call once at start-up, before any upstream call. */
export function setUpstreamConnectionLimit(limit: number): void {
  connections = limit
}

/**
 * The keep-alive connection pool for upstream calls. Channels with `insecureSkipVerify` get a
 * second pool that skips TLS verification, so that setting never leaks into other channels.
 */
export function dispatcherFor(insecureSkipVerify: boolean | undefined): Agent {
  if (!insecureSkipVerify) return shared ??= new Agent({ keepAliveTimeout: 30_000, connections, pipelining: 1 })
  insecure ??= new Agent({ keepAliveTimeout: 30_000, connections, connect: { rejectUnauthorized: false } })
  return insecure
}
