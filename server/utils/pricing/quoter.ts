import type { ModelPrice, PricingUsage, RequestCost } from '#shared/schemas/pricing'
import { channelMultipliers, priceRequest, type ChannelPriceMultipliers } from './cost'
import { prefixMatcher } from './match'

/** The price that applies to a request, and which model name it was found for. */
export interface PricedModel {
  /** The model name priced: the response model when it has a price, else the requested one. */
  model: string
  /** The table key that matched it (the longest prefix). */
  key: string
  price: ModelPrice
  /** The response model was priced and differs from the requested one (Go: `pricedByTargetModel`). */
  pricedByResponseModel: boolean
}

/** What a request cost, with how it was priced; all zero when no price matched. */
export interface RequestQuote {
  cost: RequestCost
  /** The table's own answer, frozen (a quote is made for every logged request: no copies). */
  priced?: Readonly<PricedModel>
}

/** What a quote needs: the usage, both model names, the serving channel's multipliers. */
export interface QuoteRequest {
  usage: PricingUsage
  requestedModel: string
  responseModel?: string
  priceMultipliers?: ChannelPriceMultipliers
}

/** Prices requests against one state of the price table; made again whenever the table changes. */
export interface Quoter {
  /** The longest key prefixing `model`, ignoring case, and its price (the table's own object). */
  lookup(model: string): { key: string, price: ModelPrice } | undefined
  /** The price for a request: the response model's when it has one, else the requested model's (frozen, cached). */
  pricedFor(requestedModel: string, responseModel: string | undefined): Readonly<PricedModel> | undefined
  /** The cost of a request: {@link Quoter.pricedFor}, then `priceRequest` with the channel's multipliers for the priced model. */
  quote(request: QuoteRequest): RequestQuote
}

/** Model pairs whose prices are remembered. */
const MAX_CACHED_PAIRS = 1024

const FREE: RequestCost = Object.freeze({ inputCost: 0, outputCost: 0, cacheCreationCost: 0, cacheReadCost: 0, total: 0 })

/**
 * A quoter over `models` (not copied: a table that changes needs a new quoter). Used by the
 * price table on the event loop and by the request log's writer thread, which prices the answers
 * it reads with the table as it was when each request ended.
 */
export function createQuoter(models: ReadonlyMap<string, ModelPrice>): Quoter {
  const matcher = prefixMatcher(models.keys())
  /**
   * What each requested/response model pair was priced by: every logged request asks, nearly
   * always for the same few pairs, and the prefix search goes through the whole table. Bounded,
   * since model names come from clients.
   */
  const cache = new Map<string, Readonly<PricedModel> | null>()

  function lookup(model: string) {
    const key = matcher.match(model)
    return key === undefined ? undefined : { key, price: models.get(key)! }
  }

  function search(requestedModel: string, responseModel: string | undefined): PricedModel | undefined {
    const byResponse = responseModel ? lookup(responseModel) : undefined
    if (byResponse) return { model: responseModel!, ...byResponse, pricedByResponseModel: responseModel !== requestedModel }
    const byRequest = lookup(requestedModel)
    return byRequest && { model: requestedModel, ...byRequest, pricedByResponseModel: false }
  }

  function pricedFor(requestedModel: string, responseModel: string | undefined): Readonly<PricedModel> | undefined {
    // The length keeps `a` + `bc` apart from `ab` + `c`.
    const pair = `${requestedModel.length}:${requestedModel}${responseModel ?? ''}`
    let priced = cache.get(pair)
    if (priced === undefined) {
      if (cache.size >= MAX_CACHED_PAIRS) cache.clear()
      const found = search(requestedModel, responseModel)
      priced = found ? Object.freeze(found) : null
      cache.set(pair, priced)
    }
    return priced ?? undefined
  }

  return {
    lookup,
    pricedFor,
    quote({ usage, requestedModel, responseModel, priceMultipliers }) {
      const priced = pricedFor(requestedModel, responseModel)
      if (!priced) return { cost: { ...FREE } }
      return { cost: priceRequest(usage, priced.price, channelMultipliers(priceMultipliers, priced.model)), priced }
    },
  }
}
