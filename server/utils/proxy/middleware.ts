import { timeOrderedUuid } from '#server/utils/http/time-ordered-uuid'
import type { ProxyMiddleware } from './types'

/**
 * Gives every proxy request a new id, sent back as `x-request-id`: it names the request in the
 * console lines and is its request-log row's key, so a client's own id (which SDK retries repeat)
 * is never taken for it. Time-ordered, so new rows go at the end of the log's index.
 */
export const requestId: ProxyMiddleware = (call, next) => {
  call.id = `req_${timeOrderedUuid()}`
  call.event.node.res.setHeader('x-request-id', call.id)
  return next()
}

/**
 * The proxy middleware, outermost first. Each runs after the access-key check and before the body
 * is read, on every proxy endpoint and on both the fast path and the Nitro routes.
 */
export const PROXY_MIDDLEWARE: readonly ProxyMiddleware[] = [requestId]
