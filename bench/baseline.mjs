// The bare passthrough the bench compares cc-bridge with: node:http in, one shared keep-alive
// undici Agent out, the response piped back. Nothing else, so the gap to cc-bridge is what
// cc-bridge's own work costs. Plain 'data' events and .pipe() on purpose: async iteration and
// stream/promises pipeline() measured up to 2x slower here, and a slow baseline flatters cc-bridge.
import { createServer } from 'node:http'
import { Agent, request } from 'undici'
import { isMain, reportListening } from './child.mjs'

/**
 * Creates (does not start) a passthrough to `upstream`: /v1/responses with `openaiKey` as a
 * Bearer token (as OpenAI takes it), anything else with `anthropicKey` as x-api-key.
 */
export function createBaseline(upstream, anthropicKey, openaiKey) {
  const agent = new Agent({ keepAliveTimeout: 60_000 })
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? 'application/json'
      request(upstream + req.url, {
        method: req.method,
        dispatcher: agent,
        headers: req.url.startsWith('/v1/responses')
          ? { 'content-type': contentType, 'authorization': `Bearer ${openaiKey}` }
          : { 'content-type': contentType, 'anthropic-version': req.headers['anthropic-version'] ?? '2023-06-01', 'x-api-key': anthropicKey },
        body: Buffer.concat(chunks),
      }).then((up) => {
        res.writeHead(up.statusCode, { 'content-type': up.headers['content-type'] ?? 'application/octet-stream' })
        up.body.on('error', () => res.destroy())
        up.body.pipe(res)
      }, () => {
        res.writeHead(502)
        res.end()
      })
    })
  })
  server.on('close', () => agent.close())
  return server
}

if (isMain(import.meta.url)) {
  const [upstream, anthropicKey, openaiKey] = process.argv.slice(2)
  const server = createBaseline(upstream, anthropicKey, openaiKey)
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => reportListening(server))
}
