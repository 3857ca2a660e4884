import type { JsonObject } from '../convert/types'

const MARKER = '"signature":""'

/**
 * Drops thinking blocks without a signature from a Messages request bound for Anthropic.
 * They come from turns a converted (non-Anthropic) channel answered, since cc-bridge never
 * mints signatures; Anthropic rejects them ("Invalid signature in thinking block"), so a
 * conversation that fails over to a Claude channel would break. Returns undefined when there
 * is nothing to drop, so the common case forwards the client's bytes untouched.
 */
export function dropUnsignedThinking(text: string, json: JsonObject, model: string): string | undefined {
  if (!text.includes(MARKER) || !Array.isArray(json.messages)) return undefined
  let dropped = false
  const messages = json.messages.map((m: unknown) => {
    const msg = m as { role?: unknown, content?: unknown }
    if (msg.role !== 'assistant' || !Array.isArray(msg.content)) return m
    const content = msg.content.filter((b: { type?: unknown, signature?: unknown }) => !(b?.type === 'thinking' && !b.signature))
    if (content.length === msg.content.length) return m
    dropped = true
    return { ...msg, content }
  })
  return dropped ? JSON.stringify({ ...json, model, messages }) : undefined
}
