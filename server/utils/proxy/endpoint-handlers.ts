import { listModels, passesModelsThrough, servingChannels } from '#server/utils/models/list'
import { upstreamModelsOf } from '#server/utils/models/upstream-cache'
import { createResponseCapture } from '#server/utils/responses/capture'
import { InputItemsQueryError, inputItemsList } from '#server/utils/responses/input-items'
import { hasCompactionTrigger } from '#server/utils/responses/compaction'
import { keepTurn, loadPreviousTurn, requestForTarget, withCompactionsOpened } from '#server/utils/responses/session'
import { estimateInputTokens } from '#server/utils/tokens/estimate'
import { canonicalPath, pathParams } from './paths'
import { forwardToPool } from './forward-to-pool'
import { ProxyError } from './pipeline'
import { CHAT_COMPLETIONS, COUNT_TOKENS, MESSAGES, RESPONSES, responsesCompactionRoute } from './pool-routes'
import type { ParsedRequest, ProxyCall } from './types'

/** Status codes that mean "this upstream has no count_tokens", not "your request is wrong". */
const NO_COUNT_TOKENS = new Set([404, 405, 501])
/** The most models one `/v1/models` answer lists. */
const MAX_MODELS = 1000

/** `POST /v1/messages`. */
export async function messages(call: ProxyCall): Promise<void> {
  await forwardToPool(call, MESSAGES)
}

/** `POST /v1/chat/completions`. */
export async function chatCompletions(call: ProxyCall): Promise<void> {
  await forwardToPool(call, CHAT_COMPLETIONS)
}

/**
 * `POST /v1/messages/count_tokens`: a Claude channel's count, or a local estimate when no
 * channel can answer (marked by `x-cc-bridge-estimate`). A client error is the client's.
 */
export async function countTokens(call: ProxyCall): Promise<void> {
  await forwardToPool(call, COUNT_TOKENS, { fallback: (result) => {
    const f = result.failure
    if (f && f.status < 500 && !NO_COUNT_TOKENS.has(f.status)) return false
    const res = call.event.node.res
    res.writeHead(200, { 'content-type': 'application/json', 'x-cc-bridge-estimate': 'chars/3.5' })
    res.end(JSON.stringify({ input_tokens: estimateInputTokens(call.body!.json) }))
    return true
  } })
}

function query(call: ProxyCall): URLSearchParams {
  const q = call.event.path.indexOf('?')
  return new URLSearchParams(q < 0 ? '' : call.event.path.slice(q + 1))
}

/** The `:param` values of the request path under its endpoint's pattern. */
function params(call: ProxyCall): Record<string, string> {
  return pathParams(call.endpoint.path, canonicalPath(call.event.path.split('?', 1)[0]!)) ?? {}
}

function sendJson(call: ProxyCall, status: number, body: string): void {
  call.event.node.res.writeHead(status, { 'content-type': 'application/json' }).end(body)
}

async function modelList(call: ProxyCall, limit: number) {
  const { config } = call.services.config.get()
  const upstream = await upstreamModelsOf(servingChannels(config).filter(passesModelsThrough))
  return listModels(config, upstream, limit, call.services.pricing.exportedModels())
}

/**
 * `GET /v1/models`: what the config can serve, in a list both the Anthropic and the OpenAI SDK
 * accept. Codex asks with `?client_version=…` and reads a `models` array of its own catalog
 * entries, each carrying its base prompt and tool settings; an empty one keeps Codex on its
 * built-in catalog, which knows those settings, where guessed entries would override them.
 */
export async function models(call: ProxyCall): Promise<void> {
  const q = query(call)
  const limit = Number(q.get('limit'))
  const body = await modelList(call, Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_MODELS) : MAX_MODELS)
  sendJson(call, 200, JSON.stringify(q.has('client_version') ? { ...body, models: [] } : body))
}

/** `GET /v1/models/{id}`: one entry of the list above, or a 404. */
export async function model(call: ProxyCall): Promise<void> {
  const { id } = params(call)
  const found = (await modelList(call, MAX_MODELS)).data.find(m => m.id === id)
  if (!found) throw new ProxyError(404, `The model '${id}' does not exist or no channel serves it`)
  sendJson(call, 200, JSON.stringify(found))
}

/**
 * `POST /v1/responses`. A `previous_response_id` is looked up in the session store first; a
 * request with `store: false` (Codex, which sends its whole history every turn) touches the
 * store neither way and is forwarded as parsed. Compaction items this cc-bridge sealed are
 * opened into their summaries before any channel sees them; a `compaction_trigger` item takes
 * the compaction route (emulated on converted channels). The turn is kept as the client sent it.
 */
export async function responses(call: ProxyCall): Promise<void> {
  const { responseSessions: store, env } = call.services
  const sent = call.body!
  const opened = withCompactionsOpened(sent, await loadPreviousTurn(store, sent, env.responsesSessionMaxBytes), call.services.compaction)
  const { req, previous } = opened
  const route = hasCompactionTrigger(req.json) ? responsesCompactionRoute(call.services.compaction(), 'trigger') : RESPONSES
  const capture = req.json.store === false ? undefined : createResponseCapture()
  const result = await forwardToPool({ ...call, body: req }, route, { tap: capture, requestFor: previous && requestForTarget(req, previous, route) })
  const response = result.end === 'completed' && result.channelId ? capture?.result() : undefined
  if (response) keepTurn(store, sent, previous, response, result.channelId!)
}

/**
 * `POST /v1/responses/compact`: Codex's remote compaction, passed through to native channels
 * and emulated on converted ones (a summary sealed into one compaction item).
 */
export async function compactResponse(call: ProxyCall): Promise<void> {
  const { req } = withCompactionsOpened(withoutStream(call.body!), undefined, call.services.compaction)
  await forwardToPool({ ...call, body: req }, responsesCompactionRoute(call.services.compaction(), 'compact'))
}

/** The request without `stream`: `/responses/compact` answers one JSON object, never a stream. */
function withoutStream(req: ParsedRequest): ParsedRequest {
  if (!('stream' in req.json)) return req
  const { stream: _stream, ...json } = req.json
  return { ...req, json, stream: false, raw: Buffer.from(JSON.stringify(json)) }
}

const notStored = (id: string) => new ProxyError(404, `No response with id '${id}' found: it is unknown here, was deleted, or expired (RESPONSES_SESSION_TTL).`)

/** `GET /v1/responses/{id}`: a stored response object, as the client first received it. */
export async function retrieveResponse(call: ProxyCall): Promise<void> {
  const { id } = params(call)
  const turn = await call.services.responseSessions.get(id!)
  if (!turn) throw notStored(id!)
  sendJson(call, 200, turn.response)
}

/** `GET /v1/responses/{id}/input_items`: the stored turn's own input items, as OpenAI lists them. */
export async function listInputItems(call: ProxyCall): Promise<void> {
  const { id } = params(call)
  const turn = await call.services.responseSessions.get(id!)
  if (!turn) throw notStored(id!)
  const q = query(call)
  try {
    const list = inputItemsList(turn.id, JSON.parse(turn.input) as unknown[], { limit: q.get('limit'), order: q.get('order'), after: q.get('after') })
    sendJson(call, 200, JSON.stringify(list))
  }
  catch (err) {
    if (err instanceof InputItemsQueryError) throw new ProxyError(400, err.message)
    throw err
  }
}

/** `DELETE /v1/responses/{id}`: forgets a stored response (a continuation from it then gets a 404). */
export async function deleteResponse(call: ProxyCall): Promise<void> {
  const { id } = params(call)
  if (!await call.services.responseSessions.delete(id!)) throw notStored(id!)
  sendJson(call, 200, JSON.stringify({ id, object: 'response', deleted: true }))
}

/**
 * `GET /v1/responses`: only ever a WebSocket upgrade (Codex's Responses-over-WebSocket), which
 * cc-bridge does not speak. Refused at once with 426, never retried or delayed, so Codex falls
 * back to HTTP without its start-up wait.
 */
export async function refuseResponsesWebSocket(call: ProxyCall): Promise<void> {
  const upgrade = String(call.event.node.req.headers.upgrade ?? '').toLowerCase()
  if (upgrade !== 'websocket') throw new ProxyError(405, 'Method GET is not allowed on /v1/responses; use POST', { allow: 'POST' })
  throw new ProxyError(426, 'cc-bridge serves the Responses API over HTTP only, not WebSocket: use POST /v1/responses (in Codex, set supports_websockets = false for this provider)', { connection: 'close' })
}
