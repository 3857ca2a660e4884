import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PRICING } from '#server/utils/pricing/defaults'
import { ACCESS_KEY, startServer, type RunningServer } from '../support/server'

// The price table's admin API in the Go cc-bridge's paths and names, and `GET /v1/models`
// listing the models marked for export, through the built server.

const CONFIG = {
  upstream: [{
    id: 'ch-open', name: 'open', serviceType: 'openai', baseUrl: 'http://127.0.0.1:9',
    apiKeys: ['sk-upstream-0123456789abcdef'], status: 'active', modelMapping: { 'mapped-model': 'gpt-4o' },
  }],
  loadBalance: 'failover',
}

/** A Go cc-bridge pricing.json left in the config folder. */
const GO_PRICING = {
  models: {
    'go-exported': { inputPrice: 2, outputPrice: 8, description: 'from Go' },
    'go-hidden': { inputPrice: 1, outputPrice: 4, cacheCreationPrice: null, cacheReadPrice: 0.05, exportToModels: false },
  },
  currency: 'USD',
}

const configDir = mkdtempSync(join(tmpdir(), 'ccb-pricing-'))
let server: RunningServer

async function call(method: string, path: string, body?: unknown, key: string | null = ACCESS_KEY) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'x-api-key': key }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : undefined }
}

const listedModels = async () => ((await call('GET', '/v1/models')).json.data as { id: string }[]).map(m => m.id)

beforeAll(async () => {
  writeFileSync(join(configDir, 'pricing.json'), JSON.stringify(GO_PRICING))
  server = await startServer({ config: CONFIG, configDir })
})
afterAll(async () => {
  await server?.stop()
})

describe('pricing admin API', () => {
  it('imported the Go cc-bridge pricing.json on the first start, in Go\'s JSON names', async () => {
    const res = await call('GET', '/api/pricing')
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      models: {
        'go-exported': { inputPrice: 2, outputPrice: 8, description: 'from Go', exportToModels: true },
        'go-hidden': { inputPrice: 1, outputPrice: 4, cacheReadPrice: 0.05, description: '', exportToModels: false },
      },
      currency: 'USD',
    })
  })

  it('lists exported models in GET /v1/models beside the mapped ones', async () => {
    const ids = await listedModels()
    expect(ids).toEqual(['go-exported', 'mapped-model'])
  })

  it('requires the access key', async () => {
    expect(await call('GET', '/api/pricing', undefined, null)).toMatchObject({ status: 401, json: { error: 'Unauthorized' } })
    expect((await call('PUT', '/api/pricing/models', { model: 'x', inputPrice: 1, outputPrice: 1 }, 'wrong-key-0123456789abcdef')).status).toBe(401)
    expect((await call('POST', '/api/pricing/reset', undefined, null)).status).toBe(401)
    expect(Object.keys((await call('GET', '/api/pricing')).json.models)).toEqual(['go-exported', 'go-hidden'])
  })

  it('upserts one model or several, and answers with the table', async () => {
    const one = await call('PUT', '/api/pricing/models', { model: 'team-model', inputPrice: 0.5, outputPrice: 1.5, cacheCreationPrice: 0 })
    expect(one.status).toBe(200)
    expect(one.json).toMatchObject({ success: true, message: 'Model "team-model" saved', currency: 'USD' })
    expect(one.json.models['team-model']).toEqual({ inputPrice: 0.5, outputPrice: 1.5, cacheCreationPrice: 0, description: '', exportToModels: true })
    const many = await call('PUT', '/api/pricing/models', [
      { model: 'GO-HIDDEN', inputPrice: 1.1, outputPrice: 4.4, exportToModels: false },
      { model: 'vendor/model-x', inputPrice: 3, outputPrice: 9, description: 'slash in the name' },
    ])
    expect(many.status).toBe(200)
    expect(Object.keys(many.json.models)).toEqual(['GO-HIDDEN', 'go-exported', 'team-model', 'vendor/model-x'])
    expect(await listedModels()).toEqual(['go-exported', 'mapped-model', 'team-model', 'vendor/model-x'])
  })

  it('refuses a bad body with 400 and the field, and changes nothing', async () => {
    const before = (await call('GET', '/api/pricing')).json
    const negative = await call('PUT', '/api/pricing/models', { model: 'x', inputPrice: -1, outputPrice: 1 })
    expect(negative.status).toBe(400)
    expect(negative.json).toEqual({ error: 'Invalid request', issues: [{ path: 'inputPrice', message: expect.any(String) }] })
    const listed = await call('PUT', '/api/pricing/models', [{ model: '', inputPrice: 1, outputPrice: 1 }])
    expect(listed.json.issues.map((i: { path: string }) => i.path)).toEqual(['[0].model'])
    const whole = await call('PUT', '/api/pricing', { models: { a: { inputPrice: '1', outputPrice: 1 } } })
    expect(whole.status).toBe(400)
    expect(whole.json.issues.map((i: { path: string }) => i.path)).toEqual(['models.a.inputPrice'])
    const twins = await call('PUT', '/api/pricing', { models: { a: { inputPrice: 1, outputPrice: 1 }, A: { inputPrice: 1, outputPrice: 1 } } })
    expect(twins.json).toEqual({ error: 'Invalid request', issues: [{ path: 'models.A', message: 'duplicates "a" (model names are compared ignoring case)' }] })
    const noModel = await call('DELETE', '/api/pricing/models', {})
    expect(noModel).toMatchObject({ status: 400, json: { error: 'Invalid request', issues: [{ path: 'model' }] } })
    expect((await call('GET', '/api/pricing')).json).toEqual(before)
  })

  it('deletes by body, query or path (Go\'s legacy routes), and 404s an unknown model', async () => {
    expect(await call('DELETE', '/api/pricing/models', { model: 'go-hidden' })).toMatchObject({ status: 200, json: { success: true, message: 'Model "GO-HIDDEN" deleted' } })
    expect(await call('DELETE', '/api/pricing/models', { model: 'go-hidden' })).toEqual({ status: 404, json: { error: 'Model not found: go-hidden' } })
    expect((await call('DELETE', '/api/pricing/models?model=team-model')).status).toBe(200)
    expect((await call('PUT', `/api/pricing/models/${encodeURIComponent('vendor/model-y')}`, { inputPrice: 1, outputPrice: 2 })).status).toBe(200)
    expect((await call('DELETE', `/api/pricing/models/${encodeURIComponent('vendor/model-x')}`)).status).toBe(200)
    expect(Object.keys((await call('GET', '/api/pricing')).json.models)).toEqual(['go-exported', 'vendor/model-y'])
  })

  it('replaces the whole table with PUT /api/pricing', async () => {
    const res = await call('PUT', '/api/pricing', { models: { only: { inputPrice: 1, outputPrice: 2, cacheCreationPrice: null } }, currency: 'USD' })
    expect(res.status).toBe(200)
    expect((await call('GET', '/api/pricing')).json).toEqual({ models: { only: { inputPrice: 1, outputPrice: 2, description: '', exportToModels: true } }, currency: 'USD' })
    expect(await listedModels()).toEqual(['mapped-model', 'only'])
  })

  it('restores the defaults with POST /api/pricing/reset; none of them is exported', async () => {
    const res = await call('POST', '/api/pricing/reset')
    expect(res.status).toBe(200)
    expect(res.json.message).toBe('Pricing reset to the defaults')
    expect(Object.keys(res.json.models)).toEqual(Object.keys(DEFAULT_PRICING).sort())
    expect(res.json.models['claude-sonnet-4-5']).toEqual(DEFAULT_PRICING['claude-sonnet-4-5'])
    expect(await listedModels()).toEqual(['mapped-model'])
  })

  it('keeps the table across a restart and does not import pricing.json again', async () => {
    await call('PUT', '/api/pricing/models', { model: 'after-reset', inputPrice: 1, outputPrice: 1 })
    await server.stop()
    server = await startServer({ config: CONFIG, configDir })
    const { models } = (await call('GET', '/api/pricing')).json
    expect(models['after-reset']).toEqual({ inputPrice: 1, outputPrice: 1, description: '', exportToModels: true })
    expect(models['go-exported']).toBeUndefined()
    expect(Object.keys(models)).toHaveLength(Object.keys(DEFAULT_PRICING).length + 1)
  })
})
