import { listModels, passesModelsThrough, servingChannels } from '#server/utils/models/list'
import { upstreamModelsOf } from '#server/utils/models/upstream-cache'
import { estimateInputTokens } from '#server/utils/tokens/estimate'
import { forwardToPool } from './forward-to-pool'
import { CHAT_COMPLETIONS, COUNT_TOKENS, MESSAGES } from './pool-routes'
import type { ProxyCall } from './types'

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
  await forwardToPool(call, COUNT_TOKENS, (result) => {
    const f = result.failure
    if (f && f.status < 500 && !NO_COUNT_TOKENS.has(f.status)) return false
    const res = call.event.node.res
    res.writeHead(200, { 'content-type': 'application/json', 'x-cc-bridge-estimate': 'chars/3.5' })
    res.end(JSON.stringify({ input_tokens: estimateInputTokens(call.body!.json) }))
    return true
  })
}

/** `GET /v1/models`: what the config can serve, in a list both the Anthropic and the OpenAI SDK accept. */
export async function models(call: ProxyCall): Promise<void> {
  const { event, services } = call
  const q = event.path.indexOf('?')
  const limit = Number(new URLSearchParams(q < 0 ? '' : event.path.slice(q + 1)).get('limit'))
  const { config } = services.config.get()
  const upstream = await upstreamModelsOf(servingChannels(config).filter(passesModelsThrough))
  const body = listModels(config, upstream, Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_MODELS) : MAX_MODELS, services.pricing.exportedModels())
  event.node.res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}
