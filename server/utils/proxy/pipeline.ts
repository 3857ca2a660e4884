import type { ServerResponse } from 'node:http'
import { isError, type H3Event } from 'h3'
import { checkAccess } from '#server/utils/auth/guard'
import { InvalidRequestError } from '#server/utils/convert/types'
import { protocolErrorBody, type ClientProtocol } from '#server/utils/http/protocol-error'
import { log } from '#server/utils/log'
import { readyServices } from '#server/utils/services'
import { withoutCredentialParams } from '#server/utils/upstream/url'
import { BodyBudgetError } from './body-budget'
import { BadRequestError, parseRequest } from './parse-request'
import { PROXY_MIDDLEWARE } from './middleware'
import { BodyTooLargeError, readBodyLimited } from './read-body-limited'
import type { ProxyCall, ProxyEndpoint, ProxyMiddleware } from './types'

/** An error cc-bridge answers itself, with its status, in the endpoint's protocol shape. */
export class ProxyError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message)
  }
}

/** Writes an error in the protocol's shape, unless an answer is already on its way. */
export function sendProtocolError(res: ServerResponse, protocol: ClientProtocol, status: number, message: string, headers: Record<string, string> = {}, code?: string): void {
  if (res.headersSent) {
    // Mid-answer: the client must see a broken response, never a clean-looking truncation.
    if (!res.writableEnded) res.destroy()
    return
  }
  res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(protocolErrorBody(protocol, status, message, code))
}

/** The status and message (and error code) a thrown error is answered with; unexpected faults are a logged 500. */
export function errorAnswer(err: unknown, where: string): { status: number, message: string, headers: Record<string, string>, code?: string } {
  if (err instanceof ProxyError) return { status: err.status, message: err.message, headers: err.headers }
  // A request a handler found it cannot serve as sent (a damaged compaction item): the client's 400.
  if (err instanceof InvalidRequestError) return { status: 400, message: err.message, headers: {}, ...(err.code ? { code: err.code } : {}) }
  if (err instanceof BodyTooLargeError) return { status: 413, message: err.message, headers: { connection: 'close' } }
  // No `connection: close`: the refused body flows on unbuffered, so the client reads the 503 rather than a reset.
  if (err instanceof BodyBudgetError) return { status: 503, message: err.message, headers: { 'retry-after': String(BODY_BUDGET_RETRY_AFTER_S) } }
  if (err instanceof BadRequestError) return { status: 400, message: err.message, headers: {} }
  if (isError(err) && err.statusCode < 500) return { status: err.statusCode, message: err.statusMessage || err.message, headers: {} }
  log.error(`[proxy] ${where} failed`, err)
  return { status: 500, message: 'Internal error in cc-bridge', headers: {} }
}

/** What a request refused for the body budget is told to wait: long enough for streams to finish. */
const BODY_BUDGET_RETRY_AFTER_S = 5

/**
 * Reads and parses the body once (within `MAX_REQUEST_BODY_MB`, and holding its bytes against
 * `MAX_INFLIGHT_BODY_MB` until the handler is done); the innermost step before the handler.
 */
async function withBody(call: ProxyCall): Promise<void> {
  const { event, endpoint } = call
  if (!endpoint.body) return endpoint.handler(call)
  const reservation = call.services.bodyBudget.open()
  try {
    const req = event.node.req
    const raw = await readBodyLimited(req, call.services.env.maxRequestBodyBytes, reservation)
    const q = event.path.indexOf('?')
    call.body = parseRequest(raw, req.headers, q < 0 ? '' : withoutCredentialParams(event.path.slice(q)), endpoint.body.requireModel)
    await endpoint.handler(call)
  }
  finally {
    reservation.release()
  }
}

/** The middleware list around the body reading and the handler, composed once. */
function compose(middleware: readonly ProxyMiddleware[]): (call: ProxyCall) => Promise<void> {
  return middleware.reduceRight<(call: ProxyCall) => Promise<void>>(
    (next, mw) => call => mw(call, () => next(call)),
    withBody,
  )
}

const run = compose(PROXY_MIDDLEWARE)

/**
 * The one pipeline of every proxy request, used by the fast path and the Nitro routes alike:
 * waits for start-up, checks the access key, runs the proxy middleware, reads the body within its
 * limit, calls the endpoint's handler, and answers any error in the endpoint's protocol shape.
 */
export async function serveProxy(event: H3Event, endpoint: ProxyEndpoint): Promise<void> {
  const res = event.node.res
  try {
    const ready = readyServices()
    const services = 'then' in ready ? await ready : ready
    const denied = checkAccess(event, services)
    if (denied) throw new ProxyError(denied.status, denied.message, denied.headers)
    await run({ event, services, endpoint, id: '' })
  }
  catch (err) {
    const { status, message, headers, code } = errorAnswer(err, `${endpoint.method} ${endpoint.path}`)
    sendProtocolError(res, endpoint.protocol, status, message, headers, code)
  }
}
