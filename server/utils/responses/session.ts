import type { JsonObject } from '#server/utils/convert/types'
import type { ResponseSessionStore, StoredResponse } from '#server/utils/db/response-sessions'
import { ProxyError } from '#server/utils/proxy/pipeline'
import type { ParsedRequest, PoolRoute } from '#server/utils/proxy/types'
import type { AttemptTarget } from '#server/utils/scheduler/types'
import { hasCompactionItem, openSealedItems, type CompactionSealer } from './compaction'
import { chainHistory, inputItems, portableItems, withInlineHistory } from './history'

/** The stored turn a request's `previous_response_id` names, with its conversation's history. */
export interface PreviousTurn {
  turn: StoredResponse
  /** Every input and output item of the chain up to and including `turn`, oldest first. */
  history: JsonObject[]
}

/**
 * Loads the turn a request continues (`previous_response_id`), or undefined when it names none.
 * Refuses an unknown, deleted or expired id (404, as OpenAI does) and a conversation that would
 * grow past `maxBytes` (400, saying what to do), both in OpenAI's error shape.
 */
export async function loadPreviousTurn(store: ResponseSessionStore, req: ParsedRequest, maxBytes: number): Promise<PreviousTurn | undefined> {
  const id = req.json.previous_response_id
  if (id === undefined || id === null) return undefined
  if (typeof id !== 'string' || !id) throw new ProxyError(400, 'previous_response_id: must be a response id string')
  const turn = await store.get(id)
  const gone = `Previous response with id '${id}' not found: it is unknown here, was deleted, or expired (kept for RESPONSES_SESSION_TTL after a conversation's last turn).`
  if (!turn) throw new ProxyError(404, gone)
  if (turn.conversationBytes + req.raw.length > maxBytes) {
    const mb = Math.round(maxBytes / 1024 / 1024)
    throw new ProxyError(400, `This conversation has grown past ${mb} MB (RESPONSES_SESSION_MAX_MB): compact it, or start a new one without previous_response_id.`)
  }
  const history = chainHistory(await store.conversation(turn.conversationId), turn.id)
  if (!history) throw new ProxyError(404, `${gone} An earlier turn of its conversation is gone.`)
  return { turn, history }
}

/**
 * The request with the compaction items cc-bridge sealed opened into their summaries (see
 * `openSealedItems`), and the history it continues likewise; as given when neither holds one.
 * `sealer` is only asked for when there is a compaction item.
 */
export function withCompactionsOpened(req: ParsedRequest, previous: PreviousTurn | undefined, sealer: () => CompactionSealer): { req: ParsedRequest, previous?: PreviousTurn } {
  const input = req.json.input
  const opened = hasCompactionItem(input) ? openSealedItems(input as unknown[], sealer()) : undefined
  const json = opened ? { ...req.json, input: opened } : req.json
  return {
    req: opened ? { ...req, json, raw: Buffer.from(JSON.stringify(json)) } : req,
    previous: previous && hasCompactionItem(previous.history) ? { ...previous, history: compactedHistory(previous.history, sealer()) } : previous,
  }
}

/**
 * A stored history that holds a compaction item this cc-bridge sealed: its summary stands for
 * everything before it, so the history starts there (as a client that compacts sends it), opened.
 */
function compactedHistory(history: JsonObject[], sealer: CompactionSealer): JsonObject[] {
  const last = history.findLastIndex(item => sealer.isSealed(item))
  return openSealedItems(last < 0 ? history : history.slice(last), sealer)
}

/**
 * The request with a conversation's history inline instead of `previous_response_id`: the body
 * rebuilt (`input` = history + the request's own items), parsed fields kept. What a converted
 * channel gets before conversion, and a native channel that never saw the previous response.
 */
export function requestWithHistory(req: ParsedRequest, history: readonly JsonObject[]): ParsedRequest {
  const json = withInlineHistory(req.json, history)
  return { ...req, json, raw: Buffer.from(JSON.stringify(json)) }
}

/**
 * Chooses the request for each channel the routing tries: the client's own (with
 * `previous_response_id`) for the native channel that produced the previous response, since its
 * upstream holds the conversation; the history inline for any other — whole for a converted
 * channel (its converter decides what to keep), made portable for another native one (see
 * `portableItems`). Fail-over between native channels mid-conversation thus loses nothing.
 */
export function requestForTarget(req: ParsedRequest, previous: PreviousTurn, route: PoolRoute): (target: AttemptTarget) => ParsedRequest {
  let whole: ParsedRequest | undefined
  let portable: ParsedRequest | undefined
  return (target) => {
    const kind = route.channels[target.channel.serviceType]?.kind ?? 'passthrough'
    if (kind === 'convert') return whole ??= requestWithHistory(req, previous.history)
    if (target.channel.id === previous.turn.channelId) return req
    return portable ??= requestWithHistory(req, portableItems(previous.history))
  }
}

/**
 * Keeps a finished turn: the request's own input items (not the history it may have been sent
 * with) and the response, under the conversation of the turn it continued. Queued, so the
 * client's answer never waits for it.
 */
export function keepTurn(store: ResponseSessionStore, req: ParsedRequest, previous: PreviousTurn | undefined, response: JsonObject, channelId: string): void {
  const input = JSON.stringify(inputItems(req.json.input))
  const answer = JSON.stringify(response)
  const id = response.id as string
  store.save({
    id,
    conversationId: previous?.turn.conversationId ?? id,
    previousResponseId: previous?.turn.id ?? null,
    channelId,
    model: req.model,
    input,
    response: answer,
    conversationBytes: (previous?.turn.conversationBytes ?? 0) + Buffer.byteLength(input) + Buffer.byteLength(answer),
  })
}
