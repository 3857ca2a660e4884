import { getQuery, getValidatedRouterParams, readBody, readValidatedBody } from 'h3'
import type { H3Event } from 'h3'
import { z } from 'zod'
import { ModelPriceInputSchema, parsePricingModelsUpsert, PricingConfigSchema, PricingModelDeleteSchema } from '#shared/schemas/pricing'
import type { PricingMutationResponse, PricingView } from '#shared/schemas/pricing'
import { ConfigApiError } from '#server/utils/config/errors'
import type { PricingStore } from '#server/utils/pricing/store'
import { defineAdminRoute } from './define-config-route'

/**
 * The price table's admin endpoints, in the Go cc-bridge's paths and JSON names. One factory per
 * endpoint, so the files under `server/api/pricing` are one-liners. Every mutation answers with
 * the table after it, so a client needs no second request.
 */

const ModelParamsSchema = z.object({ model: PricingModelDeleteSchema.shape.model })

/** A price-table admin handler (refusals as on every admin route). */
function definePricingRoute<T>(run: (event: H3Event, pricing: PricingStore) => Promise<T> | T) {
  return defineAdminRoute((event, services) => run(event, services.pricing))
}

const done = (pricing: PricingStore, message: string): PricingMutationResponse => ({ success: true, message, ...pricing.view() })

/** The `:model` of the legacy routes, URL-decoded (names may hold `/`, sent as `%2F`). */
async function modelParam(event: H3Event): Promise<string> {
  return (await getValidatedRouterParams(event, ModelParamsSchema.parse, { decode: true })).model
}

function remove(pricing: PricingStore, model: string): PricingMutationResponse {
  const key = pricing.remove(model)
  if (key === undefined) throw new ConfigApiError(404, `Model not found: ${model}`)
  return done(pricing, `Model "${key}" deleted`)
}

/** `GET /api/pricing`: `{models:{<model>:{inputPrice, …}}, currency:"USD"}`. */
export function getPricingRoute() {
  return definePricingRoute((_event, pricing): PricingView => pricing.view())
}

/** `PUT /api/pricing`: replaces the whole table (the Go `pricing.json` shape). */
export function putPricingRoute() {
  return definePricingRoute(async (event, pricing) => {
    const { models } = await readValidatedBody(event, PricingConfigSchema.parse)
    pricing.replaceAll(models)
    return done(pricing, 'Pricing replaced')
  })
}

/** `PUT /api/pricing/models`: `{model, inputPrice, outputPrice, …}`, or a list of them. */
export function upsertPricingModelsRoute() {
  return definePricingRoute(async (event, pricing) => {
    const entries = await readValidatedBody(event, parsePricingModelsUpsert)
    pricing.upsert(entries)
    return done(pricing, entries.length === 1 ? `Model "${entries[0]!.model}" saved` : `${entries.length} models saved`)
  })
}

/** `DELETE /api/pricing/models`: `{model}` in the body as the Go cc-bridge sends it, or `?model=`. */
export function deletePricingModelRoute() {
  return definePricingRoute(async (event, pricing) => {
    const query = getQuery(event).model
    const { model } = PricingModelDeleteSchema.parse(query === undefined ? await readBody(event) : { model: query })
    return remove(pricing, model)
  })
}

/** `PUT /api/pricing/models/:model`: the Go cc-bridge's legacy form, the prices in the body. */
export function putPricingModelByPathRoute() {
  return definePricingRoute(async (event, pricing) => {
    const model = await modelParam(event)
    const price = await readValidatedBody(event, ModelPriceInputSchema.parse)
    pricing.upsert([{ model, ...price }])
    return done(pricing, `Model "${model}" saved`)
  })
}

/** `DELETE /api/pricing/models/:model`: the legacy form. */
export function deletePricingModelByPathRoute() {
  return definePricingRoute(async (event, pricing) => remove(pricing, await modelParam(event)))
}

/** `POST /api/pricing/reset`: restores the shipped defaults. */
export function resetPricingRoute() {
  return definePricingRoute((_event, pricing) => {
    pricing.reset()
    return done(pricing, 'Pricing reset to the defaults')
  })
}
