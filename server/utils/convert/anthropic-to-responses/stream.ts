import type { ConvertContext, JsonObject, NewId, SseEvent, StreamConverter } from '../types'
import { errorMessageOf } from '../../http/upstream-error'
import { anthropicFrame as frame } from '../anthropic-frames'
import { AnthropicStreamBase } from '../anthropic-stream-base'
import { classifyError } from '../anthropic-to-openai/errors'
import { anthropicToolId } from '../anthropic-to-openai/tool-calls'
import { anthropicUsage } from '../anthropic-to-openai/usage'
import { asArray, asObject, asString } from '../values'
import { encodeReasoningSignature } from './reasoning-signature'
import { messageItemText, reasoningItemText } from './response'
import { stopReasonOf, usageFromResponses } from './usage'

/** Summary parts are separate paragraphs of one thinking block. */
const PARAGRAPH = '\n\n'

/** One upstream output item, from its first event until its Anthropic block closes. */
interface Item {
  kind: 'thinking' | 'text' | 'tool'
  /** Tool blocks: the call id and name (a call without a name never opens). */
  callId?: string
  name?: string
  /** A freeform (`custom_tool_call`) input: raw text, sent as the JSON string of `{input}`. */
  freeform?: boolean
  /** Everything received so far, to complete it from the final item when deltas were missing. */
  received: string
  /** Received but not yet sent: the item's block is not open yet. */
  pending: string
  /** The last reasoning summary part seen, to put a paragraph break between parts. */
  summaryIndex?: number
  /** A thinking block's signature, known once the reasoning item is done. */
  signature?: string
  done: boolean
  /** Anthropic block index once opened. */
  index?: number
  closed: boolean
}

const KINDS: Record<string, Item['kind']> = { reasoning: 'thinking', message: 'text', function_call: 'tool', custom_tool_call: 'tool' }

/**
 * OpenAI Responses events → Anthropic Messages SSE. Each output item becomes one block, in
 * output order (reasoning → `thinking`, message → `text`, function call → `tool_use`); deltas
 * are sent as they arrive. Items stream one after another upstream; should one interleave with
 * another, its deltas wait until the earlier item's block has closed. A thinking block stays
 * open until its reasoning item is done, because only then is its `encrypted_content` known,
 * which becomes the block's `signature_delta`.
 */
class ResponsesToAnthropicStream extends AnthropicStreamBase implements StreamConverter {
  private readonly items: Item[] = []
  /** Items by output index; undefined for items without a block (built-in tool calls). */
  private readonly byOutputIndex = new Map<number, Item | undefined>()
  /** The output index of the latest item, for a provider that leaves it off its deltas. */
  private lastOutputIndex = 0
  /** The first item whose block has not closed; blocks open strictly in output order. */
  private cursor = 0
  private open?: Item
  private toolBlocks = 0

  push(event: SseEvent): string[] {
    if (this.ended) return []
    const out = this.start()
    const data = this.parse(event.data)
    if (!data) return out
    const type = asString(data.type) ?? event.event
    if (type === 'error' || event.event === 'error') {
      // Live streams nest the error (`{"type":"error","error":{…}}`); the reference puts it on top.
      const error = asObject(data.error) ?? data
      return [...out, ...this.abort(error, 'upstream stream error')]
    }
    out.push(...this.handle(type, data))
    return out
  }

  end(): string[] {
    if (this.ended) return []
    return this.abort(undefined, 'upstream stream ended before response.completed')
  }

  fail(message: string): string[] {
    if (this.ended) return []
    return this.abort(undefined, message)
  }

  private handle(type: string | undefined, data: JsonObject): string[] {
    const outputIndex = typeof data.output_index === 'number' ? data.output_index : undefined
    const delta = asString(data.delta) ?? ''
    switch (type) {
      case 'response.output_item.added':
        this.itemAt(outputIndex ?? this.byOutputIndex.size, asObject(data.item))
        return this.pump()
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        return this.receive(this.itemAt(outputIndex, { type: 'message' }), delta)
      case 'response.reasoning_summary_text.delta':
        return this.summaryDelta(this.itemAt(outputIndex, { type: 'reasoning' }), data.summary_index, delta)
      case 'response.reasoning_text.delta':
        return this.receive(this.itemAt(outputIndex, { type: 'reasoning' }), delta)
      case 'response.function_call_arguments.delta':
        return this.receive(this.itemAt(outputIndex, { type: 'function_call' }), delta)
      case 'response.custom_tool_call_input.delta':
        return this.receive(this.itemAt(outputIndex, { type: 'custom_tool_call' }), delta)
      case 'response.output_item.done':
        return this.itemDone(outputIndex, asObject(data.item))
      case 'response.completed':
      case 'response.incomplete':
        return this.complete(asObject(data.response))
      case 'response.failed': {
        const response = asObject(data.response)
        return this.abort(asObject(response?.error), 'upstream response failed')
      }
      default:
        // created, in_progress, part/summary bookkeeping, `.done` texts (the final item carries
        // them too), built-in tool progress and event types yet unknown carry nothing to send.
        return []
    }
  }

  /**
   * The item at an output index, created from the upstream item (or, when a provider skipped
   * `output_item.added`, from the kind its first delta implies). Undefined for items without an
   * Anthropic block (built-in tool calls), whose events are then ignored.
   */
  private itemAt(outputIndex: number | undefined, upstream: JsonObject | undefined): Item | undefined {
    const key = outputIndex ?? this.lastOutputIndex
    this.lastOutputIndex = key
    if (this.byOutputIndex.has(key)) return this.byOutputIndex.get(key)
    const kind = KINDS[asString(upstream?.type) ?? '']
    const item: Item | undefined = kind && { kind, received: '', pending: '', done: false, closed: false }
    if (item) {
      if (kind === 'tool') this.describeCall(item, upstream!)
      this.items.push(item)
    }
    this.byOutputIndex.set(key, item)
    return item
  }

  private describeCall(item: Item, upstream: JsonObject): void {
    item.callId ??= asString(upstream.call_id) || asString(upstream.id) || undefined
    item.name ??= asString(upstream.name) || undefined
    item.freeform = upstream.type === 'custom_tool_call'
  }

  private receive(item: Item | undefined, text: string): string[] {
    if (!item || item.done || !text) return []
    this.append(item, text)
    return this.pump()
  }

  private append(item: Item, text: string): void {
    this.outputChars += text.length
    item.received += text
    item.pending += text
  }

  private summaryDelta(item: Item | undefined, summaryIndex: unknown, text: string): string[] {
    if (!item || !text) return []
    const index = typeof summaryIndex === 'number' ? summaryIndex : 0
    const next = item.received && item.summaryIndex !== undefined && index !== item.summaryIndex
    item.summaryIndex = index
    return this.receive(item, next ? `${PARAGRAPH}${text}` : text)
  }

  private itemDone(outputIndex: number | undefined, upstream: JsonObject | undefined): string[] {
    const item = this.itemAt(outputIndex, upstream)
    if (item && upstream) this.finish(item, upstream)
    return this.pump()
  }

  /** The final item: whatever its deltas left out is queued, and its block may close. */
  private finish(item: Item, upstream: JsonObject): void {
    if (item.done) return
    if (item.kind === 'tool') this.describeCall(item, upstream)
    const full = item.kind === 'thinking'
      ? reasoningItemText(upstream)
      : item.kind === 'text' ? messageItemText(upstream) : asString(upstream.arguments) ?? asString(upstream.input) ?? ''
    if (full.length > item.received.length && full.startsWith(item.received)) this.append(item, full.slice(item.received.length))
    if (item.kind === 'thinking') item.signature = encodeReasoningSignature(upstream)
    item.done = true
  }

  /** Sends what can be sent: the open block's deltas, then the next items' blocks in order. */
  private pump(): string[] {
    const out: string[] = []
    for (;;) {
      const open = this.open
      if (open) {
        out.push(...this.flush(open))
        if (!open.done) break
        out.push(...this.closeOpen())
      }
      const next = this.items[this.cursor]
      if (!next) break
      if (!this.openable(next)) {
        if (!next.done) break
        // Done with nothing to show (an empty message, reasoning without summary or state).
        next.closed = true
        this.cursor++
        continue
      }
      out.push(...this.openBlock(next))
    }
    return out
  }

  private openable(item: Item): boolean {
    if (item.kind === 'tool') return item.name !== undefined
    return item.pending !== '' || item.signature !== undefined
  }

  private openBlock(item: Item): string[] {
    const index = this.nextIndex++
    item.index = index
    this.open = item
    let block: JsonObject
    if (item.kind === 'tool') {
      this.toolBlocks++
      block = { type: 'tool_use', id: anthropicToolId(item.callId, this.newId), name: item.name, input: {} }
    }
    else {
      block = item.kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' }
    }
    const out = [frame('content_block_start', { index, content_block: block })]
    if (item.freeform) out.push(this.delta(item, { type: 'input_json_delta', partial_json: '{"input":"' }))
    return out
  }

  private flush(item: Item): string[] {
    if (!item.pending) return []
    const text = item.pending
    item.pending = ''
    switch (item.kind) {
      case 'text':
        return [this.delta(item, { type: 'text_delta', text })]
      case 'thinking':
        return [this.delta(item, { type: 'thinking_delta', thinking: text })]
      default:
        // Freeform input is a JSON string's contents: escaped piece by piece, it stays valid.
        return [this.delta(item, { type: 'input_json_delta', partial_json: item.freeform ? JSON.stringify(text).slice(1, -1) : text })]
    }
  }

  private delta(item: Item, delta: JsonObject): string {
    return frame('content_block_delta', { index: item.index, delta })
  }

  private closeOpen(): string[] {
    const item = this.open
    if (!item) return []
    const out = this.flush(item)
    if (item.signature) out.push(this.delta(item, { type: 'signature_delta', signature: item.signature }))
    if (item.freeform) out.push(this.delta(item, { type: 'input_json_delta', partial_json: '"}' }))
    out.push(frame('content_block_stop', { index: item.index }))
    item.closed = true
    this.open = undefined
    this.cursor++
    return out
  }

  /**
   * The response is over: every item's block is sent and closed, then usage and stop reason.
   * Items whose final event never came are completed from the response's `output`, so a
   * provider that streams little (or only this event) still delivers everything.
   */
  private complete(response: JsonObject | undefined): string[] {
    asArray(response?.output).forEach((raw, outputIndex) => {
      const upstream = asObject(raw)
      const item = upstream && this.itemAt(outputIndex, upstream)
      if (item) this.finish(item, upstream!)
    })
    for (const item of this.items) item.done = true
    const out = this.pump()
    this.reported = usageFromResponses(response?.usage) ?? this.reported
    const usage = anthropicUsage(this.usage())
    const delta = { stop_reason: stopReasonOf(response, this.toolBlocks > 0), stop_sequence: null }
    out.push(frame('message_delta', { delta, usage }), frame('message_stop'))
    this.ended = true
    this.completed = true
    return out
  }

  /**
   * Ends with Anthropic's `event: error` after closing the open block (never a fake end). The
   * upstream's error code picks the type: rate limits and quota → rate_limit_error, overloads →
   * overloaded_error, a context overflow → invalid_request_error in Anthropic's wording.
   */
  private abort(error: JsonObject | undefined, fallback: string): string[] {
    const out = this.closeOpen()
    const mapped = classifyError(undefined, error, errorMessageOf(error) ?? fallback)
    out.push(frame('error', { error: { type: mapped.type, message: mapped.message } }))
    this.ended = true
    return out
  }
}

/** A fresh converter for one OpenAI Responses stream answering an Anthropic Messages client. */
export function responsesToAnthropicStream(ctx: ConvertContext, newId: NewId): StreamConverter {
  return new ResponsesToAnthropicStream(ctx, newId)
}
