import type { JsonObject } from '../types'
import { hasText } from '../openai-to-anthropic/json'
import type { AnthropicTurn } from '../openai-to-anthropic/messages'
import { appendTurn, base64DataUrl, parseArguments, toolId } from '../openai-to-anthropic/messages'
import { CUSTOM_INPUT } from '../responses-common/tools'
import type { InputPart, Turn } from '../responses-common/types'

/**
 * Turns → alternating Anthropic messages. Tool outputs become `tool_result` blocks at the head
 * of the user turn that follows the calls (Anthropic wants them first); consecutive same-role
 * turns merge. Replayed reasoning is left out: a thinking block needs Anthropic's signature, and
 * a summary has none. Blank texts are skipped (Anthropic rejects them).
 */
export function anthropicMessages(turns: Turn[]): AnthropicTurn[] {
  const out: AnthropicTurn[] = []
  for (const turn of turns) {
    if (turn.role === 'user') appendTurn(out, 'user', turn.parts.flatMap(block))
    else if (turn.role === 'tool') appendTurn(out, 'user', [toolResult(turn.callId, turn.parts)])
    else appendTurn(out, 'assistant', [...turn.texts.filter(hasText).map(text => ({ type: 'text', text })), ...turn.calls.map(call => ({
      type: 'tool_use',
      id: toolId(call.callId),
      name: call.name,
      input: call.custom ? { [CUSTOM_INPUT]: call.arguments } : parseArguments(call.arguments),
    }))])
  }
  return out
}

function toolResult(callId: string, parts: InputPart[]): JsonObject {
  const result: JsonObject = { type: 'tool_result', tool_use_id: toolId(callId) }
  const content = parts.flatMap(block)
  // An empty output is legal for a tool, but not as an Anthropic text block: omit `content`.
  if (content.length) result.content = content.every(b => b.type === 'text') ? content.map(b => b.text).join('\n\n') : content
  return result
}

/** A neutral part → an Anthropic content block; images need an http(s) or base64 data URL, files an inline PDF. */
function block(part: InputPart): JsonObject[] {
  if (part.type === 'text') return hasText(part.text) ? [{ type: 'text', text: part.text }] : []
  const url = part.type === 'image' ? part.url : part.data
  if (part.type === 'image' && /^https?:\/\//i.test(url)) return [{ type: 'image', source: { type: 'url', url } }]
  const data = base64DataUrl(url)
  if (!data) return []
  const source = { type: 'base64', media_type: data.mediaType, data: data.data }
  if (part.type === 'image') return [{ type: 'image', source }]
  return source.media_type === 'application/pdf' ? [{ type: 'document', source }] : []
}
