import type { ConvertContext, JsonObject, NewId, Usage } from '../types'
import { parseInput } from '../anthropic-to-openai/response'
import { anthropicToolId } from '../anthropic-to-openai/tool-calls'
import { anthropicUsage, estimatedUsage } from '../anthropic-to-openai/usage'
import { asArray, asObject, asString } from '../values'
import { encodeReasoningSignature } from './reasoning-signature'
import { stopReasonOf, usageFromResponses } from './usage'

/** Summary parts are separate paragraphs of one thinking block. */
const JOIN = '\n\n'

/**
 * The readable text of a reasoning item: its summary, or the raw reasoning text that
 * open-weight Responses servers send as `content` instead.
 */
export function reasoningItemText(item: JsonObject): string {
  const texts = (parts: unknown, type: string) =>
    asArray(parts).map(asObject).filter(p => p?.type === type).map(p => asString(p!.text) ?? '').filter(Boolean)
  const summary = texts(item.summary, 'summary_text')
  return (summary.length ? summary : texts(item.content, 'reasoning_text')).join(JOIN)
}

/** The text of a message item: its `output_text` parts, and a refusal's words as text. */
export function messageItemText(item: JsonObject): string {
  return asArray(item.content).map((raw) => {
    const part = asObject(raw)
    return part?.type === 'refusal' ? asString(part.refusal) ?? '' : asString(part?.text) ?? ''
  }).join('')
}

/**
 * Usage of a non-streaming response in Anthropic's terms; estimated from the generated
 * characters (and marked so) when the upstream reported none.
 */
export function responseUsage(body: JsonObject): Usage {
  const reported = usageFromResponses(body.usage)
  if (reported) return reported
  let chars = 0
  for (const raw of asArray(body.output)) {
    const item = asObject(raw) ?? {}
    chars += reasoningItemText(item).length + messageItemText(item).length + (asString(item.arguments) ?? asString(item.input) ?? '').length
  }
  return estimatedUsage(chars)
}

/**
 * One output item → Anthropic content blocks: reasoning → `thinking` (its encrypted state in
 * the signature), message → `text`, `function_call` → `tool_use`, a freeform `custom_tool_call`
 * → `tool_use` with its raw text as `{input}`. Built-in tool items (web search, file search…)
 * ran upstream and have no Anthropic block; they are dropped.
 */
function contentBlocks(item: JsonObject, newId: NewId): JsonObject[] {
  switch (item.type) {
    case 'reasoning': {
      const thinking = reasoningItemText(item)
      const signature = encodeReasoningSignature(item) ?? ''
      return thinking || signature ? [{ type: 'thinking', thinking, signature }] : []
    }
    case 'message': {
      const text = messageItemText(item)
      return text ? [{ type: 'text', text }] : []
    }
    case 'function_call':
    case 'custom_tool_call': {
      const name = asString(item.name)
      // A call without a name cannot be run by the client.
      if (!name) return []
      const id = anthropicToolId(asString(item.call_id) ?? asString(item.id), newId)
      const input = item.type === 'custom_tool_call' ? { input: asString(item.input) ?? '' } : parseInput(asString(item.arguments) ?? '')
      return [{ type: 'tool_use', id, name, input }]
    }
    default:
      return []
  }
}

/**
 * A Responses response → an Anthropic message. Malformed function arguments become `{}` (see
 * `parseInput`): Claude Code then reports a tool input error the model can correct, whereas
 * keeping the raw text under some key would run the tool with an argument nobody asked for.
 */
export function messageFromResponse(body: JsonObject, ctx: ConvertContext, newId: NewId): JsonObject {
  const content = asArray(body.output).flatMap(raw => contentBlocks(asObject(raw) ?? {}, newId))
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model: ctx.requestModel,
    content,
    stop_reason: stopReasonOf(body, content.some(b => b.type === 'tool_use')),
    stop_sequence: null,
    usage: anthropicUsage(responseUsage(body)),
  }
}
