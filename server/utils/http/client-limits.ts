import { Server, type RequestListener, type ServerOptions } from 'node:http'
import type { Socket } from 'node:net'

/** What one client connection may hold, from the environment (see the README's table). */
export interface ClientLimits {
  headersTimeoutMs: number
  requestTimeoutMs: number
  keepAliveTimeoutMs: number
  maxConnections: number
}

/**
 * node:http checks the headers and request timeouts on a timer (30 s by default, settable only
 * when the server is made); once a second keeps a slow client's allowance close to what it says.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1000

/** How long a refused connection may stay open for its client to read the 503. */
const REFUSAL_GRACE_MS = 2000

/** Refusals are logged at most this often, with how many there were. */
const REFUSAL_LOG_INTERVAL_MS = 60_000

const REFUSAL_BODY = JSON.stringify({ error: 'Service Unavailable', message: 'cc-bridge has too many open connections (MAX_CONNECTIONS); retry shortly' })

/** Written straight to the socket: the refusal happens before any request is parsed. */
const REFUSAL = [
  'HTTP/1.1 503 Service Unavailable',
  'content-type: application/json',
  `content-length: ${Buffer.byteLength(REFUSAL_BODY)}`,
  'retry-after: 5',
  'connection: close',
  '',
  REFUSAL_BODY,
].join('\r\n')

/**
 * The node:http server options for the limits. `requestTimeout` covers receiving the request
 * (headers and body), never sending the response, so it cannot cut a long stream; node:http
 * refuses a headers timeout above it, hence the `min`.
 */
export function clientServerOptions(limits: ClientLimits): ServerOptions {
  return {
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  }
}

/**
 * The HTTP server for cc-bridge's app with the client limits applied: the timeouts, and open
 * connections capped at `maxConnections`. A connection beyond the cap gets a 503 (JSON,
 * `retry-after`) written at once and is closed, so its client sees why and the process keeps its
 * file descriptors for the clients it serves; `server.maxConnections` would close the socket
 * without a word. A request arriving on a refused connection is ignored.
 */
export function createLimitedServer(app: RequestListener, limits: ClientLimits, warn: (message: string) => void): Server {
  const server = new Server(clientServerOptions(limits))
  const max = limits.maxConnections
  const refused = new WeakSet<Socket>()
  let open = 0
  let refusedSinceLog = 0
  let lastLog = 0
  // Ahead of node:http's own connection listener, so a refused socket is answered before it is parsed.
  server.prependListener('connection', (socket: Socket) => {
    if (open < max) {
      open++
      socket.once('close', () => open--)
      return
    }
    refused.add(socket)
    socket.end(REFUSAL)
    setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS).unref()
    refusedSinceLog++
    const now = Date.now()
    if (now - lastLog >= REFUSAL_LOG_INTERVAL_MS) {
      warn(`[server] MAX_CONNECTIONS (${max}) reached: refused ${refusedSinceLog} connection(s) with 503`)
      refusedSinceLog = 0
      lastLog = now
    }
  })
  server.on('request', (req, res) => {
    if (!refused.has(req.socket)) app(req, res)
  })
  return server
}
