import type { ConvertContext, JsonObject, NewId, Usage } from '#server/utils/convert/types'
import { unixSeconds } from './json'
import { isObject } from '#server/utils/convert/values'

/** Anthropic `stop_reason` → Chat `finish_reason`; `pause_turn` reads as a stop. */
export function finishReason(stopReason: unknown): string {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return 'tool_calls'
    case 'refusal':
      return 'content_filter'
    default:
      return 'stop'
  }
}

/**
 * A `chatcmpl-` id derived from the Anthropic message id, so logs on both sides correlate; from a
 * freshly minted one when the upstream sent none.
 */
export function chatId(messageId: unknown, newId: NewId): string {
  const id = typeof messageId === 'string' && messageId ? messageId : newId('msg')
  return `chatcmpl-${id.replace(/^msg_/, '')}`
}

/** Anthropic's usage counts and where `readUsage` puts them (one table, not one per call: usage is read per event). */
const USAGE_FIELDS = [
  ['input_tokens', 'inputTokens'],
  ['output_tokens', 'outputTokens'],
  ['cache_read_input_tokens', 'cacheReadInputTokens'],
  ['cache_creation_input_tokens', 'cacheCreationInputTokens'],
] as const

/** Reads Anthropic usage fields present in `raw` over `into` (stream totals are cumulative: last value wins). */
export function readUsage(raw: unknown, into: Usage): void {
  if (!isObject(raw)) return
  for (const [wire, key] of USAGE_FIELDS) {
    const value = raw[wire]
    if (typeof value === 'number') {
      into[key] = value
      into.estimated = false
    }
  }
  const hour = isObject(raw.cache_creation) ? raw.cache_creation.ephemeral_1h_input_tokens : undefined
  if (typeof hour === 'number' && hour > 0) into.cacheCreation1hInputTokens = hour
}

/** An empty usage record, flagged as estimated until the upstream reports numbers. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: true }
}

/** Usage of a non-streaming Anthropic message, in Anthropic's terms. */
export function messageUsage(body: JsonObject): Usage {
  const usage = emptyUsage()
  readUsage(body.usage, usage)
  return usage
}

/** Chat usage: prompt tokens include cache reads and writes; cached_tokens is the read part. */
export function chatUsage(usage: Usage): JsonObject {
  const prompt = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadInputTokens },
  }
}

/**
 * Anthropic message → `chat.completion`. Text blocks join into `content` (null when the turn is
 * only tool calls); thinking text goes to `reasoning_content` for clients that read it;
 * signatures, redacted thinking and server-tool blocks have no Chat equivalent and are dropped.
 */
export function convertResponse(body: JsonObject, ctx: ConvertContext, newId: NewId, now: () => number): JsonObject {
  const blocks = Array.isArray(body.content) ? body.content.filter(isObject) : []
  const texts = blocks.filter(b => b.type === 'text' && typeof b.text === 'string').map(b => b.text as string)
  const thinking = blocks.filter(b => b.type === 'thinking' && typeof b.thinking === 'string').map(b => b.thinking as string).join('')
  const toolCalls = blocks.filter(b => b.type === 'tool_use').map(b => ({
    id: b.id,
    type: 'function',
    function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) },
  }))
  const message: JsonObject = {
    role: 'assistant',
    content: texts.length || !toolCalls.length ? texts.join('') : null,
    refusal: null,
  }
  if (toolCalls.length) message.tool_calls = toolCalls
  if (thinking) message.reasoning_content = thinking
  return {
    id: chatId(body.id, newId),
    object: 'chat.completion',
    created: unixSeconds(now),
    model: ctx.requestModel,
    choices: [{ index: 0, message, finish_reason: finishReason(body.stop_reason), logprobs: null }],
    usage: chatUsage(messageUsage(body)),
  }
}
