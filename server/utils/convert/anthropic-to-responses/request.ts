import type { ConvertContext, JsonObject } from '../types'
import { systemText } from '../anthropic-to-openai/messages'
import { reasoningEffort, toolFields } from '../anthropic-to-openai/request'
import { asObject, asString } from '../values'
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
  // Strict mode (the Responses default) needs every property required and no extra keys, which
  // Claude Code's schemas do not promise.
  const tools = toolFields(body, fn => ({ type: 'function', ...fn, strict: false }), name => ({ type: 'function', name }))
  Object.assign(out, tools, reasoningFields(body), textFormat(body))
  const user = userKey(body.metadata)
  if (user) {
    out.user = user
    out.prompt_cache_key = user
  }
  out.store = false
  if (ctx.stream) out.stream = true
  return out
}

/**
 * The user part of Claude Code's `metadata.user_id`, cut to OpenAI's 64 characters: newer builds
 * send JSON `{device_id, account_uuid, session_id}`, older ones `user_<hash>_account_…_session_…`
 * (whose cut keeps the hash). Keyed per user, not per session, one user's sessions share the
 * upstream's prompt cache for their common prefix (system prompt and tools).
 */
function userKey(metadata: unknown): string | undefined {
  const raw = asString(asObject(metadata)?.user_id)
  if (!raw) return undefined
  let parsed: JsonObject | undefined
  try {
    parsed = asObject(JSON.parse(raw))
  }
  catch {
    // Not JSON: the older plain form.
  }
  const id = parsed ? asString(parsed.account_uuid) || asString(parsed.device_id) : raw
  return id?.slice(0, MAX_KEY) || undefined
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
