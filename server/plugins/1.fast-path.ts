import type { H3Event } from 'h3'
import { exactEndpoint } from '#server/utils/proxy/endpoints'
import { serveProxy } from '#server/utils/proxy/pipeline'

/**
 * Serves the proxy endpoints at their exact paths straight from the h3 app handler, ahead of
 * Nitro's per-request hooks, route rules, middleware chain and router: measured with
 * `npm run bench`, that machinery cost about half of the throughput of a bare node:http + undici
 * relay. It runs the same pipeline as the Nitro routes (`serveProxy`), so gate, access key,
 * middleware and error shapes are the same; everything else goes through Nitro as usual.
 */
export default defineNitroPlugin((nitroApp) => {
  const app = nitroApp.h3App
  const normal = app.handler
  const fast = (event: H3Event) => {
    const req = event.node.req
    const url = req.url ?? ''
    const q = url.indexOf('?')
    const endpoint = exactEndpoint(req.method ?? '', q < 0 ? url : url.slice(0, q))
    return endpoint ? serveProxy(event, endpoint) : normal(event)
  }
  app.handler = Object.assign(fast, normal) as typeof normal
})
