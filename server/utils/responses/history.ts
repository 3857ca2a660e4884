import type { JsonObject } from '#server/utils/convert/types'
import { asArray, isObject } from '#server/utils/convert/values'

/** One kept turn as the history needs it: its own input items and the response it got. */
export interface TurnRecord {
  id: string
  previousResponseId: string | null
  /** JSON array of the turn's input items. */
  input: string
  /** JSON of the response object; its `output` are the turn's output items. */
  response: string
}

/** A request's `input` as items: a string is one user message, a missing input none. */
export function inputItems(input: unknown): JsonObject[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }]
  return asArray(input).filter(isObject)
}

/** The output items of a response object. */
export function outputItems(response: JsonObject): JsonObject[] {
  return asArray(response.output).filter(isObject)
}

function parseItems(json: string, pick: (v: JsonObject) => JsonObject[]): JsonObject[] {
  const v = JSON.parse(json) as unknown
  return Array.isArray(v) ? v.filter(isObject) : isObject(v) ? pick(v) : []
}

/**
 * The whole history of a conversation up to and including turn `lastId`: for each turn of the
 * `previous_response_id` chain, oldest first, its input items and then its output items. This is
 * what a channel that never saw the conversation needs in `input` before the new items.
 * Undefined when a link of the chain is missing (deleted or expired).
 */
export function chainHistory(turns: readonly TurnRecord[], lastId: string): JsonObject[] | undefined {
  const byId = new Map(turns.map(t => [t.id, t]))
  const chain: TurnRecord[] = []
  const seen = new Set<string>()
  for (let id: string | null = lastId; id;) {
    const turn = byId.get(id)
    if (!turn || seen.has(id)) return undefined
    seen.add(id)
    chain.push(turn)
    id = turn.previousResponseId
  }
  return chain.reverse().flatMap(t => [...parseItems(t.input, () => []), ...parseItems(t.response, outputItems)])
}

/**
 * History items made fit for a channel that did not produce them: `reasoning` items go (their
 * `encrypted_content` only opens for the account that issued it, and another upstream answers
 * `invalid_encrypted_content`), and item ids go (they name objects stored at the other upstream,
 * which this one would look up and not find).
 */
export function portableItems(items: readonly JsonObject[]): JsonObject[] {
  return items.filter(item => item.type !== 'reasoning').map((item) => {
    if (!('id' in item)) return item
    const { id: _id, ...rest } = item
    return rest
  })
}

/**
 * The request body with its history inline: `previous_response_id` removed and `input` the
 * history followed by the request's own input items. Everything else is kept as sent.
 */
export function withInlineHistory(body: JsonObject, history: readonly JsonObject[]): JsonObject {
  const { previous_response_id: _prev, ...rest } = body
  return { ...rest, input: [...history, ...inputItems(body.input)] }
}
