/**
 * Provider wordings of "max_tokens is above this model's output limit", each capturing the limit:
 * DeepSeek's range, OpenAI's "at most N completion tokens", Anthropic's "max_tokens: X > N", and
 * the generic "must be less than or equal to N".
 */
const LIMIT_PATTERNS = [
  /valid range of max_tokens is \[\s*\d+\s*,\s*(\d+)\s*\]/i,
  /supports at most (\d+) completion tokens/i,
  /max_tokens:\s*\d+\s*>\s*(\d+)/i,
  /max_(?:completion_)?tokens\b[^.]*?(?:less than or equal to|<=|at most|maximum(?: value)? (?:is|of))\s*(\d+)/i,
]

/** The output-token limit an upstream's 400 names, when it is one of the known wordings. */
export function parseOutputLimit(errorBody: string): number | undefined {
  for (const pattern of LIMIT_PATTERNS) {
    const n = Number(pattern.exec(errorBody)?.[1])
    if (Number.isInteger(n) && n > 0) return n
  }
  return undefined
}

/**
 * What each (channel, upstream model) accepts as `max_tokens`, learnt from its own 400s.
 * Claude Code asks for 32,000 output tokens for any model it does not know, which DeepSeek
 * (8,192), gpt-4o (16,384) and others refuse; once a channel said its limit, requests are
 * clamped to it instead of failing. Kept in memory: a restart relearns it with one refusal.
 */
export class OutputLimits {
  private limits = new Map<string, number>()

  private static key(channelId: string, model: string): string {
    return `${channelId}\u0000${model}`
  }

  get(channelId: string, model: string): number | undefined {
    return this.limits.get(OutputLimits.key(channelId, model))
  }

  /** Records the limit a 400 named; false when it names none or nothing would change. */
  learn(channelId: string, model: string, errorBody: string, requested: number | undefined): boolean {
    const limit = parseOutputLimit(errorBody)
    if (limit === undefined || requested === undefined || requested <= limit) return false
    this.limits.set(OutputLimits.key(channelId, model), limit)
    return true
  }
}
