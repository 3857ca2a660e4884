import { randomUUID } from 'node:crypto'
import type { ProxyMiddleware } from './types'

/** A client's own request id is kept when it is short and plain; anything else is replaced. */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/

/**
 * Gives every proxy request an id: the client's `x-request-id` when it sent a usable one, else a
 * new one. It is sent back as `x-request-id` and names the request in the console lines.
 */
export const requestId: ProxyMiddleware = (call, next) => {
  const req = call.event.node.req
  const given = req.headers['x-request-id']
  call.id = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : `req_${randomUUID()}`
  call.event.node.res.setHeader('x-request-id', call.id)
  return next()
}

/**
 * The proxy middleware, outermost first. Each runs after the access-key check and before the body
 * is read, on every proxy endpoint and on both the fast path and the Nitro routes.
 */
export const PROXY_MIDDLEWARE: readonly ProxyMiddleware[] = [requestId]
