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

// The frames sent per upstream event, written out as text: byte for byte what `anthropicFrame`
// makes of the same object (same key order; an index is an integer, a string goes through
// JSON.stringify), without building and serialising an object per event.
const START_USAGE = '{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}'
const TEXT_START = ',"content_block":{"type":"text","text":""}}\n\n'
const THINKING_START = ',"content_block":{"type":"thinking","thinking":"","signature":""}}\n\n'
const TEXT_DELTA = ',"delta":{"type":"text_delta","text":'
const THINKING_DELTA = ',"delta":{"type":"thinking_delta","thinking":'

/**
 * The `message_start` frame, sent before the upstream's first event: input usage is not known
 * yet (it comes with the closing `message_delta`), output 1 as Anthropic's own streams begin.
 */
export function messageStartFrame(id: string, model: string): string {
  return `event: message_start\ndata: {"type":"message_start","message":{"id":${JSON.stringify(id)},"type":"message","role":"assistant","model":${JSON.stringify(model)},"content":[],"stop_reason":null,"stop_sequence":null,"usage":${START_USAGE}}}\n\n`
}

/** `content_block_start` of an empty text or thinking block. */
export function blockStartFrame(index: number, kind: 'thinking' | 'text'): string {
  return `event: content_block_start\ndata: {"type":"content_block_start","index":${index}${kind === 'text' ? TEXT_START : THINKING_START}`
}

/** A `text_delta` or `thinking_delta`. */
export function blockDeltaFrame(index: number, kind: 'thinking' | 'text', text: string): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index}${kind === 'text' ? TEXT_DELTA : THINKING_DELTA}${JSON.stringify(text)}}}\n\n`
}

/** An `input_json_delta` with a fragment of a tool call's arguments. */
export function argumentsFrame(index: number, partial: string): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(partial)}}}\n\n`
}

/** `content_block_stop`. */
export function blockStopFrame(index: number): string {
  return `event: content_block_stop\ndata: {"type":"content_block_stop","index":${index}}\n\n`
}
