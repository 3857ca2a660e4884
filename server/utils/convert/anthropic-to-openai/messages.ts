import type { JsonObject } from '../types'
import { asArray, asObject, asString } from '../values'

/**
 * Claude Code's first system block is attribution (client version + conversation fingerprint),
 * not instructions; api.anthropic.com strips it, other upstreams would read it as prompt text.
 */
const ATTRIBUTION_PREFIX = 'x-anthropic-billing-header'

/** Tool messages cannot carry images or files, so they move to the user message that follows. */
const MOVED_NOTE = '[images or files from this tool result follow in the next user message]'

/** Block texts are joined with a blank line, the way they read as separate paragraphs. */
const JOIN = '\n\n'

/** Anthropic `system` (string or text blocks) → the text of one Chat system message. */
export function systemText(system: unknown): string {
  if (typeof system === 'string') return system
  const texts: string[] = []
  asArray(system).forEach((raw, i) => {
    const block = asObject(raw)
    const text = block?.type === 'text' ? asString(block.text) : undefined
    if (!text || (i === 0 && text.startsWith(ATTRIBUTION_PREFIX))) return
    texts.push(text)
  })
  return texts.join(JOIN)
}

/**
 * Anthropic messages → Chat messages (without the system message). Assistant `thinking` becomes
 * `reasoning_content` when `replayReasoning` is set: DeepSeek rejects a tool-call turn replayed
 * without it (an empty string satisfies it), while a Chat upstream never issued a signature, so
 * signatures are ignored here and never checked.
 */
export function chatMessages(messages: unknown, replayReasoning: boolean): JsonObject[] {
  const out: JsonObject[] = []
  for (const raw of asArray(messages)) {
    const message = asObject(raw)
    if (!message) continue
    if (message.role === 'assistant') {
      const converted = assistantMessage(message.content, replayReasoning)
      if (converted) out.push(converted)
    }
    else {
      out.push(...userMessages(message.content))
    }
  }
  return out
}

function assistantMessage(content: unknown, replayReasoning: boolean): JsonObject | undefined {
  if (typeof content === 'string') return content ? { role: 'assistant', content } : undefined
  const texts: string[] = []
  const thinking: string[] = []
  const calls: JsonObject[] = []
  for (const raw of asArray(content)) {
    const block = asObject(raw)
    if (block?.type === 'text' && asString(block.text)) texts.push(block.text as string)
    else if (block?.type === 'thinking' && asString(block.thinking)) thinking.push(block.thinking as string)
    else if (block?.type === 'tool_use') {
      calls.push({
        id: asString(block.id) ?? '',
        type: 'function',
        function: { name: asString(block.name) ?? '', arguments: JSON.stringify(block.input ?? {}) },
      })
    }
    // redacted_thinking and server-tool blocks have no Chat equivalent and are dropped.
  }
  // A turn of only thinking would be an empty assistant message, which several providers reject.
  if (!texts.length && !calls.length) return undefined
  const message: JsonObject = { role: 'assistant', content: texts.length ? texts.join(JOIN) : null }
  if (replayReasoning && (thinking.length || calls.length)) message.reasoning_content = thinking.join(JOIN)
  if (calls.length) message.tool_calls = calls
  return message
}

/**
 * A user turn → its tool results as `tool` messages first (they must follow the assistant's
 * tool calls directly), then one user message with any moved tool-result attachments and the
 * turn's own text, images and documents.
 */
function userMessages(content: unknown): JsonObject[] {
  if (typeof content === 'string') return [{ role: 'user', content }]
  const out: JsonObject[] = []
  const moved: JsonObject[] = []
  const parts: JsonObject[] = []
  for (const raw of asArray(content)) {
    const block = asObject(raw)
    if (!block) continue
    if (block.type !== 'tool_result') {
      parts.push(...contentParts(block))
      continue
    }
    const result = toolResult(block)
    out.push({ role: 'tool', tool_call_id: asString(block.tool_use_id) ?? '', content: result.text })
    moved.push(...result.media)
  }
  const rest = [...moved, ...parts]
  if (rest.length) out.push({ role: 'user', content: compact(rest) })
  return out
}

function toolResult(block: JsonObject): { text: string, media: JsonObject[] } {
  const parts = typeof block.content === 'string'
    ? [{ type: 'text', text: block.content }]
    : asArray(block.content).flatMap(raw => contentParts(asObject(raw)))
  const texts = parts.filter(p => p.type === 'text').map(p => p.text as string)
  const media = parts.filter(p => p.type !== 'text')
  if (media.length) texts.push(MOVED_NOTE)
  const text = texts.filter(Boolean).join(JOIN)
  // Chat has no error flag on tool messages; the prefix tells the model the call failed.
  return { text: block.is_error === true ? `Error: ${text}` : text, media }
}

/** All-text content as one string: many OpenAI-compatible providers accept only strings. */
function compact(parts: JsonObject[]): string | JsonObject[] {
  return parts.every(p => p.type === 'text') ? parts.map(p => p.text as string).join(JOIN) : parts
}

/** A user-side Anthropic block → Chat content parts (text, image_url, file). */
export function contentParts(block: JsonObject | undefined): JsonObject[] {
  const source = asObject(block?.source)
  switch (block?.type) {
    case 'text':
      return asString(block.text) ? [{ type: 'text', text: block.text }] : []
    case 'image': {
      const url = source?.type === 'base64'
        ? `data:${asString(source.media_type) ?? 'image/png'};base64,${asString(source.data) ?? ''}`
        : asString(source?.url)
      return url ? [{ type: 'image_url', image_url: { url } }] : []
    }
    case 'document':
      return documentParts(block, source)
    case 'search_result':
      return asArray(block.content).flatMap(raw => contentParts(asObject(raw)))
    default:
      return []
  }
}

/**
 * Documents: PDFs become OpenAI `file` parts with a data URL; text and content sources become
 * text; a URL source becomes a text reference (Chat `file` parts take no URLs). Files API ids
 * mean nothing to another provider and are dropped.
 */
function documentParts(block: JsonObject, source: JsonObject | undefined): JsonObject[] {
  const title = asString(block.title)
  switch (source?.type) {
    case 'base64': {
      const name = title ?? 'document'
      const mediaType = asString(source.media_type) ?? 'application/pdf'
      return [{
        type: 'file',
        file: { filename: /\.pdf$/i.test(name) ? name : `${name}.pdf`, file_data: `data:${mediaType};base64,${asString(source.data) ?? ''}` },
      }]
    }
    case 'text': {
      const data = asString(source.data)
      return data ? [{ type: 'text', text: title ? `${title}${JOIN}${data}` : data }] : []
    }
    case 'content':
      return typeof source.content === 'string'
        ? contentParts({ type: 'text', text: source.content })
        : asArray(source.content).flatMap(raw => contentParts(asObject(raw)))
    case 'url':
      return asString(source.url) ? [{ type: 'text', text: `Document: ${title ? `${title} ` : ''}<${source.url}>` }] : []
    default:
      return []
  }
}
