import type { ConvertContext, JsonObject } from '#server/utils/convert/types'
import { InvalidRequestError } from '#server/utils/convert/types'
import { isObject } from '#server/utils/convert/values'
import { convertMessages } from './messages'

/**
 * `max_tokens` when the client sets none (Anthropic requires it). 8192 is the largest output
 * every Claude model still served accepts (Claude 3.5 Haiku's ceiling), so the default never
 * causes a 400 on its own; clients wanting longer answers say so with `max_completion_tokens`.
 */
export const DEFAULT_MAX_TOKENS = 8192

/**
 * `reasoning_effort` → `thinking.budget_tokens`. Anthropic's minimum is 1024; the ladder follows
 * the ranges providers document for these efforts (low ≈ 1–2k, medium ≈ 4–8k, high ≈ 16k+), and xhigh matches
 * Claude Code's largest preset. `none` and unknown values leave thinking off.
 */
export const THINKING_BUDGETS: Readonly<Record<string, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32000,
}

/**
 * Chat Completions request → Anthropic Messages request. Only fields with a meaning upstream are
 * sent; `response_format`, `seed`, `logprobs`, `service_tier`, `prompt_cache_key` and the like
 * are dropped (Anthropic's structured output needs a beta and a different schema contract).
 * Throws `InvalidRequestError` for inputs this channel cannot honour.
 */
export function convertRequest(body: JsonObject, ctx: ConvertContext): JsonObject {
  if (typeof body.n === 'number' && body.n > 1) throw new InvalidRequestError('n > 1 is not supported by this channel', 'n')
  const { system, messages } = convertMessages(body.messages)
  const out: JsonObject = { model: ctx.upstreamModel, messages }
  if (system.length) out.system = system

  const tools = convertTools(body.tools)
  const toolChoice = tools ? convertToolChoice(body.tool_choice, body.parallel_tool_calls) : undefined
  if (tools) out.tools = tools
  if (toolChoice) out.tool_choice = toolChoice

  let maxTokens = tokenLimit(body.max_completion_tokens, 'max_completion_tokens') ?? tokenLimit(body.max_tokens, 'max_tokens') ?? DEFAULT_MAX_TOKENS
  const budget = typeof body.reasoning_effort === 'string' ? THINKING_BUDGETS[body.reasoning_effort] : undefined
  // Anthropic refuses thinking together with a forced tool; the forced tool is the client's hard
  // requirement, reasoning only a quality knob, so thinking gives way.
  const forcesTool = toolChoice?.type === 'any' || toolChoice?.type === 'tool'
  const thinking = budget !== undefined && !forcesTool
  if (thinking) {
    out.thinking = { type: 'enabled', budget_tokens: budget }
    // budget_tokens must stay below max_tokens; keep the client's limit as the answer's room.
    if (maxTokens <= budget) maxTokens += budget
  }
  out.max_tokens = maxTokens
  Object.assign(out, sampling(body, thinking))

  const stop = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop : []
  const stopSequences = stop.filter((s: unknown) => typeof s === 'string' && s !== '')
  if (stopSequences.length) out.stop_sequences = stopSequences

  const user = body.user ?? body.safety_identifier
  if (typeof user === 'string' && user) out.metadata = { user_id: user }
  if (body.stream === true) out.stream = true
  return out
}

function tokenLimit(value: unknown, param: string): number | undefined {
  if (value == null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new InvalidRequestError(`${param} must be a positive integer`, param)
  return value
}

/**
 * Chat temperature runs 0–2, Anthropic's 0–1: values above 1 are clamped rather than halved, so
 * the common 0–1 settings keep their meaning. Thinking forbids temperature and allows top_p only
 * in 0.95–1. Newer Claude models reject temperature and top_p together, so temperature wins.
 */
export function sampling(body: JsonObject, thinking: boolean): JsonObject {
  const out: JsonObject = {}
  const temperature = typeof body.temperature === 'number' ? Math.min(Math.max(body.temperature, 0), 1) : undefined
  if (temperature !== undefined && !thinking) out.temperature = temperature
  if (typeof body.top_p === 'number' && out.temperature === undefined && (!thinking || body.top_p >= 0.95)) out.top_p = body.top_p
  return out
}

function convertTools(tools: unknown): JsonObject[] | undefined {
  if (tools == null) return undefined
  if (!Array.isArray(tools)) throw new InvalidRequestError('tools must be an array', 'tools')
  if (!tools.length) return undefined
  return tools.map((tool: unknown, i) => {
    const fn = isObject(tool) && (tool.type ?? 'function') === 'function' && isObject(tool.function) ? tool.function : undefined
    if (!fn || typeof fn.name !== 'string') throw new InvalidRequestError(`tools[${i}]: only function tools with a name are supported by this channel`, `tools[${i}]`)
    const out: JsonObject = { name: fn.name }
    if (typeof fn.description === 'string' && fn.description) out.description = fn.description
    // Anthropic requires an object schema; a function without parameters takes no input.
    out.input_schema = isObject(fn.parameters) ? { type: 'object', ...fn.parameters } : { type: 'object', properties: {} }
    return out
  })
}

function convertToolChoice(choice: unknown, parallel: unknown): JsonObject | undefined {
  let out: JsonObject | undefined
  if (choice === 'auto') out = { type: 'auto' }
  else if (choice === 'required') out = { type: 'any' }
  else if (choice === 'none') out = { type: 'none' }
  else if (isObject(choice) && choice.type === 'function' && isObject(choice.function) && typeof choice.function.name === 'string') {
    out = { type: 'tool', name: choice.function.name }
  }
  else if (choice != null) throw new InvalidRequestError('tool_choice must be "auto", "required", "none" or a named function', 'tool_choice')
  if (parallel === false && out?.type !== 'none') out = { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true }
  return out
}
