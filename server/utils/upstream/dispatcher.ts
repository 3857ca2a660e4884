import { Agent } from 'undici'

const shared = new Agent({ keepAliveTimeout: 30_000, connections: 256, pipelining: 1 })
let insecure: Agent | undefined

/**
 * The keep-alive connection pool for upstream calls. Channels with `insecureSkipVerify` get a
 * second pool that skips TLS verification, so that setting never leaks into other channels.
 */
export function dispatcherFor(insecureSkipVerify: boolean | undefined): Agent {
  if (!insecureSkipVerify) return shared
  insecure ??= new Agent({ keepAliveTimeout: 30_000, connections: 64, connect: { rejectUnauthorized: false } })
  return insecure
}
