import type { ConvertContext, JsonObject } from '../types'
import { systemText } from '../anthropic-to-openai/messages'
import { reasoningEffort } from '../anthropic-to-openai/request'
import { asArray, asObject, asString } from '../values'
import { inputItems } from './input'

/** OpenAI rejects `max_output_tokens` below 16; Claude Code's probes ask for as little as 1. */
const MIN_OUTPUT_TOKENS = 16
/** OpenAI's limit for `user`, `safety_identifier` and `prompt_cache_key`. */
const MAX_KEY = 64

/**
 * Anthropic Messages request → OpenAI Responses request. The upstream keeps no state
 * (`store: false`): the whole conversation goes in `input` every turn, as Codex does, and the
 * reasoning state travels in thinking signatures (see `reasoning-signature.ts`).
 *
 * Dropped on purpose: `stop_sequences` (Responses has no stop parameter; the model simply runs
 * to its natural end), `top_k`, `cache_control` (OpenAI caches prefixes by itself; the
 * `prompt_cache_key` below keeps one user's requests on the same cache), betas and server tools.
 */
export function responsesRequest(body: JsonObject, ctx: ConvertContext): JsonObject {
  const out: JsonObject = { model: ctx.upstreamModel }
  const instructions = systemText(body.system)
  if (instructions) out.instructions = instructions
  out.input = inputItems(body.messages)
  if (typeof body.max_tokens === 'number') out.max_output_tokens = Math.max(MIN_OUTPUT_TOKENS, body.max_tokens)
  if (typeof body.temperature === 'number') out.temperature = body.temperature
  if (typeof body.top_p === 'number') out.top_p = body.top_p
  Object.assign(out, toolFields(body), reasoningFields(body), textFormat(body))
  const user = asString(asObject(body.metadata)?.user_id)?.slice(0, MAX_KEY)
  // Claude Code's id leads with the user (or device) hash, so the cut keeps it stable per user.
  if (user) {
    out.user = user
    out.prompt_cache_key = user
  }
  out.store = false
  if (ctx.stream) out.stream = true
  return out
}

function toolFields(body: JsonObject): JsonObject {
  const tools = asArray(body.tools).flatMap((raw) => {
    const tool = asObject(raw)
    const schema = asObject(tool?.input_schema)
    // Server tools (web_search_…, bash_…) have a versioned `type` and no schema: nothing to call.
    if (!tool || !schema || !asString(tool.name) || (tool.type && tool.type !== 'custom')) return []
    const parameters = { ...schema }
    delete parameters.$schema
    // Strict mode (the Responses default) needs every property required and no extra keys,
    // which Claude Code's schemas do not promise.
    const fn: JsonObject = { type: 'function', name: tool.name, parameters, strict: false }
    if (asString(tool.description)) fn.description = tool.description
    return [fn]
  })
  if (!tools.length) return {}
  const out: JsonObject = { tools }
  const choice = asObject(body.tool_choice)
  const mapped = choice?.type === 'tool' && asString(choice.name)
    ? { type: 'function', name: choice.name }
    : ({ auto: 'auto', any: 'required', none: 'none' } as Record<string, string>)[asString(choice?.type) ?? '']
  if (mapped) out.tool_choice = mapped
  if (choice?.disable_parallel_tool_use === true) out.parallel_tool_calls = false
  return out
}

/**
 * Thinking on (enabled, adaptive, or an explicit effort) asks for reasoning summaries, which
 * become thinking blocks, and for the encrypted reasoning, which rides in their signatures.
 * Adaptive sends no effort: the model's default is the adaptive choice. Without thinking no
 * `reasoning` is sent, so non-reasoning models on the channel keep working.
 */
function reasoningFields(body: JsonObject): JsonObject {
  const effort = reasoningEffort(body)
  const type = asString(asObject(body.thinking)?.type)
  if (!effort && type !== 'enabled' && type !== 'adaptive') return {}
  return {
    reasoning: effort ? { effort, summary: 'auto' } : { summary: 'auto' },
    include: ['reasoning.encrypted_content'],
  }
}

/** `output_config.format` (structured output) → `text.format`. */
function textFormat(body: JsonObject): JsonObject {
  const format = asObject(asObject(body.output_config)?.format)
  const schema = asObject(format?.schema)
  if (format?.type !== 'json_schema' || !schema) return {}
  return { text: { format: { type: 'json_schema', name: 'output', schema, strict: false } } }
}
