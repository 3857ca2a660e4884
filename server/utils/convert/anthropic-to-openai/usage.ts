import type { Usage } from '../types'
import { CHARS_PER_TOKEN } from '../../tokens/estimate'
import { asCount, asObject } from '../values'

/**
 * Chat usage in Anthropic's terms. `prompt_tokens` includes cache hits, Anthropic's
 * `input_tokens` does not, so the hits are moved to `cache_read_input_tokens` (OpenAI reports
 * them as `prompt_tokens_details.cached_tokens`, DeepSeek also as `prompt_cache_hit_tokens`).
 * Chat has no cache-write count. Undefined when the upstream sent no usage object.
 */
export function usageFromChat(value: unknown): Usage | undefined {
  const usage = asObject(value)
  if (!usage) return undefined
  const details = asObject(usage.prompt_tokens_details)
  const cached = typeof details?.cached_tokens === 'number' ? asCount(details.cached_tokens) : asCount(usage.prompt_cache_hit_tokens)
  const reasoning = asObject(usage.completion_tokens_details)?.reasoning_tokens
  return {
    inputTokens: Math.max(0, asCount(usage.prompt_tokens) - cached),
    outputTokens: asCount(usage.completion_tokens),
    cacheReadInputTokens: cached,
    cacheCreationInputTokens: 0,
    // Reasoning models count their thinking inside completion_tokens and say how much of it there was.
    ...(asCount(reasoning) > 0 ? { reasoningTokens: asCount(reasoning) } : {}),
    estimated: false,
  }
}

/**
 * Usage for an upstream that reported none: output from the generated characters. Input stays 0
 * because the converter only sees the response; the caller may know better from the request.
 */
export function estimatedUsage(outputChars: number): Usage {
  return {
    inputTokens: 0,
    outputTokens: Math.ceil(outputChars / CHARS_PER_TOKEN),
    cacheReadInputTokens: 0,
    cacheCreationInputTokens: 0,
    estimated: true,
  }
}

/** The `usage` object of an Anthropic message / `message_delta`. */
export function anthropicUsage(usage: Usage): Record<string, number> {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheCreationInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
    output_tokens: usage.outputTokens,
  }
}

/**
 * Chat `finish_reason` → Anthropic `stop_reason`. A truncated turn stays `max_tokens` even with
 * tool calls (their arguments may be cut off); otherwise any emitted tool call makes it
 * `tool_use`, since some providers say `stop` after calling tools and Claude Code only runs
 * tools on `tool_use`. `tool_calls` without any call is treated as a plain end of turn.
 */
export function stopReason(finishReason: string | undefined, hasToolUse: boolean, matchedStop?: string): string {
  if (finishReason === 'length') return 'max_tokens'
  if (hasToolUse) return 'tool_use'
  if (finishReason === 'content_filter') return 'refusal'
  if (finishReason === 'stop' && matchedStop !== undefined) return 'stop_sequence'
  return 'end_turn'
}

/**
 * The stop string that ended a choice, where the provider says: vLLM puts it in the choice's
 * `stop_reason`, SGLang in `matched_stop` (both use numbers for stop tokens, which are not
 * stop sequences). OpenAI itself never says, so its stops read as `end_turn`.
 */
export function matchedStop(choice: Record<string, unknown> | undefined): string | undefined {
  const value = choice?.stop_reason ?? choice?.matched_stop
  return typeof value === 'string' && value ? value : undefined
}
