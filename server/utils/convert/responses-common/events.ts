import type { JsonObject, NewId, Usage } from '../types'
import { formatEvent } from '../../sse/frames'
import type { ItemStatus, Outcome, OutputCall } from './output'
import { callItem, customInput, messageItem, outputText, reasoningItem, responseObject, summaryText } from './output'
import { StreamedInput } from './streamed-input'

/** A message or reasoning item while its text streams. */
export interface TextItem {
  kind: 'message' | 'reasoning'
  index: number
  id: string
  text: string
  open: boolean
}

/** A function or custom tool call item while its arguments stream. */
export interface CallItem {
  kind: 'call'
  index: number
  id: string
  call: OutputCall
  /** The function arguments as the upstream wrote them (for custom tools: `{"input":"…"}`). */
  args: string
  input?: StreamedInput
  open: boolean
}

export type StreamItem = TextItem | CallItem

/**
 * Writes one Responses event stream: numbers every event (`sequence_number` from 0), gives every
 * item its `output_index` in the order it was added and its id, and keeps the items so each
 * `output_item.done` and the terminal `response.*` event carry them whole (Codex runs tools
 * from `output_item.done`). Frames collect in a buffer the converter drains with {@link take}.
 * Several items may be open at once (tool calls a Chat upstream interleaves); each closes with
 * its own done events.
 */
export class ResponsesWriter {
  private sequence = 0
  private frames: string[] = []
  private readonly items: StreamItem[] = []
  /** The status each closed item was closed with. */
  private readonly statuses = new Map<StreamItem, ItemStatus>()
  private readonly id: string
  private started = false
  private ended = false

  constructor(private readonly model: string, private readonly createdAt: number, private readonly newId: NewId) {
    this.id = newId('resp')
  }

  /** True once a terminal event (`completed`, `incomplete`, `failed`) was written. */
  get closed(): boolean {
    return this.ended
  }

  /** The frames written since the last call. */
  take(): string[] {
    const out = this.frames
    this.frames = []
    return out
  }

  /** `response.created` and `response.in_progress`, the first two events of every stream (once). */
  start(): void {
    if (this.started) return
    this.started = true
    const response = this.snapshot('in_progress')
    this.emit('response.created', { response })
    this.emit('response.in_progress', { response })
  }

  openText(kind: TextItem['kind']): TextItem {
    const item: TextItem = { kind, index: this.items.length, id: this.newId(kind === 'message' ? 'msg' : 'rs'), text: '', open: true }
    this.items.push(item)
    this.emit('response.output_item.added', { output_index: item.index, item: this.itemJson(item, 'in_progress') })
    if (kind === 'message') this.emit('response.content_part.added', { ...this.at(item), content_index: 0, part: outputText('') })
    else this.emit('response.reasoning_summary_part.added', { ...this.at(item), summary_index: 0, part: summaryText('') })
    return item
  }

  textDelta(item: TextItem, delta: string): void {
    if (!delta) return
    item.text += delta
    if (item.kind === 'message') this.emit('response.output_text.delta', { ...this.at(item), content_index: 0, delta, logprobs: [] })
    else this.emit('response.reasoning_summary_text.delta', { ...this.at(item), summary_index: 0, delta })
  }

  openCall(call: Omit<OutputCall, 'text'>): CallItem {
    const item: CallItem = {
      kind: 'call',
      index: this.items.length,
      id: this.newId(call.custom ? 'ctc' : 'fc'),
      call: { ...call, text: '' },
      args: '',
      ...(call.custom ? { input: new StreamedInput() } : {}),
      open: true,
    }
    this.items.push(item)
    this.emit('response.output_item.added', { output_index: item.index, item: this.itemJson(item, 'in_progress') })
    return item
  }

  callDelta(item: CallItem, fragment: string): void {
    if (!fragment) return
    item.args += fragment
    if (!item.input) {
      this.emit('response.function_call_arguments.delta', { ...this.at(item), delta: fragment })
      return
    }
    const delta = item.input.feed(fragment)
    if (delta) this.emit('response.custom_tool_call_input.delta', { ...this.at(item), delta })
  }

  /** Closes an item with its done events; `incomplete` marks one a length stop cut off. */
  close(item: StreamItem, status: ItemStatus = 'completed'): void {
    if (!item.open) return
    item.open = false
    if (item.kind !== 'call') this.closeText(item)
    else this.closeCall(item)
    this.statuses.set(item, status)
    this.emit('response.output_item.done', { output_index: item.index, item: this.itemJson(item, status) })
  }

  private closeText(item: TextItem): void {
    if (item.kind === 'message') {
      this.emit('response.output_text.done', { ...this.at(item), content_index: 0, text: item.text, logprobs: [] })
      this.emit('response.content_part.done', { ...this.at(item), content_index: 0, part: outputText(item.text) })
      return
    }
    this.emit('response.reasoning_summary_text.done', { ...this.at(item), summary_index: 0, text: item.text })
    this.emit('response.reasoning_summary_part.done', { ...this.at(item), summary_index: 0, part: summaryText(item.text) })
  }

  private closeCall(item: CallItem): void {
    if (!item.input) {
      item.call.text = item.args
      this.emit('response.function_call_arguments.done', { ...this.at(item), arguments: item.args })
      return
    }
    const input = customInput(item.args)
    // Whatever the streaming decoder could not tell (another argument shape) goes in one delta.
    const rest = input.startsWith(item.input.decoded) ? input.slice(item.input.decoded.length) : ''
    if (rest) this.emit('response.custom_tool_call_input.delta', { ...this.at(item), delta: rest })
    item.call.text = input
    this.emit('response.custom_tool_call_input.done', { ...this.at(item), input })
  }

  /**
   * Ends the stream with `response.completed` or `response.incomplete`, closing the open items.
   * After a length stop an open tool call is cut off: it gets no `output_item.done` (Codex runs
   * tools from that event, and half a patch must not run) and is reported `incomplete` in the
   * response's `output` only.
   */
  finish(outcome: Outcome, usage: Usage): void {
    if (this.ended) return
    const cut = outcome.status === 'incomplete'
    for (const item of this.items) {
      if (!item.open) continue
      if (!cut || item.kind !== 'call') {
        this.close(item, cut ? 'incomplete' : 'completed')
        continue
      }
      item.open = false
      item.call.text = item.input ? item.input.decoded || item.args : item.args
      this.statuses.set(item, 'incomplete')
    }
    this.ended = true
    const response = this.snapshot(outcome.status, { usage, ...(cut ? { reason: outcome.reason } : {}) })
    this.emit(cut ? 'response.incomplete' : 'response.completed', { response })
  }

  /**
   * Ends the stream with `response.failed`: open items are not closed (their content is cut
   * short and must not be run), the finished ones are reported in `output`.
   */
  fail(code: string, message: string, usage?: Usage): void {
    if (this.ended) return
    this.ended = true
    this.emit('response.failed', { response: this.snapshot('failed', { usage, error: { code, message } }) })
  }

  private snapshot(status: 'in_progress' | 'completed' | 'incomplete' | 'failed', extra: { usage?: Usage, reason?: string, error?: { code: string, message: string } } = {}): JsonObject {
    const output = this.items.filter(i => !i.open).map(i => this.itemJson(i, this.statuses.get(i) ?? 'completed'))
    return responseObject({ id: this.id, createdAt: this.createdAt, model: this.model, status, output, ...extra })
  }

  private itemJson(item: StreamItem, status: ItemStatus): JsonObject {
    if (item.kind === 'call') return callItem(item.id, item.call, status)
    return item.kind === 'message' ? messageItem(item.id, item.text, status) : reasoningItem(item.id, item.text, status)
  }

  private at(item: StreamItem): JsonObject {
    return { item_id: item.id, output_index: item.index }
  }

  private emit(type: string, payload: JsonObject): void {
    this.frames.push(formatEvent(type, JSON.stringify({ type, sequence_number: this.sequence++, ...payload })))
  }
}
