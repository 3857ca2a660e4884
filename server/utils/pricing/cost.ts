import type { PriceMultiplierSchema } from '#shared/schemas/config'
import { CACHE_READ_FACTOR, CACHE_WRITE_1H_OVER_5M, CACHE_WRITE_FACTOR } from '#shared/cache-price-factors'
import type { ModelPrice, PriceFactors, PricingUsage, RequestCost } from '#shared/schemas/pricing'
import type { z } from 'zod'
import { longestPrefix } from './match'

/** A channel's `priceMultipliers` from config.json: `_default` and model (prefix) keys. */
export type ChannelPriceMultipliers = Record<string, z.infer<typeof PriceMultiplierSchema>>

/** The prices `priceRequest` needs; cache prices unset (or null) derive from the input price. */
export type Prices = Pick<ModelPrice, 'inputPrice' | 'outputPrice'> & {
  cacheCreationPrice?: number | null
  cacheReadPrice?: number | null
}

/** List price: every factor 1. */
export const NO_MULTIPLIERS: Readonly<PriceFactors> = Object.freeze({ input: 1, output: 1, cacheCreation: 1, cacheRead: 1 })

/** The channel multiplier key that applies to every model. */
const DEFAULT_KEY = '_default'

/** As in the Go cc-bridge, a missing or 0 multiplier means 1 (list price), not free. */
const factor = (v: number | undefined) => (v ? v : 1)

/**
 * The factors a channel applies to a model's prices: `priceMultipliers._default` times the entry
 * of the longest key that prefixes the model (ignoring case, as prices are looked up), per token
 * type. Missing or 0 multipliers count as 1, so either part alone applies as is.
 */
export function channelMultipliers(multipliers: ChannelPriceMultipliers | undefined, model: string): PriceFactors {
  if (!multipliers) return NO_MULTIPLIERS
  const base = multipliers[DEFAULT_KEY]
  const key = longestPrefix(Object.keys(multipliers).filter(k => k !== DEFAULT_KEY), model)
  const own = key === undefined ? undefined : multipliers[key]
  if (!base && !own) return NO_MULTIPLIERS
  return {
    input: factor(base?.inputMultiplier) * factor(own?.inputMultiplier),
    output: factor(base?.outputMultiplier) * factor(own?.outputMultiplier),
    cacheCreation: factor(base?.cacheCreationMultiplier) * factor(own?.cacheCreationMultiplier),
    cacheRead: factor(base?.cacheReadMultiplier) * factor(own?.cacheReadMultiplier),
  }
}

/**
 * Rounds USD to 1e-10 (a ten-thousandth of a micro-dollar): far below a cent, yet it turns the
 * float noise of `tokens × price / 1e6` into one fixed value, so a cost is the same number
 * wherever it is computed and sums of costs do not drift.
 */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10
}

const usd = (tokens: number, pricePerMillion: number, multiplier: number) => roundUsd(tokens * pricePerMillion * multiplier / 1e6)

/**
 * The cost of one request: per token type, tokens × price (USD per 1M) × multiplier / 1e6,
 * each part rounded with {@link roundUsd} and the total the rounded sum of the rounded parts.
 * - Cache writes: 5-minute writes at the cache-creation price (1.25× input when unset), 1-hour
 *   writes at 1.6× that (2× input when unset); both take the cache-creation multiplier.
 * - Cache reads at the cache-read price (0.1× input when unset).
 * - Reasoning tokens are output: added to `output` only when the protocol reports them beside
 *   it (`reasoningInOutput: false`); Anthropic and OpenAI already count them in their output.
 */
export function priceRequest(usage: PricingUsage, prices: Prices, multipliers: PriceFactors = NO_MULTIPLIERS): RequestCost {
  const write5m = prices.cacheCreationPrice ?? prices.inputPrice * CACHE_WRITE_FACTOR
  const read = prices.cacheReadPrice ?? prices.inputPrice * CACHE_READ_FACTOR
  const output = usage.output + (usage.reasoningInOutput === false ? usage.reasoning : 0)
  const inputCost = usd(usage.input, prices.inputPrice, multipliers.input)
  const outputCost = usd(output, prices.outputPrice, multipliers.output)
  const cacheCreationCost = roundUsd(
    usd(usage.cacheCreation5m, write5m, multipliers.cacheCreation)
    + usd(usage.cacheCreation1h, write5m * CACHE_WRITE_1H_OVER_5M, multipliers.cacheCreation),
  )
  const cacheReadCost = usd(usage.cacheRead, read, multipliers.cacheRead)
  return { inputCost, outputCost, cacheCreationCost, cacheReadCost, total: roundUsd(inputCost + outputCost + cacheCreationCost + cacheReadCost) }
}
