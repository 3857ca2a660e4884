import type { EventHandler, H3Event } from 'h3'
import chatCompletions from '../routes/v1/chat/completions.post'
import messages from '../routes/v1/messages.post'
import countTokens from '../routes/v1/messages/count_tokens.post'
import { refuseUnauthorized } from '../utils/auth/guard'
import { protocolErrorBody, protocolForPath } from '../utils/http/protocol-error'
import { log } from '../utils/log'
import { startupGate } from '../utils/runtime'

/** The proxy endpoints clients hammer; the same handlers Nitro registers as routes. */
const HOT: Record<string, EventHandler> = {
  '/v1/messages': messages,
  '/v1/messages/count_tokens': countTokens,
  '/v1/chat/completions': chatCompletions,
}

const DOUBLED_VERSION = /^\/v1(?=\/v1\/)/

async function serveHot(event: H3Event, path: string, handler: EventHandler): Promise<void> {
  const gate = startupGate()
  if (gate) await gate
  const res = event.node.res
  const refusal = refuseUnauthorized(event, path)
  if (refusal !== undefined) {
    res.writeHead(401, { 'content-type': 'application/json' }).end(refusal)
    return
  }
  try {
    await handler(event)
  }
  catch (err) {
    log.error(`[proxy] ${path} failed`, err)
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(protocolErrorBody(protocolForPath(path), 500, 'Internal error in cc-bridge'))
    else if (!res.writableEnded) res.destroy()
  }
}

/**
 * Serves the proxy endpoints straight from the h3 app handler, ahead of Nitro's per-request
 * hooks, route rules, middleware chain and router. Measured with `npm run bench`, that per-request
 * machinery cost about half of the throughput of a bare node:http + undici relay; the proxy path
 * needs only the start-up gate and the access key, which it checks itself. Every other path,
 * and any variant of these (trailing slash, other methods), goes through Nitro as usual.
 */
export default defineNitroPlugin((nitroApp) => {
  const app = nitroApp.h3App
  const normal = app.handler
  const fast = (event: H3Event) => {
    const req = event.node.req
    if (req.method === 'POST') {
      const url = req.url ?? ''
      const q = url.indexOf('?')
      // A base URL set with `/v1` (a common slip: the SDKs add it themselves) is served too.
      const path = (q < 0 ? url : url.slice(0, q)).replace(DOUBLED_VERSION, '')
      const handler = HOT[path]
      if (handler) return serveHot(event, path, handler)
    }
    return normal(event)
  }
  app.handler = Object.assign(fast, normal) as typeof normal
})
