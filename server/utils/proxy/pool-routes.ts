import { anthropicToOpenAI } from '#server/utils/convert/anthropic-to-openai'
import { anthropicToResponses } from '#server/utils/convert/anthropic-to-responses'
import { openaiToAnthropic } from '#server/utils/convert/openai-to-anthropic'
import { compactionConverter, type CompactionForm } from '#server/utils/convert/responses-common/compaction'
import { createResponsesToAnthropic } from '#server/utils/convert/responses-to-anthropic'
import { createResponsesToChat } from '#server/utils/convert/responses-to-chat'
import type { ConversionWarning } from '#server/utils/convert/responses-common/types'
import { log } from '#server/utils/log'
import type { CompactionSealer } from '#server/utils/responses/compaction'
import { anthropicSse, openaiChatSse } from '#server/utils/sse/protocols'
import { responsesSse } from '#server/utils/sse/responses'
import type { ChannelRoute, PoolRoute } from './types'

const passthrough: ChannelRoute = { kind: 'passthrough' }
const toChat: ChannelRoute = { kind: 'convert', converter: anthropicToOpenAI, upstream: 'openai', upstreamSse: openaiChatSse }
const toMessages: ChannelRoute = { kind: 'convert', converter: openaiToAnthropic, upstream: 'anthropic', upstreamSse: anthropicSse }
const toResponses: ChannelRoute = { kind: 'convert', converter: anthropicToResponses, upstream: 'openai', upstreamSse: responsesSse }

/** What a Responses request loses on a converted channel (built-in tools, items it cannot read) is said in the console. */
const onWarning = (w: ConversionWarning) => log.warn(`[responses] ${w.message}`)
const responsesToChat: ChannelRoute = { kind: 'convert', converter: createResponsesToChat({ onWarning }), upstream: 'openai', upstreamSse: openaiChatSse }
const responsesToMessages: ChannelRoute = { kind: 'convert', converter: createResponsesToAnthropic({ onWarning }), upstream: 'anthropic', upstreamSse: anthropicSse }

/**
 * `POST /v1/messages`: Claude Messages, passed through to `claude` channels and converted for
 * OpenAI-compatible ones (`openaiold` takes the same path) and for `responses` ones (a model only
 * served by the Responses API). `openai_chat` (tools injected into the prompt) is not offered:
 * such channels get no traffic here.
 */
export const MESSAGES: PoolRoute = {
  pool: 'messages',
  endpoint: 'messages',
  protocol: 'anthropic',
  sse: anthropicSse,
  channels: { claude: passthrough, openai: toChat, openaiold: toChat, responses: toResponses },
  noChannelHint: 'No usable channel: add an active channel of type "claude", "openai" or "responses" with at least one API key (config.json "upstream", or POST /api/channels).',
}

/**
 * `POST /v1/messages/count_tokens`: only Anthropic answers it; otherwise the local estimate.
 * Many Claude-compatible providers lack it, so its answers never count against a channel.
 */
export const COUNT_TOKENS: PoolRoute = {
  ...MESSAGES,
  endpoint: 'messages/count_tokens',
  channels: { claude: passthrough },
  observeOnly: true,
}

/** `POST /v1/chat/completions`: passed through to OpenAI-compatible channels, converted for `claude`. */
export const CHAT_COMPLETIONS: PoolRoute = {
  pool: 'chat',
  endpoint: 'chat/completions',
  protocol: 'openai',
  sse: openaiChatSse,
  channels: { openai: passthrough, openai_chat: passthrough, openaiold: passthrough, claude: toMessages },
  noChannelHint: 'No usable channel: add an active channel to the chat pool (config.json "chatUpstream", or POST /api/chat/channels) with at least one API key.',
}

/**
 * `POST /v1/responses` (Codex, the OpenAI SDKs' `responses.*`): passed through to `responses`
 * channels with only `model` mapped, events relayed as they arrive; converted for Chat
 * (`openai`, `openaiold`) and `claude` channels, which always get a `previous_response_id`
 * conversation's history inline (responses/session.ts).
 */
export const RESPONSES: PoolRoute = {
  pool: 'responses',
  endpoint: 'responses',
  protocol: 'openai',
  sse: responsesSse,
  channels: {
    responses: passthrough,
    openai: responsesToChat,
    openaiold: responsesToChat,
    claude: responsesToMessages,
  },
  noChannelHint: 'No usable channel: add an active channel of type "responses", "openai" or "claude" to the responses pool (config.json "responsesUpstream", or POST /api/responses/channels) with at least one API key.',
}

/**
 * Codex's remote compaction, in either form (`compact`: `POST /v1/responses/compact`; `trigger`:
 * a `compaction_trigger` input item on `/v1/responses`): passed through to native channels, which
 * compact themselves; emulated on Chat and `claude` channels, whose model writes a summary that
 * goes back as one compaction item sealed under this cc-bridge's key. Built per request from
 * the services' sealer: compaction is rare, and the route then needs no state of its own.
 */
export function responsesCompactionRoute(sealer: CompactionSealer, form: CompactionForm): PoolRoute {
  const seal = sealer.seal.bind(sealer)
  const summarise = (route: ChannelRoute): ChannelRoute => route.kind === 'convert' ? { ...route, converter: compactionConverter(route.converter, form, seal) } : route
  const toChat = summarise(responsesToChat)
  return {
    ...RESPONSES,
    endpoint: form === 'compact' ? 'responses/compact' : RESPONSES.endpoint,
    channels: { responses: passthrough, openai: toChat, openaiold: toChat, claude: summarise(responsesToMessages) },
  }
}
