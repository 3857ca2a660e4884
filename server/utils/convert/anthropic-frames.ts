import { formatEvent } from '../sse/frames'
import type { JsonObject } from './types'

/**
 * Frames of an Anthropic Messages stream, shared by the converters that answer Anthropic
 * clients.
 */

/** An Anthropic SSE frame: `event:` equal to the JSON `type`, which the SDKs dispatch on. */
export function anthropicFrame(type: string, payload: JsonObject = {}): string {
  return formatEvent(type, JSON.stringify({ type, ...payload }))
}

/**
 * The `message_start` frame, sent before the upstream's first event: input usage is not known
 * yet (it comes with the closing `message_delta`), output 1 as Anthropic's own streams begin.
 */
export function messageStartFrame(id: string, model: string): string {
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
  }
  return anthropicFrame('message_start', { message })
}
