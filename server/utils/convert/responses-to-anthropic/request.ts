import type { ConvertContext, JsonObject } from '../types'
import { InvalidRequestError } from '../types'
import { hasText } from '../openai-to-anthropic/json'
import { DEFAULT_MAX_TOKENS, sampling, THINKING_BUDGETS } from '../openai-to-anthropic/request'
import type { ConvertedRequest } from '../responses-common/request'
import { readResponsesRequest } from '../responses-common/request'
import type { CompactionHook, ConversionWarning, ToolChoice } from '../responses-common/types'
import { asObject, asString } from '../values'
import { anthropicMessages } from './messages'

/**
 * Responses request → Anthropic Messages request. Instructions and every system/developer
 * message form `system`; `reasoning.effort` becomes a thinking budget (the ladder the Chat
 * client's converter uses); `user`, else `safety_identifier`, else `prompt_cache_key` (Codex's
 * thread id) becomes `metadata.user_id`. `text.format` has no portable Anthropic equivalent: a
 * JSON schema is asked for in the system prompt (with a warning, since it is not enforced).
 * `include`, `store`, `service_tier` and the other OpenAI-only fields stay behind.
 */
export function anthropicRequest(body: JsonObject, ctx: ConvertContext, compaction?: CompactionHook): ConvertedRequest {
  const read = readResponsesRequest(body, compaction)
  const warnings = [...read.warnings]
  const messages = anthropicMessages(read.conversation.turns)
  if (!messages.length) throw new InvalidRequestError('input must contain at least one user or assistant message', 'input')
  const system = [...read.conversation.system]
  const format = formatInstruction(asObject(asObject(body.text)?.format), warnings)
  if (format) system.push(format)
  const out: JsonObject = { model: ctx.upstreamModel, messages }
  if (system.some(hasText)) out.system = system.filter(hasText).map(text => ({ type: 'text', text }))

  const toolChoice = read.tools.length && (read.toolChoice || body.parallel_tool_calls === false)
    ? anthropicToolChoice(read.toolChoice ?? { type: 'auto' }, body.parallel_tool_calls)
    : undefined
  if (read.tools.length) {
    out.tools = read.tools.map(tool => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      input_schema: { type: 'object', ...tool.parameters },
    }))
    if (toolChoice) out.tool_choice = toolChoice
  }

  let maxTokens = typeof body.max_output_tokens === 'number' && Number.isInteger(body.max_output_tokens) && body.max_output_tokens > 0
    ? body.max_output_tokens
    : DEFAULT_MAX_TOKENS
  const budget = THINKING_BUDGETS[read.effort ?? '']
  // Anthropic refuses thinking with a forced tool, and a request that continues a tool turn must
  // replay that turn's signed thinking, which a reasoning summary cannot provide: thinking gives
  // way in both cases rather than the request failing.
  const forcesTool = toolChoice?.type === 'any' || toolChoice?.type === 'tool'
  const continuesToolTurn = messages.at(-1)?.content.some(b => b.type === 'tool_result') === true
  const thinking = budget !== undefined && !forcesTool && !continuesToolTurn
  if (thinking) {
    out.thinking = { type: 'enabled', budget_tokens: budget }
    // budget_tokens must stay below max_tokens; keep the client's limit as the answer's room.
    if (maxTokens <= budget) maxTokens += budget
  }
  out.max_tokens = maxTokens
  Object.assign(out, sampling(body, thinking))

  const user = asString(body.user) || asString(body.safety_identifier) || asString(body.prompt_cache_key)
  if (user) out.metadata = { user_id: user }
  if (ctx.stream) out.stream = true
  return { body: out, warnings, facts: read.facts }
}

function anthropicToolChoice(choice: ToolChoice, parallel: unknown): JsonObject {
  const out: JsonObject = choice.type === 'tool'
    ? { type: 'tool', name: choice.name }
    : { type: choice.type === 'required' ? 'any' : choice.type }
  if (parallel === false && out.type !== 'none') out.disable_parallel_tool_use = true
  return out
}

/** `text.format` as a system-prompt instruction (JSON mode / schema), or nothing for plain text. */
function formatInstruction(format: JsonObject | undefined, warnings: ConversionWarning[]): string | undefined {
  if (format?.type !== 'json_schema' && format?.type !== 'json_object') return undefined
  warnings.push({ kind: 'parameter', name: 'text.format', message: 'structured output is asked for in the system prompt on this channel, not enforced' })
  const schema = asObject(format.schema)
  return schema
    ? `Answer with one JSON value only, no other text, matching this JSON Schema:\n${JSON.stringify(schema)}`
    : 'Answer with one JSON value only, no other text.'
}
