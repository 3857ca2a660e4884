import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp, createError, createRouter, defineEventHandler, toNodeListener } from 'h3'
import { afterAll, describe, expect, it } from 'vitest'
import proxyErrorHandler from '#server/proxy-error-handler'

// The handler as Nitro runs it: h3's onError, for errors that escape before or around the pipeline.
const app = createApp({
  onError: (error, event) => {
    proxyErrorHandler(error, event, { defaultHandler: () => ({ status: 500, statusText: '', headers: {}, body: {} }) })
  },
})
app.use(createRouter()
  .post('/v1/chat/completions', defineEventHandler(() => {
    throw new Error('secret internals')
  }))
  .get('/v1/messages/**', defineEventHandler(() => {
    throw createError({ statusCode: 400, statusMessage: 'Bad path' })
  }))
  .get('/api/x', defineEventHandler(() => {
    throw new Error('admin failure')
  })))
const server = createServer(toNodeListener(app))
const base = await new Promise<string>(r => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)))
afterAll(() => server.close())

describe('proxyErrorHandler', () => {
  it('answers an unexpected error on /v1 as a 500 in the endpoint\'s protocol, without its message', async () => {
    const res = await fetch(`${base}/v1/chat/completions`, { method: 'POST' })
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ error: { message: 'Internal error in cc-bridge', type: 'server_error', param: null, code: null } })
  })

  it('keeps a client error\'s status and message, in Anthropic\'s shape under /v1/messages', async () => {
    const res = await fetch(`${base}/v1/messages/x`)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'Bad path' } })
  })

  it('leaves other paths to the next handler', async () => {
    const res = await fetch(`${base}/api/x`)
    expect(res.status).toBe(500)
    expect(await res.text()).not.toContain('"type":"error"')
  })
})
