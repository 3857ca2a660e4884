import { allowedMethods, canonicalPath, exactEndpoint } from '#server/utils/proxy/endpoints'
import { ProxyError, serveProxy } from '#server/utils/proxy/pipeline'
import type { ProxyEndpoint } from '#server/utils/proxy/types'
import { protocolForPath } from '#server/utils/http/protocol-error'

/**
 * Every `/v1` request the fast path does not take: the table's endpoints with a trailing slash
 * or a doubled `/v1/v1`, served through the same pipeline, and unknown paths or methods, which
 * get a 404 or 405 in the caller's protocol shape (after the access-key check, as every `/v1`
 * answer).
 */
export default defineEventHandler(async (event) => {
  const path = canonicalPath(event.path.split('?', 1)[0]!)
  const method = event.method
  const endpoint: ProxyEndpoint = exactEndpoint(method, path) ?? {
    method,
    path,
    protocol: protocolForPath(path),
    handler: async () => {
      const allow = allowedMethods(path)
      if (allow.length) throw new ProxyError(405, `Method ${method} is not allowed on ${path}; use ${allow.join(', ')}`, { allow: allow.join(', ') })
      throw new ProxyError(404, `Unknown endpoint: ${method} ${path}`)
    },
  }
  await serveProxy(event, endpoint)
})
