import type { JsonObject } from '#server/utils/convert/types'
import { isObject } from '#server/utils/convert/values'

/** OpenAI's bounds and default for `limit`. */
const MAX_LIMIT = 100
const DEFAULT_LIMIT = 20

/** The query of `GET /v1/responses/{id}/input_items` as OpenAI documents it. */
export interface InputItemsQuery {
  limit?: string | null
  order?: string | null
  after?: string | null
}

/** A query value cc-bridge refuses, with the parameter it names. */
export class InputItemsQueryError extends Error {}

/** An input item as OpenAI lists it: with an id, and a message's text content as parts. */
function listed(item: JsonObject, id: string): JsonObject {
  const withId = typeof item.id === 'string' && item.id ? item : { id, ...item }
  if ((withId.type ?? 'message') !== 'message') return withId
  const part = withId.role === 'assistant' ? 'output_text' : 'input_text'
  const content = typeof withId.content === 'string' ? [{ type: part, text: withId.content }] : withId.content
  return { ...withId, type: 'message', content }
}

/**
 * The input items of a stored turn as OpenAI's list object: `{object:"list", data, first_id,
 * last_id, has_more}`, newest first unless `order=asc`, `limit` (1–100, default 20) items after
 * the item `after` names. Items the client sent without an id get a stable one from the
 * response id and their position, so `after` pages through them.
 */
export function inputItemsList(responseId: string, items: readonly unknown[], query: InputItemsQuery): JsonObject {
  const limit = query.limit == null || query.limit === '' ? DEFAULT_LIMIT : Number(query.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new InputItemsQueryError(`limit: must be an integer from 1 to ${MAX_LIMIT}`)
  const order = query.order || 'desc'
  if (order !== 'asc' && order !== 'desc') throw new InputItemsQueryError('order: must be "asc" or "desc"')
  const all = items.filter(isObject).map((item, i) => listed(item, `${responseId.replace(/^resp_/, 'in_')}_${i}`))
  if (order === 'desc') all.reverse()
  let start = 0
  if (query.after) {
    const at = all.findIndex(item => item.id === query.after)
    if (at < 0) throw new InputItemsQueryError(`after: no input item with id '${query.after}' in this response`)
    start = at + 1
  }
  const data = all.slice(start, start + limit)
  return {
    object: 'list',
    data,
    first_id: (data[0]?.id as string | undefined) ?? null,
    last_id: (data.at(-1)?.id as string | undefined) ?? null,
    has_more: start + limit < all.length,
  }
}
