import { existsSync, readFileSync } from 'node:fs'
import { PricingConfigSchema } from '#shared/schemas/pricing'
import type { ModelPrice } from '#shared/schemas/pricing'
import { fieldIssues } from '#server/utils/config/errors'

/** What reading a Go cc-bridge `pricing.json` gave. */
export type GoPricingFile
  = | { status: 'absent' }
    | { status: 'ok', models: Record<string, ModelPrice> }
    | { status: 'invalid', reason: string }

/**
 * Reads the Go cc-bridge's price table (`{models:{<model>:{inputPrice, outputPrice,
 * cacheCreationPrice?, cacheReadPrice?, description?, exportToModels?}}, currency:"USD"}`),
 * the same shape `PUT /api/pricing` takes. Never throws: a file that cannot be used says why.
 */
export function readGoPricingFile(path: string): GoPricingFile {
  if (!existsSync(path)) return { status: 'absent' }
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  }
  catch (error) {
    return { status: 'invalid', reason: (error as Error).message }
  }
  const parsed = PricingConfigSchema.safeParse(json)
  if (!parsed.success) {
    return { status: 'invalid', reason: fieldIssues(parsed.error).map(i => `${i.path}: ${i.message}`).join('; ') }
  }
  return { status: 'ok', models: parsed.data.models }
}
