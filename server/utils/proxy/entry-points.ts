import type { App, H3Event } from 'h3'
import { protocolForPath } from '#server/utils/http/protocol-error'
import { PROXY_TABLE, type EndpointTable } from './endpoints'
import { canonicalPath } from './paths'
import { ProxyError, serveProxy } from './pipeline'
import type { ProxyEndpoint } from './types'

/**
 * Wraps an h3 app handler so the table's exact paths are served straight away, ahead of Nitro's
 * per-request hooks, route rules, middleware chain and router: measured with `npm run bench`,
 * that machinery cost about half of the throughput of a bare node:http + undici relay. The
 * pipeline is the same as on the `/v1` route, so gate, access key, middleware and error shapes
 * are too; everything else goes to `normal`.
 */
export function withFastPath(normal: App['handler'], table: EndpointTable = PROXY_TABLE): App['handler'] {
  const fast = (event: H3Event) => {
    const req = event.node.req
    const url = req.url ?? ''
    const q = url.indexOf('?')
    const endpoint = table.exact(req.method ?? '', q < 0 ? url : url.slice(0, q))
    return endpoint ? serveProxy(event, endpoint) : normal(event)
  }
  return Object.assign(fast, normal)
}

/**
 * Every `/v1` request the fast path does not take: the table's endpoints with a trailing slash
 * or a doubled `/v1/v1` and its `:param` paths (`/v1/responses/{id}`), served through the same pipeline, and unknown paths or methods, which
 * get a 404 or 405 in the caller's protocol shape (after the access-key check, as every `/v1`
 * answer).
 */
export function serveV1Route(event: H3Event, table: EndpointTable = PROXY_TABLE): Promise<void> {
  const path = canonicalPath(event.path.split('?', 1)[0]!)
  const method = event.method
  const endpoint: ProxyEndpoint = table.match(method, path) ?? {
    method,
    path,
    protocol: protocolForPath(path),
    handler: async () => {
      const allow = table.allowed(path)
      if (allow.length) throw new ProxyError(405, `Method ${method} is not allowed on ${path}; use ${allow.join(', ')}`, { allow: allow.join(', ') })
      throw new ProxyError(404, `Unknown endpoint: ${method} ${path}`)
    },
  }
  return serveProxy(event, endpoint)
}
