import type { ConvertContext, JsonObject, SseEvent, StreamConverter, Usage } from '../types'
import { errorMessageOf } from '../../http/upstream-error'
import { openaiError, statusOfType } from '../openai-to-anthropic/error'
import { unixSeconds } from '../openai-to-anthropic/json'
import { emptyUsage, readUsage } from '../openai-to-anthropic/response'
import type { Minting } from '../responses-common/converter'
import type { StreamItem } from '../responses-common/events'
import { ResponsesWriter } from '../responses-common/events'
import type { RequestFacts } from '../responses-common/types'
import { asObject, asString } from '../values'
import { anthropicOutcome } from './response'

/** A tool_use block whose start carried its whole input (some compatible upstreams) and no deltas followed. */
interface StartInput {
  input: unknown
  streamed: boolean
}

/**
 * Anthropic SSE → a Responses event stream. Each content block becomes one output item as it
 * starts: thinking → reasoning (streamed as its summary), text → message, tool_use →
 * `function_call` / `custom_tool_call` whose arguments stream as `input_json_delta` arrives;
 * `content_block_stop` closes the item with its done events. `message_stop` ends the turn with
 * `response.completed` (or `response.incomplete` after a `max_tokens` stop); an `error` event,
 * or a body that ends before `message_stop`, ends it with `response.failed`.
 */
class AnthropicToResponsesStream implements StreamConverter {
  private readonly writer: ResponsesWriter
  private completed = false
  private stopReason: unknown
  private readonly blocks = new Map<number, StreamItem>()
  private readonly startInputs = new Map<number, StartInput>()
  private readonly reported: Usage = emptyUsage()
  /**
   * The last block that stopped, closed when the next block starts or the stop reason arrives:
   * a block cut off by `max_tokens` stops like any other, and only the later `message_delta`
   * tells that its item is incomplete (and, for a tool call, must not be run).
   */
  private stopped?: StreamItem

  constructor(ctx: ConvertContext, private readonly facts: RequestFacts, private readonly mint: Minting) {
    this.writer = new ResponsesWriter(ctx.requestModel, unixSeconds(mint.now), mint.newId)
  }

  get finished(): boolean {
    return this.completed
  }

  start(): string[] {
    this.writer.start()
    return this.writer.take()
  }

  push(event: SseEvent): string[] {
    if (this.writer.closed) return []
    this.writer.start()
    let data: JsonObject | undefined
    try {
      data = asObject(JSON.parse(event.data))
    }
    catch {
      return this.abort(502, undefined, 'upstream sent a malformed stream event')
    }
    if (!data) return this.abort(502, undefined, 'upstream sent a malformed stream event')
    const index = typeof data.index === 'number' ? data.index : -1
    switch (data.type ?? event.event) {
      case 'message_start':
        readUsage(asObject(data.message)?.usage, this.reported)
        break
      case 'content_block_start':
        this.closeStopped()
        this.blockStart(index, asObject(data.content_block) ?? {})
        break
      case 'content_block_delta':
        this.blockDelta(index, asObject(data.delta) ?? {})
        break
      case 'content_block_stop':
        this.blockStop(index)
        break
      case 'message_delta':
        readUsage(data.usage, this.reported)
        this.stopReason = asObject(data.delta)?.stop_reason ?? this.stopReason
        if (this.stopReason !== undefined && anthropicOutcome(this.stopReason).status === 'completed') this.closeStopped()
        break
      case 'message_stop':
        // A block still open here was cut off by a length stop; the writer reports it so.
        this.completed = true
        this.writer.finish(anthropicOutcome(this.stopReason), this.reported)
        break
      case 'error': {
        const error = asObject(data.error)
        const type = asString(error?.type)
        return this.abort(statusOfType(type), type, errorMessageOf(error) ?? 'upstream stream error')
      }
    }
    return this.writer.take()
  }

  end(): string[] {
    if (this.writer.closed) return []
    return this.abort(502, undefined, 'upstream stream ended before message_stop')
  }

  fail(message: string): string[] {
    if (this.writer.closed) return []
    return this.abort(500, undefined, message)
  }

  usage(): Usage {
    return { ...this.reported }
  }

  private blockStart(index: number, block: JsonObject): void {
    if (block.type === 'text' || block.type === 'thinking') {
      const item = this.writer.openText(block.type === 'text' ? 'message' : 'reasoning')
      this.blocks.set(index, item)
      this.writer.textDelta(item, asString(block.type === 'text' ? block.text : block.thinking) ?? '')
    }
    else if (block.type === 'tool_use') {
      const name = asString(block.name) ?? ''
      const callId = asString(block.id) || this.mint.newId('call')
      this.blocks.set(index, this.writer.openCall({ callId, name, custom: this.facts.customTools.has(name) }))
      this.startInputs.set(index, { input: block.input, streamed: false })
    }
    // redacted_thinking and server-tool blocks have no Responses item here.
  }

  private blockDelta(index: number, delta: JsonObject): void {
    const item = this.blocks.get(index)
    if (!item?.open) return
    if (item.kind === 'call') {
      const fragment = asString(delta.partial_json)
      if (delta.type !== 'input_json_delta' || !fragment) return
      this.startInputs.get(index)!.streamed = true
      this.writer.callDelta(item, fragment)
      return
    }
    const text = asString(item.kind === 'message' ? delta.text : delta.thinking)
    if (text) this.writer.textDelta(item, text)
  }

  private blockStop(index: number): void {
    const item = this.blocks.get(index)
    if (!item) return
    const start = this.startInputs.get(index)
    if (item.kind === 'call' && !start?.streamed) {
      const input = asObject(start?.input)
      this.writer.callDelta(item, JSON.stringify(input ?? {}))
    }
    this.closeStopped()
    this.stopped = item
  }

  private closeStopped(): void {
    if (this.stopped) this.writer.close(this.stopped)
    this.stopped = undefined
  }

  private abort(status: number, type: string | undefined, message: string): string[] {
    this.writer.fail(openaiError(status, type, message).error.code ?? 'server_error', message, this.reported.estimated ? undefined : this.reported)
    return this.writer.take()
  }
}

/** A fresh converter for one Anthropic stream answering a Responses client. */
export function anthropicToResponsesStream(ctx: ConvertContext, facts: RequestFacts, mint: Minting): StreamConverter {
  return new AnthropicToResponsesStream(ctx, facts, mint)
}
