import type { ConvertContext, JsonObject } from '../types'
import { chatMessages, systemText } from './messages'
import { asArray, asObject, asString } from '../values'

/** OpenAI accepts at most 4 stop strings. */
const MAX_STOP = 4
/** OpenAI documents 64 characters for end-user ids (`safety_identifier`, which replaced `user`). */
const MAX_USER_ID = 64

/**
 * `thinking.budget_tokens` → `reasoning_effort`: below 4k tokens is a light think, below 16k a
 * normal one, beyond that the deepest effort most providers offer.
 */
const LOW_BUDGET = 4096
const MEDIUM_BUDGET = 16384

/** Anthropic `output_config.effort` → Chat `reasoning_effort`; `max` has no portable equivalent. */
const EFFORTS: Record<string, string> = { low: 'low', medium: 'medium', high: 'high', xhigh: 'high', max: 'high' }

/**
 * Anthropic Messages request → OpenAI Chat Completions request. Only fields with a Chat meaning
 * are sent; unknown and Anthropic-only ones (`top_k`, `cache_control`, `context_management`,
 * betas) are dropped rather than forwarded to an upstream that would reject them.
 */
export function chatRequest(body: JsonObject, ctx: ConvertContext, replayReasoning: boolean): JsonObject {
  const system = systemText(body.system)
  const out: JsonObject = {
    model: ctx.upstreamModel,
    messages: [...(system ? [{ role: 'system', content: system }] : []), ...chatMessages(body.messages, replayReasoning)],
  }
  // `max_tokens`, not `max_completion_tokens`: most OpenAI-compatible providers (DeepSeek, Qwen,
  // GLM, vLLM, Ollama) only know the older name, and OpenAI still accepts it for chat models.
  if (typeof body.max_tokens === 'number') out.max_tokens = body.max_tokens
  if (typeof body.temperature === 'number') out.temperature = body.temperature
  if (typeof body.top_p === 'number') out.top_p = body.top_p
  const stop = asArray(body.stop_sequences).filter(s => typeof s === 'string' && s)
  if (stop.length) out.stop = stop.slice(0, MAX_STOP)
  Object.assign(out, toolFields(body, fn => ({ type: 'function', function: fn }), name => ({ type: 'function', function: { name } })))
  const effort = reasoningEffort(body)
  if (effort) out.reasoning_effort = effort
  const user = asString(asObject(body.metadata)?.user_id)
  // Claude Code's id leads with the user hash; truncation keeps it stable per user.
  if (user) out.user = user.slice(0, MAX_USER_ID)
  if (ctx.stream) {
    out.stream = true
    // Without this a Chat stream carries no usage and the request would be logged as free.
    out.stream_options = { include_usage: true }
  }
  return out
}

/**
 * The tool fields of an OpenAI request (Chat or Responses): client tools as functions, the tool
 * choice and `parallel_tool_calls`. `wrap` shapes one `{name, description?, parameters}` and
 * `named` a forced tool choice in the target API's shape. None without client tools.
 */
export function toolFields(body: JsonObject, wrap: (fn: JsonObject) => JsonObject, named: (name: string) => JsonObject): JsonObject {
  const tools = asArray(body.tools).flatMap((raw) => {
    const tool = asObject(raw)
    const schema = asObject(tool?.input_schema)
    // Server tools (web_search_…, bash_…) have a versioned `type` and no schema: nothing to call.
    if (!tool || !schema || !asString(tool.name) || (tool.type && tool.type !== 'custom')) return []
    // `$schema` is the one keyword strict validators (Gemini-backed and some vLLM gateways)
    // reject; everything else is kept so the model sees the schema Claude Code wrote.
    const parameters = { ...schema }
    delete parameters.$schema
    const fn: JsonObject = { name: tool.name, parameters }
    if (asString(tool.description)) fn.description = tool.description
    return [fn]
  }).map(wrap)
  if (!tools.length) return {}
  const out: JsonObject = { tools }
  const choice = asObject(body.tool_choice)
  const mapped = choice?.type === 'tool' && asString(choice.name)
    ? named(choice.name as string)
    : ({ auto: 'auto', any: 'required', none: 'none' } as Record<string, string>)[asString(choice?.type) ?? '']
  if (mapped) out.tool_choice = mapped
  if (choice?.disable_parallel_tool_use === true) out.parallel_tool_calls = false
  return out
}

/**
 * The reasoning effort an Anthropic request asks for: `output_config.effort` first, else
 * `thinking.budget_tokens` banded; undefined for adaptive, disabled or absent thinking.
 */
export function reasoningEffort(body: JsonObject): string | undefined {
  const effort = EFFORTS[asString(asObject(body.output_config)?.effort) ?? '']
  if (effort) return effort
  const thinking = asObject(body.thinking)
  // `adaptive` leaves the depth to the model: Claude Code sends it for every unrecognised model
  // id, and non-reasoning OpenAI models reject `reasoning_effort`, so it maps to nothing.
  if (thinking?.type !== 'enabled') return undefined
  const budget = typeof thinking.budget_tokens === 'number' ? thinking.budget_tokens : 0
  return budget < LOW_BUDGET ? 'low' : budget < MEDIUM_BUDGET ? 'medium' : 'high'
}
