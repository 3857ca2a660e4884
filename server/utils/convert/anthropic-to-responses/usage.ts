import type { Usage } from '../types'
import { asCount, asObject } from '../values'

/**
 * Responses usage in Anthropic's terms. `input_tokens` includes cache hits (and, where a provider
 * reports them as `cache_write_tokens`, cache writes); Anthropic's `input_tokens` excludes both,
 * so they move to the cache fields. Reasoning tokens stay inside `output_tokens`, as Anthropic
 * counts thinking, and are reported beside it. Undefined when the upstream sent no usage.
 */
export function usageFromResponses(value: unknown): Usage | undefined {
  const usage = asObject(value)
  if (!usage) return undefined
  const input = asObject(usage.input_tokens_details)
  const cached = asCount(input?.cached_tokens)
  const written = asCount(input?.cache_write_tokens)
  const reasoning = asObject(usage.output_tokens_details)?.reasoning_tokens
  return {
    inputTokens: Math.max(0, asCount(usage.input_tokens) - cached - written),
    outputTokens: asCount(usage.output_tokens),
    cacheReadInputTokens: cached,
    cacheCreationInputTokens: written,
    ...(typeof reasoning === 'number' ? { reasoningTokens: asCount(reasoning) } : {}),
    estimated: false,
  }
}

/**
 * A finished response's status → Anthropic `stop_reason`. Responses has no finish reason: a
 * tool turn is one that produced calls, and only an incomplete response says why it stopped.
 * A response cut by the token limit stays `max_tokens` even with calls (their arguments may be
 * cut off); a content-filter stop is a `refusal`.
 */
export function stopReasonOf(response: Record<string, unknown> | undefined, hasToolUse: boolean): string {
  if (response?.status === 'incomplete') {
    const reason = asObject(response.incomplete_details)?.reason
    if (reason === 'max_output_tokens') return 'max_tokens'
    if (reason === 'content_filter') return 'refusal'
  }
  return hasToolUse ? 'tool_use' : 'end_turn'
}
