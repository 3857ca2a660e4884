/** Anthropic rejects blank text blocks, so every text we emit goes through this test. */
export function hasText(text: unknown): text is string {
  return typeof text === 'string' && text.trim() !== ''
}

/** The clock's time in whole seconds since the epoch, the unit of OpenAI's `created`. */
export function unixSeconds(now: () => number): number {
  return Math.floor(now() / 1000)
}
