import type { NitroErrorHandler } from 'nitropack/types'
import { errorAnswer, ProxyError, sendProtocolError } from '#server/utils/proxy/pipeline'
import { PROXY_TABLE } from '#server/utils/proxy/endpoints'
import { canonicalPath } from '#server/utils/proxy/paths'
import { protocolForPath } from '#server/utils/http/protocol-error'

/**
 * Nitro's error handler for `/v1/**`: whatever escapes the proxy pipeline (an error in a Nitro
 * hook or middleware, a malformed request h3 refuses) still reaches the client in its protocol's
 * error shape, never as Nuxt's error page or JSON. Other paths go on to Nuxt's handler.
 */
const proxyErrorHandler: NitroErrorHandler = (error, event) => {
  const raw = event.path.split('?', 1)[0]!
  if (raw !== '/v1' && !raw.startsWith('/v1/')) return
  const path = canonicalPath(raw)
  const protocol = PROXY_TABLE.exact(event.method, path)?.protocol ?? protocolForPath(path)
  const { status, message, headers, code } = errorAnswer(error.cause instanceof ProxyError ? error.cause : error, `${event.method} ${path}`)
  sendProtocolError(event.node.res, protocol, status, message, headers, code)
}

export default proxyErrorHandler
