import { z } from 'zod'

/**
 * The model price table, in the Go cc-bridge's JSON names (its `pricing.json` and
 * `/api/pricing`): USD per 1 000 000 tokens. The admin routes validate with these schemas and
 * the admin UI imports the same types.
 */

export { CACHE_READ_FACTOR, CACHE_WRITE_1H_OVER_5M, CACHE_WRITE_FACTOR } from '../cache-price-factors'

const price = z.number().finite().nonnegative()

/** A model name or prefix as a price key; matching ignores case (see the pricing store). */
export const ModelNameSchema = z.string().trim().min(1).max(200)

/** One model's prices as stored and shown: cache prices only when set, the rest always. */
export interface ModelPrice {
  inputPrice: number
  outputPrice: number
  cacheCreationPrice?: number
  cacheReadPrice?: number
  description: string
  exportToModels: boolean
}

/**
 * One model's prices as a client sends them (Go's `ModelPricing`). `null` or absent cache prices
 * derive from the input price; an explicit 0 means free. `exportToModels` absent or `null` means
 * listed in `GET /v1/models`, as in the Go cc-bridge.
 */
const modelPriceFields = z.object({
  inputPrice: price,
  outputPrice: price,
  cacheCreationPrice: price.nullish(),
  cacheReadPrice: price.nullish(),
  description: z.string().max(1000).nullish(),
  exportToModels: z.boolean().nullish(),
})

/** Drops unset cache prices and fills the description and export flag. */
function toModelPrice(v: z.output<typeof modelPriceFields>): ModelPrice {
  return {
    inputPrice: v.inputPrice,
    outputPrice: v.outputPrice,
    ...(v.cacheCreationPrice == null ? {} : { cacheCreationPrice: v.cacheCreationPrice }),
    ...(v.cacheReadPrice == null ? {} : { cacheReadPrice: v.cacheReadPrice }),
    description: v.description ?? '',
    exportToModels: v.exportToModels ?? true,
  }
}

export const ModelPriceInputSchema = modelPriceFields.transform(toModelPrice)
export type ModelPriceInput = z.input<typeof ModelPriceInputSchema>

/** Names that differ only in case would tie in the case-insensitive lookup, so they are refused. */
function uniqueIgnoringCase(names: readonly string[], ctx: z.RefinementCtx, path: (i: number) => PropertyKey[]): void {
  const seen = new Map<string, string>()
  names.forEach((name, i) => {
    const other = seen.get(name.toLowerCase())
    if (other !== undefined) ctx.addIssue({ code: 'custom', path: path(i), message: `duplicates "${other}" (model names are compared ignoring case)` })
    else seen.set(name.toLowerCase(), name)
  })
}

/** The whole table: `PUT /api/pricing`, and the Go cc-bridge's `pricing.json` as it is. */
export const PricingConfigSchema = z.object({
  models: z.record(ModelNameSchema, ModelPriceInputSchema),
  currency: z.literal('USD').optional(),
}).superRefine((v, ctx) => {
  const names = Object.keys(v.models)
  uniqueIgnoringCase(names, ctx, i => ['models', names[i]!])
})
export type PricingConfigInput = z.input<typeof PricingConfigSchema>

export const PricingModelEntrySchema = modelPriceFields.extend({ model: ModelNameSchema })
  .transform(({ model, ...v }) => ({ model, ...toModelPrice(v) }))
/** One model and its prices, as upserts carry them. */
export type PricingModelEntry = z.output<typeof PricingModelEntrySchema>

/** `PUT /api/pricing/models` with a list: several models at once. */
export const PricingModelListSchema = z.array(PricingModelEntrySchema).min(1).max(1000).superRefine((list, ctx) => {
  uniqueIgnoringCase(list.map(e => e.model), ctx, i => [i, 'model'])
})

/**
 * `PUT /api/pricing/models`: one `{model, inputPrice, …}` as in the Go cc-bridge, or a list of
 * them. The shape is picked before validating, so a refusal names the bad field rather than
 * saying that neither shape fits.
 */
export function parsePricingModelsUpsert(body: unknown): PricingModelEntry[] {
  return Array.isArray(body) ? PricingModelListSchema.parse(body) : [PricingModelEntrySchema.parse(body)]
}

/** `DELETE /api/pricing/models`: `{model}` in the body (the Go cc-bridge), or `?model=`. */
export const PricingModelDeleteSchema = z.object({ model: ModelNameSchema })

/** `GET /api/pricing`. */
export interface PricingView {
  models: Record<string, ModelPrice>
  currency: 'USD'
}

/** What every pricing mutation answers: the table after the change. */
export interface PricingMutationResponse extends PricingView {
  success: true
  message: string
}

/**
 * Token counts of one request, split the way they are billed. Converters fill it from each
 * protocol's usage:
 * - Anthropic: `input` = `input_tokens` (excludes cache traffic), `cacheRead` =
 *   `cache_read_input_tokens`, `cacheCreation5m`/`cacheCreation1h` =
 *   `cache_creation.ephemeral_5m_input_tokens`/`ephemeral_1h_input_tokens` (all of
 *   `cache_creation_input_tokens` as 5-minute writes when the split is missing), `output` =
 *   `output_tokens`, which already counts thinking.
 * - OpenAI Chat / Responses: `input` = `prompt_tokens`/`input_tokens` − `cached_tokens`,
 *   `cacheRead` = `cached_tokens`, no cache writes, `output` = `completion_tokens`/`output_tokens`,
 *   which already count `reasoning_tokens`.
 * - DeepSeek: `input` = `prompt_cache_miss_tokens`, `cacheRead` = `prompt_cache_hit_tokens`.
 */
export interface PricingUsage {
  input: number
  output: number
  cacheRead: number
  cacheCreation5m: number
  cacheCreation1h: number
  /** Reasoning (thinking) tokens, priced as output; see `reasoningInOutput`. */
  reasoning: number
  /**
   * Whether `output` already counts the `reasoning` tokens, so they are not billed twice. True
   * (the default) for Anthropic and OpenAI; false for protocols that report them beside the
   * output, like Gemini's `thoughtsTokenCount` next to `candidatesTokenCount`.
   */
  reasoningInOutput?: boolean
}

/** Factors applied to each token type's price (1 = list price). */
export interface PriceFactors {
  input: number
  output: number
  cacheCreation: number
  cacheRead: number
}

/** The cost of one request in USD, each part rounded to 1e-10 USD (see `priceRequest`). */
export interface RequestCost {
  inputCost: number
  outputCost: number
  cacheCreationCost: number
  cacheReadCost: number
  total: number
}
