import type { JsonObject } from '../types'
import { asString } from '../values'

/**
 * Marks a thinking-block signature that cc-bridge made from a Responses reasoning item. Anthropic
 * signatures are plain base64, so this prefix can never start one.
 */
export const RESPONSES_SIGNATURE_PREFIX = 'ccbridge.responses.v1:'

/** What a Responses reasoning item needs to be replayed with `store: false`. */
export interface ReasoningState {
  id?: string
  encryptedContent: string
}

/**
 * A reasoning item's id and `encrypted_content` packed into a thinking signature, so Claude Code
 * carries the model's reasoning state to the next turn (it replays thinking blocks verbatim).
 * Undefined when the item has no encrypted content: without it the upstream, which keeps no
 * state, could not resume the reasoning, and cc-bridge never invents one.
 */
export function encodeReasoningSignature(item: JsonObject): string | undefined {
  const encrypted = asString(item.encrypted_content)
  if (!encrypted) return undefined
  return `${RESPONSES_SIGNATURE_PREFIX}${asString(item.id) ?? ''}:${encrypted}`
}

/** True for a signature made by {@link encodeReasoningSignature} (meaningless to Anthropic). */
export function isResponsesSignature(signature: unknown): boolean {
  return typeof signature === 'string' && signature.startsWith(RESPONSES_SIGNATURE_PREFIX)
}

/** The reasoning state inside a signature, or undefined for any other signature (Anthropic's, empty). */
export function decodeReasoningSignature(signature: unknown): ReasoningState | undefined {
  if (!isResponsesSignature(signature)) return undefined
  const packed = (signature as string).slice(RESPONSES_SIGNATURE_PREFIX.length)
  const colon = packed.indexOf(':')
  const encryptedContent = packed.slice(colon + 1)
  if (colon < 0 || !encryptedContent) return undefined
  return colon ? { id: packed.slice(0, colon), encryptedContent } : { encryptedContent }
}
