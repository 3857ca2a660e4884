import type { JsonObject } from '../types'
import { InvalidRequestError } from '../types'
import { asArray, asObject, asString, isObject } from '../values'
import type { CompactionHook, ConversionWarning, HistoryCall, InputPart, ResponsesConversation, Turn } from './types'

/** Items that only make sense to the provider that produced them, or need a server-side store. */
const UNREPLAYABLE: Record<string, string> = {
  compaction: 'a compaction summary is sealed by the provider that made it',
  compaction_trigger: 'remote compaction needs a native Responses channel',
  item_reference: 'item references need a server-side response store',
}

/**
 * Replaces every `compaction` item of an input list through `replace` (its result is spliced in
 * place of the item). The hook the integrator uses to replay a compaction summary as text on a
 * channel that cannot open the sealed item; the converters call it with their `compaction` option.
 */
export function replaceCompactionItems(items: unknown[], replace: CompactionHook): unknown[] {
  return items.flatMap(item => isObject(item) && item.type === 'compaction' ? replace(item) : [item])
}

/** `content` of a system/developer message, or `summary` text parts, as plain texts. */
function texts(content: unknown): string[] {
  if (typeof content === 'string') return content ? [content] : []
  return asArray(content).flatMap((raw) => {
    const text = asString(asObject(raw)?.text)
    return text ? [text] : []
  })
}

/** User content and tool outputs: text, images and inline files. */
function parts(content: unknown, warn: (w: ConversionWarning) => void): InputPart[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : []
  return asArray(content).flatMap((raw): InputPart[] => {
    const part = asObject(raw)
    switch (part?.type) {
      case 'input_text':
      case 'output_text':
      case 'text':
        return asString(part.text) ? [{ type: 'text', text: part.text as string }] : []
      case 'refusal':
        return asString(part.refusal) ? [{ type: 'text', text: part.refusal as string }] : []
      case 'input_image': {
        const url = asString(part.image_url) ?? asString(asObject(part.image_url)?.url)
        if (url) return [{ type: 'image', url, ...(asString(part.detail) ? { detail: part.detail as string } : {}) }]
        break
      }
      case 'input_file': {
        const data = asString(part.file_data)
        if (data) return [{ type: 'file', data, ...(asString(part.filename) ? { filename: part.filename as string } : {}) }]
        break
      }
    }
    warn({ kind: 'input_item', name: String(part?.type), message: `content part '${String(part?.type)}' has no equivalent on this channel (file ids and URLs need the issuing provider) and was left out` })
    return []
  })
}

/** The reasoning text of a `reasoning` item: its summary, else its raw `reasoning_text` content. */
function reasoningText(item: JsonObject): string {
  const summary = texts(item.summary)
  return (summary.length ? summary : texts(item.content)).join('\n\n')
}

/** The JSON arguments of a function call as text; some clients send an object. */
function callArguments(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '{}' : JSON.stringify(value)
}

/**
 * Reads `instructions` and `input` into the system text and the turns of the conversation.
 * System and developer messages join the system text wherever they stand (neither Chat
 * providers nor Anthropic take them mid-conversation). Consecutive assistant items — reasoning,
 * messages, function and custom tool calls — form one assistant turn. `encrypted_content` is
 * never read: only the issuing provider can open it. `compaction` items go through `compaction`
 * first; items without an equivalent are left out with a warning.
 */
export function readConversation(body: JsonObject, warn: (w: ConversionWarning) => void, compaction?: CompactionHook): ResponsesConversation {
  if (body.previous_response_id != null) {
    throw new InvalidRequestError('previous_response_id is not supported on this channel: send the whole conversation in input (store: false)', 'previous_response_id')
  }
  const system = texts(body.instructions)
  const turns: Turn[] = []
  const assistant = (): Extract<Turn, { role: 'assistant' }> => {
    const last = turns.at(-1)
    if (last?.role === 'assistant') return last
    const turn: Turn = { role: 'assistant', texts: [], reasoning: [], calls: [] }
    turns.push(turn)
    return turn
  }
  let input: unknown[] = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : asArray(body.input)
  if (compaction) input = replaceCompactionItems(input, compaction)
  for (const raw of input) {
    const item = asObject(raw)
    if (!item) continue
    const type = asString(item.type) ?? (item.role ? 'message' : undefined)
    switch (type) {
      case 'message':
        if (item.role === 'system' || item.role === 'developer') system.push(...texts(item.content))
        else if (item.role === 'assistant') assistant().texts.push(...parts(item.content, warn).flatMap(p => p.type === 'text' ? [p.text] : []))
        else turns.push({ role: 'user', parts: parts(item.content, warn) })
        break
      case 'reasoning': {
        const text = reasoningText(item)
        if (text) assistant().reasoning.push(text)
        break
      }
      case 'function_call':
      case 'custom_tool_call': {
        const custom = type === 'custom_tool_call'
        const call: HistoryCall = {
          callId: asString(item.call_id) ?? asString(item.id) ?? '',
          name: asString(item.name) ?? '',
          arguments: custom ? asString(item.input) ?? '' : callArguments(item.arguments),
          custom,
        }
        assistant().calls.push(call)
        break
      }
      case 'function_call_output':
      case 'custom_tool_call_output':
        turns.push({ role: 'tool', callId: asString(item.call_id) ?? '', parts: parts(item.output, warn) })
        break
      default:
        warn({ kind: 'input_item', name: String(type), message: `input item '${String(type)}' was left out: ${UNREPLAYABLE[type ?? ''] ?? 'this channel has no equivalent'}` })
    }
  }
  // A user message whose parts were all left out would be an empty turn.
  return { system, turns: turns.filter(t => t.role !== 'user' || t.parts.length) }
}
