/** Anthropic rejects blank text blocks, so every text we emit goes through this test. */
export function hasText(text: unknown): text is string {
  return typeof text === 'string' && text.trim() !== ''
}

/** Seconds since the epoch, the unit of OpenAI's `created`. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}
