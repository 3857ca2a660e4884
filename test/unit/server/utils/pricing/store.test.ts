import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { pricing, pricingSeed } from '#server/database/schema'
import { createDb, type Db } from '#server/utils/db/client'
import { applyMigrations } from '#server/utils/db/migrate'
import { DEFAULT_PRICING } from '#server/utils/pricing/defaults'
import { createPricingStore, type PricingStore } from '#server/utils/pricing/store'
import { fsReader, tempDir } from '../db/helpers'

const price = (inputPrice: number, outputPrice: number, over = {}) => ({ inputPrice, outputPrice, description: '', exportToModels: true, ...over })

/** A Go cc-bridge pricing.json as it writes one. */
const GO_FILE = {
  models: {
    'claude-sonnet-4-5': { inputPrice: 3, outputPrice: 15, cacheCreationPrice: 3.75, cacheReadPrice: 0.3, description: 'Sonnet' },
    'my-model': { inputPrice: 0.5, outputPrice: 1.5, exportToModels: false },
    'gpt-5.1': { inputPrice: 1.25, outputPrice: 10, cacheCreationPrice: null, cacheReadPrice: null, exportToModels: null },
  },
  currency: 'USD',
}

describe('createPricingStore', () => {
  let tmp: ReturnType<typeof tempDir>
  const open: Db[] = []
  const stores: PricingStore[] = []
  const warnings: string[] = []
  const logger = { error: (m: string) => warnings.push(m), warn: (m: string) => warnings.push(m), info() {} }

  async function restart() {
    const db = await createDb(`file:${join(tmp.dir, 'p.db')}`)
    open.push(db)
    await applyMigrations(db.$client, fsReader())
    const store = createPricingStore(db, { goPricingPath: join(tmp.dir, 'pricing.json'), clock: () => 1, logger })
    await store.load()
    stores.push(store)
    return { db, store }
  }

  beforeEach(() => {
    tmp = tempDir()
    warnings.length = 0
  })
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.flush()
    for (const db of open.splice(0)) db.$client.close()
    tmp.remove()
  })

  it('seeds the defaults on the first start and remembers it', async () => {
    const { db, store } = await restart()
    expect(store.view()).toEqual({ models: Object.fromEntries(Object.keys(DEFAULT_PRICING).sort().map(k => [k, DEFAULT_PRICING[k]])), currency: 'USD' })
    expect(await db.select().from(pricingSeed)).toEqual([{ id: 1, source: 'defaults', seededAt: 1 }])
    expect(store.exportedModels()).toEqual([])
  })

  it('keeps edits and deletions across a restart; the seed is not brought back', async () => {
    const first = await restart()
    first.store.upsert([{ model: 'my-model', ...price(1, 2, { cacheReadPrice: 0 }) }])
    first.store.upsert([{ model: 'Claude-Sonnet-4-5', ...price(2, 10) }])
    expect(first.store.remove('GPT-5')).toBe('gpt-5')
    expect(first.store.remove('gpt-5')).toBeUndefined()
    await first.store.flush()
    const second = await restart()
    const { models } = second.store.view()
    expect(models['my-model']).toEqual(price(1, 2, { cacheReadPrice: 0 }))
    // A name equal ignoring case replaced the old row and its spelling.
    expect(models['Claude-Sonnet-4-5']).toEqual(price(2, 10))
    expect(models['claude-sonnet-4-5']).toBeUndefined()
    expect(models['gpt-5']).toBeUndefined()
    expect(second.store.exportedModels()).toEqual(['Claude-Sonnet-4-5', 'my-model'])

    for (const model of Object.keys(models)) second.store.remove(model)
    await second.store.flush()
    expect((await restart()).store.view().models).toEqual({})
  })

  it('replaces the whole table, and reset brings the defaults back', async () => {
    const first = await restart()
    first.store.replaceAll({ a: price(1, 1), b: price(2, 2, { exportToModels: false }) })
    expect(Object.keys(first.store.view().models)).toEqual(['a', 'b'])
    await first.store.flush()
    const second = await restart()
    expect(second.store.view().models).toEqual({ a: price(1, 1), b: price(2, 2, { exportToModels: false }) })
    second.store.reset()
    await second.store.flush()
    expect(Object.keys((await restart()).store.view().models)).toEqual(Object.keys(DEFAULT_PRICING).sort())
  })

  it('imports a Go cc-bridge pricing.json once, instead of the defaults', async () => {
    writeFileSync(join(tmp.dir, 'pricing.json'), JSON.stringify(GO_FILE))
    const first = await restart()
    expect(first.store.view().models).toEqual({
      'claude-sonnet-4-5': price(3, 15, { cacheCreationPrice: 3.75, cacheReadPrice: 0.3, description: 'Sonnet' }),
      'gpt-5.1': price(1.25, 10),
      'my-model': price(0.5, 1.5, { exportToModels: false }),
    })
    expect(await first.db.select().from(pricingSeed)).toEqual([{ id: 1, source: 'pricing.json', seededAt: 1 }])
    first.store.remove('my-model')
    await first.store.flush()
    // The file is still there: the deleted model stays deleted.
    expect(Object.keys((await restart()).store.view().models)).toEqual(['claude-sonnet-4-5', 'gpt-5.1'])
  })

  it('seeds the defaults and says why when the Go file cannot be used', async () => {
    writeFileSync(join(tmp.dir, 'pricing.json'), JSON.stringify({ models: { bad: { inputPrice: -1, outputPrice: 1 } } }))
    const { store } = await restart()
    expect(Object.keys(store.view().models)).toEqual(Object.keys(DEFAULT_PRICING).sort())
    expect(warnings).toEqual([expect.stringMatching(/pricing\.json not imported: models\.bad\.inputPrice: .*PUT \/api\/pricing/)])
  })

  it('leaves rows that are already there (no seed row) alone', async () => {
    const db = await createDb(`file:${join(tmp.dir, 'p.db')}`)
    open.push(db)
    await applyMigrations(db.$client, fsReader())
    await db.insert(pricing).values({ model: 'kept', inputPrice: 1, outputPrice: 2, updatedAt: 0 })
    const { store } = await restart()
    expect(store.view().models).toEqual({ kept: price(1, 2) })
  })

  it('prices the response model when it has a price, else the requested one', async () => {
    const { store } = await restart()
    store.replaceAll({ 'claude-sonnet-4': price(3, 15), 'claude-haiku-4-5': price(1, 5) })
    expect(store.priceFor('claude-sonnet-4-5', 'claude-haiku-4-5-20251001')).toMatchObject({ model: 'claude-haiku-4-5-20251001', key: 'claude-haiku-4-5', pricedByResponseModel: true })
    expect(store.priceFor('claude-sonnet-4-5', 'vendor-alias-7')).toMatchObject({ model: 'claude-sonnet-4-5', key: 'claude-sonnet-4', pricedByResponseModel: false })
    expect(store.priceFor('claude-sonnet-4-5', 'claude-sonnet-4-5')).toMatchObject({ key: 'claude-sonnet-4', pricedByResponseModel: false })
    expect(store.priceFor('CLAUDE-SONNET-4-5')).toMatchObject({ key: 'claude-sonnet-4' })
    expect(store.priceFor('unknown', 'also-unknown')).toBeUndefined()
  })

  it('quotes a request with the channel multipliers of the priced model; an unpriced one costs 0', async () => {
    const { store } = await restart()
    store.replaceAll({ 'claude-sonnet-4': price(3, 15), 'claude-haiku-4-5': price(1, 5) })
    const usage = { input: 1000, output: 200, cacheRead: 0, cacheCreation5m: 0, cacheCreation1h: 0, reasoning: 0 }
    const quote = store.quote({
      usage, requestedModel: 'claude-sonnet-4-5', responseModel: 'claude-haiku-4-5',
      priceMultipliers: { '_default': { inputMultiplier: 0.5 }, 'claude-haiku': { outputMultiplier: 2 }, 'claude-sonnet': { outputMultiplier: 100 } },
    })
    // 1 000 × 1 × 0.5 / 1e6 = 0.0005; 200 × 5 × 2 / 1e6 = 0.002
    expect(quote.cost).toEqual({ inputCost: 0.0005, outputCost: 0.002, cacheCreationCost: 0, cacheReadCost: 0, total: 0.0025 })
    expect(quote.priced).toMatchObject({ model: 'claude-haiku-4-5', pricedByResponseModel: true })
    expect(store.quote({ usage, requestedModel: 'nope' })).toEqual({ cost: { inputCost: 0, outputCost: 0, cacheCreationCost: 0, cacheReadCost: 0, total: 0 } })
  })

  it('prices a model pair by the table as it is now: what it remembered goes when the table changes', async () => {
    const { store } = await restart()
    store.replaceAll({ 'gpt-5': price(1, 10) })
    const keyOf = (requested: string, response?: string) => store.priceFor(requested, response)?.key
    expect(keyOf('gpt-5.1-codex', 'gpt-5.1-codex-max')).toBe('gpt-5')
    store.upsert([{ model: 'gpt-5.1-codex', ...price(2, 20) }])
    expect(keyOf('gpt-5.1-codex', 'gpt-5.1-codex-max')).toBe('gpt-5.1-codex')
    expect(store.priceFor('gpt-5.1-codex', 'gpt-5.1-codex-max')!.price.inputPrice).toBe(2)
    store.replaceAll({ o3: price(2, 8) })
    expect(keyOf('gpt-5.1-codex', 'gpt-5.1-codex-max')).toBeUndefined()
    // Two pairs that read the same when run together are told apart.
    store.replaceAll({ ab: price(1, 1), c: price(2, 2) })
    expect(keyOf('ab', 'c')).toBe('c')
    expect(keyOf('a', 'bc')).toBeUndefined()
  })

  it('hands out copies or frozen objects: changing an answer does not change the table', async () => {
    const { store } = await restart()
    store.view().models['gpt-5']!.inputPrice = 999
    store.lookup('gpt-5')!.price.inputPrice = 999
    store.priceFor('gpt-5')!.price.inputPrice = 999
    // A quote hands out the table's own answer, frozen.
    const { priced } = store.quote({ usage: { input: 1, output: 0, cacheRead: 0, cacheCreation5m: 0, cacheCreation1h: 0, reasoning: 0 }, requestedModel: 'gpt-5' })
    expect(() => {
      (priced!.price as { inputPrice: number }).inputPrice = 999
    }).toThrow(TypeError)
    expect(store.lookup('gpt-5')!.price.inputPrice).toBe(1.25)
    expect(store.quote({ usage: { input: 1_000_000, output: 0, cacheRead: 0, cacheCreation5m: 0, cacheCreation1h: 0, reasoning: 0 }, requestedModel: 'gpt-5' }).cost.inputCost).toBe(1.25)
  })
})
