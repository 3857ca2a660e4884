import { Stream } from '@anthropic-ai/sdk/core/streaming'
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream'
import { expect } from 'vitest'
import { sseEvents } from './anthropic-to-openai/helpers'

/** Checks shared by the converters that answer Anthropic clients. */

/** Parses emitted frames back into `[event name, data]` pairs. */
export function anthropicFrames(text: string): Array<[string | undefined, Record<string, unknown>]> {
  return sseEvents(text).map(e => [e.event, JSON.parse(e.data)])
}

/**
 * Asserts the shape Claude Code relies on: every frame named after its type, `message_start`
 * first, blocks opened in index order and never interleaved, all closed before the end, and an
 * explicit end (`message_stop` or `error`).
 */
export function expectWellFormedAnthropicStream(text: string): void {
  const open = new Set<number>()
  let next = 0
  const all = anthropicFrames(text)
  for (const [event, data] of all) {
    expect(event).toBe(data.type)
    if (data.type === 'content_block_start') {
      expect(open.size).toBe(0)
      expect(data.index).toBe(next++)
      open.add(data.index as number)
    }
    if (data.type === 'content_block_delta') expect(open.has(data.index as number)).toBe(true)
    if (data.type === 'content_block_stop') expect(open.delete(data.index as number)).toBe(true)
    if (data.type === 'message_delta' || data.type === 'error') expect(open.size).toBe(0)
  }
  expect(all[0]?.[0]).toBe('message_start')
  expect(['message_stop', 'error']).toContain(all.at(-1)?.[0])
}

/** Parses converter output with the official SDK's SSE reader and message accumulator. */
export function sdkMessageStream(sse: string): MessageStream {
  const events = Stream.fromSSEResponse(new Response(sse), new AbortController())
  return MessageStream.fromReadableStream(events.toReadableStream())
}

/**
 * The content blocks a client assembles from the frames: deltas concatenated, tool input parsed
 * from its `input_json_delta` fragments. Asserts every frame is named after its type.
 */
export function assembledBlocks(text: string): Array<Record<string, unknown>> {
  const blocks: Array<Record<string, unknown>> = []
  const json: string[] = []
  for (const [event, d] of anthropicFrames(text)) {
    expect(event).toBe(d.type)
    const index = d.index as number
    const delta = d.delta as Record<string, string> | undefined
    if (d.type === 'content_block_start') blocks[index] = { ...(d.content_block as object) }
    if (d.type === 'content_block_start') json[index] = ''
    if (delta?.type === 'text_delta') blocks[index]!.text += delta.text!
    if (delta?.type === 'thinking_delta') blocks[index]!.thinking += delta.thinking!
    if (delta?.type === 'signature_delta') blocks[index]!.signature += delta.signature!
    if (delta?.type === 'input_json_delta') json[index] += delta.partial_json!
  }
  return blocks.map((b, i) => (b.type === 'tool_use' ? { ...b, input: json[i] ? JSON.parse(json[i]!) : {} } : b))
}
