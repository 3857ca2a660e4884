import { describe, expect, it } from 'vitest'
import { ModelPriceInputSchema } from '#shared/schemas/pricing'
import { DEFAULT_PRICING } from '#server/utils/pricing/defaults'
import { longestPrefix } from '#server/utils/pricing/match'

const keys = Object.keys(DEFAULT_PRICING)
const priceOf = (model: string) => {
  const key = longestPrefix(keys, model)
  return key && { key, input: DEFAULT_PRICING[key]!.inputPrice, output: DEFAULT_PRICING[key]!.outputPrice }
}

describe('DEFAULT_PRICING', () => {
  it('is valid as the admin API would take it, unique ignoring case, and not exported to /v1/models', () => {
    for (const [model, price] of Object.entries(DEFAULT_PRICING)) {
      expect(ModelPriceInputSchema.parse(price), model).toEqual(price)
      expect(price.exportToModels).toBe(false)
    }
    expect(new Set(keys.map(k => k.toLowerCase())).size).toBe(keys.length)
  })

  it('keeps the Go cc-bridge\'s default rows and prices', () => {
    expect(DEFAULT_PRICING['claude-opus-4-5']).toMatchObject({ inputPrice: 5, outputPrice: 25, cacheCreationPrice: 6.25, cacheReadPrice: 0.5 })
    expect(DEFAULT_PRICING['claude-sonnet-4-5']).toMatchObject({ inputPrice: 3, outputPrice: 15, cacheCreationPrice: 3.75, cacheReadPrice: 0.3 })
    expect(DEFAULT_PRICING['claude-haiku-4-5']).toMatchObject({ inputPrice: 1, outputPrice: 5, cacheCreationPrice: 1.25, cacheReadPrice: 0.1 })
    expect(DEFAULT_PRICING['gpt-5.1']).toMatchObject({ inputPrice: 1.25, outputPrice: 10 })
    expect(DEFAULT_PRICING['gpt-5.1-codex']).toMatchObject({ inputPrice: 1.25, outputPrice: 10 })
  })

  it('prices the ids clients send, dated or not, by their own family', () => {
    expect(priceOf('claude-opus-4-5-20251101')).toEqual({ key: 'claude-opus-4-5', input: 5, output: 25 })
    expect(priceOf('claude-opus-4-1-20250805')).toEqual({ key: 'claude-opus-4-1', input: 15, output: 75 })
    expect(priceOf('claude-opus-4-20250514')).toEqual({ key: 'claude-opus-4-20250514', input: 15, output: 75 })
    expect(priceOf('claude-sonnet-4-5-20250929')).toEqual({ key: 'claude-sonnet-4-5', input: 3, output: 15 })
    expect(priceOf('claude-sonnet-4-20250514')).toEqual({ key: 'claude-sonnet-4', input: 3, output: 15 })
    expect(priceOf('claude-haiku-4-5-20251001')).toEqual({ key: 'claude-haiku-4-5', input: 1, output: 5 })
    expect(priceOf('claude-3-5-haiku-20241022')).toEqual({ key: 'claude-3-5-haiku', input: 0.8, output: 4 })
    expect(priceOf('gpt-5.1-codex-max')).toEqual({ key: 'gpt-5.1-codex-max', input: 1.25, output: 10 })
    expect(priceOf('gpt-5.1-codex-mini')).toEqual({ key: 'gpt-5.1-codex-mini', input: 0.25, output: 2 })
    expect(priceOf('gpt-5-mini-2025-08-07')).toEqual({ key: 'gpt-5-mini', input: 0.25, output: 2 })
    expect(priceOf('gpt-5-codex')).toEqual({ key: 'gpt-5-codex', input: 1.25, output: 10 })
    expect(priceOf('gpt-4.1-2025-04-14')).toEqual({ key: 'gpt-4.1', input: 2, output: 8 })
    expect(priceOf('gpt-4o-mini-2024-07-18')).toEqual({ key: 'gpt-4o-mini', input: 0.15, output: 0.6 })
    expect(priceOf('o3-2025-04-16')).toEqual({ key: 'o3', input: 2, output: 8 })
    expect(priceOf('o4-mini')).toEqual({ key: 'o4-mini', input: 1.1, output: 4.4 })
    expect(priceOf('codex-mini-latest')).toEqual({ key: 'codex-mini-latest', input: 1.5, output: 6 })
    expect(priceOf('deepseek-reasoner')).toEqual({ key: 'deepseek-reasoner', input: 0.28, output: 0.42 })
    expect(priceOf('DeepSeek-Chat')).toEqual({ key: 'deepseek-chat', input: 0.28, output: 0.42 })
  })
})
