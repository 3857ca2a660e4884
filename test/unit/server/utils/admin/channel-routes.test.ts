import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp, toNodeListener } from 'h3'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import type { ConfigStore } from '#server/utils/config/store'
import { adminRouter } from '../../../../support/admin-router'
import { installTestServices } from '../../../../support/services'
import { goConfig, tempDir, writeConfigJson } from '../config/fixtures'

// The admin routes as Nitro mounts them from server/api, on a bare h3 app over loopback.
const { router, routes } = await adminRouter()
const server = createServer(toNodeListener(createApp().use(router)))
const base = await new Promise<string>((resolve) => {
  server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
})
afterAll(() => server.close())

let store: ConfigStore
beforeEach(async () => {
  const dir = await tempDir()
  await writeConfigJson(dir, goConfig())
  store = (await installTestServices(dir)).config
})

it('mounts every admin route file of each pool', () => {
  expect(routes).toContain('POST /api/channels/:id/keys/index/:keyIndex/top')
  expect(routes).toContain('PUT /api/responses/channels/:id')
  expect(routes).toContain('PUT /api/chat/loadbalance')
  expect(routes.length).toBeGreaterThanOrEqual(50)
})

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
}

describe('channel admin routes', () => {
  it('lists channels with the revision as ETag and no key material', async () => {
    const res = await call('GET', '/api/channels')
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe('"1"')
    const text = await res.text()
    expect(text).not.toContain('sk-ant-api03-aaaaaaaaaaaaaaaaaaaa-1111')
    expect(JSON.parse(text).channels[0].maskedKeys[0]).toEqual({ index: 0, masked: 'sk-ant-a***-1111' })
    expect(await (await call('GET', '/api/responses/channels')).text()).not.toContain('rt-secret')
  })

  it('adds a channel and answers {success, message, id, index} with the new ETag', async () => {
    const res = await call('POST', '/api/channels', { name: 'Backup', serviceType: 'claude', baseUrl: 'https://b.example', apiKeys: ['sk-backup-0000000000'] }, { 'if-match': '"1"' })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe('"2"')
    expect(await res.json()).toMatchObject({ success: true, message: 'Channel added', index: 3, id: expect.stringMatching(/^[0-9a-f]{8}$/) })
  })

  it('gives field-level 400s for an invalid body', async () => {
    const res = await call('POST', '/api/channels', { serviceType: 'claude', baseUrl: 'nope' })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error).toBe('Invalid request')
    expect(body.issues).toEqual(expect.arrayContaining([
      { path: 'baseUrl', message: 'must be an http(s) URL' },
      expect.objectContaining({ path: 'name' }),
    ]))
  })

  it('gives 400 for a body that is not JSON', async () => {
    const res = await call('PUT', '/api/loadbalance', '{strategy', { 'content-type': 'application/json' })
    expect(res.status).toBe(400)
    expect(await res.json()).toHaveProperty('error')
  })

  it('refuses a stale If-Match with 409 and the current ETag', async () => {
    await call('PUT', '/api/loadbalance', { strategy: 'random' })
    const res = await call('PUT', '/api/channels/0', { description: 'x' }, { 'if-match': 'W/"1"' })
    expect(res.status).toBe(409)
    expect(res.headers.get('etag')).toBe('"2"')
    expect(await res.json()).toEqual({ error: 'Configuration changed; reload and retry' })
  })

  it('refuses a duplicate key without echoing it, and deletes and moves keys by index', async () => {
    const dup = await call('POST', '/api/channels/3f9a1c2e/keys', { apiKey: 'sk-ant-api03-bbbbbbbbbbbbbbbbbbbb-2222' })
    expect(dup.status).toBe(400)
    expect(await dup.text()).toBe('{"error":"API key already exists"}')
    expect((await call('POST', '/api/channels/0/keys/index/1/top')).status).toBe(200)
    expect(store.get().config.upstream[0]!.apiKeys[0]).toBe('sk-ant-api03-bbbbbbbbbbbbbbbbbbbb-2222')
    expect((await call('DELETE', '/api/channels/0/keys/index/0')).status).toBe(200)
    expect(store.get().config.upstream[0]!.apiKeys).toEqual(['sk-ant-api03-aaaaaaaaaaaaaaaaaaaa-1111'])
    expect((await call('DELETE', '/api/channels/0/keys/index/x')).status).toBe(400)
    expect((await call('DELETE', '/api/channels/9/keys/index/0')).status).toBe(404)
  })

  it('sets a status case-insensitively and answers with it', async () => {
    const res = await call('PATCH', '/api/channels/1/status', { status: 'Disabled' })
    expect(await res.json()).toMatchObject({ success: true, status: 'disabled', id: 'b07d44e1', index: 1 })
    expect((await call('PATCH', '/api/channels/1/status', { status: 'paused' })).status).toBe(400)
  })
})
