import type { Usage } from '#server/utils/convert/types'
import type { ChannelPriceMultipliers } from '#server/utils/pricing/cost'
import type { Quoter } from '#server/utils/pricing/quoter'
import { factsOfBody } from '#server/utils/usage/passthrough-usage'
import type { PricingUsage, RequestCost } from '#shared/schemas/pricing'
import type { RowValue } from './row-format'
import type { AnswerColumns, DeferredAnswer } from './types'

/** The keys of `AnswerColumns`, for the encodings that read them apart from the rest of a row's change. */
export const ANSWER_KEYS = ['responseModel', 'inputTokens', 'outputTokens', 'cacheReadInputTokens', 'cacheCreationInputTokens', 'cacheCreation1hInputTokens',
  'cacheCreation5mInputTokens', 'reasoningTokens', 'usageEstimated', 'price', 'inputCost', 'outputCost', 'cacheCreationCost', 'cacheReadCost'] as const satisfies readonly (keyof AnswerColumns)[]

/** Usage as the price table reads it: cache writes split by lifetime, reasoning inside the output. */
export function pricingUsage(u: Usage): PricingUsage {
  const hour = u.cacheCreation1hInputTokens ?? 0
  return {
    input: u.inputTokens,
    output: u.outputTokens,
    cacheRead: u.cacheReadInputTokens,
    cacheCreation5m: Math.max(0, u.cacheCreationInputTokens - hour),
    cacheCreation1h: hour,
    reasoning: u.reasoningTokens ?? 0,
  }
}

/** The columns of an answer `responseModel` gave, with its usage and, when it was priced, its cost. */
export function answerColumns(responseModel: string | undefined, usage: Usage, cost: RequestCost | undefined): AnswerColumns {
  const hour = usage.cacheCreation1hInputTokens
  return {
    responseModel,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadInputTokens: usage.cacheReadInputTokens,
    cacheCreationInputTokens: usage.cacheCreationInputTokens,
    cacheCreation1hInputTokens: hour,
    cacheCreation5mInputTokens: hour === undefined ? undefined : usage.cacheCreationInputTokens - hour,
    reasoningTokens: usage.reasoningTokens ?? 0,
    usageEstimated: usage.estimated,
    price: cost?.total,
    inputCost: cost?.inputCost,
    outputCost: cost?.outputCost,
    cacheCreationCost: cost?.cacheCreationCost,
    cacheReadCost: cost?.cacheReadCost,
  }
}

/**
 * What the upstream said it used for an answer whose `usage` could not be read after all (the
 * bytes `"usage"` were there, but not as the answer's own): nothing, marked estimated.
 */
const UNREAD: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: true })

/**
 * A deferred answer (its text, or its bytes) read and priced by `quoter` for `requestedModel`:
 * where the writer thread (or, once it is gone, the main connection) writes its row.
 */
export function readDeferredAnswer(answer: Pick<DeferredAnswer, 'protocol' | 'multipliers'> & { body: Buffer | string }, requestedModel: string | null | undefined, quoter: Pick<Quoter, 'quote'>): AnswerColumns {
  const facts = factsOfBody(answer.protocol, answer.body)
  const usage = facts.usage ?? UNREAD
  const priceMultipliers = answer.multipliers ? JSON.parse(answer.multipliers) as ChannelPriceMultipliers : undefined
  const { cost } = quoter.quote({ usage: pricingUsage(usage), requestedModel: requestedModel ?? '', responseModel: facts.model, priceMultipliers })
  return answerColumns(facts.model, usage, cost)
}

/** A deferred answer as the event loop keeps it, read there once the writer thread is gone. */
export function readDeferredHere(answer: DeferredAnswer, requestedModel: string | null | undefined, quoter: Pick<Quoter, 'quote'>): AnswerColumns {
  return readDeferredAnswer({ ...answer, body: answer.bytes }, requestedModel, quoter)
}

/**
 * Sets a decoded row's answer columns (`values` in table order; `index` maps a key to its place)
 * from `columns`, stored as the row's encoding stores them: a boolean as 0 or 1, a number only
 * when finite; what `columns` leaves undefined keeps the row's value.
 */
export function applyAnswer(values: RowValue[], index: ReadonlyMap<string, number>, columns: AnswerColumns): void {
  for (const key of ANSWER_KEYS) {
    const v = columns[key]
    if (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v))) continue
    values[index.get(key)!] = typeof v === 'boolean' ? Number(v) : v
  }
}
