import type { ConvertContext, JsonObject, NewId, SseEvent, StreamConverter } from '../types'
import { errorMessageOf } from '../../http/upstream-error'
import { anthropicFrame as frame, argumentsFrame, blockDeltaFrame, blockStartFrame, blockStopFrame } from '../anthropic-frames'
import { AnthropicStreamBase } from '../anthropic-stream-base'
import { classifyError } from './errors'
import { JsonCompleteness } from './json-completeness'
import { anthropicToolId, ChatToolCalls, toolArguments } from './tool-calls'
import { anthropicUsage, matchedStop, stopReason, usageFromChat } from './usage'
import { asArray, asObject, asString } from '../values'

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
class ChatToAnthropicStream extends AnthropicStreamBase implements StreamConverter {
  private open?: OpenBlock
  private readonly calls = new ChatToolCalls<ToolCall>(() => ({ pending: '', json: new JsonCompleteness(), closed: false }))
  private toolBlocks = 0
  private finishReason?: string
  private stopSequence?: string

  push(event: SseEvent): string[] {
    if (this.ended) return []
    const out = this.start()
    const data = event.data.trim()
    if (data === '[DONE]') return [...out, ...this.close('upstream sent [DONE] without a finish reason')]
    const chunk = this.parse(data)
    if (!chunk) return out
    if ((chunk.error !== undefined && chunk.error !== null) || event.event === 'error') {
      const raw = chunk.error ?? chunk
      const error = classifyError(undefined, asObject(raw), errorMessageOf(raw) ?? 'upstream stream error')
      return [...out, ...this.abort(error.type, error.message)]
    }
    this.reported = usageFromChat(chunk.usage) ?? this.reported
    // Only the first choice is relayed: Anthropic has no `n`.
    const choice = asArray(chunk.choices).map(asObject).find(c => c && (c.index ?? 0) === 0)
    if (choice) {
      out.push(...this.delta(asObject(choice.delta)))
      const reason = asString(choice.finish_reason)
      if (reason) {
        this.finishReason = reason
        this.stopSequence = matchedStop(choice)
      }
    }
    // Content on the finish chunk was handled above; with usage known the turn can close now,
    // otherwise the usage-only chunk (`choices: []`), `[DONE]` or the end of the body closes it.
    if (this.finishReason && this.reported) out.push(...this.complete())
    return out
  }

  end(): string[] {
    if (this.ended) return []
    return this.close('upstream stream ended without a finish reason')
  }

  fail(message: string): string[] {
    if (this.ended) return []
    return this.abort('api_error', message)
  }

  /** The turn is over: a proper end after a finish reason, else an error (never a fake end_turn). */
  private close(reason: string): string[] {
    return this.finishReason ? this.complete() : this.abort('api_error', reason)
  }

  private delta(delta: JsonObject | undefined): string[] {
    if (!delta) return []
    const out: string[] = []
    const reasoning = asString(delta.reasoning_content) || asString(delta.reasoning)
    if (reasoning) out.push(...this.blockDelta('thinking', reasoning))
    const text = asString(delta.content) || asString(delta.refusal)
    if (text) out.push(...this.blockDelta('text', text))
    for (const raw of asArray(delta.tool_calls)) {
      const fragment = asObject(raw)
      if (fragment) out.push(...this.toolFragment(fragment))
    }
    return out
  }

  private blockDelta(kind: 'thinking' | 'text', text: string): string[] {
    this.outputChars += text.length
    const out: string[] = []
    if (this.open?.kind !== kind) {
      out.push(...this.closeOpen())
      const index = this.nextIndex++
      this.open = { kind, index }
      out.push(blockStartFrame(index, kind))
    }
    out.push(blockDeltaFrame(this.open!.index, kind, text))
    return out
  }

  private toolFragment(fragment: JsonObject): string[] {
    const call = this.calls.of(fragment)
    const fn = asObject(fragment.function)
    call.upstreamId ??= asString(fragment.id) || undefined
    // Some providers repeat the name on every fragment; the first one counts.
    call.name ??= asString(fn?.name) || undefined
    if (call.closed) return []
    const args = toolArguments(fn)
    this.outputChars += args.length
    call.pending += args
    call.json.feed(args)
    return this.pump()
  }

  /** Sends what can be sent: the streaming call's arguments, then hands over to a waiting call. */
  private pump(): string[] {
    const out: string[] = []
    for (;;) {
      const current = this.open?.kind === 'tool' ? this.open.call : undefined
      if (current) {
        out.push(...this.flushArguments(current))
        if (!current.json.complete || !this.waitingCall()) break
      }
      const next = this.waitingCall()
      if (!next) break
      out.push(...this.openTool(next))
    }
    return out
  }

  /** The first named call whose block has not started. */
  private waitingCall(): ToolCall | undefined {
    return this.calls.all.find(c => c.name && c.index === undefined)
  }

  private openTool(call: ToolCall): string[] {
    const out = this.closeOpen()
    const index = this.nextIndex++
    call.index = index
    this.open = { kind: 'tool', index, call }
    this.toolBlocks++
    const block = { type: 'tool_use', id: anthropicToolId(call.upstreamId, this.newId), name: call.name, input: {} }
    out.push(frame('content_block_start', { index, content_block: block }))
    out.push(...this.flushArguments(call))
    return out
  }

  private flushArguments(call: ToolCall): string[] {
    if (!call.pending || call.index === undefined) return []
    const partial = call.pending
    call.pending = ''
    return [argumentsFrame(call.index, partial)]
  }

  private closeOpen(): string[] {
    if (!this.open) return []
    if (this.open.kind === 'tool') this.open.call.closed = true
    const index = this.open.index
    this.open = undefined
    return [blockStopFrame(index)]
  }

  /** Closes the turn: remaining blocks (calls still waiting get theirs now), usage, stop reason. */
  private complete(): string[] {
    const out: string[] = []
    for (let next = this.waitingCall(); next; next = this.waitingCall()) out.push(...this.openTool(next))
    out.push(...this.closeOpen())
    const usage = anthropicUsage(this.usage())
    const stopped = stopReason(this.finishReason, this.toolBlocks > 0, this.stopSequence)
    const delta = { stop_reason: stopped, stop_sequence: stopped === 'stop_sequence' ? this.stopSequence! : null }
    out.push(frame('message_delta', { delta, usage }), frame('message_stop'))
    this.ended = true
    this.completed = true
    return out
  }

  private abort(type: string, message: string): string[] {
    const out = this.closeOpen()
    out.push(frame('error', { error: { type, message } }))
    this.ended = true
    return out
  }
}

/** A fresh converter for one OpenAI Chat stream answering an Anthropic Messages client. */
export function chatToAnthropicStream(ctx: ConvertContext, newId: NewId): StreamConverter {
  return new ChatToAnthropicStream(ctx, newId)
}
