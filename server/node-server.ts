// The built server's entry, in place of Nitro's node-server entry (set by modules/node-server-entry.ts).
// It does what Nitro's does (create the server, listen, log the address, shut down gracefully) and
// makes the server with the client limits: the headers and request timeouts, keep-alive and the
// connection cap. Those have to be set where the server is made: Nitro's entry keeps its server to
// itself (no plugin or hook sees it), and node:http reads `connectionsCheckingInterval` only in its
// constructor, so setting the timeouts later (on the first connection's `socket.server`) would
// leave them checked every 30 s and the connections before that one unguarded. (Nitro's entry also
// imports its polyfills, which are empty for Node.)
import { toNodeListener } from 'h3'
import { useNitroApp } from 'nitropack/runtime'
import { setupGracefulShutdown, trapUnhandledNodeErrors } from 'nitropack/runtime/internal/index'
import { readEnv } from '#server/utils/env'
import { createLimitedServer } from '#server/utils/http/client-limits'
import { log } from '#server/utils/log'

// Runs the plugins, the services plugin among them: it has read (and validated) the environment.
const nitroApp = useNitroApp()
const env = readEnv()
const server = createLimitedServer(toNodeListener(nitroApp.h3App), {
  headersTimeoutMs: env.clientHeadersTimeoutMs,
  requestTimeoutMs: env.clientRequestTimeoutMs,
  keepAliveTimeoutMs: env.clientKeepAliveTimeoutMs,
  maxConnections: env.maxConnections,
}, log.warn)

const listener = server.listen({ port: env.port, host: env.host || undefined }, () => {
  const address = listener.address()
  if (address && typeof address === 'object') {
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    console.log(`Listening on http://${host}:${address.port}`)
  }
})
listener.on('error', (err) => {
  console.error(`[server] cannot listen on port ${env.port}: ${err.message}`)
  process.exit(1)
})

trapUnhandledNodeErrors()
setupGracefulShutdown(listener, nitroApp)

export default {}
