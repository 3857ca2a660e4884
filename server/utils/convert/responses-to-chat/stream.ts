import type { ConvertContext, JsonObject, SseEvent, StreamConverter, Usage } from '../types'
import { JsonCompleteness } from '../anthropic-to-openai/json-completeness'
import { ChatToolCalls, toolArguments } from '../anthropic-to-openai/tool-calls'
import { estimatedUsage, usageFromChat } from '../anthropic-to-openai/usage'
import { errorMessageOf } from '../../http/upstream-error'
import { asArray, asObject, asString } from '../values'
import type { Minting } from '../responses-common/converter'
import type { CallItem, TextItem } from '../responses-common/events'
import { ResponsesWriter } from '../responses-common/events'
import { unixSeconds } from '../openai-to-anthropic/json'
import type { RequestFacts } from '../responses-common/types'
import { classifyChatError } from './error'
import { chatOutcome, reasoningTokens } from './response'

/** One upstream tool call, from its first fragment until its item closes. */
interface ToolCall {
  upstreamId?: string
  name?: string
  /** Arguments that came before the name (a few providers send them first). */
  pending: string
  json: JsonCompleteness
  item?: CallItem
}

/**
 * OpenAI Chat chunks → a Responses event stream. `reasoning_content` becomes a reasoning item
 * streamed as its summary, `content` a message item, each tool call a `function_call` item (a
 * `custom_tool_call` for a custom tool) whose arguments stream as they arrive. A call opens once
 * its name is known; earlier calls whose JSON is complete close then, the rest (providers that
 * interleave calls by index) stay open until the turn ends. The turn ends on `finish_reason` once
 * usage is known (it may follow in a `choices: []` chunk), or on `[DONE]` / the end of the body;
 * without a finish reason the stream ends with `response.failed`, never a fake completion.
 */
class ChatToResponsesStream implements StreamConverter {
  private readonly writer: ResponsesWriter
  private text?: TextItem
  private readonly calls = new ChatToolCalls<ToolCall>(() => ({ pending: '', json: new JsonCompleteness() }))
  private finishReason?: string
  private reported?: Usage
  private outputChars = 0

  constructor(ctx: ConvertContext, private readonly facts: RequestFacts, private readonly mint: Minting) {
    this.writer = new ResponsesWriter(ctx.requestModel, unixSeconds(mint.now), mint.newId)
  }

  get finished(): boolean {
    return this.writer.closed && this.finishReason !== undefined
  }

  start(): string[] {
    this.writer.start()
    return this.writer.take()
  }

  push(event: SseEvent): string[] {
    if (this.writer.closed) return []
    this.writer.start()
    const data = event.data.trim()
    if (data === '[DONE]') return this.close()
    let chunk: JsonObject | undefined
    try {
      chunk = asObject(JSON.parse(data))
    }
    catch {
      // Not JSON (an empty keep-alive `data:`, a provider's status text): carries no content.
      return this.writer.take()
    }
    if (!chunk) return this.writer.take()
    if ((chunk.error !== undefined && chunk.error !== null) || event.event === 'error') {
      const raw = chunk.error ?? chunk
      const { error } = classifyChatError(undefined, asObject(raw), errorMessageOf(raw) ?? 'upstream stream error')
      return this.abort(error.code ?? 'server_error', error.message)
    }
    const usage = usageFromChat(chunk.usage)
    if (usage) {
      const reasoning = reasoningTokens(chunk.usage)
      this.reported = reasoning === undefined ? usage : { ...usage, reasoningTokens: reasoning }
    }
    // Only the first choice is relayed: Responses has no `n`.
    const choice = asArray(chunk.choices).map(asObject).find(c => c && (c.index ?? 0) === 0)
    if (choice) {
      this.delta(asObject(choice.delta))
      this.finishReason = asString(choice.finish_reason) || this.finishReason
    }
    if (this.finishReason && this.reported) return this.complete()
    return this.writer.take()
  }

  end(): string[] {
    if (this.writer.closed) return []
    return this.close()
  }

  fail(message: string): string[] {
    if (this.writer.closed) return []
    return this.abort('server_error', message)
  }

  usage(): Usage {
    return this.reported ?? estimatedUsage(this.outputChars)
  }

  /** The upstream is done: a proper end after a finish reason, else `response.failed`. */
  private close(): string[] {
    return this.finishReason ? this.complete() : this.abort('server_error', 'upstream stream ended without a finish reason')
  }

  private delta(delta: JsonObject | undefined): void {
    if (!delta) return
    const reasoning = asString(delta.reasoning_content) || asString(delta.reasoning)
    if (reasoning) this.textDelta('reasoning', reasoning)
    const text = asString(delta.content) || asString(delta.refusal)
    if (text) this.textDelta('message', text)
    for (const raw of asArray(delta.tool_calls)) {
      const fragment = asObject(raw)
      if (fragment) this.toolFragment(fragment)
    }
  }

  private textDelta(kind: TextItem['kind'], delta: string): void {
    this.outputChars += delta.length
    if (this.text?.kind !== kind) {
      if (this.text) this.writer.close(this.text)
      this.text = this.writer.openText(kind)
    }
    this.writer.textDelta(this.text, delta)
  }

  private toolFragment(fragment: JsonObject): void {
    const call = this.calls.of(fragment)
    const fn = asObject(fragment.function)
    call.upstreamId ??= asString(fragment.id) || undefined
    // Some providers repeat the name on every fragment; the first one counts.
    call.name ??= asString(fn?.name) || undefined
    if (call.item && !call.item.open) return
    const args = toolArguments(fn)
    this.outputChars += args.length
    call.json.feed(args)
    if (!call.item && call.name) this.openCall(call, call.name)
    if (call.item) this.writer.callDelta(call.item, args)
    else call.pending += args
  }

  private openCall(call: ToolCall, name: string): void {
    if (this.text) this.writer.close(this.text)
    this.text = undefined
    for (const other of this.calls.all) if (other.item?.open && other.json.complete) this.writer.close(other.item)
    const custom = this.facts.customTools.has(name)
    call.item = this.writer.openCall({ callId: call.upstreamId ?? this.mint.newId('call'), name, custom })
    this.writer.callDelta(call.item, call.pending)
    call.pending = ''
  }

  private complete(): string[] {
    this.writer.finish(chatOutcome(this.finishReason), this.usage())
    return this.writer.take()
  }

  private abort(code: string, message: string): string[] {
    this.finishReason = undefined
    this.writer.fail(code, message, this.reported)
    return this.writer.take()
  }
}

/** A fresh converter for one OpenAI Chat stream answering a Responses client. */
export function chatToResponsesStream(ctx: ConvertContext, facts: RequestFacts, mint: Minting): StreamConverter {
  return new ChatToResponsesStream(ctx, facts, mint)
}
