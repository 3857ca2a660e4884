import { describe, expect, it } from 'vitest'
import type { PricingUsage } from '#shared/schemas/pricing'
import { channelMultipliers, NO_MULTIPLIERS, priceRequest, roundUsd } from '#server/utils/pricing/cost'

const usage = (u: Partial<PricingUsage>): PricingUsage =>
  ({ input: 0, output: 0, cacheRead: 0, cacheCreation5m: 0, cacheCreation1h: 0, reasoning: 0, ...u })

const SONNET = { inputPrice: 3, outputPrice: 15, cacheCreationPrice: 3.75, cacheReadPrice: 0.3 }
const GPT5 = { inputPrice: 1.25, outputPrice: 10, cacheCreationPrice: 1.25, cacheReadPrice: 0.125 }

describe('priceRequest', () => {
  // Hand computation, USD:
  //   input       1 200 × 3     / 1e6 = 0.0036
  //   output        850 × 15    / 1e6 = 0.01275
  //   cache 5 m   2 000 × 3.75  / 1e6 = 0.0075
  //   cache 1 h   3 000 × 6     / 1e6 = 0.018   (2 × input)
  //   cache read 40 000 × 0.3   / 1e6 = 0.012
  //   total                           = 0.05385
  const claudeTurn = usage({ input: 1200, output: 850, cacheRead: 40_000, cacheCreation5m: 2000, cacheCreation1h: 3000 })

  it('prices each token type, cache writes by lifetime, to the exact decimal', () => {
    expect(priceRequest(claudeTurn, SONNET)).toEqual({
      inputCost: 0.0036, outputCost: 0.01275, cacheCreationCost: 0.0255, cacheReadCost: 0.012, total: 0.05385,
    })
  })

  it('applies the channel\'s _default times its longest model key, per token type', () => {
    const multipliers = channelMultipliers({
      '_default': { inputMultiplier: 0.8, outputMultiplier: 0.8, cacheCreationMultiplier: 0.8, cacheReadMultiplier: 0.8 },
      'claude-sonnet': { inputMultiplier: 10, outputMultiplier: 10 },
      // Missing and 0 multipliers count as 1, as in the Go cc-bridge.
      'claude-sonnet-4-5': { inputMultiplier: 0.5, outputMultiplier: 1.25, cacheReadMultiplier: 0 },
    }, 'claude-sonnet-4-5-20250929')
    expect(multipliers).toEqual({ input: 0.4, output: 1, cacheCreation: 0.8, cacheRead: 0.8 })
    // input 1 200 × 3 × 0.4 = 1 440; output 850 × 15 × 1 = 12 750;
    // cache writes (2 000 × 3.75 + 3 000 × 6) × 0.8 = 20 400; reads 40 000 × 0.3 × 0.8 = 9 600 (all / 1e6)
    expect(priceRequest(claudeTurn, SONNET, multipliers)).toEqual({
      inputCost: 0.00144, outputCost: 0.01275, cacheCreationCost: 0.0204, cacheReadCost: 0.0096, total: 0.04419,
    })
  })

  it('uses either multiplier alone when the other is missing, and list price with none', () => {
    expect(channelMultipliers({ _default: { outputMultiplier: 2 } }, 'gpt-5')).toEqual({ input: 1, output: 2, cacheCreation: 1, cacheRead: 1 })
    expect(channelMultipliers({ 'GPT-5': { cacheReadMultiplier: 0.5 } }, 'gpt-5-mini')).toEqual({ input: 1, output: 1, cacheCreation: 1, cacheRead: 0.5 })
    expect(channelMultipliers({ o3: { inputMultiplier: 3 } }, 'gpt-5')).toBe(NO_MULTIPLIERS)
    expect(channelMultipliers(undefined, 'gpt-5')).toBe(NO_MULTIPLIERS)
  })

  it('does not bill OpenAI reasoning tokens twice: completion tokens already count them', () => {
    // prompt 10 000 of which 4 000 cached; completion 3 000 of which 2 000 reasoning.
    // 6 000 × 1.25 = 7 500; 3 000 × 10 = 30 000; 4 000 × 0.125 = 500 (all / 1e6)
    const cost = priceRequest(usage({ input: 6000, cacheRead: 4000, output: 3000, reasoning: 2000 }), GPT5)
    expect(cost).toEqual({ inputCost: 0.0075, outputCost: 0.03, cacheCreationCost: 0, cacheReadCost: 0.0005, total: 0.038 })
  })

  it('adds reasoning reported beside the output (Gemini\'s thoughts) at the output price', () => {
    const cost = priceRequest(usage({ input: 6000, cacheRead: 4000, output: 1000, reasoning: 2000, reasoningInOutput: false }), GPT5)
    expect(cost.outputCost).toBe(0.03)
    expect(cost.total).toBe(0.038)
  })

  it('derives unset cache prices from the input price: 1.25× and 2× for writes, 0.1× for reads; 0 is free', () => {
    const million = usage({ cacheCreation5m: 1e6, cacheCreation1h: 1e6, cacheRead: 1e6 })
    expect(priceRequest(million, { inputPrice: 2, outputPrice: 8 })).toMatchObject({ cacheCreationCost: 6.5, cacheReadCost: 0.2, total: 6.7 })
    expect(priceRequest(million, { inputPrice: 2, outputPrice: 8, cacheCreationPrice: null, cacheReadPrice: null }).total).toBe(6.7)
    expect(priceRequest(million, { inputPrice: 2, outputPrice: 8, cacheCreationPrice: 0, cacheReadPrice: 0 }).total).toBe(0)
  })

  it('stays right to the cent on large volumes and is the same number however it is reached', () => {
    // 123 456 789 × 3 / 1e6 = 370.370367; 98 765 432 × 15 / 1e6 = 1 481.48148
    const big = priceRequest(usage({ input: 123_456_789, output: 98_765_432 }), SONNET)
    expect(big).toMatchObject({ inputCost: 370.370367, outputCost: 1481.48148, total: 1851.851847 })
    // 0.1 + 0.2 style float noise is rounded away at 1e-10 USD.
    expect(roundUsd(0.1 + 0.2)).toBe(0.3)
    expect(priceRequest(usage({ input: 7 }), { inputPrice: 0.1 + 0.2, outputPrice: 0 }).total).toBe(0.0000021)
  })
})
