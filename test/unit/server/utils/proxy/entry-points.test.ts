import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp, createRouter, defineEventHandler, toNodeListener } from 'h3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEndpointTable } from '#server/utils/proxy/endpoints'
import { serveV1Route, withFastPath } from '#server/utils/proxy/entry-points'
import { installTestServices, TEST_ACCESS_KEY } from '../../../../support/services'
import { tempDir } from '../config/fixtures'

// Both ways into the pipeline, wired as the Nitro plugin and the /v1 route wire them, over a table
// with an endpoint whose handler throws: the one fault a real endpoint cannot be made to show.
const table = createEndpointTable([
  { method: 'POST', path: '/v1/boom', protocol: 'anthropic', body: { requireModel: false }, handler: async () => {
    throw new Error('kaboom')
  } },
  { method: 'GET', path: '/v1/ok', protocol: 'openai', handler: async (call) => {
    call.event.node.res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: call.id.startsWith('req_') }))
  } },
])
const app = createApp()
app.use(createRouter().use('/v1/**', defineEventHandler(event => serveV1Route(event, table))))
app.handler = withFastPath(app.handler, table)
const server = createServer(toNodeListener(app))
let base = ''

beforeAll(async () => {
  await installTestServices(await tempDir(), { MAX_REQUEST_BODY_MB: '0.001' })
  base = await new Promise<string>(resolve => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)))
})
afterAll(() => server.close())

async function send(method: string, path: string, body?: string, key = TEST_ACCESS_KEY) {
  const res = await fetch(base + path, { method, body, headers: { 'x-api-key': key, 'content-type': 'application/json' } })
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text(), requestId: res.headers.get('x-request-id') }
}

/** The same request on the fast path and on the route's variants. */
async function bothWays(method: string, path: string, body?: string, key?: string) {
  const answers = await Promise.all([path, `${path}/`, `/v1${path}`].map(p => send(method, p, body, key)))
  const [fast, ...route] = answers.map(({ requestId: _, ...a }) => a)
  for (const r of route) expect(r).toEqual(fast)
  return fast!
}

describe('the fast path and the /v1 route run one pipeline', () => {
  it('answer a handler\'s exception with the same protocol-shaped 500, without its message', async () => {
    const a = await bothWays('POST', '/v1/boom', '{}')
    expect(a).toEqual({ status: 500, type: 'application/json', body: '{"type":"error","error":{"type":"api_error","message":"Internal error in cc-bridge"}}' })
  })

  it('refuse a wrong key, an oversized body and bad JSON alike, before the handler runs', async () => {
    expect((await bothWays('POST', '/v1/boom', '{}', 'wrong-key-0123456789')).status).toBe(401)
    expect((await bothWays('POST', '/v1/boom', JSON.stringify({ pad: 'x'.repeat(2000) }))).status).toBe(413)
    expect(JSON.parse((await bothWays('POST', '/v1/boom', '{not json')).body).error.type).toBe('invalid_request_error')
  })

  it('run the middleware on both: every answer carries a request id', async () => {
    expect(await bothWays('GET', '/v1/ok')).toMatchObject({ status: 200, body: '{"id":true}' })
    const ids = await Promise.all(['/v1/ok', '/v1/ok/'].map(async p => (await send('GET', p)).requestId))
    expect(ids.every(id => /^req_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id ?? ''))).toBe(true)
  })

  it('give unknown paths a 404 and known paths a 405 with Allow, in the path\'s protocol', async () => {
    const missing = await send('POST', '/v1/nope', '{}')
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.body)).toEqual({ error: { message: 'Unknown endpoint: POST /v1/nope', type: 'not_found_error', param: null, code: null } })
    const wrong = await fetch(`${base}/v1/ok`, { method: 'DELETE', headers: { 'x-api-key': TEST_ACCESS_KEY } })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET')
  })
})
