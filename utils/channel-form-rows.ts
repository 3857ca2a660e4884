import type { z } from 'zod'
import type { PriceMultiplierSchema } from '#shared/schemas/config'

/** One line of a channel's model mapping, as the form edits it. */
export interface MappingRow { from: string, to: string }

/** One model's price multipliers, as the form edits it (an empty number means "×1"). */
export interface MultiplierRow { model: string, input?: number, output?: number, cacheCreation?: number, cacheRead?: number }

type Multipliers = z.infer<typeof PriceMultiplierSchema>

/** The multipliers a row sets, in config.json's names. */
export function multipliersOf(row: MultiplierRow): Multipliers {
  const out: Multipliers = {}
  if (row.input !== undefined && row.input !== null) out.inputMultiplier = row.input
  if (row.output !== undefined && row.output !== null) out.outputMultiplier = row.output
  if (row.cacheCreation !== undefined && row.cacheCreation !== null) out.cacheCreationMultiplier = row.cacheCreation
  if (row.cacheRead !== undefined && row.cacheRead !== null) out.cacheReadMultiplier = row.cacheRead
  return out
}
