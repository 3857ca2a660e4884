import { describe, expect, it } from 'vitest'
import { ModelPriceInputSchema, PricingConfigSchema, parsePricingModelsUpsert } from '#shared/schemas/pricing'

describe('pricing schemas', () => {
  it('read Go\'s null and absent fields: unset cache prices, exported, no description', () => {
    expect(ModelPriceInputSchema.parse({ inputPrice: 1, outputPrice: 2, cacheCreationPrice: null, exportToModels: null }))
      .toEqual({ inputPrice: 1, outputPrice: 2, description: '', exportToModels: true })
    expect(ModelPriceInputSchema.parse({ inputPrice: 1, outputPrice: 2, cacheReadPrice: 0, exportToModels: false, description: 'x' }))
      .toEqual({ inputPrice: 1, outputPrice: 2, cacheReadPrice: 0, description: 'x', exportToModels: false })
  })

  it('refuse negative or missing prices and model names that differ only in case', () => {
    expect(ModelPriceInputSchema.safeParse({ inputPrice: -1, outputPrice: 2 }).success).toBe(false)
    expect(ModelPriceInputSchema.safeParse({ inputPrice: 1 }).success).toBe(false)
    const twins = PricingConfigSchema.safeParse({ models: { 'gpt-5': { inputPrice: 1, outputPrice: 1 }, 'GPT-5': { inputPrice: 1, outputPrice: 1 } } })
    expect(twins.error?.issues.map(i => i.path)).toEqual([['models', 'GPT-5']])
    expect(() => parsePricingModelsUpsert([{ model: 'a', inputPrice: 1, outputPrice: 1 }, { model: 'A', inputPrice: 1, outputPrice: 1 }])).toThrow(/ignoring case/)
  })

  it('take one model or a list of them for an upsert, names trimmed', () => {
    expect(parsePricingModelsUpsert({ model: ' m ', inputPrice: 1, outputPrice: 2 }))
      .toEqual([{ model: 'm', inputPrice: 1, outputPrice: 2, description: '', exportToModels: true }])
    expect(parsePricingModelsUpsert([{ model: 'a', inputPrice: 1, outputPrice: 2 }, { model: 'b', inputPrice: 3, outputPrice: 4 }])).toHaveLength(2)
    expect(() => parsePricingModelsUpsert([])).toThrow()
    // A refusal names the field, for one model as for a list.
    expect(() => parsePricingModelsUpsert({ model: 'm', inputPrice: '1', outputPrice: 2 })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: ['inputPrice'] })] }))
    expect(() => parsePricingModelsUpsert([{ model: 'm', outputPrice: 2 }])).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: [0, 'inputPrice'] })] }))
  })
})
