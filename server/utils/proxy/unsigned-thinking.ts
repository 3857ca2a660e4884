import { isResponsesSignature } from '#server/utils/convert/anthropic-to-responses/reasoning-signature'
import type { JsonObject } from '#server/utils/convert/types'

type Block = { type?: unknown, signature?: unknown }

/** Thinking Anthropic cannot verify: none of its own signature, or a Responses reasoning item carried in one. */
const unsigned = (b: Block) => b?.type === 'thinking' && (!b.signature || isResponsesSignature(b.signature))

/**
 * Drops thinking blocks without an Anthropic signature from a Messages request bound for
 * Anthropic. They come from turns a converted (non-Anthropic) channel answered: cc-bridge never
 * mints Anthropic signatures, and a `responses` channel's reasoning travels in a signature of
 * its own; Anthropic rejects them ("Invalid signature in thinking block"), so a
 * conversation that fails over to a Claude channel would break. Returns undefined when there
 * is nothing to drop, so the common case forwards the client's bytes untouched.
 */
export function dropUnsignedThinking(json: JsonObject, model: string): string | undefined {
  if (!Array.isArray(json.messages)) return undefined
  const affected = (m: { role?: unknown, content?: unknown }) => m?.role === 'assistant' && Array.isArray(m.content) && m.content.some(unsigned)
  if (!json.messages.some(affected)) return undefined
  const messages = json.messages.map((m: { content?: Block[] }) =>
    affected(m) ? { ...m, content: m.content!.filter(b => !unsigned(b)) } : m)
  return JSON.stringify({ ...json, model, messages })
}
