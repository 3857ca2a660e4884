import type { ConvertContext, JsonObject, SseEvent, StreamConverter, Usage } from '../types'
import { formatEvent } from '../../sse/frames'
import { classifyError } from './errors'
import { JsonCompleteness } from './json-completeness'
import { anthropicToolId, toolArguments, type NewId } from './tool-calls'
import { anthropicUsage, estimatedUsage, matchedStop, stopReason, usageFromChat } from './usage'
import { asObject, asString } from '../values'

/** One upstream tool call, from its first fragment until its Anthropic block closes. */
interface ToolCall {
  upstreamId?: string
  name?: string
  /** Argument text not yet sent: it came before the name, or while another block was open. */
  pending: string
  json: JsonCompleteness
  /** Anthropic block index once the block has started. */
  index?: number
  closed: boolean
}

type OpenBlock = { kind: 'thinking' | 'text', index: number } | { kind: 'tool', index: number, call: ToolCall }

/** An Anthropic SSE frame: `event:` equal to the JSON `type`, which the SDKs dispatch on. */
function frame(body: JsonObject & { type: string }): string {
  return formatEvent(body.type, JSON.stringify(body))
}

// The frames sent per upstream event, written out as text: byte for byte what `frame` makes of
// the same object (same key order; an index is an integer, a string goes through JSON.stringify).
const TEXT_START = ',"content_block":{"type":"text","text":""}}\n\n'
const THINKING_START = ',"content_block":{"type":"thinking","thinking":"","signature":""}}\n\n'
const TEXT_DELTA = ',"delta":{"type":"text_delta","text":'
const THINKING_DELTA = ',"delta":{"type":"thinking_delta","thinking":'
const MESSAGE_STOP = formatEvent('message_stop', '{"type":"message_stop"}')

function messageStartFrame(id: string, model: string): string {
  const usage = '{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}'
  return `event: message_start\ndata: {"type":"message_start","message":{"id":${JSON.stringify(id)},"type":"message","role":"assistant","model":${JSON.stringify(model)},"content":[],"stop_reason":null,"stop_sequence":null,"usage":${usage}}}\n\n`
}

function blockStartFrame(index: number, kind: 'thinking' | 'text'): string {
  return `event: content_block_start\ndata: {"type":"content_block_start","index":${index}${kind === 'text' ? TEXT_START : THINKING_START}`
}

function blockDeltaFrame(index: number, kind: 'thinking' | 'text', text: string): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index}${kind === 'text' ? TEXT_DELTA : THINKING_DELTA}${JSON.stringify(text)}}}\n\n`
}

function argumentsFrame(index: number, partial: string): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(partial)}}}\n\n`
}

function blockStopFrame(index: number): string {
  return `event: content_block_stop\ndata: {"type":"content_block_stop","index":${index}}\n\n`
}

/**
 * OpenAI Chat chunks → Anthropic Messages SSE. One block is open at a time (reasoning →
 * `thinking`, content → `text`, each tool call → `tool_use`); tool arguments stream as
 * `input_json_delta` as soon as the call's name is known. Calls whose fragments interleave by
 * index are serialised: a waiting call's arguments are held until the streaming call's JSON is
 * complete. The closing `message_delta` waits for usage, which may come after `finish_reason`.
 *
 * Thinking blocks carry `signature: ""` and no `signature_delta`: a Chat upstream signs nothing,
 * and a forged signature would be rejected by a real Anthropic upstream on a later turn.
 */
class ChatToAnthropicStream implements StreamConverter {
  private started = false
  private ended = false
  private completed = false
  private nextIndex = 0
  private open?: OpenBlock
  private readonly calls: ToolCall[] = []
  private readonly callsByKey = new Map<string, ToolCall>()
  private lastCall?: ToolCall
  private toolBlocks = 0
  private finishReason?: string
  private stopSequence?: string
  private reported?: Usage
  private outputChars = 0

  constructor(private readonly ctx: ConvertContext, private readonly newId: NewId) {}

  get finished(): boolean {
    return this.completed
  }

  start(): string[] {
    if (this.started) return []
    this.started = true
    return [messageStartFrame(this.newId('msg'), this.ctx.requestModel)]
  }

  push(event: SseEvent): string[] {
    const out: string[] = []
    if (this.ended) return out
    if (!this.started) out.push(this.start()[0]!)
    const data = event.data.trim()
    if (data === '[DONE]') {
      this.close(out, 'upstream sent [DONE] without a finish reason')
      return out
    }
    let chunk: JsonObject | undefined
    try {
      chunk = asObject(JSON.parse(data))
    }
    catch {
      // Not JSON (an empty keep-alive `data:`, a provider's status text): carries no content.
      return out
    }
    if (!chunk) return out
    if ((chunk.error !== undefined && chunk.error !== null) || event.event === 'error') {
      const error = classifyError(undefined, chunk.error ?? chunk, 'upstream stream error')
      this.abort(out, error.type, error.message)
      return out
    }
    this.reported = usageFromChat(chunk.usage) ?? this.reported
    // Only the first choice is relayed: Anthropic has no `n`.
    const choice = firstChoice(chunk.choices)
    if (choice) {
      const delta = asObject(choice.delta)
      if (delta) this.delta(out, delta)
      const reason = asString(choice.finish_reason)
      if (reason) {
        this.finishReason = reason
        this.stopSequence = matchedStop(choice)
      }
    }
    // Content on the finish chunk was handled above; with usage known the turn can close now,
    // otherwise the usage-only chunk (`choices: []`), `[DONE]` or the end of the body closes it.
    if (this.finishReason && this.reported) this.complete(out)
    return out
  }

  end(): string[] {
    const out: string[] = []
    if (!this.ended) this.close(out, 'upstream stream ended without a finish reason')
    return out
  }

  fail(message: string): string[] {
    const out: string[] = []
    if (!this.ended) this.abort(out, 'api_error', message)
    return out
  }

  usage(): Usage {
    return this.reported ?? estimatedUsage(this.outputChars)
  }

  /** The turn is over: a proper end after a finish reason, else an error (never a fake end_turn). */
  private close(out: string[], reason: string): void {
    if (this.finishReason) this.complete(out)
    else this.abort(out, 'api_error', reason)
  }

  private delta(out: string[], delta: JsonObject): void {
    const reasoning = asString(delta.reasoning_content) || asString(delta.reasoning)
    if (reasoning) this.blockDelta(out, 'thinking', reasoning)
    const text = asString(delta.content) || asString(delta.refusal)
    if (text) this.blockDelta(out, 'text', text)
    const calls = delta.tool_calls
    if (!Array.isArray(calls)) return
    for (const raw of calls) {
      const fragment = asObject(raw)
      if (fragment) this.toolFragment(out, fragment)
    }
  }

  private blockDelta(out: string[], kind: 'thinking' | 'text', text: string): void {
    this.outputChars += text.length
    let open = this.open
    if (open?.kind !== kind) {
      this.closeOpen(out)
      open = { kind, index: this.nextIndex++ }
      this.open = open
      out.push(blockStartFrame(open.index, kind))
    }
    out.push(blockDeltaFrame(open.index, kind, text))
  }

  private toolFragment(out: string[], fragment: JsonObject): void {
    const call = this.callFor(fragment)
    const fn = asObject(fragment.function)
    call.upstreamId ??= asString(fragment.id) || undefined
    // Some providers repeat the name on every fragment; the first one counts.
    call.name ??= asString(fn?.name) || undefined
    if (call.closed) return
    const args = toolArguments(fn)
    this.outputChars += args.length
    call.pending += args
    call.json.feed(args)
    this.pump(out)
  }

  /**
   * The call a fragment belongs to: by `index`, else by `id`, else the latest call (providers
   * that send the id only on the first fragment and no index). An index reused with a new id
   * starts a new call, as some compatible servers number every call 0.
   */
  private callFor(fragment: JsonObject): ToolCall {
    const id = asString(fragment.id) || undefined
    const key = typeof fragment.index === 'number' ? `index:${fragment.index}` : id ? `id:${id}` : undefined
    let call = key ? this.callsByKey.get(key) ?? (id ? this.callsByKey.get(`id:${id}`) : undefined) : this.lastCall
    if (call && id && call.upstreamId && call.upstreamId !== id) call = undefined
    if (!call) {
      call = { pending: '', json: new JsonCompleteness(), closed: false }
      this.calls.push(call)
    }
    if (key) this.callsByKey.set(key, call)
    if (id) this.callsByKey.set(`id:${id}`, call)
    this.lastCall = call
    return call
  }

  /** Sends what can be sent: the streaming call's arguments, then hands over to a waiting call. */
  private pump(out: string[]): void {
    for (;;) {
      const current = this.open?.kind === 'tool' ? this.open.call : undefined
      if (current) {
        this.flushArguments(out, current)
        if (!current.json.complete || !this.waitingCall()) break
      }
      const next = this.waitingCall()
      if (!next) break
      this.openTool(out, next)
    }
  }

  /** The first named call whose block has not started. */
  private waitingCall(): ToolCall | undefined {
    return this.calls.find(c => c.name && c.index === undefined)
  }

  private openTool(out: string[], call: ToolCall): void {
    this.closeOpen(out)
    const index = this.nextIndex++
    call.index = index
    this.open = { kind: 'tool', index, call }
    this.toolBlocks++
    const block = { type: 'tool_use', id: anthropicToolId(call.upstreamId, this.newId), name: call.name, input: {} }
    out.push(frame({ type: 'content_block_start', index, content_block: block }))
    this.flushArguments(out, call)
  }

  private flushArguments(out: string[], call: ToolCall): void {
    if (!call.pending || call.index === undefined) return
    out.push(argumentsFrame(call.index, call.pending))
    call.pending = ''
  }

  private closeOpen(out: string[]): void {
    if (!this.open) return
    if (this.open.kind === 'tool') this.open.call.closed = true
    out.push(blockStopFrame(this.open.index))
    this.open = undefined
  }

  /** Closes the turn: remaining blocks (calls still waiting get theirs now), usage, stop reason. */
  private complete(out: string[]): void {
    for (let next = this.waitingCall(); next; next = this.waitingCall()) this.openTool(out, next)
    this.closeOpen(out)
    const usage = JSON.stringify(anthropicUsage(this.usage()))
    const stopped = stopReason(this.finishReason, this.toolBlocks > 0, this.stopSequence)
    const sequence = stopped === 'stop_sequence' ? JSON.stringify(this.stopSequence) : 'null'
    out.push(`event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":${JSON.stringify(stopped)},"stop_sequence":${sequence}},"usage":${usage}}\n\n`, MESSAGE_STOP)
    this.ended = true
    this.completed = true
  }

  private abort(out: string[], type: string, message: string): void {
    this.closeOpen(out)
    out.push(frame({ type: 'error', error: { type, message } }))
    this.ended = true
  }
}

/** The choice with index 0 (a missing index counts as 0), if any. */
function firstChoice(choices: unknown): JsonObject | undefined {
  if (!Array.isArray(choices)) return undefined
  for (const raw of choices) {
    const choice = asObject(raw)
    if (choice && (choice.index ?? 0) === 0) return choice
  }
  return undefined
}

/** A fresh converter for one OpenAI Chat stream answering an Anthropic Messages client. */
export function chatToAnthropicStream(ctx: ConvertContext, newId: NewId): StreamConverter {
  return new ChatToAnthropicStream(ctx, newId)
}
